"""Imports of the reference records: countries, vendors, initiatives, carriers and sources."""

from import_export import fields

from ..models import Carrier, Country, Initiative, Source, Vendor
from .base import TrackerResource
from .cells import NaturalKeysWidget, PartialDateField, aliases_field, natural_key


class CarrierResource(TrackerResource):
    country = natural_key("country", Country, "code")
    aliases = aliases_field()

    class Meta(TrackerResource.Meta):
        model = Carrier
        fields = ["slug", "name", "country", "aliases", "website", "subscribers", "subscribers_as_of"]
        import_id_fields = ["slug"]


class SourceResource(TrackerResource):
    published_on = PartialDateField("published_on")

    class Meta(TrackerResource.Meta):
        model = Source
        fields = ["key", "title", "publisher", "url", "offline", "published_on", "accessed_on", "archive_url", "notes"]
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


class CountryResource(TrackerResource):
    class Meta(TrackerResource.Meta):
        model = Country
        fields = ["code", "name", "region"]
        import_id_fields = ["code"]


class VendorResource(TrackerResource):
    headquarters = natural_key("headquarters", Country, "code")
    aliases = aliases_field()

    class Meta(TrackerResource.Meta):
        model = Vendor
        fields = ["slug", "name", "headquarters", "aliases"]
        import_id_fields = ["slug"]


class InitiativeResource(TrackerResource):
    sponsor = natural_key("sponsor", Country, "code")
    launched_on = PartialDateField("launched_on")
    ended_on = PartialDateField("ended_on")
    targeted_vendors = fields.Field(
        attribute="targeted_vendors", column_name="targeted_vendors", widget=NaturalKeysWidget(Vendor, "slug")
    )

    class Meta(TrackerResource.Meta):
        model = Initiative
        fields = [
            "slug",
            "name",
            "sponsor",
            "kind",
            "launched_on",
            "ended_on",
            "led_by",
            "official_url",
            "targeted_vendors",
            "summary",
        ]
        import_id_fields = ["slug"]
