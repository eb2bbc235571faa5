"""A list's facet counts kept by PostgreSQL per value, so the unfiltered list is not a scan of every fact.

At 1,000,000 equipment facts, counting the facets of the unfiltered /equipment/ (one grouped scan)
took over a second: the first visitor after every edit waited for it. Here every statement writing
facts appends what it changed to each facet value's count (+ for rows written, - for rows forgotten;
kept.folding_function), and a carrier moving country moves its facts' counts. Reading sums the rows
per value.

Only a list with no filter chosen reads them (any filter narrows the rows, which the scan counts).
"""

from django.db import connections
from django.db.models import Count, F, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from ..pgcopy import inline_sql
from . import RECORDS, changed_facts, folded_counts, folding_function, install, trigger

TOTAL = -1  # the facet number of the rows counted in all, as in facets.GroupedScan


class KeptCounts:
    """The facet counts of a FilterSet's list, kept in `table`.

    `related`: {table of records: the facts' foreign key to it} for records whose columns a facet reads
    (a carrier's country): an update there moves the counts of their facts.
    """

    def __init__(self, table, related=None):
        self.table = table
        self.related = related or {}

    def keys(self, filterset_class):
        """The facets the list's grouped scan counts (facets.GroupedScan), numbered as it numbers them."""
        from ..facets import FacetKey

        scanned = [name for name in filterset_class.facets if name not in filterset_class.separately_counted]
        return [FacetKey(filterset_class._meta.model, *filterset_class.facets[name]) for name in scanned]

    def counted(self, filterset_class, connection, facts_from=None, joined=None, only_facts=None):
        """SELECT facet, key, rows: rows per facet value and in all. `facts_from` stands in for the facts
        table (a trigger's transition table), `joined` for related tables ({table: transition table});
        `only_facts`, SQL of the ids of the facts to count."""
        model = filterset_class._meta.model
        facts = model._base_manager.using(connection.alias).order_by()
        if only_facts:
            facts = facts.filter(pk__in=RawSQL(only_facts, ()))
        ids = inline_sql(facts.values("pk"))
        parts = [f"SELECT {TOTAL} AS facet, '' AS key, COUNT(*) AS rows FROM ({ids}) AS facts"]
        for index, key in enumerate(self.keys(filterset_class)):
            grouped = (
                facts.filter(**{f"{key.path}__isnull": False})
                .values(key=Cast(F(key.path), TextField()))
                .annotate(rows=Count("pk"))
                .values_list("key", "rows")
            )
            parts.append(f"SELECT {index} AS facet, key, rows FROM ({inline_sql(grouped)}) AS facet_{index}")
        sql = " UNION ALL ".join(parts)
        quote = connection.ops.quote_name
        if facts_from:
            facts_table = quote(model._meta.db_table)
            sql = replaced(sql, f"FROM {facts_table}", f"FROM {facts_from} AS {facts_table}")
        for table, transition in (joined or {}).items():
            sql = sql.replace(f"JOIN {quote(table)} ON", f"JOIN {transition} AS {quote(table)} ON")
        return sql

    def function(self, name, plus, minus):
        """A trigger function adding the counts of `plus` and taking away those of `minus` (SQL or None)."""
        return folding_function(self.table, name, ["facet", "key"], ["rows"], plus, minus)

    def statements(self, filterset_class, connection):
        table, model = self.table, filterset_class._meta.model
        facts = model._meta.db_table
        yield f"DROP TABLE IF EXISTS {table}"
        yield f"CREATE TABLE {table} (facet smallint NOT NULL, key text NOT NULL, rows bigint NOT NULL)"
        yield f"INSERT INTO {table} {self.counted(filterset_class, connection)}"
        yield f"CREATE INDEX {table}_by_value ON {table} (facet, key)"
        yield f"ANALYZE {table}"
        yield from folded_counts(
            table,
            facts,
            ["facet", "key"],
            ["rows"],
            lambda transition_table: self.counted(filterset_class, connection, facts_from=transition_table),
        )
        for related, foreign_key in self.related.items():
            # The facts of the records that changed, counted with the records as they were and as they are.
            changed = changed_facts(facts, foreign_key)
            now, before = (
                self.counted(filterset_class, connection, joined={related: records}, only_facts=changed)
                for records in ("new_records", "old_records")
            )
            yield self.function(f"{table}_{related}_move", now, before)
            yield trigger(related, f"{table}_{related}", "UPDATE", f"{table}_{related}_move", RECORDS)
        yield f"COMMENT ON TABLE {table} IS '{{digest}}'"

    def install(self, filterset_class, using):
        install(self.table, self.statements(filterset_class, connections[using]), using)

    def grouped_sql(self, keys, connection):
        """The counts in the shape of facets.GroupedScan's scans: facet, key_0 ... key_n (the facet's key in
        its own column, typed), rows."""
        columns = [
            f"CASE WHEN facet = {index} THEN CAST(key AS {key.field.rel_db_type(connection)}) END AS key_{index}"
            for index, key in enumerate(keys)
        ]
        return (
            f"SELECT facet, {', '.join(columns)}, CAST(SUM(rows) AS bigint) AS rows FROM {self.table} "
            "GROUP BY facet, key HAVING SUM(rows) <> 0"
        )


def replaced(sql, old, new):
    """`sql` with every `old` replaced; `old` must be there."""
    if old not in sql:
        raise ValueError(f"{old!r} is not in the SQL: {sql}")
    return sql.replace(old, new)
