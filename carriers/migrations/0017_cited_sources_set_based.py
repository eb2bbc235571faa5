"""PostgreSQL keeps `cited_sources` with set-based statements instead of a summary per written row.

0015's row trigger recomputed the summary for every fact written, with a lookup of its citations: while the
dataset generator loads (its indexes set aside until the end) each lookup scanned every citation so far, and
generation grew quadratic (the world scale took 8 minutes). Now only the citations' statement triggers write
the column, for all the facts a statement touched at once; any other write keeps the stored value ('' for a
new fact, which has no citations yet).
"""

from importlib import import_module

from django.db import migrations

PG_SUMMARY = import_module("carriers.migrations.0015_equipment_cited_sources").PG_SUMMARY

POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION carriers_equipmentuse_summarise() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('carriers.summarising', true) IS DISTINCT FROM 'on' THEN
        NEW.cited_sources := CASE WHEN TG_OP = 'INSERT' THEN '' ELSE OLD.cited_sources END;
      END IF;
      RETURN NEW;
    END $$""",
    # The facts' summaries in one statement; IN (SELECT ...) rather than = ANY(array), so that PostgreSQL can
    # hash the facts rather than search the array for each citation.
    """CREATE OR REPLACE FUNCTION carriers_resummarise(facts bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM set_config('carriers.summarising', 'on', true);
      UPDATE carriers_equipmentuse e SET cited_sources = COALESCE(summary.keys, '')
      FROM (SELECT DISTINCT unnest(facts) AS fact_id) changed
      LEFT JOIN (
        SELECT cited.fact_id, string_agg(s.key, ' | ' ORDER BY cited.first) AS keys
        FROM (SELECT fact_id, source_id, MIN(id) AS first FROM carriers_equipmentusecitation
              WHERE fact_id IN (SELECT unnest(facts)) GROUP BY fact_id, source_id) cited
        JOIN carriers_source s ON s.id = cited.source_id
        GROUP BY cited.fact_id
      ) summary ON summary.fact_id = changed.fact_id
      WHERE e.id = changed.fact_id;
      PERFORM set_config('carriers.summarising', 'off', true);
    END $$""",
    """CREATE OR REPLACE FUNCTION carriers_equipmentuse_resummarise() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM carriers_resummarise(ARRAY(SELECT fact_id FROM changed_citations));
      RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION carriers_source_resummarise() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM carriers_resummarise(ARRAY(SELECT fact_id FROM carriers_equipmentusecitation WHERE source_id = NEW.id));
      RETURN NULL;
    END $$""",
]

# 0015's functions, to go back to.
PREVIOUS = [
    f"""CREATE OR REPLACE FUNCTION carriers_equipmentuse_summarise() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.cited_sources := {PG_SUMMARY.format(fact="NEW.id")}; RETURN NEW; END $$""",
    f"""CREATE OR REPLACE FUNCTION carriers_equipmentuse_resummarise() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE carriers_equipmentuse e SET cited_sources = {PG_SUMMARY.format(fact="e.id")}
      WHERE e.id IN (SELECT fact_id FROM changed_citations);
      RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION carriers_source_resummarise() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE carriers_equipmentuse e SET cited_sources = {PG_SUMMARY.format(fact="e.id")}
      WHERE e.id IN (SELECT fact_id FROM carriers_equipmentusecitation WHERE source_id = NEW.id);
      RETURN NULL;
    END $$""",
    "DROP FUNCTION carriers_resummarise(bigint[])",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PREVIOUS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("carriers", "0016_data_version_triggers")]

    operations = [migrations.RunPython(forwards, backwards)]
