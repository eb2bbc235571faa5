"""The facts meaning that a carrier uses a vendor, kept by PostgreSQL with their whole periods.

"Carriers using a (targeted) vendor on a date" is the dashboard's, the world map's, every country and
vendor page's figure and a filter of the carriers list. At 1,000,000 equipment facts, finding them
meant testing each fact's status and dates (partial dates: a period's precision decides its last day)
and its vendor's targeting, per carrier: two thirds of a second. This table holds one narrow row per
fact in use (its carrier, the carrier's country, its vendor, whether an initiative targets that vendor,
the first and last day it may be in force, unknown ends as infinity), so each figure is a scan of an
index with two date comparisons. Statement triggers rewrite a fact's row whenever it is written, a
carrier's rows when it moves country, and a vendor's flag when initiatives start or stop targeting it.
Counts of carriers read the same facts merged per carrier and vendor (periods.py); a vendor's footprint,
which also counts facts, reads this table.
"""

from django.db import connections
from django.db.models import DateField, Exists, F, IntegerField, OuterRef
from django.db.models.expressions import RawSQL

from ..models.dates import DatePrecision, period
from ..pgcopy import inline_sql
from . import install, per_fact, periods, trigger

TABLE = "carriers_equipmentinuse"


def period_end(column):
    """SQL: the last day of the period stored in `column` (its first day) and `<column>_precision`."""
    months = {DatePrecision.MONTH: "1 month", DatePrecision.YEAR: "1 year"}
    cases = " ".join(
        f"WHEN '{precision}' THEN ({column} + interval '{length}' - interval '1 day')::date"
        for precision, length in months.items()
    )
    return f"CASE {column}_precision {cases} ELSE {column} END"


def definition(facts_sql=None):
    """The SELECT of the rows of the facts `facts_sql` names (all without it), from the same definitions as
    EquipmentUseQuerySet.in_use and .targeted."""
    from ..models import EquipmentUse, Initiative
    from ..models.facts import USING_STATUSES

    facts = EquipmentUse.objects.filter(status__in=USING_STATUSES).order_by()
    if facts_sql:
        facts = facts.filter(pk__in=RawSQL(facts_sql, ()))
    table = EquipmentUse._meta.db_table
    targeting = Initiative.targeted_vendors.through.objects.filter(vendor=OuterRef("vendor"))
    rows = facts.values_list(
        F("pk"),
        F("carrier_id"),
        F("carrier__country_id"),
        F("vendor_id"),
        Exists(targeting),
        *whole_period(table, "valid_from", "valid_to"),
    )
    return inline_sql(rows)


def whole_period_sql(table, start, end):
    """SQL of the first and the last day a fact of `table` (its partial dates `start` and `end`) may be in
    force: unknown, -infinity and infinity."""
    first = f"COALESCE({table}.{start}, '-infinity'::date)"
    return first, f"COALESCE({period_end(f'{table}.{end}')}, 'infinity'::date)"


def whole_period(table, start, end):
    """whole_period_sql as expressions."""
    return tuple(RawSQL(sql, (), output_field=DateField()) for sql in whole_period_sql(table, start, end))


def country_follows_carriers(table):
    """The function and trigger moving `table`'s rows (carrier_id, country_id) with their carrier's country."""
    from ..models import Carrier

    yield f"""CREATE OR REPLACE FUNCTION {table}_move() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE {table} u SET country_id = n.country_id FROM new_records n
      WHERE u.carrier_id = n.id AND u.country_id IS DISTINCT FROM n.country_id;
      RETURN NULL;
    END $$"""
    yield trigger(Carrier._meta.db_table, f"{table}_move", "UPDATE", f"{table}_move", "NEW TABLE AS new_records")


