"""The equipment CSV's rows kept ready by PostgreSQL, one per fact, so its CSV is one index scan of a flat table.

At 1,000,000 equipment facts, COPY of the export's SELECT spent most of its time joining the facts to
the records they name and formatting cells: a third of the speed of COPY from a flat table of the same
rows. This table is that flat table. Statement triggers on the facts and on the records whose columns
the export shows rewrite the rows of the facts a statement touched, the cells computed by the export's
own SQL columns. The public list's order is the facts' (newest first), which the primary key gives.
"""

from django.db import connections
from django.db.models import F
from django.db.models.expressions import RawSQL

from ..caching import chosen_filters
from ..pgcopy import inline_sql
from . import RECORDS, changed_facts, install, per_fact, trigger

FACT_ID = "fact_id"
# The orders the kept rows serve: by the fact, either way (the public list's is newest first).
IN_FACT_ORDER = {("id",): "", ("pk",): "", ("-id",): " DESC", ("-pk",): " DESC"}


class KeptRows:
    """The rows of `export` over `model`, kept in `table`, one per fact."""

    def __init__(self, table, model, country, related):
        self.table = table
        self.model = model
        # The path to a fact's country: a country's rows are read in order from an index of their own.
        self.country = country
        # {related table: foreign key column on the facts}: a change there rewrites its facts' rows.
        self.related = related

    def select_sql(self, export, queryset, countries=None):
        """The SELECT of `queryset`'s rows from the kept table, or None where it cannot serve them (an order
        other than the facts'). `countries`: the codes of the only countries whose facts `queryset` keeps,
        when no other filter narrows it; their rows need no lookup of the facts."""
        direction = IN_FACT_ORDER.get(tuple(queryset.query.order_by))
        if direction is None:
            return None
        cells = ", ".join(cell_name(column) for column in export.columns)
        if countries:
            # One country as an equality, so its index returns its rows in order; several are sorted.
            codes = [quote(code) for code in countries]
            where = f" WHERE country = {codes[0]}" if len(codes) == 1 else f" WHERE country IN ({', '.join(codes)})"
        elif queryset.query.where:
            where = f" WHERE {FACT_ID} IN ({inline_sql(queryset.order_by().values('pk'))})"
        else:
            where = ""
        return f"SELECT {cells} FROM {self.table}{where} ORDER BY {FACT_ID}{direction}"

    def definition(self, export, connection, facts_sql=None):
        """The SELECT computing the rows of the facts `facts_sql` names (all facts without it)."""
        columns = {cell_name(column): column.sql for column in export.columns}
        facts = self.model._base_manager.using(connection.alias).order_by()
        if facts_sql:
            facts = facts.filter(pk__in=RawSQL(facts_sql, ()))
        rows = facts.annotate(**columns, country=F(self.country), **{FACT_ID: F("pk")})
        return inline_sql(rows.values_list(*columns, "country", FACT_ID))

    def statements(self, export, connection):
        """Everything `install` runs: the table filled and indexed, its functions and triggers."""
        table, facts = self.table, self.model._meta.db_table
        yield f"DROP TABLE IF EXISTS {table}"
        yield f"CREATE TABLE {table} AS {self.definition(export, connection)} ORDER BY {FACT_ID}"
        yield f"ALTER TABLE {table} ADD PRIMARY KEY ({FACT_ID})"
        yield f"CREATE INDEX {table}_by_country ON {table} (country, {FACT_ID})"
        yield f"ANALYZE {table}"
        # The rows of the facts a statement wrote, whatever wrote them (a save, an update, COPY).
        yield from per_fact(table, facts, lambda ids: self.definition(export, connection, ids), FACT_ID)
        for related, foreign_key in self.related.items():
            changed = changed_facts(facts, foreign_key)
            yield f"""CREATE OR REPLACE FUNCTION {table}_{related}_write() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              DELETE FROM {table} WHERE {FACT_ID} IN ({changed});
              INSERT INTO {table} {self.definition(export, connection, changed)};
              RETURN NULL;
            END $$"""
            yield trigger(related, f"{table}_{related}", "UPDATE", f"{table}_{related}_write", RECORDS)
        yield f"COMMENT ON TABLE {table} IS '{{digest}}'"

    def install(self, export, using):
        """Build the table, its functions and triggers where the database lacks them or has another definition."""
        install(self.table, self.statements(export, connections[using]), using)


def countries_alone(filterset):
    """The codes of the chosen countries when nothing else narrows the valid `filterset`, else None."""
    if {name for name, _ in chosen_filters(filterset)} != {"country"}:
        return None
    return [country.code for country in filterset.form.cleaned_data["country"]]


def quote(code):
    """A country code as an SQL literal; codes are two capital letters (the Country model validates them)."""
    if not (len(code) == 2 and code.isascii() and code.isalpha()):
        raise ValueError(f"Not a country code: {code!r}")
    return f"'{code}'"


def cell_name(column):
    return f"cell_{column.header}"
