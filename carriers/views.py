import functools

from django import forms
from django.core.paginator import EmptyPage
from django.db import DatabaseError, connections, router
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import exports
from .caching import (
    CachedCountPaginator,
    UntilNextEdit,
    cached_page,
    chosen_filters,
    list_cached_until_next_edit,
    page_cached_until_next_edit,
)
from .charts import Series, grouped_bar_chart
from .coverage import coverage
from .filters import (
    CarrierFilter,
    CleanLabelFilter,
    CountryFilter,
    CountryPositionFilter,
    EquipmentUseFilter,
    EventFilter,
    InitiativeFilter,
    PartialDateField,
    SourceFilter,
    VendorFilter,
    unknown_parameter_warnings,
)
from .kept.rows import countries_alone
from .models import (
    Carrier,
    CleanLabel,
    Country,
    CountryPosition,
    DataVersion,
    Deadline,
    EquipmentUse,
    Event,
    Initiative,
    PartialDate,
    Restriction,
    Source,
    Vendor,
)
from .models.facts import USING_STATUSES
from .timeline import country_items, timeline
from .worldmap.choropleth import COLUMNS as MAP_COLUMNS
from .worldmap.choropleth import WorldMap

DETAIL_ROWS = 50
NEXT_DEADLINES = 5


class PagingForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)
    page_size = forms.IntegerField(min_value=1, max_value=500, required=False)

    def clean_page(self):
        return self.cleaned_data["page"] or 1

    def clean_page_size(self):
        return self.cleaned_data["page_size"] or 50


def filtered_list(request, filterset_class, queryset, template_name, export, as_csv):
    """Render or stream one public list; malformed filters get a 400 that says what is wrong."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    paging = PagingForm(request.GET)
    valid = filterset.is_valid() & paging.is_valid()
    if as_csv:
        if not valid:
            return HttpResponse(
                error_text(filterset.form, paging), status=400, content_type="text/plain; charset=utf-8"
            )
        countries = filterset.form.cleaned_data.get("country") or []
        return export.response(
            request,
            filterset.qs,
            filename_parts=[country.code for country in countries],
            byte_order_mark=request.GET.get("bom") == "1",
            countries=countries_alone(filterset),
        )
    query = csv_query(request)
    context = {
        "filter": filterset,
        "paging": paging,
        "page_obj": None,
        "export": export,
        "csv_url": request.path.rstrip("/") + ".csv",
        "csv_query": query,
        "feed_url": feed_url(request),
        "warnings": unknown_parameter_warnings(filterset_class, request.GET),
    }
    if not valid:
        filterset.offer_only_chosen()
        return render(request, template_name, context, status=400)
    # Keyed by what the filters mean, not how the query spells it, so equivalent queries share one entry.
    chosen = chosen_filters(filterset)
    page, page_size = paging.cleaned_data["page"], paging.cleaned_data["page_size"]

    def render_page():
        cached = UntilNextEdit(request, request.path, chosen)
        facets = cached.get("facets", filterset.facet_counts)
        paginator = CachedCountPaginator(filterset.qs, page_size, cached, counted=facets.total)
        try:
            context["page_obj"] = paginator.page(page)
        except EmptyPage as error:
            raise Http404("No such page.") from error
        filterset.show_facet_counts(facets)
        return render(request, template_name, context)

    return cached_page(request, (request.path, chosen, page, page_size, *context["warnings"]), render_page)


def error_text(*forms_with_errors):
    return "\n".join(
        f"{field}: {' '.join(messages)}" for form in forms_with_errors for field, messages in form.errors.items()
    )


def feed_url(request):
    """The list's Atom feed of changes (it takes the same query string), or "" for a list without one."""
    match = request.resolver_match
    try:
        return reverse(f"{match.namespace}:{match.url_name.removesuffix('-list')}-feed")
    except NoReverseMatch:
        return ""


def csv_query(request):
    query = request.GET.copy()
    for name in ("page", "page_size", "bom"):  # the page offers the CSV with and without a byte order mark
        query.pop(name, None)
    return query.urlencode()


@require_safe
@list_cached_until_next_edit
def carrier_list(request, as_csv=False):
    carriers = Carrier.objects.public_list()
    return filtered_list(request, CarrierFilter, carriers, "carriers/carrier_list.html", exports.CARRIERS, as_csv)


@require_safe
@list_cached_until_next_edit
def equipment_list(request, as_csv=False):
    uses = EquipmentUse.objects.public_list()
    template = "carriers/equipment_list.html"
    return filtered_list(request, EquipmentUseFilter, uses, template, exports.EQUIPMENT_USES, as_csv)


@require_safe
@list_cached_until_next_edit
def label_list(request, as_csv=False):
    labels = CleanLabel.objects.public_list()
    return filtered_list(request, CleanLabelFilter, labels, "carriers/label_list.html", exports.CLEAN_LABELS, as_csv)


