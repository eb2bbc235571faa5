"""Aliases become a list of names, each with its language and script (carriers.models.aliases), and search
gets its PostgreSQL tools: pg_trgm, a function giving the alias names as text, and trigram indexes."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

import carriers.models.aliases
from carriers.models.versions import sqlite_triggers

TABLES = ["carrier", "vendor", "historicalcarrier", "historicalvendor"]
# Names in these scripts can only be in one language; any other alias starts undetermined.
LANGUAGE_OF_SCRIPT = {"Hang": "ko", "Kore": "ko", "Hira": "ja", "Kana": "ja", "Jpan": "ja"}
ALIAS_NAMES_FUNCTION = """
CREATE FUNCTION carriers_alias_names(aliases jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(alias ->> 'name', E'\\n'), '') FROM jsonb_array_elements(aliases) AS alias
$$"""
TRIGRAM_INDEXES = {
    "carrier_name_trigram": "carriers_carrier USING gin (name gin_trgm_ops)",
    "carrier_aliases_trigram": "carriers_carrier USING gin (carriers_alias_names(aliases) gin_trgm_ops)",
    "vendor_name_trigram": "carriers_vendor USING gin (name gin_trgm_ops)",
    "vendor_aliases_trigram": "carriers_vendor USING gin (carriers_alias_names(aliases) gin_trgm_ops)",
    "source_title_trigram": "carriers_source USING gin (title gin_trgm_ops)",
}


import json


def lines_to_json(apps, schema_editor):
    """Each line of the old text becomes an alias, its language read from its script where only one fits."""

    from carriers.models.aliases import alias

    for table in TABLES:
        model = apps.get_model("carriers", table)
        changed = []
        for record in model._base_manager.all():
            aliases = [alias(line) for line in record.aliases.splitlines() if line.strip()]
            for entry in aliases:
                entry["language"] = LANGUAGE_OF_SCRIPT.get(entry["script"], entry["language"])
            record.aliases = json.dumps(aliases, ensure_ascii=False)
            changed.append(record)
        model._base_manager.bulk_update(changed, ["aliases"], batch_size=500)


def json_to_lines(apps, schema_editor):

    for table in TABLES:
        model = apps.get_model("carriers", table)
        changed = []
        for record in model._base_manager.all():
            record.aliases = "\n".join(entry["name"] for entry in json.loads(record.aliases))
            changed.append(record)
        model._base_manager.bulk_update(changed, ["aliases"], batch_size=500)
    restore_sqlite_triggers(schema_editor)


def restore_sqlite_triggers(schema_editor):
    """Rebuilding a table on SQLite (as altering a column does) drops its triggers: the data version's come back."""
    if schema_editor.connection.vendor == "sqlite":
        for table in ["carriers_carrier", "carriers_vendor"]:
            for sql in sqlite_triggers(table):
                schema_editor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


def search_tools(apps, schema_editor):
    """PostgreSQL gets the function and the indexes search uses."""
    restore_sqlite_triggers(schema_editor)
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(ALIAS_NAMES_FUNCTION)
    for name, target in TRIGRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {target}")


def remove_search_tools(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX {name}")
        schema_editor.execute("DROP FUNCTION carriers_alias_names(jsonb)")


class PostgreSQLTrigramExtension(TrigramExtension):
    """Django's checks pg_extension before the database's vendor when reversed: SQLite has nothing to undo."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


HELP = "Other names (former names, names in other scripts, legal names), one per line, each followed by its language tag in brackets (e.g. ko, ja, en, zh-Hant): “LG유플러스 [ko]”. Without a tag the language is undetermined; the script is worked out from the letters unless the tag gives it (“Telekom Srbija [sr-Latn]”)."


def aliases_field():
    return carriers.models.aliases.AliasesField(blank=True, default=list, help_text=HELP)


class Migration(migrations.Migration):
    dependencies = [("carriers", "0017_cited_sources_set_based")]

    operations = [
        PostgreSQLTrigramExtension(),
        migrations.RunPython(lines_to_json, json_to_lines),
        *(migrations.AlterField(model_name=table, name="aliases", field=aliases_field()) for table in TABLES),
        migrations.RunPython(search_tools, remove_search_tools),
    ]
