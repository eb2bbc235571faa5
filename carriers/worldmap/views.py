"""The world map page and its data as CSV and JSON: one query string, one set of readings."""

import functools

from django import forms
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from carriers import spreadsheet
from carriers.caching import UntilNextEdit, page_cached_until_next_edit
from carriers.exports import csv_line
from carriers.models import Initiative, PartialDate
from carriers.views import AsOfForm, error_text

from .choropleth import COLUMNS, WorldMap
from .measures import DEFAULT_MEASURE, MEASURES


class MapForm(AsOfForm):
    measure = forms.ChoiceField(
        choices=[(measure.slug, measure.title) for measure in MEASURES.values()], required=False, label="Colour by"
    )
    initiative = forms.ModelChoiceField(
        Initiative.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=None,
        label="Initiative, for stances",
    )


def mapped(view):
    """Call `view` with the map its query string asks for; a malformed parameter gets a 400 saying which."""

    @functools.wraps(view)
    def mapped_view(request, fmt="html"):
        form = MapForm(request.GET)
        if not form.is_valid():
            if fmt == "html":
                return render(request, "carriers/bad_date.html", {"form": form}, status=400)
            return HttpResponse(error_text(form), status=400, content_type="text/plain; charset=utf-8")
        chosen = form.cleaned_data
        world = WorldMap.of(
            chosen["as_of"] or PartialDate(timezone.localdate()),
            chosen["measure"] or DEFAULT_MEASURE,
            chosen["initiative"],
            # Dated too: "as of today" readings move on at midnight without an edit.
            cached=UntilNextEdit(request, "world-map", timezone.localdate()),
        )
        return view(request, world, fmt)

    return mapped_view


@require_safe
@page_cached_until_next_edit
@mapped
def map_page(request, world, fmt):
    form = MapForm(
        initial={
            "measure": world.measure.slug,
            "initiative": world.initiative and world.initiative.slug,
            "as_of": world.as_of.isoformat(),
        }
    )
    return render(request, "carriers/world_map.html", {"map": world, "form": form})


@require_safe
@mapped
def map_data(request, world, fmt):
    """The map's rows as JSON or as a CSV download, every cell escaped for spreadsheets."""
    if fmt == "json":
        meta = {"measure": world.measure.slug, "initiative": world.initiative and world.initiative.slug}
        return JsonResponse({**meta, "as_of": world.as_of.isoformat(), "rows": world.rows()})
    cells = ([spreadsheet.escape(row[name]) for name in COLUMNS] for row in world.rows())
    response = HttpResponse("".join(map(csv_line, [list(COLUMNS), *cells])), content_type="text/csv; charset=utf-8")
    filename = f"map-{world.measure.slug}-{world.as_of.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