@require_safe
@list_cached_until_next_edit
def position_list(request, as_csv=False):
    positions = CountryPosition.objects.public_list()
    template = "carriers/position_list.html"
    return filtered_list(request, CountryPositionFilter, positions, template, exports.COUNTRY_POSITIONS, as_csv)


@require_safe
@list_cached_until_next_edit
def source_list(request, as_csv=False):
    return filtered_list(
        request,
        SourceFilter,
        Source.objects.public_list(),
        "carriers/source_list.html",
        exports.SOURCES,
        as_csv,
    )


@require_safe
@list_cached_until_next_edit
def country_list(request, as_csv=False):
    countries = Country.objects.public_list()
    return filtered_list(request, CountryFilter, countries, "carriers/country_list.html", exports.COUNTRIES, as_csv)


@require_safe
@list_cached_until_next_edit
def vendor_list(request, as_csv=False):
    vendors = Vendor.objects.public_list()
    return filtered_list(request, VendorFilter, vendors, "carriers/vendor_list.html", exports.VENDORS, as_csv)


@require_safe
@list_cached_until_next_edit
def initiative_list(request, as_csv=False):
    initiatives = Initiative.objects.public_list()
    template = "carriers/initiative_list.html"
    return filtered_list(request, InitiativeFilter, initiatives, template, exports.INITIATIVES, as_csv)


@require_safe
@list_cached_until_next_edit
def event_list(request, as_csv=False):
    events = Event.objects.public_list()
    return filtered_list(request, EventFilter, events, "carriers/event_list.html", exports.EVENTS, as_csv)


class AsOfForm(forms.Form):
    as_of = PartialDateField(label="As of", required=False)


def dated(view):
    """Call `view` with `as_of`: the ?as_of= day, month or year, or today; a malformed date gets a 400 saying so."""

    @functools.wraps(view)
    def dated_view(request, *args, **kwargs):
        form = AsOfForm(request.GET)
        if not form.is_valid():
            return render(request, "carriers/bad_date.html", {"form": form}, status=400)
        as_of = form.cleaned_data["as_of"] or PartialDate(timezone.localdate())
        return view(request, *args, as_of=as_of, **kwargs)

    return dated_view


@require_safe
@page_cached_until_next_edit
@dated
def dashboard(request, as_of):
    return render(request, "carriers/dashboard.html", dashboard_figures(as_of))


def dashboard_figures(as_of):
    # Countries without carriers are left out here: a filter in SQL would count every country's carriers twice.
    exposure = Country.objects.with_exposure(on=as_of).order_by("-carrier_count", "name")
    countries = [country for country in exposure if country.carrier_count]
    initiatives = list(
        Initiative.objects.annotate(position_count=Count("positions"))
        .filter(position_count__gt=0)
        .order_by("-position_count", "name")[:5]
    )
    stances = CountryPosition.objects.until(as_of).latest_stances(initiatives)
    for country in countries:
        country.stances = [stances.get((country.code, initiative.pk)) for initiative in initiatives]
    chart = grouped_bar_chart(
        countries[:12],
        "name",
        [
            Series("carrier_count", "Carriers tracked", "bar-total"),
            Series("targeted_carrier_count", "Using a targeted vendor", "bar-targeted"),
            Series("labelled_carrier_count", "Labelled clean", "bar-clean"),
        ],
    )
    # Every carrier is in one country: the world's counts are the countries' sums, not three more scans.
    headline = {
        "carriers": sum(country.carrier_count for country in countries),
        "targeted_carriers": sum(country.targeted_carrier_count for country in countries),
        "labelled_carriers": sum(country.labelled_carrier_count for country in countries),
        "equipment_uses": EquipmentUse.objects.count_in_force(as_of)[1],
    }
    upcoming = Deadline.objects.due_since(as_of).select_related("restriction__country")
    return {
        "countries": countries,
        "initiatives": initiatives,
        "chart": chart,
        "headline": headline,
        "as_of": as_of,
        "next_deadlines": upcoming.soonest_first()[:NEXT_DEADLINES],
        "upcoming_total": upcoming.count(),
        "world_map": WorldMap.of(as_of),
    }