def statements():
    from ..models import EquipmentUse, Initiative

    facts = EquipmentUse._meta.db_table
    targeting = Initiative.targeted_vendors.through._meta.db_table
    yield f"DROP TABLE IF EXISTS {TABLE}"
    yield (
        f"CREATE TABLE {TABLE} (fact_id bigint PRIMARY KEY, carrier_id bigint NOT NULL, "
        "country_id varchar(2) NOT NULL, vendor_id bigint NOT NULL, targeted boolean NOT NULL, "
        "starts date NOT NULL, ends date NOT NULL)"
    )
    yield f"INSERT INTO {TABLE} {definition()}"
    yield f"CREATE INDEX {TABLE}_targeted ON {TABLE} (country_id, starts, ends, carrier_id) WHERE targeted"
    # With what a vendor's footprint groups by: an index-only scan.
    yield f"CREATE INDEX {TABLE}_by_vendor ON {TABLE} (vendor_id, starts, ends) INCLUDE (country_id, carrier_id)"
    yield f"CREATE INDEX {TABLE}_by_carrier ON {TABLE} (carrier_id)"
    yield f"ANALYZE {TABLE}"
    yield from per_fact(TABLE, facts, lambda ids: definition(facts_sql=ids), "fact_id")
    yield from country_follows_carriers(TABLE)
    # Initiatives starting or stopping to target a vendor: its facts' flag follows.
    yield f"""CREATE OR REPLACE FUNCTION {TABLE}_retarget() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN UPDATE {TABLE} SET targeted = false WHERE targeted; RETURN NULL; END IF;
      UPDATE {TABLE} u SET targeted = EXISTS (SELECT 1 FROM {targeting} t WHERE t.vendor_id = u.vendor_id)
      WHERE u.vendor_id IN (SELECT vendor_id FROM changed_targets);
      RETURN NULL;
    END $$"""
    for event, records in (("INSERT", "NEW TABLE AS changed_targets"), ("DELETE", "OLD TABLE AS changed_targets")):
        yield trigger(targeting, f"{TABLE}_{event.lower()}", event, f"{TABLE}_retarget", records)
    yield trigger(targeting, f"{TABLE}_truncate", "TRUNCATE", f"{TABLE}_retarget")
    # Built from this table and kept by triggers on it: rebuilt with it.
    yield from periods.statements(TABLE)
    yield f"COMMENT ON TABLE {TABLE} IS '{{digest}}'"


def kept(using):
    """Whether the database `using` keeps these tables and the others of carriers.kept (PostgreSQL does)."""
    return connections[using].vendor == "postgresql"


def keep(using):
    install(TABLE, statements(), using)


def in_force(on):
    """SQL and parameters: the kept rows in force at any time of `on` (all when None)."""
    if on is None:
        return "TRUE", []
    first, last = period(on)
    return "starts <= %s AND ends >= %s", [last, first]


def carriers_using(on, vendors=None):
    """RawSQL of the ids of carriers using any of `vendors` (ids; None: a targeted vendor) on `on`."""
    condition, params = in_force(on)
    chosen = "targeted" if vendors is None else "vendor_id = ANY(%s)"
    return RawSQL(
        f"SELECT carrier_id FROM {periods.TABLE} WHERE {chosen} AND {condition}",
        ([] if vendors is None else [list(vendors)]) + params,
    )


def carriers_using_in_country(country_column, on):
    """RawSQL: how many carriers of the country in the outer query's `country_column` use a targeted vendor."""
    condition, params = in_force(on)
    return RawSQL(
        f"SELECT COUNT(DISTINCT carrier_id) FROM {periods.TABLE} WHERE targeted AND country_id = {country_column} "
        f"AND {condition}",
        params,
        output_field=IntegerField(),
    )


def footprint(vendor_id, on, using):
    """Per country, the carriers using the vendor `vendor_id` on `on` and the facts in use, as
    EquipmentUseQuerySet.footprint_by_country gives them."""
    from ..models import Country

    condition, params = in_force(on)
    countries = Country._meta.db_table
    # Per carrier first (hashed), then per country: faster than COUNT(DISTINCT), which sorts.
    sql = (
        f"SELECT p.country_id, c.name, COUNT(*) AS carriers, SUM(p.uses) AS uses FROM (SELECT country_id, "
        f"carrier_id, COUNT(*) AS uses FROM {TABLE} u WHERE u.vendor_id = %s AND {condition} "
        f"GROUP BY country_id, carrier_id) AS p JOIN {countries} c ON c.code = p.country_id "
        "GROUP BY p.country_id, c.name ORDER BY carriers DESC, c.name"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [vendor_id, *params])
        names = ["carrier__country", "carrier__country__name", "carriers", "uses"]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def carriers_per_vendor(carriers, on):
    """Per vendor (slug, name), how many of the carriers `carriers` (a queryset) use it on `on`, most first,
    as rows like those of a facet's grouped query."""
    from ..models import Vendor

    condition, params = in_force(on)
    if carriers.query.where:
        sql, carrier_params = carriers.order_by().values("pk").query.sql_with_params()
        condition, params = f"{condition} AND u.carrier_id IN ({sql})", [*params, *carrier_params]
    vendors = Vendor._meta.db_table
    with connections[carriers.db].cursor() as cursor:
        # Pairs made distinct first (hashed), then counted: a third of the time of COUNT(DISTINCT), which sorts.
        cursor.execute(
            f"SELECT v.slug, v.name, p.carriers FROM (SELECT vendor_id, COUNT(*) AS carriers FROM "
            f"(SELECT DISTINCT u.vendor_id, u.carrier_id FROM {periods.TABLE} u WHERE {condition}) AS pairs "
            f"GROUP BY vendor_id) AS p JOIN {vendors} v ON v.id = p.vendor_id ORDER BY p.carriers DESC, v.slug",
            params,
        )
        return [{"vendor_slug": slug, "vendor_name": name, "rows": rows} for slug, name, rows in cursor.fetchall()]
