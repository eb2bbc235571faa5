"""The data version is bumped by triggers on every table of public data (see carriers.models.versions)."""

from django.db import migrations

from carriers.models.versions import (
    POSTGRESQL_FUNCTION,
    TRIGGER,
    postgresql_triggers,
    sqlite_triggers,
    versioned_tables,
)


def install(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(POSTGRESQL_FUNCTION)
    for table in versioned_tables(apps):
        for sql in (postgresql_triggers if postgresql else sqlite_triggers)(table):
            schema_editor.execute(sql)


def remove(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table in versioned_tables(apps):
        if postgresql:
            schema_editor.execute(f'DROP TRIGGER {TRIGGER} ON "{table}"')
            schema_editor.execute(f'DROP TRIGGER {TRIGGER}_truncate ON "{table}"')
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f'DROP TRIGGER "{table}_{TRIGGER}_{event}"')
    if postgresql:
        schema_editor.execute("DROP FUNCTION carriers_bump_data_version()")


class Migration(migrations.Migration):
    dependencies = [("carriers", "0015_equipment_cited_sources")]

    operations = [migrations.RunPython(install, remove)]
