from .citing import CitationEntry, FactType
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
from .releases import Release
from .restrictions import (
    Deadline,
    DeadlineCitation,
    Instrument,
    Milestone,
    Restriction,
    RestrictionCitation,
    RestrictionKind,
    RestrictionStatus,
)
from .sources import Source
from .versions import DataVersion

__all__ = [
    "CitationEntry",
    "FactType",
    "Carrier",
    "CleanLabel",
    "CleanLabelCitation",
    "Confidence",
    "Country",
    "CountryPosition",
    "CountryPositionCitation",
    "DataVersion",
    "DatePrecision",
    "Deadline",
    "DeadlineCitation",
    "EquipmentStatus",
    "EquipmentUse",
    "EquipmentUseCitation",
    "Event",
    "EventCitation",
    "EventKind",
    "Initiative",
    "InitiativeKind",
    "Instrument",
    "Milestone",
    "NetworkSegment",
    "PartialDate",
    "PendingImport",
    "Region",
    "Release",
    "Restriction",
    "RestrictionCitation",
    "RestrictionKind",
    "RestrictionStatus",
    "Source",
    "Stance",
    "Technology",
    "Vendor",
]
