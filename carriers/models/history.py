"""Edit history (django-simple-history) that records real changes only, one version per edit, and a fact's
citations with the fact."""

from django.db import connection, models, transaction
from simple_history.models import HistoricalRecords

# Set on every save, or by the database from the citations a version holds itself: neither tells what changed.
NOT_COMPARED = {"updated_at", "cited_sources"}


class ChangeHistory(HistoricalRecords):
    """A version for every change; saving a record without changing it adds none."""

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not kwargs.get("raw", False) and unchanged(instance):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        """Links set in the edit that saved the record (the admin's form, a restore) belong to that version."""
        version = version_of_this_edit(instance)
        if version is None or action not in ("post_add", "post_remove", "post_clear"):
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        for field in version._history_m2m_fields:
            self.m2m_models[field].objects.filter(history=version).delete()
        self.create_historical_record_m2ms(version, instance)


# An edit is one atomic block: what a record's object gains in it after its save (many-to-many links, a
# fact's citations) completes the version that save recorded, rather than adding versions of their own.
# A nested atomic block (a savepoint) is another edit; so is anything after the commit.
EDIT_VERSION = "_version_of_this_edit"


def remember_version_of_edit(sender, instance, history_instance, **kwargs):
    """post_create_historical_record: the record's object keeps its new version while its atomic block lasts."""
    if not connection.in_atomic_block:
        return
    setattr(instance, EDIT_VERSION, (history_instance, current_savepoints()))
    transaction.on_commit(lambda: instance.__dict__.pop(EDIT_VERSION, None))


def version_of_this_edit(instance):
    version, block = getattr(instance, EDIT_VERSION, (None, None))
    if version is None or version.history_type == "-" or block != current_savepoints():
        return None
    return version


def current_savepoints():
    # Atomic blocks without a savepoint (Django's own, around a save or a many-to-many set) stand as None.
    return tuple(savepoint for savepoint in connection.savepoint_ids if savepoint is not None)


def fold_citation_into_edit(sender, instance, **kwargs):
    """post_save of a citation: cited in the edit that saved its fact (same object), it joins that version."""
    fact = instance._state.fields_cache.get("fact")
    version = version_of_this_edit(fact) if fact is not None else None
    if isinstance(version, CitedVersion):
        version.citations = citation_snapshot(fact)
        version.save(update_fields=["citations"])


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
    return snapshot_of(fact.citations.select_related("source") if fact.pk else [])


def snapshot_of(citations):
    snapshot = [
        {"source": citation.source.key, "location": citation.location, "quote": citation.quote, "note": citation.note}
        for citation in citations
    ]
    return sorted(snapshot, key=lambda citation: (citation["source"], citation["location"]))


def record_citations(sender, instance, history_instance, **kwargs):
    """pre_create_historical_record: a fact's version holds its citations."""
    if isinstance(history_instance, CitedVersion):
        # A fact's first version comes with its insert, before any citation can point at it.
        history_instance.citations = [] if history_instance.history_type == "+" else citation_snapshot(instance)
