"""Reading the cells of a CSV file: related records by natural key, lists, partial dates, cited sources."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from import_export import fields, widgets

from ..exports import KEY_SEPARATOR
from ..models import PartialDate, Source, aliases
from ..models.dates import DatePrecision


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A related record by natural key; an unknown key is a row error that says which."""

    def __init__(self, model, field):
        super().__init__(model, field)
        # Records found so far in this import (each resource has its own copy of its fields and widgets).
        self.found = {}

    def preload(self, values):
        """Find every record a file names in one query, rather than one query per row."""
        records = self.model.objects.filter(**{f"{self.field}__in": {value for value in values if value}})
        self.found.update({str(getattr(record, self.field)): record for record in records})

    def clean(self, value, row=None, **kwargs):
        if value in self.found:
            return self.found[value]
        try:
            record = super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as error:
            raise ValueError(f"No {self.model._meta.verbose_name} with {self.field} “{value}”.") from error
        if record is not None:
            self.found[value] = record
        return record


class NaturalKeysWidget(widgets.ManyToManyWidget):
    """Several related records by natural key, separated by ' | '; an unknown key is a row error."""

    def __init__(self, model, field):
        super().__init__(model, separator=KEY_SEPARATOR, field=field)

    def clean(self, value, row=None, **kwargs):
        keys = [key.strip() for key in (value or "").split(self.separator) if key.strip()]
        found = {
            getattr(record, self.field): record for record in self.model.objects.filter(**{f"{self.field}__in": keys})
        }
        unknown = [key for key in keys if key not in found]
        if unknown:
            raise ValueError(f"No {self.model._meta.verbose_name} with {self.field} {', '.join(unknown)}.")
        return [found[key] for key in keys]


class LinesWidget(widgets.Widget):
    """Free text kept one item per line (participants), one per line in the cell too."""

    def clean(self, value, row=None, **kwargs):
        return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())


class AliasesWidget(widgets.Widget):
    """Aliases one per line, each with its language tag (`LG유플러스 [ko]`); a bad tag is a row error naming it."""

    def clean(self, value, row=None, **kwargs):
        try:
            return aliases.parse(value)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from error

    def render(self, value, obj=None, **kwargs):
        return aliases.as_text(value)


def aliases_field():
    return fields.Field(attribute="aliases", column_name="aliases", widget=AliasesWidget())


class ChoicesWidget(widgets.Widget):
    """Several choices in one cell (a scope: core | ran), separated by ' | ' like every list in the CSVs."""

    def clean(self, value, row=None, **kwargs):
        return [part.strip() for part in (value or "").split(KEY_SEPARATOR) if part.strip()]

    def render(self, value, obj=None, **kwargs):
        return KEY_SEPARATOR.join(value or [])


def choices_field(column):
    return fields.Field(attribute=column, column_name=column, widget=ChoicesWidget())


class PartialDateField(fields.Field):
    """An ISO 8601 date of any precision (2020, 2020-08, 2020-08-05) into a date and its precision."""

    def __init__(self, attribute, **kwargs):
        super().__init__(attribute=attribute, column_name=attribute, widget=PartialDateWidget(), **kwargs)

    def get_value(self, instance):
        date = getattr(instance, self.attribute)
        return PartialDate(date, getattr(instance, f"{self.attribute}_precision")) if date else None

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = (row.get(self.column_name) or "").strip()
        partial = PartialDate.parse(text) if text else None
        setattr(instance, self.attribute, partial.date if partial else None)
        setattr(instance, f"{self.attribute}_precision", partial.precision if partial else DatePrecision.DAY)


class PartialDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = (value or "").strip()
        return PartialDate.parse(text).date if text else None


class CitedSourcesField(fields.Field):
    """The `sources` cell (source keys separated by ' | '): each source must exist; citations are only added.

    Hand-made files may name a source by URL or exact title instead; a title several sources share
    is an error that lists their keys.
    """

    def __init__(self):
        super().__init__(attribute="sources", column_name="sources")
        self.found = {}  # sources found so far in this import, by what the cell said

    def preload(self, cells):
        """Find every source a file names by key in one query, rather than one query per row."""
        keys = {entry.strip() for cell in cells for entry in (cell or "").split(KEY_SEPARATOR) if entry.strip()}
        self.found.update({source.key: source for source in Source.objects.filter(key__in=keys)})

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.sources = self.parse(row.get(self.column_name) or "")

    def get_value(self, instance):
        # What the preview shows: each source by title and key. A fact this import added cites just its row's.
        stored = instance.pk and not getattr(instance, "cited_on_adding", False)
        cited = [citation.source for citation in instance.citations.all()] if stored else []
        sources = {source.pk: source for source in [*cited, *getattr(instance, "sources", [])]}
        return "; ".join(f"{source.title} ({source.key})" for source in sources.values())

    def parse(self, cell):
        sources = [self.find(entry) for entry in (part.strip() for part in cell.split(KEY_SEPARATOR)) if entry]
        if not sources:
            raise ValueError("Every fact needs at least one source: fill in the sources column.")
        return sources

    def find(self, entry):
        if entry not in self.found:
            self.found[entry] = find_source(entry)
        return self.found[entry]


def find_source(entry):
    by_key = Source.objects.filter(key=entry).first()
    if by_key:
        return by_key
    matches = list(Source.objects.filter(Q(url=entry) | Q(title=entry)).order_by("key")[:6])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ValueError(f"No source has the key, URL or title “{entry}”: add it under Sources first.")
    keys = ", ".join(source.key for source in matches)
    raise ValueError(f"More than one source matches “{entry}” ({keys}): name it by its key.")


def natural_key(column, model, key):
    return fields.Field(attribute=column, column_name=column, widget=NaturalKeyWidget(model, key))
