"""CSV downloads of the public lists: readable columns, streamed, safe to open in a spreadsheet."""

import csv
import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F
from django.http import StreamingHttpResponse
from django.utils import timezone

from . import spreadsheet
from .kept.rows import KeptRows
from .models import EquipmentUse, aliases
from .models.citing import KEY_SEPARATOR
from .pgcopy import PartialDateText, UtcTimestampText, copy_sql, stream_copy

logger = logging.getLogger(__name__)

STREAM_CHUNK_SIZE = 2000
BYTE_ORDER_MARK = "\ufeff"


def iso(partial_date):
    return partial_date.isoformat() if partial_date else ""


def rfc3339(moment):
    """A moment in UTC to the microsecond, always six digits, as PostgreSQL's TO_CHAR writes it (UtcTimestampText)."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def joined(values):
    return KEY_SEPARATOR.join(str(value) for value in values)


def cited_sources(fact):
    """The keys of the sources a fact cites, each once, in the order first cited."""
    keys = {citation.source_id: citation.source.key for citation in fact.citations.all()}
    return joined(keys.values())


ALIASES_COLUMN = (
    "Other names, one per line, each followed by its BCP 47 language tag in brackets: LG유플러스 [ko] "
    "(no tag: undetermined; a script subtag, ko-Latn, where the letters are not in the one named)."
)
SOURCES_COLUMN = "Keys of the cited sources (see sources.csv), separated by ' | '."


def text(path):
    return spreadsheet.Escaped(F(path))


def lines(multiline):
    """Free text kept one item per line (participants): one per line in the cell too."""
    return "\n".join(line.strip() for line in multiline.splitlines() if line.strip())


@dataclass(frozen=True)
class Column:
    header: str
    description: str
    value: Callable[[Any], Any]
    # The same cell as a SQL expression, for PostgreSQL's COPY; text goes through SpreadsheetSafe.
    sql: Any = None


class Export:
    def __init__(self, name, title, columns, prefetch=(), kept=None):
        self.name = name
        self.title = title
        self.columns = columns
        self.prefetch = prefetch
        # KeptRows: PostgreSQL keeps this export's rows ready (the biggest list's, carriers.kept.rows).
        self.kept = kept

    def rows(self, queryset):
        for record in queryset.prefetch_related(*self.prefetch).iterator(chunk_size=STREAM_CHUNK_SIZE):
            yield [spreadsheet.escape(column.value(record)) for column in self.columns]

    def lines(self, queryset, countries=None):
        """The CSV text: from PostgreSQL's COPY where every column has its SQL twin, else written in Python."""
        yield csv_line([column.header for column in self.columns])
        if connection.vendor == "postgresql" and all(column.sql is not None for column in self.columns):
            yield from stream_copy(self.copy_sql(queryset, countries), using=queryset.db)
        else:
            yield from (csv_line(row) for row in self.rows(queryset))

    def copy_sql(self, queryset, countries=None):
        """The SELECT that PostgreSQL's COPY streams: from the kept rows where they serve, else computed.
        `countries`: see KeptRows.select_sql."""
        kept = self.kept and self.kept.select_sql(self, queryset, countries)
        return kept or copy_sql(queryset, [column.sql for column in self.columns])

    def response(self, request, queryset, filename_parts=(), byte_order_mark=False, countries=None):
        chunks = self.lines(queryset, countries)
        if byte_order_mark:
            chunks = prepend(BYTE_ORDER_MARK, chunks)
        response = StreamingHttpResponse(failing_loudly(chunks, request), content_type="text/csv; charset=utf-8")
        filename = "-".join([self.name, *filename_parts, timezone.localdate().isoformat()])
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response


class EchoBuffer:
    """A file-like object whose write() returns the text, so csv.writer can feed a generator."""

    def write(self, text):
        return text


