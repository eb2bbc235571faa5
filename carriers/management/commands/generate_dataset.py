"""Fill an empty database with synthetic data for load and performance tests.

`--scale world` gives every country and a research database of realistic size (50,000
equipment facts); `--scale stress` twenty times as many facts. Distributions are skewed as
real ones are: a few countries hold most carriers, a few vendors most equipment, a few
sources most citations. The same seed always gives the same rows (only the load timestamps
differ). Rows are written in bounded chunks, by COPY on PostgreSQL (indexes and foreign keys
rebuilt once at the end) and bulk_create elsewhere, with ids assigned here and no history.
"""

import bisect
import datetime
import io
import itertools
import random
import re
import time
from dataclasses import dataclass
from decimal import Decimal

import pycountry
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from carriers.models import (
    Carrier,
    CleanLabel,
    CleanLabelCitation,
    Confidence,
    Country,
    CountryPosition,
    CountryPositionCitation,
    DataVersion,
    DatePrecision,
    EquipmentStatus,
    EquipmentUse,
    EquipmentUseCitation,
    Event,
    EventCitation,
    EventKind,
    Initiative,
    InitiativeKind,
    NetworkSegment,
    Region,
    Source,
    Stance,
    Technology,
    Vendor,
)
from carriers.models.dates import truncate


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


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")


def copy_line(row):
    """A row in PostgreSQL's COPY text format (one expression: this runs for every row)."""
    values = [
        "\\N" if value is None
        else (value.translate(COPY_ESCAPES) if NEEDS_ESCAPE.search(value) else value) if value.__class__ is str
        else str(value)
        for value in row
    ]  # fmt: skip
    return "\t".join(values) + "\n"


class Table:
    """Rows of one model waiting to be written; with `ids`, numbers them from 1 and returns the number."""

    def __init__(self, writer, model, fields, ids):
        self.writer, self.model, self.ids = writer, model, ids
        self.fields = (["id"] if ids else []) + fields.split()
        self.rows, self.count = [], 0

    def add(self, *values):
        self.count += 1
        self.rows.append((self.count, *values) if self.ids else values)
        if len(self.rows) >= CHUNK:
            self.writer.flush()
        return self.count


class Writer:
    def __init__(self):
        self.tables, self.indexes, self.foreign_keys = [], [], []
        with connection.cursor() as cursor:
            self.copy = connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy_expert")

    def table(self, model, fields, ids=True):
        """Declare tables parents first: they are written in that order."""
        self.tables.append(Table(self, model, fields, ids))
        if self.copy:
            self.set_indexes_aside(model._meta.db_table)
        return self.tables[-1]

    def set_indexes_aside(self, name):
        """Drop an empty table's indexes, unique constraints and foreign keys (not its primary key) until the load
        is done: building an index once is far faster than updating it row by row, and checking a foreign key in
        one query faster than by a trigger per row. Dropped and rebuilt in the load's transaction.
        """
        table = connection.ops.quote_name(name)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
                [name],
            )
            for constraint, kind, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(constraint)}")
                sql = f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(constraint)} {definition}"
                (self.foreign_keys if kind == "f" else self.indexes).append(sql)
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = %s::regclass AND NOT indisprimary AND NOT EXISTS "
                "(SELECT FROM pg_constraint WHERE conindid = indexrelid AND conrelid = indrelid) ORDER BY 1",
                [name],
            )
            for index, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {index}")
                self.indexes.append(definition)

    def rebuild_indexes(self):
        with connection.cursor() as cursor:
            if self.indexes:
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for sql in self.indexes + self.foreign_keys:
                cursor.execute(sql)

    def flush(self):
        for table in self.tables:
            if table.rows:
                (self.copy_rows if self.copy else self.create_rows)(table)
                table.rows = []

    def copy_rows(self, table):
        data = io.StringIO()
        data.writelines(map(copy_line, table.rows))
        data.seek(0)
        quote, meta = connection.ops.quote_name, table.model._meta
        columns = ", ".join(quote(meta.get_field(name).column) for name in table.fields)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN", data)

    def create_rows(self, table):
        objects = [table.model(**dict(zip(table.fields, row, strict=True))) for row in table.rows]
        table.model.objects.bulk_create(objects, batch_size=2_000)

    def reset_sequences(self):
        """Let rows added later continue after the ids assigned here."""
        models = [table.model for table in self.tables if table.ids]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def analyze(self):
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(table.model._meta.db_table) for table in self.tables)
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {names}")


