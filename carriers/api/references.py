"""Serializers of the reference lists, field names those of the lists' CSV columns (see /about/data/)."""

from rest_framework import serializers

from .. import exports
from ..models import (
    Carrier,
    Country,
    Initiative,
    Source,
    Vendor,
)
from .fields import alias_list, partial_date, slugs


class DescribedByExport:
    """Takes each field's description from the matching CSV column, so the schema and the data dictionary agree."""

    export = None

    def get_fields(self):
        fields = super().get_fields()
        descriptions = {column.header: column.description for column in self.export.columns}
        for name, field in fields.items():
            if name in descriptions and not field.help_text:
                field.help_text = descriptions[name]
        return fields


class CountrySerializer(DescribedByExport, serializers.ModelSerializer):
    export = exports.COUNTRIES
    id = serializers.CharField(source="pk", read_only=True, help_text="The country's public id: its ISO code.")
    carriers = serializers.IntegerField(source="carrier_count", read_only=True)

    class Meta:
        model = Country
        fields = ["id", "code", "name", "region", "carriers"]


class CarrierSerializer(DescribedByExport, serializers.ModelSerializer):
    export = exports.CARRIERS
    country = serializers.CharField(source="country_id", read_only=True)
    country_name = serializers.CharField(source="country.name", read_only=True)
    aliases = alias_list()
    equipment_uses = serializers.IntegerField(source="equipment_use_count", read_only=True)
    clean_labels = serializers.IntegerField(source="label_count", read_only=True)

    class Meta:
        model = Carrier
        fields = [
            "id",
            "slug",
            "name",
            "country",
            "country_name",
            "aliases",
            "website",
            "subscribers",
            "subscribers_as_of",
            "equipment_uses",
            "clean_labels",
        ]


class VendorSerializer(DescribedByExport, serializers.ModelSerializer):
    export = exports.VENDORS
    headquarters = serializers.CharField(source="headquarters_id", read_only=True)
    aliases = alias_list()
    targeted_by = slugs(source="targeting_initiatives")

    class Meta:
        model = Vendor
        fields = ["id", "slug", "name", "headquarters", "aliases", "targeted_by"]


class InitiativeSerializer(DescribedByExport, serializers.ModelSerializer):
    export = exports.INITIATIVES
    sponsor = serializers.CharField(source="sponsor_id", read_only=True)
    launched_on, launched_on_precision = partial_date("launched", "Launch, ISO 8601 at its precision.")
    ended_on, ended_on_precision = partial_date("ended", "End, ISO 8601 at its precision; null while in force.")
    targeted_vendors = slugs()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "slug",
            "name",
            "sponsor",
            "kind",
            "launched_on",
            "launched_on_precision",
            "ended_on",
            "ended_on_precision",
            "led_by",
            "official_url",
            "targeted_vendors",
        ]


class SourceSerializer(DescribedByExport, serializers.ModelSerializer):
    export = exports.SOURCES
    published_on, published_on_precision = partial_date("published", "Publication, ISO 8601 at its precision.")

    class Meta:
        model = Source
        fields = [
            "id",
            "key",
            "title",
            "publisher",
            "url",
            "offline",
            "published_on",
            "published_on_precision",
            "accessed_on",
            "archive_url",
            "notes",
        ]
