"""How many equipment facts are in force on a date, kept by PostgreSQL as counts of first and last days.

The dashboard's headline and every vendor page count the facts in force on the date they show. At
1,000,000 facts that was a scan of every fact (or of a vendor's 400,000) testing partial dates: about
100 ms at each first visit after an edit. A fact is in force at any time of a period [first, last] when it
starts on or before `last` and does not end before `first`; as no fact ends before it starts, their number
is (facts starting on or before `last`) minus (facts ending before `first`). This table keeps, per day,
how many facts start and how many end on it (an unknown start on -infinity, an unknown end on infinity),
for all the facts (vendor 0) and per vendor: a count reads a few thousand rows, one per day a period
starts or ends, however many facts there are. Statement triggers add each write's changes
(kept.folding_function).
"""

from django.db import connections

from ..models.dates import period
from . import folded_counts, install
from .uses import whole_period_sql

TABLE = "carriers_equipmentinforce"
EVERY_VENDOR = 0  # the vendor_id of the counts of all the facts (vendors' ids start at 1)


def counted(facts="carriers_equipmentuse"):
    """SELECT vendor_id, day, starting, ending: the facts of the table `facts` starting and ending per day."""
    starts, ends = whole_period_sql("f", "valid_from", "valid_to")
    return (
        "SELECT v.vendor_id, d.day, SUM(d.starting) AS starting, SUM(d.ending) AS ending "
        f"FROM {facts} f CROSS JOIN LATERAL (VALUES ({EVERY_VENDOR}::bigint), (f.vendor_id)) AS v(vendor_id) "
        f"CROSS JOIN LATERAL (VALUES ({starts}, 1, 0), ({ends}, 0, 1)) AS d(day, starting, ending) "
        "GROUP BY v.vendor_id, d.day"
    )


def statements():
    from ..models import EquipmentUse

    facts = EquipmentUse._meta.db_table
    yield f"DROP TABLE IF EXISTS {TABLE}"
    yield (
        f"CREATE TABLE {TABLE} (vendor_id bigint NOT NULL, day date NOT NULL, "
        "starting bigint NOT NULL, ending bigint NOT NULL)"
    )
    yield f"INSERT INTO {TABLE} {counted(facts)}"
    yield f"CREATE INDEX {TABLE}_by_vendor ON {TABLE} (vendor_id, day) INCLUDE (starting, ending)"
    yield f"ANALYZE {TABLE}"
    yield from folded_counts(TABLE, facts, ["vendor_id", "day"], ["starting", "ending"], counted)
    yield f"COMMENT ON TABLE {TABLE} IS '{{digest}}'"


def keep(using):
    install(TABLE, statements(), using)


def count(using, on, vendor_id=EVERY_VENDOR):
    """(the facts, those in force at any time of `on`; all when None) of every vendor or of `vendor_id`."""
    first, last = period(on) if on is not None else (None, None)
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(starting), 0), "
            "COALESCE(SUM(starting) FILTER (WHERE %s IS NULL OR day <= %s), 0) "
            "- COALESCE(SUM(ending) FILTER (WHERE day < %s), 0) "
            f"FROM {TABLE} WHERE vendor_id = %s",
            [last, last, first, vendor_id],
        )
        return tuple(int(number) for number in cursor.fetchone())  # SUM of bigints is numeric