class Generator:
    """Draws every record from one seeded random stream, in a fixed order."""

    def __init__(self, shape, seed, writer, report):
        self.shape, self.writer, self.report = shape, writer, report
        self.rng = random.Random(seed)
        self.now = timezone.now()

    def pick(self, pool):
        return pool.pick(self.rng)

    def chance(self, probability):
        return self.rng.random() < probability

    def person(self):
        return f"{self.rng.choice('ABCDEFGHJKLMNPRST')}. {self.rng.choice(SURNAMES)}, {self.rng.choice(ROLES)}"

    def day_in(self, year):
        first, last = datetime.date(year, 1, 1), min(LAST_DAY, datetime.date(year, 12, 31))
        return first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1))

    def precision(self, day=0.5, month=0.3):
        draw = self.rng.random()
        return DatePrecision.DAY if draw < day else DatePrecision.MONTH if draw < day + month else DatePrecision.YEAR

    def partial(self, year, **weights):
        """A date in `year` as (first day of its period, precision)."""
        precision = self.precision(**weights)
        return truncate(self.day_in(year), precision), precision

    def ending(self, start, day):
        """(end, precision) for an end on `day` (or `start`, if later), never stored before `start`."""
        if start is not None:
            day = max(day, start)
        precision = self.precision()
        end = truncate(day, precision)
        return (day, DatePrecision.DAY) if start is not None and end < start else (end, precision)

    def citations(self, model):
        return self.writer.table(model, "fact_id source_id quote location note")

    def cite(self, table, fact, year, quote):
        """Cite 1-8 distinct sources (2 on average), mostly published in or soon after `year`."""
        count, chosen = 1, []
        while count < 8 and self.chance(0.5):
            count += 1
        for _ in range(count):
            pool = self.source_pools[None]
            if year is not None and self.chance(0.9):
                lagged = min(LAST_DAY.year, max(FIRST_DAY.year, year + self.rng.choice(SOURCE_LAG)))
                pool = self.source_pools.get(lagged, pool)
            source = self.pick(pool)
            if source not in chosen:
                chosen.append(source)
                location = self.rng.choice(LOCATIONS)
                note = "Paraphrased: the source words it differently." if self.chance(0.05) else ""
                table.add(fact, source, quote if self.chance(0.7) else "", location, note)

    # Reference records

    def countries(self):
        table = self.writer.table(Country, "code name region", ids=False)
        codes = sorted(country.alpha_2 for country in pycountry.countries)
        self.country_names = {}
        for code in codes:
            country = pycountry.countries.get(alpha_2=code)
            self.country_names[code] = getattr(country, "common_name", country.name)
            table.add(code, self.country_names[code], REGION_OF[code])
        rest = [code for code in codes if code not in BIG_MARKETS]
        self.rng.shuffle(rest)
        ranked = BIG_MARKETS + rest
        weights = [
            0 if code in UNINHABITED else weight for code, weight in zip(ranked, zipf(len(ranked), 1.0), strict=True)
        ]
        self.markets = Pool(ranked, weights)
        self.sponsors = Pool(SPONSORS, zipf(len(SPONSORS), 1.1))
        return table

    def vendors(self):
        table = self.writer.table(Vendor, "name slug headquarters_id aliases")
        names, slugs = [], {}
        for name, headquarters, aliases in REAL_VENDORS:
            names.append(name)
            table.add(name, unique_slug(name, slugs), headquarters, aliases)
        while table.count < VENDOR_COUNT:
            name = f"{self.rng.choice(STEMS)}{self.rng.choice(ENDINGS)} {self.rng.choice(VENDOR_KINDS)}"
            if name not in names:
                names.append(name)
                table.add(name, unique_slug(name, slugs), self.pick(self.markets), "")
        self.vendor_names = dict(enumerate(names, start=1))
        self.vendor_weights = zipf(len(names), 1.3)  # Huawei a third of all equipment, Ericsson a seventh
        return table

    def initiatives(self):
        table = self.writer.table(
            Initiative,
            "name slug sponsor_id kind launched_on launched_on_precision ended_on ended_on_precision "
            "led_by summary official_url",
        )
        targets = self.writer.table(Initiative.targeted_vendors.through, "initiative_id vendor_id", ids=False)
        targeted = Pool(self.vendor_names, [TARGETED.get(name, 1) for name in self.vendor_names.values()])
        names, slugs, self.launch_years, programs = set(), {}, {}, []
        while table.count < INITIATIVE_COUNT:
            if names:
                sponsor = self.pick(self.sponsors if self.chance(0.85) else self.markets)
                kind = self.pick(KINDS)
                words = f"{self.rng.choice(INITIATIVE_WORDS)} {self.rng.choice(INITIATIVE_NOUNS[kind])}"
                name = f"{self.country_names[sponsor]} {words}"
            else:
                sponsor, kind, name = "US", InitiativeKind.PROGRAM, "Clean Network"
            if name in names:
                continue
            names.add(name)
            year = self.pick(YEARS)
            launched, launched_precision = self.partial(year) if self.chance(0.95) else (None, DatePrecision.DAY)
            ended, ended_precision = None, DatePrecision.DAY
            if launched and self.chance(0.2):
                ended_year = min(LAST_DAY.year, year + self.rng.randint(1, 4))
                ended, ended_precision = self.ending(launched, self.day_in(ended_year))
            slug = unique_slug(name, slugs)
            url = f"https://{slugify(self.country_names[sponsor])}.gov.example/{slug}" if self.chance(0.7) else ""
            summary = f"Which vendors may supply telecom networks, as {self.country_names[sponsor]} sees it."
            initiative = table.add(
                name, slug, sponsor, kind, launched, launched_precision, ended, ended_precision,
                self.person(), summary, url,
            )  # fmt: skip
            self.launch_years[initiative] = year if launched else None
            if kind == InitiativeKind.PROGRAM:
                programs.append(initiative)
            for vendor in sorted({self.pick(targeted) for _ in range(self.pick(TARGET_COUNTS))}):
                targets.add(initiative, vendor)
        self.initiative_pool = Pool(range(1, INITIATIVE_COUNT + 1), zipf(INITIATIVE_COUNT, 1.0))
        self.program_pool = Pool(programs, zipf(len(programs), 1.0))
        return table

    def carriers(self):
        table = self.writer.table(Carrier, "name slug country_id aliases website subscribers subscribers_as_of")
        taken, slugs, self.carrier_names = set(), {}, []
        for _ in range(self.shape.carriers):
            country = self.pick(self.markets)
            for attempt in itertools.count():
                name = f"{self.rng.choice(STEMS)}{self.rng.choice(ENDINGS)} {self.rng.choice(CARRIER_KINDS)}"
                if attempt >= 5:  # a crowded market
                    name = f"{self.rng.choice(AREAS)} {name}" if attempt < 10 else f"{name} {attempt}"
                if (country, name) not in taken:
                    break
            taken.add((country, name))
            slug = unique_slug(f"{name} {country}", slugs)
            aliases = f"{name} {self.rng.choice(LEGAL_FORMS)}" if self.chance(0.3) else ""
            website = f"https://www.{slug}.example" if self.chance(0.8) else ""
            subscribers = as_of = None
            if self.chance(0.55):
                subscribers = min(900_000_000, int(self.rng.lognormvariate(13, 1.5)))
                as_of = self.day_in(self.pick(YEARS))
            table.add(name, slug, country, aliases, website, subscribers, as_of)
            self.carrier_names.append(name)
        # Pareto sizes: most carriers have a handful of facts, a few hundreds, some none.
        self.carrier_weights = [0 if self.chance(0.03) else self.rng.paretovariate(1.5) for _ in self.carrier_names]
        self.carrier_pool = Pool(range(1, table.count + 1), self.carrier_weights)
        return table

    def sources(self):
        table = self.writer.table(
            Source, "title publisher url published_on published_on_precision accessed_on archive_url notes"
        )
        publishers = Pool(PUBLISHERS, zipf(len(PUBLISHERS), 0.8))
        titles, by_year = set(), {}
        while table.count < self.shape.sources:
            carrier = self.rng.choice(self.carrier_names)
            vendor = self.vendor_names[self.rng.randint(1, 6)]
            year = self.pick(YEARS) if self.chance(0.94) else None
            title = self.rng.choice(
                [
                    f"{carrier} picks {vendor} for its {self.rng.choice(['4G', '5G', 'core', 'fibre'])} network",
                    f"{carrier} to phase out {vendor} equipment",
                    f"{self.country_names[self.pick(self.markets)]} reviews {vendor} in telecom networks",
                    f"{carrier} annual report {year or ''}".strip(),
                ]
            )
            publisher = self.pick(publishers) if self.chance(0.8) else carrier
            if (title, publisher) in titles:
                title = f"{title} ({len(titles)})"
            titles.add((title, publisher))
            published, precision = (None, DatePrecision.DAY)
            if year:
                published, precision = self.partial(year, day=0.75, month=0.15)
            url = archive = ""
            if self.chance(0.88):
                path = f"{year or 'archive'}/{slugify(title)[:60]}-{table.count + 1}"
                url = f"https://www.{slugify(publisher)}.example/{path}"
                archive = f"https://archive.example/{path}" if self.chance(0.2) else ""
            accessed = min(LAST_DAY, (published or FIRST_DAY) + datetime.timedelta(days=self.rng.randint(0, 400)))
            notes = "" if year else "No date appears in the text."
            source = table.add(title, publisher, url, published, precision, accessed, archive, notes)
            if year:
                by_year.setdefault(year, []).append(source)
        # In every year a few sources are cited far more than the rest.
        self.source_pools = {}
        for year, ids in [*by_year.items(), (None, list(range(1, table.count + 1)))]:
            self.rng.shuffle(ids)
            self.source_pools[year] = Pool(ids, zipf(len(ids), 0.8))
        return table

    # Facts

    def events(self):
        table = self.writer.table(
            Event, "name slug kind held_on held_on_precision participants summary notes created_at updated_at"
        )
        countries = self.writer.table(Event.countries.through, "event_id country_id", ids=False)
        initiatives = self.writer.table(Event.initiatives.through, "event_id initiative_id", ids=False)
        citations = self.citations(EventCitation)
        slugs, self.event_details = {}, []
        for _ in range(self.shape.events):
            year = self.pick(YEARS)
            held, precision = self.partial(year, day=0.7, month=0.25)
            members = [self.pick(self.sponsors)]
            members += {self.pick(self.markets) for _ in range(self.pick(EVENT_COUNTRY_COUNTS) - 1)} - {members[0]}
            members[1:] = sorted(members[1:])
            names = [self.country_names[code] for code in members]
            kind = self.pick(EVENT_KINDS)
            name = {
                EventKind.MEETING: f"{'–'.join(names[:2])} {self.rng.choice(DIALOGUES)} {year}",
                EventKind.ANNOUNCEMENT: f"{names[0]} announcement on trusted telecom vendors",
                EventKind.OTHER: f"Telecom security conference {year}",
            }[kind]
            participants = "\n".join(f"{self.rng.choice(SURNAMES)}, {self.rng.choice(ROLES)}, {n}" for n in names)
            summary = f"{', '.join(names)} discussed network equipment suppliers."
            event = table.add(
                name, unique_slug(name, slugs), kind, held, precision, participants, summary, "",
                self.now, self.now,
            )  # fmt: skip
            for country in members:
                countries.add(event, country)
            for initiative in sorted(
                {self.pick(self.initiative_pool) for _ in range(self.pick(EVENT_INITIATIVE_COUNTS))}
            ):
                initiatives.add(event, initiative)
            self.event_details.append((event, members, held, precision))
            self.cite(citations, event, year, f"{name} took place.")
        return table

    def positions(self):
        table = self.writer.table(
            CountryPosition,
            "country_id initiative_id stance stated_on stated_on_precision stated_by statement event_id "
            "notes created_at updated_at",
        )
        citations = self.citations(CountryPositionCitation)
        taken = set()
        while table.count < self.shape.positions:
            initiative, stance = self.pick(self.initiative_pool), self.pick(STANCES)
            if self.chance(0.3):  # stated at an event
                event, members, stated, precision = self.rng.choice(self.event_details)
                country = self.rng.choice(members)
            else:
                event, country = None, self.pick(self.markets)
                since = self.launch_years[initiative] or FIRST_DAY.year
                stated, precision = self.partial(self.rng.randint(since, LAST_DAY.year), day=0.6, month=0.3)
            if (country, initiative, stance, stated) in taken:
                continue
            taken.add((country, initiative, stance, stated))
            statement = f"{self.country_names[country]} {STANCE_VERBS[stance]} the initiative."
            position = table.add(
                country, initiative, stance, stated, precision, self.person(), statement, event, "",
                self.now, self.now,
            )  # fmt: skip
            self.cite(citations, position, stated.year, statement)
        return table

    def labels(self):
        table = self.writer.table(
            CleanLabel,
            "carrier_id initiative_id wording scope_segment scope_technology awarded_on awarded_on_precision "
            "withdrawn_on withdrawn_on_precision notes created_at updated_at",
        )
        citations = self.citations(CleanLabelCitation)
        taken = set()
        while table.count < self.shape.labels:
            carrier, initiative = self.pick(self.carrier_pool), self.pick(self.program_pool)
            segment = self.rng.choice(["ran", "core", "transport"]) if self.chance(0.15) else ""
            technology = "5g" if self.chance(0.15) else ""
            year = max(self.launch_years[initiative] or FIRST_DAY.year, self.pick(YEARS))
            awarded, precision = self.partial(year) if self.chance(0.9) else (None, DatePrecision.DAY)
            if (carrier, initiative, segment, technology, awarded) in taken:
                continue
            taken.add((carrier, initiative, segment, technology, awarded))
            withdrawn, withdrawn_precision = None, DatePrecision.DAY
            if awarded and self.chance(0.1):
                withdrawn_on = self.day_in(self.rng.randint(year, LAST_DAY.year))
                withdrawn, withdrawn_precision = self.ending(awarded, withdrawn_on)
            wording = self.rng.choice(["clean telco", "clean carrier", "5G clean path", "trusted network"])
            label = table.add(
                carrier, initiative, wording, segment, technology, awarded, precision, withdrawn,
                withdrawn_precision, "", self.now, self.now,
            )  # fmt: skip
            self.cite(citations, label, year, f"{self.carrier_names[carrier - 1]} is a {wording}.")
        return table

    def equipment(self):
        table = self.writer.table(
            EquipmentUse,
            "carrier_id vendor_id segment technology status valid_from valid_from_precision valid_to "
            "valid_to_precision share_percent confidence notes created_at updated_at",
        )
        citations = self.citations(EquipmentUseCitation)
        segments, technologies = dict(NetworkSegment.choices), dict(Technology.choices)
        step = max(1, self.shape.facts // 10)
        counts = allocate(self.shape.facts, self.carrier_weights, MAX_FACTS_PER_CARRIER)
        for carrier, count in enumerate(counts, start=1):
            vendors, lines = self.vendor_pool(count), set()
            while count:
                vendor, segment, technology = line = self.new_line(vendors, lines)
                lines.add(line)
                periods = self.timeline(technology, count)
                count -= len(periods)
                quote = (
                    f"{self.carrier_names[carrier - 1]} runs {self.vendor_names[vendor]} "
                    f"{technologies[technology]} equipment in its {segments[segment].lower()} network."
                )
                for year, *dates in periods:
                    share = Decimal(self.rng.randint(50, 9500)).scaleb(-2) if self.chance(0.3) else None
                    confidence = self.pick(CONFIDENCES)
                    fact = table.add(
                        carrier, vendor, segment, technology, *dates, share, confidence, "", self.now, self.now
                    )
                    self.cite(citations, fact, year, quote)
                    if fact % step == 0:
                        self.report(f"equipment uses: {fact:,} of {self.shape.facts:,}")
        return table

    def vendor_pool(self, facts):
        """The vendors a carrier buys from: a few, most often the big ones; more for big carriers."""
        count = 2
        while count < 8 and self.chance(0.5):
            count += 1
        count = min(VENDOR_COUNT, max(count, -(-facts // 40)))
        # Weighted sampling without replacement (Efraimidis–Spirakis).
        keys = {
            vendor: self.rng.random() ** (1 / w)
            for vendor, w in zip(self.vendor_names, self.vendor_weights, strict=True)
        }
        chosen = sorted(keys, key=keys.get, reverse=True)[:count]
        return Pool(chosen, [self.vendor_weights[vendor - 1] for vendor in chosen])

    def new_line(self, vendors, lines):
        """A (vendor, segment, technology) the carrier has no facts for yet."""
        for _ in range(10):
            segment = self.pick(SEGMENTS)
            technology = self.pick(FIXED_TECHNOLOGIES if segment == "fixed-access" else RADIO_TECHNOLOGIES)
            line = (self.pick(vendors), segment, technology)
            if line not in lines:
                return line
        every = itertools.product([*vendors.items, *self.vendor_names], NetworkSegment.values, Technology.values)
        return next(line for line in every if line not in lines)

    def timeline(self, technology, most):
        """[(year, status, valid from, precision, valid to, precision)]: one line's successive facts.

        Each fact starts in a later year than the one before, so no two starts collide even
        when known only to the year, and ends the day before the next starts; the last mostly
        goes on. The first start is sometimes unknown.
        """
        first, last = TECHNOLOGY_YEARS.get(technology, (FIRST_DAY.year, LAST_DAY.year))
        start = self.rng.randint(first, last)
        count, most = 1, min(4, most, LAST_DAY.year - start + 1)
        while count < most and self.chance(0.4):
            count += 1
        years = [start, *sorted(self.rng.sample(range(start + 1, LAST_DAY.year + 1), count - 1))]
        statuses = self.rng.choice(STATUS_PATHS[count]) if count > 1 else [self.pick(SINGLE_STATUSES)]
        starts = [self.partial(year) for year in years]
        if self.chance(0.1):
            starts[0] = (None, DatePrecision.DAY)
        periods = []
        for index, (year, status, (begin, precision)) in enumerate(zip(years, statuses, starts, strict=True)):
            end, end_precision = None, DatePrecision.DAY
            if index + 1 < count:
                end, end_precision = self.ending(begin, starts[index + 1][0] - datetime.timedelta(days=1))
            elif status != "removed" and self.chance(0.12):
                day = (begin or FIRST_DAY) + datetime.timedelta(days=self.rng.randint(30, 1500))
                end, end_precision = self.ending(begin, min(LAST_DAY, day))
            periods.append((year, status, begin, precision, end, end_precision))
        return periods


FILLED = [Country, Vendor, Initiative, Carrier, Source, Event, CountryPosition, CleanLabel, EquipmentUse]


class Command(BaseCommand):
    help = "Fill an empty database with deterministic synthetic data for load tests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=SHAPES,
            metavar="{world,stress}",
            default="world",
            help="world: every country, 2,000 carriers, 50,000 equipment facts; stress: 40,000 and 1,000,000.",
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data (default 1).")

    def handle(self, scale, seed, verbosity, **options):
        found = [str(model._meta.verbose_name_plural) for model in FILLED if model.objects.exists()]
        if found:
            raise CommandError(f"The database already has {', '.join(found)}: generate_dataset fills an empty one.")
        started = time.monotonic()

        def report(message):
            if verbosity:
                self.stdout.write(f"{time.monotonic() - started:7.1f} s  {message}")

        writer = Writer()
        generator = Generator(SHAPES[scale], seed, writer, report)
        with transaction.atomic():
            for step in ["countries", "vendors", "initiatives", "carriers", "sources", "events", "positions", "labels"]:
                table = getattr(generator, step)()
                report(f"{table.model._meta.verbose_name_plural}: {table.count:,}")
            generator.equipment()
            writer.flush()
            report("rows written" + ("; rebuilding indexes and checking foreign keys" if writer.copy else ""))
            writer.rebuild_indexes()
            writer.reset_sequences()
            # Bulk writes send no signals: move the data version past any a running process cached results under.
            number = max(DataVersion.current() + 1, time.time_ns() // 1000)
            DataVersion.objects.update_or_create(pk=1, defaults={"number": number})
        report("committed" + ("; analysing" if connection.vendor == "postgresql" else ""))
        writer.analyze()
        if verbosity:
            for table in writer.tables:
                self.stdout.write(f"{table.count:>12,}  {table.model._meta.verbose_name_plural}")
            self.stdout.write(f"{scale} scale, seed {seed}: {time.monotonic() - started:.1f} s")
