"""A list's facet counts kept by PostgreSQL per value, so the unfiltered list is not a scan of every fact.

At 1,000,000 equipment facts, counting the facets of the unfiltered /equipment/ (one grouped scan)
took over a second: the first visitor after every edit waited for it. Here every statement writing
facts appends what it changed to each facet value's count (+ for rows written, - for rows forgotten;
kept.folding_function), and a carrier moving country moves its facts' counts. Reading sums the rows
per value.

Only a list with no filter chosen reads them (any filter narrows the rows, which the scan counts).
"""

from django.db import connections
from django.db.models import Count, F, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat

from ..pgcopy import inline_sql
from . import RECORDS, changed_facts, folded_counts, folding_function, install, trigger

TOTAL = -1  # the facet number of the rows counted in all, as in facets.GroupedScan
# A kept pair of facets (a, b), numbered as GroupedScan numbers facets, is facet PAIRED + PAIR_STRIDE * a + b;
# its keys are a's and b's joined by PAIR_SEPARATOR (no key holds it: ids, codes and choices).
PAIRED, PAIR_STRIDE, PAIR_SEPARATOR = 100, 10, "|"


class KeptCounts:
    """The facet counts of a FilterSet's list, kept in `table`.

    `related`: {table of records: the facts' foreign key to it} for records whose columns a facet reads
    (a carrier's country): an update there moves the counts of their facts.
    """

    def __init__(self, table, related=None, pairs=()):
        self.table = table
        self.related = related or {}
        self.pairs = pairs

    @staticmethod
    def scanned(filterset_class):
        """The facets the list's grouped scan counts (facets.GroupedScan), in the order it numbers them."""
        return [name for name in filterset_class.facets if name not in filterset_class.separately_counted]

    def keys(self, filterset_class):
        from ..facets import FacetKey

        model = filterset_class._meta.model
        return [FacetKey(model, *filterset_class.facets[name]) for name in self.scanned(filterset_class)]

    def numbered_pairs(self, filterset_class):
        """Each kept pair of facets as (its facet number in the table, first facet's number, second's)."""
        names = self.scanned(filterset_class)
        for first, second in self.pairs:
            a, b = names.index(first), names.index(second)
            yield PAIRED + PAIR_STRIDE * a + b, a, b

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
        keys = self.keys(filterset_class)
        for facet, a, b in self.numbered_pairs(filterset_class):
            first, second = (Cast(F(key.path), TextField()) for key in (keys[a], keys[b]))
            grouped = (
                facts.filter(**{f"{keys[a].path}__isnull": False, f"{keys[b].path}__isnull": False})
                .values(key=Concat(first, Value(PAIR_SEPARATOR, output_field=TextField()), second))
                .annotate(rows=Count("pk"))
                .values_list("key", "rows")
            )
            parts.append(f"SELECT {facet} AS facet, key, rows FROM ({inline_sql(grouped)}) AS pair_{facet}")
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
        """The counts in the shape of facets.GroupedScan's scans (facet, key_0 ... key_n: the facet's key in
        its own column, typed; rows): the total, and each facet's first groups in the order GroupedScan ranks
        them (most rows, then key), not all 40,000 carriers' to be ranked there."""
        from ..facets import FACET_OPTIONS_SHOWN

        parts = [self.counts_sql(TOTAL, "NULL", f"facet = {TOTAL}", keys, connection) + " HAVING SUM(rows) <> 0"]
        for index, key in enumerate(keys):
            typed = f"CAST(key AS {key.field.rel_db_type(connection)})"
            parts.append(
                self.counts_sql(index, "key", f"facet = {index}", keys, connection)
                + f" GROUP BY key HAVING SUM(rows) <> 0 ORDER BY rows DESC, {typed} LIMIT {FACET_OPTIONS_SHOWN}"
            )
        return " UNION ALL ".join(f"({part})" for part in parts)

    def counts_sql(self, facet, key, where, keys, connection):
        """SELECT of the summed rows `where` (SQL) in GroupedScan's shape, as `facet`, its `key` (SQL) in its
        own column."""
        columns = [
            f"CAST({key if number == facet else 'NULL'} AS {facet_key.field.rel_db_type(connection)}) AS key_{number}"
            for number, facet_key in enumerate(keys)
        ]
        return (
            f"SELECT {facet} AS facet, {', '.join(columns)}, CAST(SUM(rows) AS bigint) AS rows FROM {self.table} "
            f"WHERE {where}"
        )

    def chosen_sql(self, filterset, name, names, keys, connection):
        """SQL and parameters of the counts of the chosen facet `name` over the rows every other filter keeps,
        in the shape of facets.GroupedScan's scans, when kept: no other filter narrows the rows (the facet's
        own counts), or one, whose pair with it is kept (the pair's counts for its chosen values). None
        otherwise."""
        from ..facets import narrowing

        index = names.index(name)
        others = [other for other in narrowing(filterset) if other != name]
        pairs = {frozenset((names[a], names[b])): (facet, a) for facet, a, b in self.numbered_pairs(type(filterset))}
        if not others:
            key, condition, params = "key", "facet = %s", [index]
        elif len(others) == 1 and frozenset((name, others[0])) in pairs:
            facet, first = pairs[frozenset((name, others[0]))]
            mine, theirs = (1, 2) if first == index else (2, 1)
            chosen = [str(getattr(value, "pk", value)) for value in filterset.form.cleaned_data[others[0]]]
            key = f"split_part(key, '{PAIR_SEPARATOR}', {mine})"
            condition = f"facet = %s AND split_part(key, '{PAIR_SEPARATOR}', {theirs}) = ANY(%s)"
            params = [facet, chosen]
        else:
            return None
        sql = self.counts_sql(index, key, condition, keys, connection) + f" GROUP BY {key} HAVING SUM(rows) <> 0"
        return sql, params


def replaced(sql, old, new):
    """`sql` with every `old` replaced; `old` must be there."""
    if old not in sql:
        raise ValueError(f"{old!r} is not in the SQL: {sql}")
    return sql.replace(old, new)
