"""Bulk import of the public CSV files (django-import-export): the columns the exports write.

Related records are named by natural key (ISO code, slug, source key); columns a resource does
not declare (display names, counts) are ignored on the way in. An exported file imports back as
exactly the data it came from.
"""

from .facts import (
    CleanLabelResource,
    CountryPositionResource,
    DeadlineResource,
    EquipmentUseResource,
    EventResource,
    RestrictionResource,
)
from .records import CarrierResource, CountryResource, InitiativeResource, SourceResource, VendorResource

# Reference records researchers do not import one by one, but a dataset folder brings with it.
REFERENCE_RESOURCES = {
    "countries": CountryResource,
    "vendors": VendorResource,
    "initiatives": InitiativeResource,
}

# The files a researcher can import, by the name of their public list, in the order a full load needs:
# whatever a row names must exist before the row.
RESOURCES = {
    "sources": SourceResource,
    "carriers": CarrierResource,
    "restrictions": RestrictionResource,
    "events": EventResource,
    "deadlines": DeadlineResource,
    "equipment": EquipmentUseResource,
    "labels": CleanLabelResource,
    "positions": CountryPositionResource,
}

__all__ = [
    "REFERENCE_RESOURCES",
    "RESOURCES",
    "CarrierResource",
    "CleanLabelResource",
    "CountryPositionResource",
    "DeadlineResource",
    "EquipmentUseResource",
    "EventResource",
    "RestrictionResource",
    "SourceResource",
]