# With CRLF as its terminator, csv quotes any field holding CR or LF, as PostgreSQL's COPY does;
# lines then end in LF alone, as COPY's do, so both paths write the same bytes.
CSV_WRITER = csv.writer(EchoBuffer(), lineterminator="\r\n")


def csv_line(row):
    return CSV_WRITER.writerow(row)[:-2] + "\n"


def prepend(first, rest):
    yield first
    yield from rest


def failing_loudly(chunks, request):
    """Log a download that fails after its first bytes left, then let the error end the transfer.

    The status line is already sent by then, so the error propagates to the WSGI server, which
    drops the connection before the final chunk: clients report a failed transfer, never a
    well-formed but truncated file.
    """
    try:
        yield from chunks
    except Exception:
        logger.exception("CSV download failed midway: %s %s", request.method, request.get_full_path())
        raise


def fact_columns(*columns):
    """A fact's columns between its public id and its last change, which every fact list carries."""
    return [
        Column(
            "id",
            "The fact's public id, stable across edits; citations.csv names the fact by it (with fact_type).",
            lambda fact: fact.pk,
            F("id"),
        ),
        *columns,
        Column(
            "changed",
            "When the fact or its citations last changed (RFC 3339, UTC).",
            lambda fact: rfc3339(fact.updated_at),
            UtcTimestampText("updated_at"),
        ),
    ]


CARRIERS = Export(
    "carriers",
    "Carriers",
    [
        Column("slug", "The carrier's identifier in URLs: /carriers/<slug>/.", lambda c: c.slug),
        Column("name", "The carrier's name.", lambda c: c.name),
        Column("country", "ISO 3166-1 alpha-2 code of its country.", lambda c: c.country_id),
        Column("country_name", "Its country's name.", lambda c: c.country.name),
        Column("aliases", ALIASES_COLUMN, lambda c: aliases.as_text(c.aliases)),
        Column("website", "Its website.", lambda c: c.website),
        Column("subscribers", "Subscriber count, where a source states one.", lambda c: c.subscribers),
        Column(
            "subscribers_as_of",
            "Date of that count (YYYY-MM-DD).",
            lambda c: c.subscribers_as_of.isoformat() if c.subscribers_as_of else "",
        ),
        Column("equipment_uses", "Number of recorded equipment-use facts.", lambda c: c.equipment_use_count),
        Column("clean_labels", "Number of recorded clean labels.", lambda c: c.label_count),
    ],
)

EQUIPMENT_USES = Export(
    "equipment",
    "Equipment uses",
    fact_columns(
        Column("carrier", "The carrier's slug.", lambda u: u.carrier.slug, text("carrier__slug")),
        Column("carrier_name", "The carrier's name.", lambda u: u.carrier.name, text("carrier__name")),
        Column(
            "country",
            "ISO 3166-1 alpha-2 code of the carrier's country.",
            lambda u: u.carrier.country_id,
            text("carrier__country_id"),
        ),
        Column("vendor", "The vendor's slug.", lambda u: u.vendor.slug, text("vendor__slug")),
        Column("vendor_name", "The vendor's name.", lambda u: u.vendor.name, text("vendor__name")),
        Column(
            "segment",
            "Network segment: ran, core, transport, fixed-access, other.",
            lambda u: u.segment,
            text("segment"),
        ),
        Column("technology", "2g, 3g, 4g, 5g, fixed or unknown.", lambda u: u.technology, text("technology")),
        Column("status", "planned, in-use, phasing-out, removed or unknown.", lambda u: u.status, text("status")),
        Column(
            "valid_from",
            "Start, ISO 8601 at its precision (2020, 2020-08, 2020-08-05); empty when unknown.",
            lambda u: iso(u.valid_from_date),
            PartialDateText("valid_from"),
        ),
        Column(
            "valid_to",
            "End, ISO 8601 at its precision; empty while in force.",
            lambda u: iso(u.valid_to_date),
            PartialDateText("valid_to"),
        ),
        Column(
            "share_percent",
            "The vendor's share of the segment in percent, if stated.",
            lambda u: u.share_percent,
            F("share_percent"),
        ),
        Column("confidence", "confirmed, reported or disputed.", lambda u: u.confidence, text("confidence")),
        Column("notes", "Researchers' notes.", lambda u: u.notes, text("notes")),
        Column(
            "sources",
            SOURCES_COLUMN,
            cited_sources,
            text("cited_sources"),  # the database's own summary of the citations (migration 0015)
        ),
    ),
    kept=KeptRows(
        "carriers_equipmentcsvrow",
        EquipmentUse,
        country="carrier__country",
        related={"carriers_carrier": "carrier_id", "carriers_vendor": "vendor_id"},
    ),
)

