"""Bulk import of the public CSV files (django-import-export): the columns the exports write.

Related records are named by natural key (ISO code, slug, source key); columns a resource does
not declare (display names, counts) are ignored on the way in. An exported file imports back as
exactly the data it came from.
"""

from django.db.models import Q
from import_export import fields, resources, widgets

from . import spreadsheet
from .exports import KEY_SEPARATOR
from .models import (
    Carrier,
    CleanLabel,
    Country,
    CountryPosition,
    EquipmentUse,
    Event,
    Initiative,
    PartialDate,
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
        cited = {citation.source_id for citation in instance.citations.all()} if instance.pk else set()
        return sorted(cited | {source.pk for source in getattr(instance, "sources", [])})

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

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = spreadsheet.unescape(value)


class FactResource(TrackerResource):
    sources = CitedSourcesField()

    def after_save_instance(self, instance, row, **kwargs):
        for source in instance.sources:
            instance.citations.get_or_create(source=source, location="")


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
        if "key" not in dataset.headers:
            dataset.append_col([""] * dataset.height, header="key")

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
    participants = fields.Field(attribute="participants", column_name="participants", widget=LinesWidget())

    class Meta(TrackerResource.Meta):
        model = Event
        fields = ["slug", "name", "kind", "held_on", "countries", "initiatives", "participants", "summary", "sources"]
        import_id_fields = ["slug"]


# The files a researcher can import, by the name of their public list.
RESOURCES = {
    "carriers": CarrierResource,
    "sources": SourceResource,
    "events": EventResource,
    "equipment": EquipmentUseResource,
    "labels": CleanLabelResource,
    "positions": CountryPositionResource,
}
