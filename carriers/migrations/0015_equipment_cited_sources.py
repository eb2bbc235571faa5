"""An equipment use's cited source keys as a column the database keeps: the CSV's COPY reads it."""

from django.db import migrations, models

# The keys of the sources a fact cites, each once, in the order first cited, joined by ' | ' ('' when none).
# `{fact}` is the SQL naming the fact's id.
PG_SUMMARY = """COALESCE((
    SELECT string_agg(s.key, ' | ' ORDER BY cited.first)
    FROM (SELECT source_id, MIN(id) AS first FROM carriers_equipmentusecitation
          WHERE fact_id = {fact} GROUP BY source_id) cited
    JOIN carriers_source s ON s.id = cited.source_id), '')"""
SQLITE_SUMMARY = """COALESCE((
    SELECT group_concat(key, ' | ') FROM (
        SELECT s.key AS key FROM carriers_equipmentusecitation c JOIN carriers_source s ON s.id = c.source_id
        WHERE c.fact_id = {fact} GROUP BY c.source_id ORDER BY MIN(c.id))), '')"""

POSTGRESQL = [
    # Whatever a save sends, the row holds its citations' summary.
    f"""CREATE FUNCTION carriers_equipmentuse_summarise() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.cited_sources := {PG_SUMMARY.format(fact="NEW.id")}; RETURN NEW; END $$""",
    """CREATE TRIGGER equipmentuse_summarise BEFORE INSERT OR UPDATE ON carriers_equipmentuse
    FOR EACH ROW EXECUTE FUNCTION carriers_equipmentuse_summarise()""",
    # Citations added, changed or removed (one statement at a time, so a bulk COPY costs one UPDATE).
    f"""CREATE FUNCTION carriers_equipmentuse_resummarise() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE carriers_equipmentuse e SET cited_sources = {PG_SUMMARY.format(fact="e.id")}
      WHERE e.id IN (SELECT fact_id FROM changed_citations);
      RETURN NULL;
    END $$""",
    *(
        f"""CREATE TRIGGER equipmentusecitation_{event.split()[0].lower()}_{table.split()[0].lower()}
        AFTER {event} ON carriers_equipmentusecitation REFERENCING {table} AS changed_citations
        FOR EACH STATEMENT EXECUTE FUNCTION carriers_equipmentuse_resummarise()"""
        for event, table in [
            ("INSERT", "NEW TABLE"),
            ("DELETE", "OLD TABLE"),
            ("UPDATE", "NEW TABLE"),
            ("UPDATE", "OLD TABLE"),
        ]
    ),
    # A source's key renamed.
    f"""CREATE FUNCTION carriers_source_resummarise() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE carriers_equipmentuse e SET cited_sources = {PG_SUMMARY.format(fact="e.id")}
      WHERE e.id IN (SELECT fact_id FROM carriers_equipmentusecitation WHERE source_id = NEW.id);
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER source_key_resummarise AFTER UPDATE OF key ON carriers_source
    FOR EACH ROW WHEN (OLD.key IS DISTINCT FROM NEW.key) EXECUTE FUNCTION carriers_source_resummarise()""",
]

SQLITE = [
    # SQLite cannot change NEW: after a save, the row is summarised again (triggers do not recurse).
    *(
        f"""CREATE TRIGGER equipmentuse_summarise_{event.lower()} AFTER {event} ON carriers_equipmentuse
        BEGIN UPDATE carriers_equipmentuse SET cited_sources = {SQLITE_SUMMARY.format(fact="NEW.id")}
        WHERE id = NEW.id; END"""
        for event in ["INSERT", "UPDATE"]
    ),
    *(
        f"""CREATE TRIGGER equipmentusecitation_{event.lower()}_{row.lower()} AFTER {event} ON carriers_equipmentusecitation
        BEGIN UPDATE carriers_equipmentuse SET cited_sources = {SQLITE_SUMMARY.format(fact=f"{row}.fact_id")}
        WHERE id = {row}.fact_id; END"""
        for event, row in [("INSERT", "NEW"), ("DELETE", "OLD"), ("UPDATE", "NEW"), ("UPDATE", "OLD")]
    ),
    f"""CREATE TRIGGER source_key_resummarise AFTER UPDATE OF key ON carriers_source WHEN OLD.key IS NOT NEW.key
    BEGIN UPDATE carriers_equipmentuse SET cited_sources = {SQLITE_SUMMARY.format(fact="carriers_equipmentuse.id")}
    WHERE id IN (SELECT fact_id FROM carriers_equipmentusecitation WHERE source_id = NEW.id); END""",
]

DROP = {
    "postgresql": [
        "DROP FUNCTION carriers_equipmentuse_summarise() CASCADE",
        "DROP FUNCTION carriers_equipmentuse_resummarise() CASCADE",
        "DROP FUNCTION carriers_source_resummarise() CASCADE",
    ],
    "sqlite": [
        *(f"DROP TRIGGER equipmentuse_summarise_{event}" for event in ["insert", "update"]),
        *(
            f"DROP TRIGGER equipmentusecitation_{name}"
            for name in ["insert_new", "delete_old", "update_new", "update_old"]
        ),
        "DROP TRIGGER source_key_resummarise",
    ],
}


def create(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}[schema_editor.connection.vendor]
    summary = {"postgresql": PG_SUMMARY, "sqlite": SQLITE_SUMMARY}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(
        f"UPDATE carriers_equipmentuse SET cited_sources = {summary.format(fact='carriers_equipmentuse.id')}"
    )


def drop(apps, schema_editor):
    for statement in DROP[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("carriers", "0014_citation_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="equipmentuse",
            name="cited_sources",
            field=models.TextField(
                default="",
                editable=False,
                help_text="The cited sources' keys, each once, in citing order, joined by ' | '.",
            ),
        ),
        migrations.AddField(
            model_name="historicalequipmentuse",
            name="cited_sources",
            field=models.TextField(
                default="",
                editable=False,
                help_text="The cited sources' keys, each once, in citing order, joined by ' | '.",
            ),
        ),
        migrations.RunPython(create, drop),
    ]