COUNTRIES = Export(
    "countries",
    "Countries",
    [
        Column("code", "ISO 3166-1 alpha-2 code.", lambda c: c.code),
        Column("name", "The country's name.", lambda c: c.name),
        Column("region", "Continent: africa, americas, asia, europe, oceania, antarctica.", lambda c: c.region),
        Column("carriers", "Number of carriers tracked in the country.", lambda c: c.carrier_count),
    ],
)

VENDORS = Export(
    "vendors",
    "Vendors",
    [
        Column("slug", "The vendor's identifier in URLs: /vendors/<slug>/.", lambda v: v.slug),
        Column("name", "The vendor's name.", lambda v: v.name),
        Column("headquarters", "ISO code of its headquarters country.", lambda v: v.headquarters_id),
        Column("aliases", ALIASES_COLUMN, lambda v: aliases.as_text(v.aliases)),
        Column(
            "targeted_by",
            "Slugs of the initiatives that target it, separated by ' | '.",
            lambda v: joined(i.slug for i in v.targeting_initiatives.all()),
        ),
    ],
    prefetch=["targeting_initiatives"],
)

INITIATIVES = Export(
    "initiatives",
    "Initiatives",
    [
        Column("slug", "The initiative's identifier in URLs: /initiatives/<slug>/.", lambda i: i.slug),
        Column("name", "The initiative's name.", lambda i: i.name),
        Column("sponsor", "ISO code of the sponsoring country.", lambda i: i.sponsor_id),
        Column("kind", "program, law, regulation or guidance.", lambda i: i.kind),
        Column("launched_on", "Launch, ISO 8601 at its precision.", lambda i: iso(i.launched)),
        Column("ended_on", "End, ISO 8601 at its precision; empty while in force.", lambda i: iso(i.ended)),
        Column("led_by", "Who launched or leads it.", lambda i: i.led_by),
        Column("official_url", "Its official page.", lambda i: i.official_url),
        Column(
            "targeted_vendors",
            "Slugs of the vendors it targets, separated by ' | '.",
            lambda i: joined(v.slug for v in i.targeted_vendors.all()),
        ),
    ],
    prefetch=["targeted_vendors"],
)

EVENTS = Export(
    "events",
    "Events",
    fact_columns(
        Column("slug", "The event's identifier.", lambda e: e.slug),
        Column("name", "The event's name.", lambda e: e.name),
        Column("kind", "meeting, announcement, court-ruling or other.", lambda e: e.kind),
        Column("held_on", "When, ISO 8601 at its precision.", lambda e: iso(e.held)),
        Column(
            "countries",
            "ISO codes of the countries involved, separated by ' | '.",
            lambda e: joined(c.code for c in e.countries.all()),
        ),
        Column(
            "initiatives",
            "Slugs of the initiatives discussed, separated by ' | '.",
            lambda e: joined(i.slug for i in e.initiatives.all()),
        ),
        Column(
            "restrictions",
            "Slugs of the restrictions it concerns, separated by ' | '.",
            lambda e: joined(r.slug for r in e.restrictions.all()),
        ),
        Column("participants", "Participants, one per line.", lambda e: lines(e.participants)),
        Column("summary", "What happened.", lambda e: e.summary),
        Column("sources", SOURCES_COLUMN, cited_sources),
    ),
    prefetch=["countries", "initiatives", "restrictions"],
)

