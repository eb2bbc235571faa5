"""Edit history in the admin: every record keeps its versions, a fact's citations included; reverting is for
those who may delete."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.shortcuts import redirect
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .history import restore_citations, settle_citations


class ResearchAdmin(SimpleHistoryAdmin):
    """Every record keeps its edit history; reverting to an old version is for those who may delete."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def revert_disabled(self, request, obj=None):
        return not self.has_delete_permission(request, obj) or super().revert_disabled(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request.edit_started = timezone.now()
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if hasattr(form.instance, "citations"):
            settle_citations(form.instance, since=getattr(request, "edit_started", None))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        if request.method != "POST" or not hasattr(self.model, "citations"):
            return super().history_form_view(request, object_id, version_id, extra_context)
        started = timezone.now()
        try:
            with transaction.atomic():
                response = super().history_form_view(request, object_id, version_id, extra_context)
                if response.status_code == 302:  # reverted: the citations go back to that version's too
                    fact = self.model.objects.get(pk=object_id)
                    restore_citations(fact, self.model.history.get(history_id=version_id).citations)
                    settle_citations(fact, since=started)
        except ValidationError as error:
            messages.error(request, f"Nothing was reverted: {' '.join(error.messages)}")
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", object_id)
        return response

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        for newer, older in zip(records, records[1:], strict=False):
            if getattr(newer, "citations", None) is not None and newer.citations != older.citations:
                change = {"field": "citations", "old": describe(older.citations), "new": describe(newer.citations)}
                newer.history_delta_changes = [*getattr(newer, "history_delta_changes", []), change]


def describe(snapshot):
    """A version's citations, one per line: source key, location and quote."""
    return (
        "\n".join(
            f"{item['source']}{' (' + item['location'] + ')' if item['location'] else ''}: "
            f"“{item['quote'] or item['note']}”"
            for item in snapshot
        )
        or "none"
    )
