"""What PostgreSQL keeps ready for the biggest list, so that reading it does not scale with the facts.

`rows`: the equipment CSV's rows, flat, one per fact. `counts`: the list's facet counts, per value.
`uses`: the facts meaning that a carrier uses a targeted vendor, with their whole periods, per fact.
Statement triggers keep both right whatever writes (a save, an update, COPY, TRUNCATE). Their SQL is
compiled from the code (the export's columns, the FilterSet's facets), so it cannot drift from it:
`install` runs after every migrate (like Django's permissions) and rebuilds a table, its functions and
triggers whenever the compiled definition changed. A migration could not do it: compiled from today's
code, its SQL could name columns that a database migrating from scratch does not have yet at that step.
"""

import hashlib

from django.db import connections, transaction


def install(table, statements, using):
    """Run `statements` (building `table`) unless the table's comment is their digest already.
    The last statement should set that comment: `COMMENT ON TABLE ... IS '{digest}'`."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    statements = list(statements)
    digest = hashlib.sha256("\n".join(statements).encode()).hexdigest()
    with transaction.atomic(using), connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", [table])
        if cursor.fetchone()[0] == digest:
            return
        for statement in statements:
            cursor.execute(statement.replace("{digest}", digest))


# A related table's UPDATE trigger sees its records as they were and as they are.
RECORDS = "OLD TABLE AS old_records NEW TABLE AS new_records"


def changed_facts(facts, foreign_key):
    """SQL of the ids of the `facts` whose record (by `foreign_key`) an UPDATE changed (RECORDS): saving a
    record as it was touches none of its facts."""
    return (
        f"SELECT f.id FROM {facts} f JOIN new_records n ON n.id = f.{foreign_key} "
        "JOIN old_records o ON o.id = n.id WHERE n IS DISTINCT FROM o"
    )


def trigger(table, name, event, function, transition_tables=None):
    """A statement trigger, replaced if it exists."""
    referencing = f"REFERENCING {transition_tables} " if transition_tables else ""
    return (
        f"DROP TRIGGER IF EXISTS {name} ON {table}; CREATE TRIGGER {name} AFTER {event} ON {table} "
        f"{referencing}FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


def folding_function(table, name, keys, values, plus, minus):
    """A trigger function adding to `table` the `values` of the rows `plus` (SQL or None) and taking away
    those of `minus`, per `keys`. Appending takes no lock another writer waits for; the writer holding a
    transaction-level advisory lock on the table also folds the rows of the keys it touched into one, so the
    table stays about one row per key."""
    deltas = [f"SELECT * FROM ({plus}) AS plus"] if plus else []
    negated = ", ".join([*keys, *(f"-{value} AS {value}" for value in values)])
    deltas += [f"SELECT {negated} FROM ({minus}) AS minus"] if minus else []
    grouped, columns = ", ".join(keys), ", ".join([*keys, *values])
    sums = ", ".join([*keys, *(f"SUM({value}) AS {value}" for value in values)])
    changed = " OR ".join(f"SUM({value}) <> 0" for value in values)
    matched = " AND ".join(f"c.{key} = delta.{key}" for key in keys)
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      folding boolean := pg_try_advisory_xact_lock('{table}'::regclass::oid::bigint);
    BEGIN
      WITH delta AS (
        SELECT {sums} FROM ({" UNION ALL ".join(deltas)}) AS changes GROUP BY {grouped} HAVING {changed}
      ), folded AS (
        DELETE FROM {table} c USING delta WHERE folding AND {matched}
        RETURNING {", ".join(f"c.{column}" for column in [*keys, *values])}
      )
      INSERT INTO {table} ({columns})
      SELECT {sums} FROM (SELECT * FROM delta UNION ALL SELECT * FROM folded) AS counts
      GROUP BY {grouped} HAVING {changed};
      RETURN NULL;
    END $$"""


def folded_counts(table, facts, keys, values, counted):
    """The functions and triggers keeping `table` (counts per `keys`) following the table `facts`: a
    statement's written facts add `counted("written_facts")`, its forgotten ones take away
    `counted("forgotten_facts")` (folding_function), a TRUNCATE empties it."""
    written, forgotten = counted("written_facts"), counted("forgotten_facts")
    for name, plus, minus in (("add", written, None), ("change", written, forgotten), ("take", None, forgotten)):
        yield folding_function(table, f"{table}_{name}", keys, values, plus, minus)
    yield f"""CREATE OR REPLACE FUNCTION {table}_empty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN TRUNCATE {table}; RETURN NULL; END $$"""
    yield trigger(facts, f"{table}_insert", "INSERT", f"{table}_add", "NEW TABLE AS written_facts")
    both = "OLD TABLE AS forgotten_facts NEW TABLE AS written_facts"
    yield trigger(facts, f"{table}_update", "UPDATE", f"{table}_change", both)
    yield trigger(facts, f"{table}_delete", "DELETE", f"{table}_take", "OLD TABLE AS forgotten_facts")
    yield trigger(facts, f"{table}_truncate", "TRUNCATE", f"{table}_empty")


def per_fact(table, facts, definition, fact_id):
    """The functions and triggers keeping `table`, one row per fact of `facts` (a table): a statement's
    written facts get their rows again from `definition(ids_sql)`, the SELECT of the rows of those ids."""
    yield f"""CREATE OR REPLACE FUNCTION {table}_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM {table} WHERE {fact_id} IN (SELECT id FROM written_facts);
      INSERT INTO {table} {definition("SELECT id FROM written_facts")};
      RETURN NULL;
    END $$"""
    yield f"""CREATE OR REPLACE FUNCTION {table}_forget() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN TRUNCATE {table}; ELSE
        DELETE FROM {table} WHERE {fact_id} IN (SELECT id FROM forgotten_facts);
      END IF;
      RETURN NULL;
    END $$"""
    for event in ("INSERT", "UPDATE"):
        yield trigger(facts, f"{table}_{event.lower()}", event, f"{table}_write", "NEW TABLE AS written_facts")
    yield trigger(facts, f"{table}_delete", "DELETE", f"{table}_forget", "OLD TABLE AS forgotten_facts")
    yield trigger(facts, f"{table}_truncate", "TRUNCATE", f"{table}_forget")


def settle(using, tables=()):
    """VACUUM and ANALYZE `tables` and every kept table (each found by the digest `install` put in its
    comment), after a bulk write filled them (the kept ones through their triggers): the planner gets their
    statistics, and index-only scans their visibility map, without waiting for autovacuum."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT oid::regclass::text FROM pg_class "
            "WHERE relkind = 'r' AND obj_description(oid, 'pg_class') ~ '^[0-9a-f]{64}$' ORDER BY 1"
        )
        tables = [*tables, *(table for (table,) in cursor.fetchall())]
        if tables:
            # VACUUM cannot run in a transaction (a test's); ANALYZE still gives the statistics there.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{command} {', '.join(tables)}")
