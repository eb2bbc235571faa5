"""Imports of the dated, cited facts."""

from django.core.exceptions import ValidationError
from import_export import fields

from ..models import (
    Carrier,
    CleanLabel,
    Country,
    CountryPosition,
    Deadline,
    EquipmentUse,
    Event,
    Initiative,
    Restriction,
    Vendor,
)
from .base import FactResource, TrackerResource
from .cells import LinesWidget, NaturalKeysWidget, PartialDateField, choices_field, natural_key


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
        fields = ["restriction", "due", "milestone", "segments", "technologies", "description", "notes", "sources"]
        import_id_fields = ["restriction", "due", "description"]
