"""Serializers of the fact lists: CSV columns, plus each fact's id, last change and citations."""

from django.utils import timezone
from rest_framework import serializers

from .. import exports
from ..models import CitationEntry, CleanLabel, CountryPosition, Deadline, EquipmentUse, Event, Restriction
from .fields import CitedSerializer, LinesField, choice_list, partial_date, slugs
from .references import DescribedByExport


class EquipmentUseSerializer(DescribedByExport, CitedSerializer):
    export = exports.EQUIPMENT_USES
    carrier = serializers.CharField(source="carrier.slug", read_only=True)
    carrier_name = serializers.CharField(source="carrier.name", read_only=True)
    country = serializers.CharField(source="carrier.country_id", read_only=True)
    vendor = serializers.CharField(source="vendor.slug", read_only=True)
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    valid_from, valid_from_precision = partial_date(
        "valid_from_date", "Start, ISO 8601 at its precision; null: unknown."
    )
    valid_to, valid_to_precision = partial_date("valid_to_date", "End, ISO 8601 at its precision; null while in force.")

    class Meta:
        model = EquipmentUse
        fields = [
            "id",
            "changed",
            "carrier",
            "carrier_name",
            "country",
            "vendor",
            "vendor_name",
            "segment",
            "technology",
            "status",
            "valid_from",
            "valid_from_precision",
            "valid_to",
            "valid_to_precision",
            "share_percent",
            "confidence",
            "notes",
            "sources",
            "citations",
        ]


class CleanLabelSerializer(DescribedByExport, CitedSerializer):
    export = exports.CLEAN_LABELS
    carrier = serializers.CharField(source="carrier.slug", read_only=True)
    carrier_name = serializers.CharField(source="carrier.name", read_only=True)
    country = serializers.CharField(source="carrier.country_id", read_only=True)
    initiative = serializers.CharField(source="initiative.slug", read_only=True)
    awarded_on, awarded_on_precision = partial_date("awarded", "Award, ISO 8601 at its precision; null: unknown.")
    withdrawn_on, withdrawn_on_precision = partial_date("withdrawn", "Withdrawal, ISO 8601; null while held.")

    class Meta:
        model = CleanLabel
        fields = [
            "id",
            "changed",
            "carrier",
            "carrier_name",
            "country",
            "initiative",
            "wording",
            "scope_segment",
            "scope_technology",
            "awarded_on",
            "awarded_on_precision",
            "withdrawn_on",
            "withdrawn_on_precision",
            "notes",
            "sources",
            "citations",
        ]


class CountryPositionSerializer(DescribedByExport, CitedSerializer):
    export = exports.COUNTRY_POSITIONS
    country = serializers.CharField(source="country_id", read_only=True)
    country_name = serializers.CharField(source="country.name", read_only=True)
    initiative = serializers.CharField(source="initiative.slug", read_only=True)
    stated_on, stated_on_precision = partial_date("stated", "When, ISO 8601 at its precision.")
    event = serializers.CharField(source="event.slug", read_only=True, allow_null=True)

    class Meta:
        model = CountryPosition
        fields = [
            "id",
            "changed",
            "country",
            "country_name",
            "initiative",
            "stance",
            "stated_on",
            "stated_on_precision",
            "stated_by",
            "statement",
            "event",
            "notes",
            "sources",
            "citations",
        ]


class EventSerializer(DescribedByExport, CitedSerializer):
    export = exports.EVENTS
    held_on, held_on_precision = partial_date("held", "When, ISO 8601 at its precision.")
    countries = slugs(slug_field="code")
    initiatives = slugs()
    restrictions = slugs()
    participants = LinesField()

    class Meta:
        model = Event
        fields = [
            "id",
            "changed",
            "slug",
            "name",
            "kind",
            "held_on",
            "held_on_precision",
            "countries",
            "initiatives",
            "restrictions",
            "participants",
            "summary",
            "sources",
            "citations",
        ]


class RestrictionSerializer(DescribedByExport, CitedSerializer):
    export = exports.RESTRICTIONS
    country = serializers.CharField(source="country_id", read_only=True)
    country_name = serializers.CharField(source="country.name", read_only=True)
    vendors = slugs()
    segments = choice_list()
    technologies = choice_list()
    decided_on, decided_on_precision = partial_date("decided", "Decision, ISO 8601 at its precision; null: unknown.")
    effective_on, effective_on_precision = partial_date("effective", "Taking effect, ISO 8601; null: unknown.")
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = Restriction
        fields = [
            "id",
            "changed",
            "slug",
            "country",
            "country_name",
            "title",
            "instrument",
            "vendors",
            "segments",
            "technologies",
            "kind",
            "status",
            "decided_on",
            "decided_on_precision",
            "effective_on",
            "effective_on_precision",
            "deadlines",
            "notes",
            "sources",
            "citations",
        ]

    def get_deadlines(self, restriction) -> int:
        return len(restriction.deadlines.all())


class DeadlineSerializer(DescribedByExport, CitedSerializer):
    export = exports.DEADLINES
    country = serializers.CharField(source="restriction.country_id", read_only=True)
    restriction = serializers.CharField(source="restriction.slug", read_only=True)
    restriction_title = serializers.CharField(source="restriction.title", read_only=True)
    due, due_precision = partial_date("due_date", "When it falls due, ISO 8601 at its precision.")
    segments = choice_list()
    technologies = choice_list()
    scope = serializers.CharField(read_only=True)
    days_remaining = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "id",
            "changed",
            "country",
            "restriction",
            "restriction_title",
            "due",
            "due_precision",
            "due_by",
            "segments",
            "technologies",
            "milestone",
            "scope",
            "description",
            "days_remaining",
            "notes",
            "sources",
            "citations",
        ]

    def get_days_remaining(self, deadline) -> int:
        return deadline.days_remaining(timezone.localdate())


class CitationEntrySerializer(DescribedByExport, serializers.ModelSerializer):
    export = exports.CITATIONS
    id = serializers.CharField(source="uid", read_only=True, help_text="The citation's id: kind of fact and number.")
    fact = serializers.CharField(source="fact_key", read_only=True)
    source = serializers.CharField(source="source.key", read_only=True)

    class Meta:
        model = CitationEntry
        fields = ["id", "fact_type", "fact_id", "fact", "source", "quote", "location", "note"]
