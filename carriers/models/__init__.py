from .companies import Carrier, Vendor
from .countries import Country, Region
from .dates import DatePrecision, PartialDate
from .facts import (
    CleanLabel,
    CleanLabelCitation,
    Confidence,
    CountryPosition,
    CountryPositionCitation,
    EquipmentStatus,
    EquipmentUse,
    EquipmentUseCitation,
    Event,
    EventCitation,
    EventKind,
    NetworkSegment,
    Stance,
    Technology,
)
from .imports import PendingImport
from .initiatives import Initiative, InitiativeKind
from .sources import Source
from .versions import DataVersion

__all__ = [
    "Carrier",
    "CleanLabel",
    "CleanLabelCitation",
    "Confidence",
    "Country",
    "CountryPosition",
    "CountryPositionCitation",
    "DataVersion",
    "DatePrecision",
    "EquipmentStatus",
    "EquipmentUse",
    "EquipmentUseCitation",
    "Event",
    "EventCitation",
    "EventKind",
    "Initiative",
    "InitiativeKind",
    "NetworkSegment",
    "PartialDate",
    "PendingImport",
    "Region",
    "Source",
    "Stance",
    "Technology",
    "Vendor",
]
