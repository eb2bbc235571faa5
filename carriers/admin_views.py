"""Staff pages beside the admin: the data-quality report and the deleted records that can be restored."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from . import history, quality
from .releases.storage import make_release as write_release

ROWS_PER_CHECK = 50


class QualityForm(forms.Form):
    years = forms.IntegerField(
        min_value=1, max_value=100, required=False, label="Sources older than (years)", initial=5
    )


def change_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


@require_safe
@staff_member_required
def quality_report(request):
    form = QualityForm(request.GET)
    if not form.is_valid():
        context = {**admin.site.each_context(request), "form": form, "checks": [], "title": "Data quality"}
        return render(request, "admin/carriers/quality_report.html", context, status=400)
    checks = quality.checks(form.cleaned_data["years"] or 5)
    for check in checks:
        check.rows = [
            (record, change_url(record)) for queryset in check.querysets for record in queryset[:ROWS_PER_CHECK]
        ]
    context = {**admin.site.each_context(request), "form": form, "checks": checks, "title": "Data quality"}
    return render(request, "admin/carriers/quality_report.html", context)


@require_safe
@staff_member_required
def deleted_records(request):
    groups = []
    # Citations come back with their fact, so only records edited on their own admin pages are listed.
    for model in filter(admin.site.is_registered, history.tracked_models()):
        records = list(history.deleted_records(model).select_related("history_user")[:ROWS_PER_CHECK])
        if records:
            may_restore = request.user.has_perm(f"carriers.delete_{model._meta.model_name}")
            groups.append({"model": model._meta, "records": records, "may_restore": may_restore})
    context = {**admin.site.each_context(request), "groups": groups, "title": "Deleted records"}
    return render(request, "admin/carriers/deleted_records.html", context)


@require_POST
@staff_member_required
def restore_record(request, model_name, history_id):
    restorable = {
        model._meta.model_name: model for model in history.tracked_models() if admin.site.is_registered(model)
    }
    model = restorable.get(model_name.lower())
    if model is None:
        raise Http404("No such kind of record.")
    if not request.user.has_perm(f"carriers.delete_{model._meta.model_name}"):
        raise PermissionDenied
    try:
        restored = history.restore(model, history_id)
    except model.history.model.DoesNotExist as error:
        raise Http404("No such deleted record.") from error
    except ValidationError as error:
        messages.error(
            request,
            f"Cannot restore this {model._meta.verbose_name}: {' '.join(error.messages)} "
            "Edit the record that now holds that name or slug (or delete it if it repeats this one), "
            "then restore this one again.",
        )
        return redirect("deleted-records")
    LogEntry.objects.log_actions(
        request.user.pk, [restored], ADDITION, change_message=history.RESTORED, single_object=True
    )
    messages.success(request, f"Restored {model._meta.verbose_name} “{restored}”.")
    return redirect(change_url(restored))


@require_POST
@staff_member_required
def make_release(request):
    """The admin's "Make a release" button: Editors only (setup_roles gives them carriers.add_release)."""
    if not request.user.has_perm("carriers.add_release"):
        raise PermissionDenied
    release = write_release()
    messages.success(request, f"Made release {release.number}: {release.rows:,} rows in {len(release.tables)} files.")
    return redirect(release)
