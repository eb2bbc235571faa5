"""Serializer pieces every list shares: dates at their precision, citations, slugs, one-item-per-line text."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..exports import lines, rfc3339
from ..models import DatePrecision

ISO_PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@extend_schema_field({"type": "string", "nullable": True, "pattern": ISO_PARTIAL_DATE, "example": "2020-10"})
class PartialDateField(serializers.Field):
    """A PartialDate as ISO 8601 at its precision: 2020, 2020-10 or 2020-10-13; null when unknown."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value.isoformat()


@extend_schema_field({"type": "string", "nullable": True, "enum": [str(value) for value in DatePrecision.values]})
class PrecisionField(serializers.Field):
    """How much of that date the source states: year, month or day; null when the date is unknown."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value.precision


def partial_date(attribute, description):
    """The date field and its `_precision` twin, both read from a PartialDateAttribute."""
    return (
        PartialDateField(source=attribute, help_text=description),
        PrecisionField(source=attribute, help_text="year, month or day: how much of the date the source states."),
    )


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class LinesField(serializers.Field):
    """Free text kept one item per line (participants), as a list of those items."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return lines(value).splitlines()


class AliasSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The other name, as written.")
    language = serializers.CharField(help_text="Its BCP 47 language tag: ko, ja, en; und when undetermined.")
    script = serializers.CharField(help_text="Its ISO 15924 script: Hang, Jpan, Latn.")


def alias_list():
    """A record's other names, each with its language and script (the CSV writes `LG유플러스 [ko]`)."""
    return AliasSerializer(many=True, read_only=True)


def slugs(slug_field="slug", **kwargs):
    """Related records named by slug (or code), as a list; the CSV joins them with ' | '."""
    return serializers.SlugRelatedField(many=True, read_only=True, slug_field=slug_field, **kwargs)


def choice_list():
    return serializers.ListField(child=serializers.CharField(), read_only=True)


class MomentField(serializers.DateTimeField):
    """A moment as the CSVs write it: UTC, to the microsecond (RFC 3339)."""

    def to_representation(self, value):
        return rfc3339(value)


class CitationSerializer(serializers.Serializer):
    source = serializers.CharField(source="source.key", help_text="The cited source's key (see /api/v1/sources/).")
    quote = serializers.CharField(help_text="The words of the source that support the fact.")
    location = serializers.CharField(help_text="Where in the source: page, paragraph, section.")
    note = serializers.CharField(help_text="What the source states, in the researcher's words, where no quote fits.")


class CitedSerializer(serializers.ModelSerializer):
    """A fact: its public id, when it last changed, the keys of its sources and the citations themselves."""

    id = serializers.IntegerField(read_only=True, help_text="The fact's public id; stable across edits.")
    changed = MomentField(source="updated_at", read_only=True, help_text="When it last changed (RFC 3339, UTC).")
    sources = serializers.SerializerMethodField(help_text="Keys of the cited sources, each once, in citing order.")
    citations = CitationSerializer(many=True, read_only=True, help_text="Each citation: source, quote, location, note.")

    def get_sources(self, fact) -> list[str]:
        # From the prefetched citations (with_citations), like the CSV's sources column.
        return list({citation.source_id: citation.source.key for citation in fact.citations.all()}.values())