@require_safe
@page_cached_until_next_edit
@dated
def country_detail(request, code, as_of):
    # One address per country: /countries/kr/ is KR's page; a key no country has in capitals is not found.
    if code != code.upper() and Country.objects.filter(code=code.upper()).exists():
        query = request.META.get("QUERY_STRING")
        url = reverse("carriers:country-detail", args=[code.upper()])
        return redirect(f"{url}?{query}" if query else url, permanent=True)
    country = get_object_or_404(Country.objects.with_exposure(on=as_of), code=code)
    # The latest positions and events, listed and drawn on the timeline: a country's page stays one size
    # however much is recorded (its lists link to the rest).
    positions = list(
        country.positions.until(as_of)
        .select_related("initiative", "event")
        .with_citations()
        .with_total()
        .order_by("-stated_on", "initiative__name", "-pk")[:DETAIL_ROWS]
    )
    events = list(country.events.until(as_of).with_citations().with_total()[:DETAIL_ROWS])
    restrictions = list(
        country.restrictions.decided_by(as_of)
        .prefetch_related("vendors", Prefetch("deadlines", Deadline.objects.soonest_first()))
        .with_citations()
    )
    deadlines = [deadline for restriction in restrictions for deadline in restriction.deadlines.all()]
    context = {
        "country": country,
        "as_of": as_of,
        "carriers": country.carriers.with_summary(on=as_of)[:DETAIL_ROWS],
        "positions": positions,
        "position_total": positions[0].total if positions else 0,
        "events": events,
        "event_total": events[0].total if events else 0,
        "restrictions": restrictions,
        "timeline": timeline(country_items(positions, events, restrictions, deadlines), as_of.first),
    }
    return render(request, "carriers/country_detail.html", context)


@require_safe
@page_cached_until_next_edit
@dated
def carrier_detail(request, slug, as_of):
    carrier = get_object_or_404(Carrier.objects.select_related("country"), slug=slug)
    # The first facts by segment and technology: a carrier's page stays one size however much is recorded
    # (it links to the rest).
    uses = list(
        carrier.equipment_uses.select_related("vendor")
        .with_citations()
        .with_total()
        .order_by("segment", "technology", "valid_from", "vendor__name")[:DETAIL_ROWS]
    )
    context = {
        "carrier": carrier,
        "as_of": as_of,
        "uses": uses,
        "use_total": uses[0].total if uses else 0,
        "in_force_total": carrier.equipment_uses.valid_on(as_of).count(),
        "labels": carrier.clean_labels.select_related("initiative").with_citations(),
    }
    return render(request, "carriers/carrier_detail.html", context)


@require_safe
@page_cached_until_next_edit
@dated
def vendor_detail(request, slug, as_of):
    vendor = get_object_or_404(Vendor.objects.select_related("headquarters"), slug=slug)
    use_total, in_force_total = vendor.count_equipment_in_force(as_of)
    context = {
        "vendor": vendor,
        "as_of": as_of,
        "initiatives": vendor.targeting_initiatives.select_related("sponsor"),
        "by_country": vendor.footprint(on=as_of),
        "using_statuses": USING_STATUSES,
        "uses": vendor.equipment_uses.select_related("carrier__country").with_citations()[:DETAIL_ROWS],
        "use_total": use_total,
        "in_force_total": in_force_total,
        "restrictions": Restriction.objects.naming_vendor(vendor)
        .decided_by(as_of)
        .select_related("country")
        .order_by("country__name", "-decided_on", "pk"),
    }
    return render(request, "carriers/vendor_detail.html", context)


@require_safe
@page_cached_until_next_edit
def initiative_detail(request, slug):
    initiative = get_object_or_404(Initiative.objects.select_related("sponsor"), slug=slug)
    labels = initiative.clean_labels.select_related("carrier__country").with_citations()
    context = {
        "initiative": initiative,
        "vendors": initiative.targeted_vendors.all(),
        "positions": initiative.positions.select_related("country", "event").with_citations()[:DETAIL_ROWS],
        "labels": labels[:DETAIL_ROWS],
        "label_total": initiative.clean_labels.count(),
    }
    return render(request, "carriers/initiative_detail.html", context)


@require_safe
@page_cached_until_next_edit
def source_detail(request, pk):
    source = get_object_or_404(Source, pk=pk)
    context = {
        "source": source,
        "equipment_uses": EquipmentUse.objects.cited_by(source).select_related("carrier", "vendor")[:DETAIL_ROWS],
        "labels": CleanLabel.objects.cited_by(source).select_related("carrier", "initiative")[:DETAIL_ROWS],
        "positions": CountryPosition.objects.cited_by(source).select_related("country", "initiative")[:DETAIL_ROWS],
        "events": Event.objects.cited_by(source)[:DETAIL_ROWS],
    }
    return render(request, "carriers/source_detail.html", context)


@require_safe
def healthz(request):
    """200 when the database this request reads from answers (a replica, for a public read), else 503."""
    try:
        with connections[router.db_for_read(DataVersion)].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
@page_cached_until_next_edit
def coverage_page(request):
    rows = coverage()
    covered = [row for row in rows if row.covered]
    context = {"covered": covered, "uncovered": [row for row in rows if not row.covered]}
    return render(request, "carriers/coverage.html", context)


@require_safe
@page_cached_until_next_edit
def data_dictionary(request):
    return render(request, "carriers/data_dictionary.html", {"exports": exports.ALL, "map_columns": MAP_COLUMNS})
