from django.urls import path

from . import admin_views, change_views, citation_views, feeds, restriction_views, search, views
from .releases import views as release_views
from .worldmap import views as map_views

app_name = "carriers"


def list_and_csv(prefix, view, name, feed=None):
    """A list page and its CSV twin, which takes the same query string, and its Atom feed of changes if any."""
    return [
        path(f"{prefix}/", view, name=f"{name}-list"),
        path(f"{prefix}.csv", view, {"as_csv": True}, name=f"{name}-csv"),
        *([path(f"{prefix}.atom", feed, name=f"{name}-feed")] if feed else []),
    ]


urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("map/", map_views.map_page, name="map"),
    path("search/", search.search_page, name="search"),
    path("map.csv", map_views.map_data, {"fmt": "csv"}, name="map-csv"),
    path("map.json", map_views.map_data, {"fmt": "json"}, name="map-json"),
    *list_and_csv("countries", views.country_list, "country", feeds.list_feed("countries")),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    *list_and_csv("carriers", views.carrier_list, "carrier", feeds.list_feed("carriers")),
    path("carriers/<slug:slug>/", views.carrier_detail, name="carrier-detail"),
    *list_and_csv("vendors", views.vendor_list, "vendor", feeds.list_feed("vendors")),
    path("vendors/<slug:slug>/", views.vendor_detail, name="vendor-detail"),
    *list_and_csv("initiatives", views.initiative_list, "initiative", feeds.list_feed("initiatives")),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative-detail"),
    *list_and_csv("equipment", views.equipment_list, "equipment", feeds.list_feed("equipment")),
    *list_and_csv("events", views.event_list, "event", feeds.list_feed("events")),
    *list_and_csv("labels", views.label_list, "label", feeds.list_feed("labels")),
    *list_and_csv("positions", views.position_list, "position", feeds.list_feed("positions")),
    *list_and_csv("restrictions", restriction_views.restriction_list, "restriction", feeds.list_feed("restrictions")),
    *list_and_csv("deadlines", restriction_views.deadline_list, "deadline", feeds.list_feed("deadlines")),
    path("deadlines/exposure/", restriction_views.deadline_exposure, name="deadline-exposure"),
    *list_and_csv("sources", views.source_list, "source", feeds.list_feed("sources")),
    path("sources/<int:pk>/", views.source_detail, name="source-detail"),
    *list_and_csv("citations", citation_views.citation_list, "citation"),
    path("changes/", change_views.change_list, name="change-list"),
    path("changes.atom", feeds.change_feed, name="change-feed"),
    path("about/data/", views.data_dictionary, name="data-dictionary"),
    path("about/coverage/", views.coverage_page, name="coverage"),
    path("healthz", views.healthz, name="healthz"),
    path("releases/", release_views.release_list, name="release-list"),
    path("releases/make/", admin_views.make_release, name="release-make"),
    path("releases/<int:number>/", release_views.release_detail, name="release-detail"),
    path("releases/<int:number>/download/", release_views.release_download, name="release-download"),
    path("releases/<int:number>/CITATION.cff", release_views.release_citation, name="release-citation"),
]
