"""The data version: a number every committed edit moves on, kept by the database itself.

Triggers on every table of public data bump it, so no path can bypass it: a save, a bulk update,
a queryset's update() or delete(), raw SQL, COPY, TRUNCATE. Migration 0016 installs them; a
table added later needs them too (tests/test_data_version.py checks every table has them).
"""

from django.db import connections, models

TRIGGER = "data_version"  # on PostgreSQL, also the name SET CONSTRAINTS takes

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION carriers_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Once per statement: a row trigger fires for each row, and when deferred, all fire in the COMMIT.
  IF current_setting('carriers.data_version_bumped_at', true) IS DISTINCT FROM statement_timestamp()::text THEN
    PERFORM set_config('carriers.data_version_bumped_at', statement_timestamp()::text, true);
    INSERT INTO carriers_dataversion (id, number) VALUES (1, 1)
      ON CONFLICT (id) DO UPDATE SET number = carriers_dataversion.number + 1;
  END IF;
  RETURN NULL;
END $$"""


def postgresql_triggers(table):
    return [
        # A constraint trigger, so that a long transaction can defer the bump (and the lock it takes on the
        # version's row) to its commit: see defer_data_version_bump.
        f"""CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON "{table}"
        DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION carriers_bump_data_version()""",
        f"""CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON "{table}"
        FOR EACH STATEMENT EXECUTE FUNCTION carriers_bump_data_version()""",
    ]


def sqlite_triggers(table):
    # SQLite has one writer at a time, so there is no lock to shorten.
    return [
        f"""CREATE TRIGGER "{table}_{TRIGGER}_{event.lower()}" AFTER {event} ON "{table}" BEGIN
        INSERT OR IGNORE INTO carriers_dataversion (id, number) VALUES (1, 0);
        UPDATE carriers_dataversion SET number = number + 1 WHERE id = 1;
        END"""
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def versioned_tables(apps):
    """The tables of the carriers app holding public data: all but the version itself, previews of imports
    (not yet data), edit history (written only beside an edit of its record) and database views."""
    unversioned = {"DataVersion", "PendingImport"}
    return sorted(
        model._meta.db_table
        for model in apps.get_app_config("carriers").get_models(include_auto_created=True)
        if model._meta.managed and model.__name__ not in unversioned and not model.__name__.startswith("Historical")
    )


def defer_data_version_bump(using="default"):
    """Bump the data version at this transaction's commit rather than at its first write.

    The bump locks the version's row until commit, so a long transaction (an import) would otherwise make
    every other edit wait for it; deferred, the row is locked for the commit alone.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {TRIGGER} DEFERRED")


class DataVersion(models.Model):
    """A counter every committed edit of public data moves on (see the module's docstring).

    Results that are costly at scale are cached under the current number, so no process
    ever serves a result computed before the latest committed edit.
    """

    number = models.BigIntegerField(default=0)

    def __str__(self):
        return f"data version {self.number}"

    @classmethod
    def current(cls):
        return cls.objects.values_list("number", flat=True).first() or 0
