"""Public views of restrictions, their deadlines, and who still runs covered equipment past one."""

import datetime
from dataclasses import dataclass

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import exports
from .caching import list_cached_until_next_edit, page_cached_until_next_edit
from .filters import DeadlineFilter, PartialDateField, RestrictionFilter
from .models import Deadline, EquipmentUse, PartialDate, Restriction
from .models.dates import add_months
from .views import error_text, filtered_list


@require_safe
@list_cached_until_next_edit
def restriction_list(request, as_csv=False):
    restrictions = Restriction.objects.public_list()
    template = "carriers/restriction_list.html"
    return filtered_list(request, RestrictionFilter, restrictions, template, exports.RESTRICTIONS, as_csv)


@require_safe
@list_cached_until_next_edit
def deadline_list(request, as_csv=False):
    deadlines = Deadline.objects.public_list()
    template = "carriers/deadline_list.html"
    return filtered_list(request, DeadlineFilter, deadlines, template, exports.DEADLINES, as_csv)


class ExposureForm(forms.Form):
    on = PartialDateField(
        required=False,
        label="On",
        help_text="The date to judge by (2026-12-04, 2026-12 or 2026); empty: today.",
        widget=forms.TextInput(attrs={"placeholder": "2026-12-04", "size": 12}),
    )
    within = forms.IntegerField(
        min_value=0,
        max_value=120,
        required=False,
        label="Or falling due within (months)",
        help_text="0: only deadlines already passed.",
    )


@dataclass
class Exposure:
    deadline: Deadline
    use: EquipmentUse
    days_remaining: int


def exposures(deadlines, on, within_months):
    """Each equipment use in force on `on` that a removal deadline passed before it (or due within
    `within_months`) covers: three queries, whatever the number of deadlines."""
    try:
        horizon = add_months(on.first, within_months)
    except ValueError:  # past year 9999: every deadline is due before it
        horizon = datetime.date.max
    due = list(deadlines.requiring_removal().filter(due_by__lt=horizon))
    vendors = {vendor.pk for deadline in due for vendor in deadline.restriction.vendors.all()}
    countries = {deadline.restriction.country_id for deadline in due}
    uses = (
        EquipmentUse.objects.in_use(on)
        .filter(carrier__country__in=countries, vendor__in=vendors)
        .select_related("carrier", "vendor")
        .order_by("carrier__name", "pk")
    )
    uses = list(uses) if due else []
    return [
        Exposure(deadline, use, deadline.days_remaining(on.first))
        for deadline in due
        for use in uses
        if deadline.covers(use)
    ]


@require_safe
@page_cached_until_next_edit
def deadline_exposure(request):
    """Who missed the deadline: carriers that, per the facts in force, still use what a deadline covers."""
    deadlines = Deadline.objects.select_related("restriction__country").prefetch_related("restriction__vendors")
    filterset = DeadlineFilter(request.GET, queryset=deadlines.soonest_first(), request=request)
    form = ExposureForm(request.GET, label_suffix="")
    context = {"filter": filterset, "form": form}
    if not (filterset.is_valid() & form.is_valid()):
        context["errors"] = error_text(filterset.form, form)
        return render(request, "carriers/deadline_exposure.html", context, status=400)
    on = form.cleaned_data["on"] or PartialDate(timezone.localdate())
    context.update(on=on, within=form.cleaned_data["within"] or 0)
    context["exposures"] = exposures(filterset.qs, on, context["within"])
    return render(request, "carriers/deadline_exposure.html", context)