CLEAN_LABELS = Export(
    "labels",
    "Clean labels",
    fact_columns(
        Column("carrier", "The labelled carrier's slug.", lambda label: label.carrier.slug),
        Column("carrier_name", "The carrier's name.", lambda label: label.carrier.name),
        Column("country", "ISO code of the carrier's country.", lambda label: label.carrier.country_id),
        Column("initiative", "Slug of the initiative that gave the label.", lambda label: label.initiative.slug),
        Column("wording", "The label as the source words it.", lambda label: label.wording),
        Column(
            "scope_segment",
            "Network segment the label covers; empty: the whole network.",
            lambda label: label.scope_segment,
        ),
        Column("scope_technology", "Technology the label covers; empty: all.", lambda label: label.scope_technology),
        Column("awarded_on", "Award, ISO 8601 at its precision; empty when unknown.", lambda label: iso(label.awarded)),
        Column(
            "withdrawn_on",
            "Withdrawal, ISO 8601 at its precision; empty while held.",
            lambda label: iso(label.withdrawn),
        ),
        Column("notes", "Researchers' notes.", lambda label: label.notes),
        Column("sources", SOURCES_COLUMN, cited_sources),
    ),
)

COUNTRY_POSITIONS = Export(
    "positions",
    "Country positions",
    fact_columns(
        Column("country", "ISO code of the country.", lambda position: position.country_id),
        Column("country_name", "The country's name.", lambda position: position.country.name),
        Column("initiative", "Slug of the initiative.", lambda position: position.initiative.slug),
        Column("stance", "joined, supports, undecided, declined or withdrew.", lambda position: position.stance),
        Column("stated_on", "When, ISO 8601 at its precision.", lambda position: iso(position.stated)),
        Column("stated_by", "Who stated it.", lambda position: position.stated_by),
        Column("statement", "The statement, quoted.", lambda position: position.statement),
        Column(
            "event",
            "Slug of the event where it was stated.",
            lambda position: position.event.slug if position.event else "",
        ),
        Column("notes", "Researchers' notes.", lambda position: position.notes),
        Column("sources", SOURCES_COLUMN, cited_sources),
    ),
)

RESTRICTIONS = Export(
    "restrictions",
    "Restrictions",
    fact_columns(
        Column("slug", "The restriction's identifier, as deadlines.csv and events.csv name it.", lambda r: r.slug),
        Column("country", "ISO code of the deciding government (EU for the European Union).", lambda r: r.country_id),
        Column("country_name", "Its name.", lambda r: r.country.name),
        Column("title", "What was decided.", lambda r: r.title),
        Column(
            "instrument",
            "law, regulation, licence-condition, agreement, guidance, court-ruling or statement.",
            lambda r: r.instrument,
        ),
        Column(
            "vendors",
            "Slugs of the vendors it names, separated by ' | '; empty when it names none.",
            lambda r: joined(v.slug for v in r.vendors.all()),
        ),
        Column(
            "segments",
            "Network segments it covers, separated by ' | '; empty: not narrowed.",
            lambda r: joined(r.segments),
        ),
        Column(
            "technologies",
            "Technologies it covers, separated by ' | '; empty: not narrowed.",
            lambda r: joined(r.technologies),
        ),
        Column(
            "kind",
            "ban-new, removal, share-cap, exclusion-sensitive or no-restriction.",
            lambda r: r.kind,
        ),
        Column("status", "proposed, in-force, suspended or repealed.", lambda r: r.status),
        Column("decided_on", "Decision, ISO 8601 at its precision; empty when unknown.", lambda r: iso(r.decided)),
        Column(
            "effective_on", "Taking effect, ISO 8601 at its precision; empty when unknown.", lambda r: iso(r.effective)
        ),
        Column("deadlines", "Number of its deadlines (see deadlines.csv).", lambda r: len(r.deadlines.all())),
        Column("notes", "Researchers' notes.", lambda r: r.notes),
        Column("sources", SOURCES_COLUMN, cited_sources),
    ),
    prefetch=["vendors", "deadlines"],
)

