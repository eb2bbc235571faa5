"""Generating each table's rows, deterministically from a seed."""

import datetime
import itertools
import random
from decimal import Decimal

import pycountry
from django.utils import timezone
from django.utils.text import slugify

from carriers.models import (
    Carrier,
    CleanLabel,
    CleanLabelCitation,
    Country,
    CountryPosition,
    CountryPositionCitation,
    DatePrecision,
    EquipmentUse,
    EquipmentUseCitation,
    Event,
    EventCitation,
    EventKind,
    Initiative,
    InitiativeKind,
    NetworkSegment,
    Source,
    Technology,
    Vendor,
)
from carriers.models.aliases import parse as parse_aliases
from carriers.models.dates import truncate

from .vocabulary import (
    AREAS,
    BIG_MARKETS,
    CARRIER_KINDS,
    CONFIDENCES,
    DIALOGUES,
    ENDINGS,
    EVENT_COUNTRY_COUNTS,
    EVENT_INITIATIVE_COUNTS,
    EVENT_KINDS,
    FIRST_DAY,
    FIXED_TECHNOLOGIES,
    INITIATIVE_COUNT,
    INITIATIVE_NOUNS,
    INITIATIVE_WORDS,
    KINDS,
    LAST_DAY,
    LEGAL_FORMS,
    LOCATIONS,
    MAX_FACTS_PER_CARRIER,
    PUBLISHERS,
    RADIO_TECHNOLOGIES,
    REAL_VENDORS,
    REGION_OF,
    ROLES,
    SEGMENTS,
    SINGLE_STATUSES,
    SOURCE_LAG,
    SPONSORS,
    STANCE_VERBS,
    STANCES,
    STATUS_PATHS,
    STEMS,
    SURNAMES,
    TARGET_COUNTS,
    TARGETED,
    TECHNOLOGY_YEARS,
    UNINHABITED,
    VENDOR_COUNT,
    VENDOR_KINDS,
    YEARS,
    Pool,
    allocate,
    unique_slug,
    zipf,
)


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
                quoted = quote if self.chance(0.7) else ""
                # Every citation carries the source's words or a note on what it states.
                note = "" if quoted and not self.chance(0.05) else "Paraphrased: the source words it differently."
                table.add(fact, source, quoted, location, note)

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
            table.add(name, unique_slug(name, slugs), headquarters, parse_aliases(aliases))
        while table.count < VENDOR_COUNT:
            name = f"{self.rng.choice(STEMS)}{self.rng.choice(ENDINGS)} {self.rng.choice(VENDOR_KINDS)}"
            if name not in names:
                names.append(name)
                table.add(name, unique_slug(name, slugs), self.pick(self.markets), [])
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
            aliases = parse_aliases(f"{name} {self.rng.choice(LEGAL_FORMS)}") if self.chance(0.3) else []
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
            Source, "key title publisher url offline published_on published_on_precision accessed_on archive_url notes"
        )
        publishers = Pool(PUBLISHERS, zipf(len(PUBLISHERS), 0.8))
        titles, keys, by_year = set(), {}, {}
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
            key = unique_slug(title, keys)
            # A source with no address stands for a print or mailed document.
            source = table.add(key, title, publisher, url, not url, published, precision, accessed, archive, notes)
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
        slugs, sessions, self.event_details = {}, {}, []
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
            # Two events never share a name and a date: a second one the same day is another session.
            sessions[name.casefold(), held] = session = sessions.get((name.casefold(), held), 0) + 1
            if session > 1:
                name = f"{name} (session {session})"
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
