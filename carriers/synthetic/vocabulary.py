"""The synthetic world's shapes, names and weighted choices."""

import bisect
import datetime
import itertools
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.utils.text import slugify

from carriers.models import (
    Confidence,
    EquipmentStatus,
    EventKind,
    InitiativeKind,
    Region,
    Stance,
)


@dataclass(frozen=True)
class Shape:
    carriers: int
    facts: int
    sources: int
    labels: int
    positions: int
    events: int


# Every scale has all of pycountry's countries, 60 vendors and 100 initiatives.
SHAPES = {
    "world": Shape(carriers=2_000, facts=50_000, sources=5_000, labels=2_000, positions=1_000, events=500),
    "stress": Shape(carriers=40_000, facts=1_000_000, sources=50_000, labels=40_000, positions=20_000, events=10_000),
    "tiny": Shape(carriers=30, facts=300, sources=60, labels=20, positions=20, events=10),  # for the test suite
    # For the test suite: every list crosses the export's 2,000-row batches and SQLite's 1,000-term limits.
    "batches": Shape(carriers=2_100, facts=4_500, sources=2_500, labels=2_100, positions=2_100, events=2_100),
}
VENDOR_COUNT, INITIATIVE_COUNT = 60, 100
FIRST_DAY, LAST_DAY = datetime.date(2011, 1, 1), datetime.date(2026, 10, 31)
MAX_FACTS_PER_CARRIER = 1_500  # fewer than the 60 × 5 × 6 vendor/segment/technology lines a carrier can have
CHUNK = 20_000  # rows buffered per table before everything buffered is written

# UN M49 continents (Taiwan placed in Eastern Asia).
CONTINENTS = {
    Region.AFRICA: "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR LS LY MA "
    "MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ UG YT ZA ZM ZW",
    Region.AMERICAS: "AG AI AR AW BB BL BM BO BQ BR BS BV BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GS GT GY "
    "HN HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG VI",
    Region.ASIA: "AE AF AM AZ BD BH BN BT CN CY GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM MN MO "
    "MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE",
    Region.EUROPE: "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU "
    "LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA",
    Region.OCEANIA: "AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
    Region.ANTARCTICA: "AQ",
}
REGION_OF = {code: region for region, codes in CONTINENTS.items() for code in codes.split()}
BIG_MARKETS = [
    "US", "CN", "IN", "BR", "RU", "ID", "DE", "GB", "JP", "NG", "MX", "FR", "IT", "TR", "PK", "BD", "PH", "VN", "ZA",
    "KR", "ES", "CA", "AR", "EG",
]  # fmt: skip
UNINHABITED = {"AQ", "BV", "HM"}
SPONSORS = ["US", "GB", "AU", "JP", "DE", "FR", "IN", "CA", "SE", "CZ", "PL", "EE", "RO", "KR", "NL", "IT", "TW", "NZ"]

# In order of market share; synthetic vendors follow.
REAL_VENDORS = [
    ("Huawei", "CN", "Huawei Technologies Co., Ltd."),
    ("Ericsson", "SE", "Telefonaktiebolaget LM Ericsson"),
    ("Nokia", "FI", "Nokia Oyj\nAlcatel-Lucent"),
    ("ZTE", "CN", "ZTE Corporation"),
    ("Samsung", "KR", "Samsung Electronics"),
    ("Cisco", "US", "Cisco Systems"),
    ("Juniper Networks", "US", ""),
    ("Ciena", "US", ""),
    ("NEC", "JP", "NEC Corporation"),
    ("Fujitsu", "JP", ""),
    ("FiberHome", "CN", "FiberHome Telecommunication Technologies"),
    ("Mavenir", "US", ""),
    ("Ceragon", "IL", "Ceragon Networks"),
    ("H3C", "CN", "New H3C Technologies"),
]
TARGETED = {"Huawei": 50, "ZTE": 25, "FiberHome": 4, "H3C": 4}  # how often initiatives target them; others 1
STEMS = [
    "Tele", "Net", "Mobi", "Sky", "Star", "Nova", "Orbit", "Vita", "Terra", "Sun", "Blue", "Metro", "Digi", "Pan",
    "Uni", "Omni", "Astra", "Volt", "Zen", "Aero", "Giga", "Wave", "Link", "Cell", "Air", "Max", "Prime", "Smart",
    "First", "Global",
]  # fmt: skip
ENDINGS = ["com", "tel", "net", "link", "cell", "fone", "wave", "cast", "line", "tron"]
CARRIER_KINDS = ["Mobile", "Telecom", "Networks", "Broadband", "Wireless", "Communications", "Fibre", "Connect"]
AREAS = ["North", "South", "East", "West", "Central", "Coastal", "Metro", "Rural", "Island"]
VENDOR_KINDS = ["Systems", "Networks", "Technologies", "Radio", "Optical", "Microwave"]
LEGAL_FORMS = ["Ltd.", "S.A.", "plc", "GmbH", "Co., Ltd.", "JSC", "Inc."]
PUBLISHERS = [
    "Telecom Ledger", "Mobile World Review", "Network Security Monitor", "Asia Wireless Journal",
    "Global Telecoms Daily", "Spectrum Policy Watch", "The Infrastructure Report", "Backhaul Weekly",
    "Carrier Economics", "Digital Sovereignty Review", "Africa Connect News", "Americas Telecom Post",
    "Euro Networks Bulletin", "Pacific Links", "Fibre & Radio", "Policy Wire",
]  # fmt: skip
INITIATIVE_WORDS = ["Trusted", "Secure", "Clean", "Resilient", "Sovereign", "Open"]
INITIATIVE_NOUNS = {
    InitiativeKind.PROGRAM: ["Networks Initiative", "5G Partnership", "Connectivity Pledge"],
    InitiativeKind.LAW: ["Telecommunications Security Act", "Supply Chain Act"],
    InitiativeKind.REGULATION: ["Vendor Risk Regulation", "Network Equipment Rules"],
    InitiativeKind.GUIDANCE: ["5G Security Guidance", "Vendor Diversity Guidelines"],
}
DIALOGUES = ["Senior Economic Dialogue", "Strategic Dialogue on ICT", "Cyber Policy Consultations", "Digital Council"]
ROLES = ["Foreign Minister", "Minister of ICT", "Ambassador", "Government spokesperson", "Prime Minister"]
SURNAMES = [
    "Lindqvist", "Okafor", "Tanaka", "Moreau", "Silva", "Kowalski", "Haddad", "Novak", "Petrov", "Mensah", "Rossi",
    "Kim", "Nguyen", "Ortiz",
]  # fmt: skip
LOCATIONS = [""] * 40 + [
    f"{part} {number}" for part in ["p.", "paragraph", "section", "slide"] for number in range(1, 41)
]
STANCE_VERBS = {
    Stance.JOINED: "joins",
    Stance.SUPPORTS: "supports",
    Stance.UNDECIDED: "has not decided on",
    Stance.DECLINED: "declines to join",
    Stance.WITHDREW: "withdraws from",
}
TECHNOLOGY_YEARS = {"2g": (2011, 2016), "3g": (2011, 2019), "4g": (2011, 2024), "5g": (2018, 2026)}
STATUS_PATHS = {
    2: [("in-use", "phasing-out"), ("in-use", "removed"), ("planned", "in-use"), ("phasing-out", "removed")],
    3: [("planned", "in-use", "phasing-out"), ("in-use", "phasing-out", "removed")],
    4: [("planned", "in-use", "phasing-out", "removed")],
}
SOURCE_LAG = (0, 0, 0, 0, 1, 1, 1, 2, 2, -1)  # years from a fact's start to a source reporting it


