"""Atom feeds of changes: /changes.atom, and one per public list that follows its filtered view.

`/equipment.atom?country=KR&vendor=huawei` takes the list page's own query string and FilterSet: "tell me
when anything about Huawei in Korea changes".
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe

from .caching import cached_page
from .change_filters import ChangeFilter
from .change_kinds import KIND
from .changes import Change, describe, list_changes
from .filters import (
    CarrierFilter,
    CleanLabelFilter,
    CountryFilter,
    CountryPositionFilter,
    DeadlineFilter,
    EquipmentUseFilter,
    EventFilter,
    InitiativeFilter,
    RestrictionFilter,
    SourceFilter,
    VendorFilter,
)
from .views import csv_query, error_text

FEED_ENTRIES = 50
# A tag URI names its authority with a date it held the name; entry ids must never change.
TAG_DATE = "2026"


@dataclass
class Subscription:
    """What one feed request follows: its title, the page it mirrors, and the newest changes."""

    title: str
    link: str
    address: str
    entries: list


@dataclass
class Entry:
    change: Change
    id: str


class ChangeFeed(Feed):
    """Entries of changes (newest first) selected by a FilterSet over the query string; a malformed one gets a
    400 naming the parameter, as the CSV downloads do."""

    feed_type = Atom1Feed
    author_name = "Vendor-exposure tracker"

    def __call__(self, request, *args, **kwargs):
        filterset = self.filterset(request)
        if not filterset.is_valid():
            return HttpResponse(error_text(filterset.form), status=400, content_type="text/plain; charset=utf-8")
        return super().__call__(request, filterset=filterset)

    def get_object(self, request, filterset):
        host, _ = split_domain_port(request.get_host())
        query = csv_query(request)
        changes = describe(self.changes(filterset)[:FEED_ENTRIES])
        words = ", ".join(
            f"{name} {value}"
            for name in filterset.filters
            if name != "ordering"
            for value in request.GET.getlist(name)
            if value
        )
        return Subscription(
            title=f"{self.heading}: {words}" if words else self.heading,
            link=self.page_url() + (f"?{query}" if query else ""),
            address=request.get_full_path(),
            entries=[
                Entry(change, f"tag:{host},{TAG_DATE}:changes/{change.kind.name}/{change.history_id}")
                for change in changes
            ],
        )

    def title(self, subscription):
        return subscription.title

    def link(self, subscription):
        return subscription.link

    def feed_url(self, subscription):
        return subscription.address

    def items(self, subscription):
        return subscription.entries

    def item_title(self, entry):
        return f"{entry.change.title}: {entry.change.action}"

    def item_description(self, entry):
        return escape(entry.change.summary)

    def item_link(self, entry):
        return entry.change.url

    def item_guid(self, entry):
        return entry.id

    def item_updateddate(self, entry):
        return entry.change.when

    def item_pubdate(self, entry):
        return entry.change.when

    def item_categories(self, entry):
        return [entry.change.kind.name]


class AllChangesFeed(ChangeFeed):
    heading = "Changes"

    def filterset(self, request):
        return ChangeFilter(request.GET, request=request)

    def changes(self, filterset):
        return filterset.changes()

    def page_url(self):
        return reverse("carriers:change-list")


class ListFeed(ChangeFeed):
    """The changes of one public list's filtered view: see `list_changes` for the removals it includes."""

    def __init__(self, kind, filterset_class):
        super().__init__()
        self.kind = kind
        self.filterset_class = filterset_class
        self.heading = f"{kind.label} changes"

    def filterset(self, request):
        return self.filterset_class(request.GET, queryset=self.kind.model.objects.public_list(), request=request)

    def changes(self, filterset):
        chosen = filterset.form.cleaned_data
        return list_changes(self.kind, filterset.qs, chosen.get("country"), chosen.get("vendor"))

    def page_url(self):
        return self.kind.list_url()


def cached_until_next_edit(feed):
    """Serve a feed from the cache until the next edit, kept per host: its entry ids and links name it."""

    @require_safe
    def cached_feed(request):
        return cached_page(request, ("feed", request.build_absolute_uri()), lambda: feed(request))

    return cached_feed


LIST_FILTERS = {
    "countries": CountryFilter,
    "carriers": CarrierFilter,
    "vendors": VendorFilter,
    "initiatives": InitiativeFilter,
    "equipment": EquipmentUseFilter,
    "events": EventFilter,
    "labels": CleanLabelFilter,
    "positions": CountryPositionFilter,
    "restrictions": RestrictionFilter,
    "deadlines": DeadlineFilter,
    "sources": SourceFilter,
}

change_feed = cached_until_next_edit(AllChangesFeed())


def list_feed(name):
    """The feed of the public list `name` (its address: equipment, countries, …)."""
    return cached_until_next_edit(ListFeed(KIND[name], LIST_FILTERS[name]))
