"""Versions of records (django-simple-history): restoring deleted records, and a fact's citations in its versions."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import get_m2m_reverse_field_name

from .models import Source
from .models.history import citation_snapshot, newest_version

RESTORED = "Restored from history"


def tracked_models():
    """The app's own models, each with an edit history (not the history tables themselves)."""
    return [
        model
        for model in apps.get_app_config("carriers").get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    ]


def deleted_records(model):
    """The latest deletion entry of each record of `model` that is still gone, newest first."""
    pk = model._meta.pk.attname
    later = model.history.filter(**{pk: OuterRef(pk), "history_id__gt": OuterRef("history_id")})
    return (
        model.history.filter(history_type="-")
        .exclude(**{f"{pk}__in": model.objects.values("pk")})
        .exclude(Exists(later))
        .order_by("-history_date", "-history_id")
    )


@transaction.atomic
def restore(model, history_id):
    """Re-create a deleted record as it was, with its many-to-many links and, for a fact, its citations."""
    record = deleted_records(model).get(history_id=history_id)
    pk = model._meta.pk.attname
    # The state before deletion holds the many-to-many links; read it before saving adds a newer entry.
    last_state = (
        model.history.filter(**{pk: getattr(record, pk)})
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )
    instance = record.instance
    # Someone may have recorded the same fact, or reused the slug, since: say so rather than fail.
    instance.validate_unique()
    instance.validate_constraints()
    instance._change_reason = RESTORED
    started = timezone.now()
    instance.save(force_insert=True)
    for field in model.history.model._history_m2m_fields:
        links = getattr(last_state, field.name).all() if last_state else []
        getattr(instance, field.name).set([getattr(link, get_m2m_reverse_field_name(field)) for link in links])
    if hasattr(model, "citations"):
        restore_deleted_citations(instance, last_state.citations if last_state else [])
        settle_citations(instance, since=started)  # into the restored version: one restore, one version
    return instance


def restore_deleted_citations(fact, snapshot):
    """Bring back the citations a deleted fact had (under their old ids where their entries allow)."""
    citation_model = fact.citations.model
    gone = deleted_records(citation_model).filter(fact_id=fact.pk)
    if not snapshot:  # a version from before versions held citations: every citation deleted with the fact
        entries = list(gone)
    else:
        entries = []
        for item in snapshot:
            source = Source.objects.filter(key=item["source"]).first()
            entry = gone.filter(source_id=getattr(source, "pk", None), location=item["location"]).first()
            if entry is None:
                restore_citations(fact, snapshot)
                return
            entries.append(entry)
    for entry in entries:
        citation = entry.instance
        citation._change_reason = RESTORED
        citation.save(force_insert=True)


def restore_citations(fact, snapshot):
    """Make a fact's citations those of `snapshot` (an earlier version's): change, add and remove as needed."""
    wanted = {(item["source"], item["location"]): item for item in snapshot}
    for citation in fact.citations.select_related("source"):
        item = wanted.pop((citation.source.key, citation.location), None)
        if item is None:
            citation.delete()
        elif (citation.quote, citation.note) != (item["quote"], item["note"]):
            citation.quote, citation.note = item["quote"], item["note"]
            citation.save()
    for (key, location), item in wanted.items():
        source = Source.objects.filter(key=key).first()
        if source is None:
            raise ValidationError(f"That version cites the source “{key}”, which no longer exists: restore it first.")
        fact.citations.create(source=source, location=location, quote=item["quote"], note=item["note"])


def settle_citations(fact, since):
    """After an edit that may have changed a fact's citations, its newest version holds them.

    A version recorded by this edit (at or after `since`) is completed; otherwise a new one is recorded.
    """
    newest = newest_version(fact)
    current = citation_snapshot(fact)
    if newest is not None and newest.citations == current:
        return
    if newest is not None and since is not None and newest.history_date >= since:
        newest.citations = current
        newest.save(update_fields=["citations"])
    else:
        fact.save()
