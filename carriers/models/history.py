"""Edit history (django-simple-history) that records real changes only, and a fact's citations with the fact."""

from django.db import models
from simple_history.models import HistoricalRecords

# Set on every save, so it never tells whether anything changed.
NOT_COMPARED = {"updated_at"}


class ChangeHistory(HistoricalRecords):
    """A version for every change; saving a record without changing it adds none."""

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not kwargs.get("raw", False) and unchanged(instance):
            return
        super().post_save(instance, created, using=using, **kwargs)


class CitedVersion(models.Model):
    """Each version of a fact keeps the fact's citations as they stood, so history shows and reverts them."""

    citations = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True


def newest_version(instance):
    return instance.history.order_by("-history_date", "-history_id").first()


def unchanged(instance):
    newest = newest_version(instance)
    if newest is None or newest.history_type == "-":
        return False
    names = [field.attname for field in newest.tracked_fields if field.attname not in NOT_COMPARED]
    if any(getattr(newest, name) != getattr(instance, name) for name in names):
        return False
    return not isinstance(newest, CitedVersion) or newest.citations == citation_snapshot(instance)


def citation_snapshot(fact):
    """A fact's citations as plain data: source key, location, quote and note, in a stable order."""
    citations = fact.citations.select_related("source") if fact.pk else []
    snapshot = [
        {"source": citation.source.key, "location": citation.location, "quote": citation.quote, "note": citation.note}
        for citation in citations
    ]
    return sorted(snapshot, key=lambda citation: (citation["source"], citation["location"]))


def record_citations(sender, instance, history_instance, **kwargs):
    """pre_create_historical_record: a fact's version holds its citations."""
    if isinstance(history_instance, CitedVersion):
        history_instance.citations = citation_snapshot(instance)