DEADLINES = Export(
    "deadlines",
    "Deadlines",
    fact_columns(
        Column("country", "ISO code of the government that set it.", lambda d: d.restriction.country_id),
        Column("restriction", "Slug of its restriction (see restrictions.csv).", lambda d: d.restriction.slug),
        Column("restriction_title", "Its restriction's title.", lambda d: d.restriction.title),
        Column(
            "due",
            "When it falls due, ISO 8601 at its precision: 2027 means by the end of 2027.",
            lambda d: iso(d.due_date),
        ),
        Column("due_by", "The last day of that period (YYYY-MM-DD).", lambda d: d.due_by.isoformat()),
        Column(
            "segments", "Its own segments, separated by ' | '; empty: its restriction's.", lambda d: joined(d.segments)
        ),
        Column("technologies", "Its own technologies; empty: its restriction's.", lambda d: joined(d.technologies)),
        Column(
            "milestone",
            "What must be done by then: removal, no-new, share-cap or other.",
            lambda d: d.milestone,
        ),
        Column("scope", "The parts of the network it concerns, in words.", lambda d: d.scope),
        Column("description", "The milestone in plain words.", lambda d: d.description),
        Column(
            "days_remaining",
            "Days from the download's date to due_by; negative once passed.",
            lambda d: d.days_remaining(timezone.localdate()),
        ),
        Column("notes", "Researchers' notes.", lambda d: d.notes),
        Column("sources", SOURCES_COLUMN, cited_sources),
    ),
)

SOURCES = Export(
    "sources",
    "Sources",
    [
        Column("key", "The source's stable identifier, as fact CSVs cite it.", lambda source: source.key),
        Column("title", "The source's title.", lambda source: source.title),
        Column("publisher", "Who published it.", lambda source: source.publisher),
        Column("url", "Where it is online; empty for offline documents.", lambda source: source.url),
        Column(
            "offline",
            "true for a document with no web address (print, mail), else false.",
            lambda source: "true" if source.offline else "false",
        ),
        Column(
            "published_on",
            "Publication, ISO 8601 at its precision; empty when unknown.",
            lambda source: iso(source.published),
        ),
        Column(
            "accessed_on",
            "When a researcher last read it (YYYY-MM-DD).",
            lambda source: source.accessed_on.isoformat() if source.accessed_on else "",
        ),
        Column("archive_url", "An archived copy.", lambda source: source.archive_url),
        Column("notes", "Researchers' notes.", lambda source: source.notes),
    ],
)

CITATIONS = Export(
    "citations",
    "Citations",
    [
        Column(
            "fact_type",
            "The kind of fact, by the name of its CSV: equipment, labels, positions, events, restrictions, deadlines.",
            lambda c: c.fact_type,
        ),
        Column("fact_id", "The fact's public id: the id column of that CSV.", lambda c: c.fact_id),
        Column(
            "fact",
            "The fact's identifying cells in that CSV's order, separated by ' | ' (as an import names it).",
            lambda c: c.fact_key,
        ),
        Column("source", "The cited source's key (see sources.csv).", lambda c: c.source.key),
        Column("quote", "The source's own words that state the fact.", lambda c: c.quote),
        Column("location", "Where in the source: page, paragraph, section.", lambda c: c.location),
        Column("note", "What the source states, in the researcher's words, where no quote fits.", lambda c: c.note),
    ],
)

ALL = [
    CARRIERS,
    EQUIPMENT_USES,
    CLEAN_LABELS,
    COUNTRY_POSITIONS,
    COUNTRIES,
    VENDORS,
    INITIATIVES,
    EVENTS,
    RESTRICTIONS,
    DEADLINES,
    SOURCES,
    CITATIONS,
]
