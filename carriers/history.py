"""Bringing back deleted records from their edit history (django-simple-history)."""

from django.apps import apps
from django.db import transaction
from simple_history.utils import get_m2m_reverse_field_name

RESTORED = "Restored from history"


def tracked_models():
    """The app's own models, each with an edit history (not the history tables themselves)."""
    return [
        model
        for model in apps.get_app_config("carriers").get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    ]


def deleted_records(model):
    """Deletion entries of `model` whose record is still gone, newest first."""
    pk = model._meta.pk.attname
    return (
        model.history.filter(history_type="-")
        .exclude(**{f"{pk}__in": model.objects.values("pk")})
        .order_by("-history_date")
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
    # Someone may have recorded the same fact again since: say so rather than fail on the constraint.
    instance.validate_constraints()
    instance._change_reason = RESTORED
    instance.save(force_insert=True)
    for field in model.history.model._history_m2m_fields:
        links = getattr(last_state, field.name).all() if last_state else []
        getattr(instance, field.name).set([getattr(link, get_m2m_reverse_field_name(field)) for link in links])
    if hasattr(model, "citations"):
        citation_model = model.citations.rel.related_model
        for citation in deleted_records(citation_model).filter(fact_id=instance.pk):
            if not citation_model.objects.filter(pk=citation.pk).exists():
                restored = citation.instance
                restored._change_reason = RESTORED
                restored.save(force_insert=True)
    return instance