def zipf(count, exponent):
    return [1 / rank**exponent for rank in range(1, count + 1)]


class Pool:
    """Items drawn with fixed weights (faster than random.choices when drawn millions of times)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))

    @classmethod
    def of(cls, weights):
        """From an {item: weight} dict."""
        return cls(weights, weights.values())

    def pick(self, rng):
        point = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect(self.cumulative, point, 0, len(self.items) - 1)]


YEARS = Pool(range(FIRST_DAY.year, LAST_DAY.year + 1), range(4, 20))  # reporting grows year on year
SEGMENTS = Pool.of({"ran": 45, "core": 20, "transport": 20, "fixed-access": 10, "other": 5})
RADIO_TECHNOLOGIES = Pool.of({"2g": 10, "3g": 15, "4g": 35, "5g": 30, "unknown": 10})
FIXED_TECHNOLOGIES = Pool.of({"fixed": 85, "unknown": 15})
CONFIDENCES = Pool.of({Confidence.CONFIRMED: 35, Confidence.REPORTED: 55, Confidence.DISPUTED: 10})
SINGLE_STATUSES = Pool.of(
    {
        EquipmentStatus.IN_USE: 60,
        EquipmentStatus.PLANNED: 8,
        EquipmentStatus.PHASING_OUT: 10,
        EquipmentStatus.REMOVED: 10,
        EquipmentStatus.UNKNOWN: 12,
    }
)
STANCES = Pool.of(
    {Stance.JOINED: 25, Stance.SUPPORTS: 20, Stance.UNDECIDED: 25, Stance.DECLINED: 20, Stance.WITHDREW: 10}
)
KINDS = Pool.of(
    {InitiativeKind.PROGRAM: 4, InitiativeKind.LAW: 2, InitiativeKind.REGULATION: 2, InitiativeKind.GUIDANCE: 2}
)
EVENT_KINDS = Pool.of({EventKind.MEETING: 6, EventKind.ANNOUNCEMENT: 3, EventKind.OTHER: 1})
TARGET_COUNTS = Pool.of({0: 15, 1: 35, 2: 35, 3: 15})
EVENT_COUNTRY_COUNTS = Pool.of({1: 3, 2: 5, 3: 1, 4: 1})
EVENT_INITIATIVE_COUNTS = Pool.of({0: 3, 1: 5, 2: 2})


def allocate(total, weights, cap):
    """Split `total` in proportion to `weights`, at most `cap` each, exactly `total` in all."""
    whole = sum(weights)
    counts = [min(cap, int(total * weight / whole)) for weight in weights]
    left = total - sum(counts)
    by_weight = sorted(range(len(weights)), key=lambda index: -weights[index])
    while left:
        room = [index for index in by_weight if weights[index] and counts[index] < cap][:left]
        if not room:
            raise CommandError(f"{total:,} facts do not fit in {len(weights):,} carriers.")
        for index in room:
            counts[index] += 1
        left -= len(room)
    return counts


def unique_slug(text, taken):
    """A slug of `text` not in the `taken` dict, numbered when needed; `taken` remembers the next number."""
    base = slug = slugify(text.replace("–", " "))[:90]
    while slug in taken:
        taken[base] = taken.get(base, 1) + 1
        slug = f"{base}-{taken[base]}"
    taken[slug] = 1
    return slug
