"""HTTP caching from the data version: the same ETag until the next edit, 304 when the client has it."""

from django.apps import apps
from django.db.models import Max
from django.utils import timezone
from django.views.decorators.http import condition
from simple_history.models import HistoricalChanges

from ..caching import UntilNextEdit


def etag(request, *args, **kwargs):
    # Dated too: days remaining and "today" figures move on at midnight without an edit.
    version = UntilNextEdit(request).version
    return f'"v{version}-{timezone.localdate().isoformat()}"'


def last_modified(request, *args, **kwargs):
    """When the data last changed: the newest version any public record's history holds."""
    return UntilNextEdit(request, "api").get("last-modified", latest_change) or None


def latest_change():
    """One query: the newest history_date of every history table, UNION ALL'd; False when none has a row."""
    models = [
        model
        for model in apps.get_app_config("carriers").get_models()
        if issubclass(model, HistoricalChanges) and any(field.name == "history_date" for field in model._meta.fields)
    ]
    newest = [model.objects.order_by().values_list(Max("history_date")) for model in models]
    times = [time for (time,) in newest[0].union(*newest[1:], all=True) if time]
    return max(times, default=False)


conditional_on_data_version = condition(etag_func=etag, last_modified_func=last_modified)
