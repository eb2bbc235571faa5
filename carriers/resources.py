"""Bulk import of the public CSV files (django-import-export): the columns the exports write.

Related records are named by natural key (ISO code, slug, source key); columns a resource does
not declare (display names, counts) are ignored on the way in. An exported file imports back as
exactly the data it came from.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db.models import Q
from import_export import fields, resources, widgets

from . import spreadsheet
from .exports import KEY_SEPARATOR
from .models import (
    Carrier,
    CleanLabel,
    Country,
    CountryPosition,
    Deadline,
    EquipmentUse,
    Event,
    Initiative,
    PartialDate,
    Restriction,
    Source,
    Vendor,
)
from .models.dates import DatePrecision


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A related record by natural key; an unknown key is a row error that says which."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as error:
            raise ValueError(f"No {self.model._meta.verbose_name} with {self.field} “{value}”.") from error


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
    """Free text kept one item per line (aliases, participants), one per line in the cell too."""

    def clean(self, value, row=None, **kwargs):
        return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())


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

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.sources = self.parse(row.get(self.column_name) or "")

    def get_value(self, instance):
        # What the preview shows: each source by title and key.
        cited = [citation.source for citation in instance.citations.select_related("source")] if instance.pk else []
        sources = {source.pk: source for source in [*cited, *getattr(instance, "sources", [])]}
        return "; ".join(f"{source.title} ({source.key})" for source in sources.values())

    @staticmethod
    def parse(cell):
        sources = [find_source(entry) for entry in (part.strip() for part in cell.split(KEY_SEPARATOR)) if entry]
        if not sources:
            raise ValueError("Every fact needs at least one source: fill in the sources column.")
        return sources


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


def natural_key(column, model, key):
    return fields.Field(attribute=column, column_name=column, widget=NaturalKeyWidget(model, key))


class CarrierResource(TrackerResource):
    country = natural_key("country", Country, "code")
    aliases = fields.Field(attribute="aliases", column_name="aliases", widget=LinesWidget())

    class Meta(TrackerResource.Meta):
        model = Carrier
        fields = ["slug", "name", "country", "aliases", "website", "subscribers", "subscribers_as_of"]
        import_id_fields = ["slug"]


class SourceResource(TrackerResource):
    published_on = PartialDateField("published_on")

    class Meta(TrackerResource.Meta):
        model = Source
        fields = ["key", "title", "publisher", "url", "published_on", "accessed_on", "archive_url", "notes"]
        import_id_fields = ["key"]

    def before_import(self, dataset, **kwargs):
        # A hand-made file may leave the key column out: each source is then found by title and publisher.
        if "key" not in dataset.headers and "title" in dataset.headers:
            dataset.append_col([""] * dataset.height, header="key")
        super().before_import(dataset, **kwargs)

    def identifying_columns(self):
        return ["title", "publisher"]

    def get_instance(self, instance_loader, row):
        if (row.get("key") or "").strip():
            return super().get_instance(instance_loader, row)
        return Source.objects.filter(title=row.get("title") or "", publisher=row.get("publisher") or "").first()


class EquipmentUseResource(FactResource):
    carrier = natural_key("carrier", Carrier, "slug")
    vendor = natural_key("vendor", Vendor, "slug")
    valid_from = PartialDateField("valid_from")
    valid_to = PartialDateField("valid_to")

    class Meta(TrackerResource.Meta):
        model = EquipmentUse
        fields = [
            "carrier",
            "vendor",
            "segment",
            "technology",
            "status",
            "valid_from",
            "valid_to",
            "share_percent",
            "confidence",
            "notes",
            "sources",
        ]
        import_id_fields = ["carrier", "vendor", "segment", "technology", "valid_from"]


class CleanLabelResource(FactResource):
    carrier = natural_key("carrier", Carrier, "slug")
    initiative = natural_key("initiative", Initiative, "slug")
    awarded_on = PartialDateField("awarded_on")
    withdrawn_on = PartialDateField("withdrawn_on")

    class Meta(TrackerResource.Meta):
        model = CleanLabel
        fields = [
            "carrier",
            "initiative",
            "wording",
            "scope_segment",
            "scope_technology",
            "awarded_on",
            "withdrawn_on",
            "notes",
            "sources",
        ]
        import_id_fields = ["carrier", "initiative", "scope_segment", "scope_technology", "awarded_on"]


class CountryPositionResource(FactResource):
    country = natural_key("country", Country, "code")
    initiative = natural_key("initiative", Initiative, "slug")
    event = natural_key("event", Event, "slug")
    stated_on = PartialDateField("stated_on")

    class Meta(TrackerResource.Meta):
        model = CountryPosition
        fields = ["country", "initiative", "stance", "stated_on", "stated_by", "statement", "event", "notes", "sources"]
        import_id_fields = ["country", "initiative", "stance", "stated_on"]


class EventResource(FactResource):
    held_on = PartialDateField("held_on")
    countries = fields.Field(attribute="countries", column_name="countries", widget=NaturalKeysWidget(Country, "code"))
    initiatives = fields.Field(
        attribute="initiatives", column_name="initiatives", widget=NaturalKeysWidget(Initiative, "slug")
    )
    restrictions = fields.Field(
        attribute="restrictions", column_name="restrictions", widget=NaturalKeysWidget(Restriction, "slug")
    )
    participants = fields.Field(attribute="participants", column_name="participants", widget=LinesWidget())

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not (row.get("countries") or "").strip():
            errors["countries"] = ["An event needs at least one country."]
        if errors:
            raise ValidationError(errors)

    class Meta(TrackerResource.Meta):
        model = Event
        fields = [
            "slug",
            "name",
            "kind",
            "held_on",
            "countries",
            "initiatives",
            "restrictions",
            "participants",
            "summary",
            "sources",
        ]
        import_id_fields = ["slug"]


class RestrictionResource(FactResource):
    country = natural_key("country", Country, "code")
    vendors = fields.Field(attribute="vendors", column_name="vendors", widget=NaturalKeysWidget(Vendor, "slug"))
    segments = choices_field("segments")
    technologies = choices_field("technologies")
    decided_on = PartialDateField("decided_on")
    effective_on = PartialDateField("effective_on")

    class Meta(TrackerResource.Meta):
        model = Restriction
        fields = [
            "slug",
            "country",
            "title",
            "instrument",
            "vendors",
            "segments",
            "technologies",
            "kind",
            "status",
            "decided_on",
            "effective_on",
            "notes",
            "sources",
        ]
        import_id_fields = ["slug"]


class DeadlineResource(FactResource):
    restriction = natural_key("restriction", Restriction, "slug")
    due = PartialDateField("due")
    segments = choices_field("segments")
    technologies = choices_field("technologies")

    class Meta(TrackerResource.Meta):
        model = Deadline
        fields = ["restriction", "due", "segments", "technologies", "description", "notes", "sources"]
        import_id_fields = ["restriction", "due", "description"]


# The files a researcher can import, by the name of their public list.
RESOURCES = {
    "carriers": CarrierResource,
    "sources": SourceResource,
    "events": EventResource,
    "equipment": EquipmentUseResource,
    "labels": CleanLabelResource,
    "positions": CountryPositionResource,
    "restrictions": RestrictionResource,
    "deadlines": DeadlineResource,
}
