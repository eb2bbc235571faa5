"""What every import shares: validation as in the admin, line-numbered problems, citations added from `sources`."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import connection
from import_export import resources, widgets

from .. import spreadsheet
from ..models.versions import defer_data_version_bump
from .adding import import_new_facts
from .cells import CitedSourcesField
from .checks import FileChecks
from .citing import NewCitations
from .loading import LINES_PER_QUERY, file_instance_loader


class TrackerResource(resources.ModelResource):
    class Meta:
        # Validate each row as the admin would, and leave rows that change nothing alone.
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        instance_loader_class = file_instance_loader

    def before_import(self, dataset, **kwargs):
        # An import is one long transaction: bumping the data version at its commit lets others' saves through.
        check_foreign_keys_now()
        defer_data_version_bump()
        expected = [field.column_name for field in self.get_import_fields()]
        missing = [column for column in self.get_import_id_fields() if column not in dataset.headers]
        if missing:
            raise ValueError(
                f"The file has no column {', '.join(missing)}. A file of {self._meta.model._meta.verbose_name_plural} "
                f"has the columns {', '.join(expected)} (as its public CSV download); other columns are ignored."
            )
        self.repeats = repeated_lines(dataset, self.identifying_columns())
        self.checks = FileChecks()
        self.preload(dataset)

    def preload(self, dataset):
        """Look up the records the file names (by natural key, or as cited sources) once for the whole file."""
        for field in self.get_import_fields():
            preload = getattr(field, "preload", None) or getattr(field.widget, "preload", None)
            if preload and field.column_name in dataset.headers:
                preload(dataset[field.column_name])

    def identifying_columns(self):
        return self.get_import_id_fields()

    def get_instance(self, instance_loader, row):
        # A row naming an unknown record is a new one; the lookup error is reported with the row's other problems.
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ObjectDoesNotExist):
            return None

    def before_import_row(self, row, row_number=None, **kwargs):
        for column, value in row.items():
            row[column] = spreadsheet.unescape(value)
        self.repeat_of = self.repeats.get(row_number)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A repeated line looks unchanged after its first occurrence; it must be reported, not skipped.
        return not self.repeat_of and super().skip_row(instance, original, row, import_validation_errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if self.repeat_of:
            errors[NON_FIELD_ERRORS] = [f"Repeats line {self.repeat_of}: the same record twice in one file."]
        # Model.full_clean, with the answers of the database remembered for the whole file.
        try:
            self.checks.full_clean(instance, set(errors), validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_import_row(self, row, row_result, progress=None, **kwargs):
        if progress is not None:  # import_csv's bar
            progress.update()

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = kwargs.get("user")
        self.adding = instance._state.adding


def check_foreign_keys_now():
    """Check foreign keys as rows go in, not in the commit: the commit bumps the data version, and the lock that
    takes (see defer_data_version_bump) is then held for the bump alone, not for a check of every row written."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def repeated_lines(dataset, columns):
    """{row number: line of its first occurrence} for rows whose identifying cells repeat an earlier row's."""
    first_seen, repeats = {}, {}
    indexes = [dataset.headers.index(column) for column in columns]
    for number, record in enumerate(dataset, start=1):
        key = tuple(str(record[index]).strip() for index in indexes)
        if key in first_seen:
            repeats[number] = first_seen[key] + 1
        else:
            first_seen[key] = number
    return repeats


class FactResource(TrackerResource):
    """A fact; a row that adds one may give its public `id` and `changed` moment, as the fact's CSV writes them.

    So an exported file, or a release, imports back as the facts it came from: a fact brought back keeps
    its id and its last change. Rows that change an existing fact keep that fact's id, and change it now.
    """

    sources = CitedSourcesField()

    def get_queryset(self):
        # A line is compared with its fact's sources: read them with the fact, not one query a line.
        return super().get_queryset().prefetch_related("citations__source")

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        # A file of new facts, the common case, is imported together where a refusal can be undone; facts with
        # many-to-many links (events, restrictions) come a few at a time, and are imported line by line.
        if using_transactions and not collect_failed_rows and not self.links_many():
            result = import_new_facts(self, dataset, dry_run, **kwargs)
            if result is not None:
                return result
        return super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
        )

    def links_many(self):
        return any(isinstance(field.widget, widgets.ManyToManyWidget) for field in self.get_import_fields())

    def before_import(self, dataset, **kwargs):
        self.new_citations = NewCitations()
        self.taken_ids = taken_ids(self._meta.model, dataset)
        super().before_import(dataset, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance._state.adding:
            try:
                self.keep_identity(instance, row)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def keep_identity(self, instance, row):
        public_id, changed = (str(row.get(column) or "").strip() for column in ("id", "changed"))
        if public_id:
            if not public_id.isdigit() or int(public_id) < 1:
                raise ValidationError({"id": f"“{public_id}” is not a fact's id: leave it empty for a new fact."})
            if int(public_id) in self.taken_ids:
                raise ValidationError(
                    {"id": f"Id {public_id} is another fact's: leave it empty to add this row as a new fact."}
                )
            instance.pk = int(public_id)
        if changed:
            try:
                instance._last_changed = datetime.datetime.fromisoformat(changed)
            except ValueError:
                instance._last_changed = None
            if instance._last_changed is None or instance._last_changed.tzinfo is None:
                raise ValidationError({"changed": f"“{changed}” is not a moment with its time zone (RFC 3339)."})

    def after_save_instance(self, instance, row, **kwargs):
        if getattr(
            instance, "_last_changed", None
        ):  # `updated_at` is set on save; a fact brought back keeps its moment
            type(instance).objects.filter(pk=instance.pk).update(updated_at=instance._last_changed)
        if self.adding:
            self.taken_ids.add(instance.pk)
            self.new_citations.cite(instance, kwargs.get("user"))
            return
        cited = {citation.source_id for citation in instance.citations.all()}
        for source in instance.sources:
            if source.pk not in cited:
                citation = instance.citations.model(fact=instance, source=source)
                citation._history_user = kwargs.get("user")
                citation.save()

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        self.new_citations.line_through()

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not (result.has_errors() or result.has_validation_errors()):  # else nothing is written anyway
            self.new_citations.write()


def taken_ids(model, dataset):
    """The ids in the file's `id` column that facts already have, found for the whole file at once."""
    cells = (str(spreadsheet.unescape(cell)).strip() for cell in (dataset["id"] if "id" in dataset.headers else []))
    ids = sorted({int(cell) for cell in cells if cell.isdecimal()})
    return {
        pk
        for start in range(0, len(ids), LINES_PER_QUERY)
        for pk in model.objects.filter(pk__in=ids[start : start + LINES_PER_QUERY]).values_list("pk", flat=True)
    }
