"""What every import shares: validation as in the admin, line-numbered problems, citations added from `sources`."""

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from import_export import resources

from .. import spreadsheet
from .cells import CitedSourcesField


class TrackerResource(resources.ModelResource):
    class Meta:
        # Validate each row as the admin would, and leave rows that change nothing alone.
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import(self, dataset, **kwargs):
        expected = [field.column_name for field in self.get_import_fields()]
        missing = [column for column in self.get_import_id_fields() if column not in dataset.headers]
        if missing:
            raise ValueError(
                f"The file has no column {', '.join(missing)}. A file of {self._meta.model._meta.verbose_name_plural} "
                f"has the columns {', '.join(expected)} (as its public CSV download); other columns are ignored."
            )
        self.repeats = repeated_lines(dataset, self.identifying_columns())

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
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = kwargs.get("user")


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
    sources = CitedSourcesField()

    def after_save_instance(self, instance, row, **kwargs):
        cited = {citation.source_id for citation in instance.citations.all()}
        for source in instance.sources:
            if source.pk not in cited:
                citation = instance.citations.model(fact=instance, source=source)
                citation._history_user = kwargs.get("user")
                citation.save()
