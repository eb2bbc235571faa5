from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import docs, views

app_name = "api"


def list_and_record(prefix, viewset):
    """A list taking the page's query string, and one record by its id: GET and HEAD only."""
    name = prefix.rstrip("s") if prefix != "equipment" else prefix
    return [
        path(f"{prefix}/", viewset.as_view({"get": "list"}), name=f"{name}-list"),
        path(
            f"{prefix}/<{viewset.path_converter}:{viewset.lookup_field}>/",
            viewset.as_view({"get": "retrieve"}),
            name=f"{name}-detail",
        ),
    ]


urlpatterns = [
    path("", docs.api_docs, name="docs"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    *[pattern for prefix, viewset in views.ALL.items() for pattern in list_and_record(prefix, viewset)],
]
