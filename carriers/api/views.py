"""Read-only endpoints, one list and one record per public list: the pages' querysets and FilterSets, as JSON."""

from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.viewsets import ReadOnlyModelViewSet

from ..citation_views import CitationFilter
from ..filters import (
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
from ..models import (
    Carrier,
    CitationEntry,
    CleanLabel,
    Country,
    CountryPosition,
    Deadline,
    EquipmentUse,
    Event,
    Initiative,
    Restriction,
    Source,
    Vendor,
)
from . import facts, references, schema  # noqa: F401 (schema: importing it registers the filters' parameter types)
from .caching import conditional_on_data_version

BAD_FILTER = OpenApiResponse(
    response={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description="A malformed filter, page size or cursor: each bad parameter named, with what is wrong.",
)
NOT_FOUND = OpenApiResponse(
    response={"type": "object", "properties": {"detail": {"type": "string"}}}, description="No such record."
)


class PublicList(ReadOnlyModelViewSet):
    """A public list: the page's rows in the page's order (its `public_list()`), filtered by the page's FilterSet."""

    model = None

    def get_queryset(self):
        return self.model.objects.public_list()


def public_list(model, serializer, filterset, title, lookup_field="pk", path_converter="int"):
    """The viewset of one list, with its schema: the list takes the page's query string, the record its id."""
    name = model._meta.verbose_name_plural
    viewset = type(
        f"{model.__name__}List",
        (PublicList,),
        {
            "model": model,
            "serializer_class": serializer,
            "filterset_class": filterset,
            "lookup_field": lookup_field,
            "path_converter": path_converter,
            "__doc__": f"{title}: the rows of the page and CSV with the same query string.",
        },
    )
    documented = extend_schema_view(
        list=extend_schema(
            summary=f"List {name}",
            description=f"The rows of {title.lower()} with this query string, in the same order.",
            responses={200: serializer(many=True), 400: BAD_FILTER},
        ),
        retrieve=extend_schema(summary=f"One of the {name}", responses={200: serializer, 404: NOT_FOUND}),
    )
    return method_decorator(conditional_on_data_version, name="dispatch")(documented(viewset))


COUNTRIES = public_list(Country, references.CountrySerializer, CountryFilter, "/countries/", "pk", "str")
CARRIERS = public_list(Carrier, references.CarrierSerializer, CarrierFilter, "/carriers/", "slug", "slug")
VENDORS = public_list(Vendor, references.VendorSerializer, VendorFilter, "/vendors/", "slug", "slug")
INITIATIVES = public_list(
    Initiative, references.InitiativeSerializer, InitiativeFilter, "/initiatives/", "slug", "slug"
)
EQUIPMENT_USES = public_list(EquipmentUse, facts.EquipmentUseSerializer, EquipmentUseFilter, "/equipment/")
CLEAN_LABELS = public_list(CleanLabel, facts.CleanLabelSerializer, CleanLabelFilter, "/labels/")
COUNTRY_POSITIONS = public_list(CountryPosition, facts.CountryPositionSerializer, CountryPositionFilter, "/positions/")
EVENTS = public_list(Event, facts.EventSerializer, EventFilter, "/events/")
SOURCES = public_list(Source, references.SourceSerializer, SourceFilter, "/sources/")
RESTRICTIONS = public_list(Restriction, facts.RestrictionSerializer, RestrictionFilter, "/restrictions/")
DEADLINES = public_list(Deadline, facts.DeadlineSerializer, DeadlineFilter, "/deadlines/")
CITATIONS = public_list(CitationEntry, facts.CitationEntrySerializer, CitationFilter, "/citations/", "uid", "str")

# URL prefix (as the pages') and viewset of every list.
ALL = {
    "countries": COUNTRIES,
    "carriers": CARRIERS,
    "vendors": VENDORS,
    "initiatives": INITIATIVES,
    "equipment": EQUIPMENT_USES,
    "labels": CLEAN_LABELS,
    "positions": COUNTRY_POSITIONS,
    "events": EVENTS,
    "sources": SOURCES,
    "restrictions": RESTRICTIONS,
    "deadlines": DEADLINES,
    "citations": CITATIONS,
}
