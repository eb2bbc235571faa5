"""Restore a file written by `manage.py backup` into the database in DATABASE_URL.

    createdb tracker                                  # PostgreSQL: an existing, empty database
    manage.py restore backups/tracker-20250102T030405Z.dump
    manage.py migrate && manage.py restore backups/tracker-20250102T030405Z.json   # SQLite

A `.dump` (PostgreSQL's custom format) goes in with `pg_restore --clean --if-exists --no-owner`,
in one transaction. A `.json` (from SQLite) must go into a database `migrate` has prepared and is
loaded with `loaddata`; it also moves data from SQLite to PostgreSQL. A database that already
holds data is refused unless `--force` is given: the backup then replaces it.
"""

import subprocess
import time
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.test import override_settings

from carriers.models import DataVersion
from carriers.progress import progress_bar

from .backup import libpq_environment, run

# `migrate` writes these rows itself; any other row means the database is in use.
WRITTEN_BY_MIGRATE = {ContentType, Permission}


class Command(BaseCommand):
    help = "Restore a backup from `manage.py backup` into the database in DATABASE_URL (empty unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A .dump (pg_dump) or .json (dumpdata) file.")
        parser.add_argument("--force", action="store_true", help="Replace the data of a database that has some.")

    def handle(self, path, force, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        if not path.is_file():
            raise CommandError(f"No backup file {path}.")
        if path.suffix not in {".dump", ".json"}:
            raise CommandError("A backup is a .dump (PostgreSQL) or .json (dumpdata) file.")
        if path.suffix == ".dump" and connection.vendor != "postgresql":
            raise CommandError("A .dump file restores only into PostgreSQL.")
        try:
            in_use = holds_data(connection)
        except DatabaseError as error:
            raise CommandError(f"Cannot read the database in DATABASE_URL (does it exist?): {error}") from error
        if in_use and not force:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} already holds data; "
                "restore into an empty one, or give --force to replace its data."
            )
        if path.suffix == ".dump":
            connection.close()
            # --single-transaction: a restore that fails halfway leaves the database as it was.
            args = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
            args += [f"--dbname={connection.settings_dict['NAME']}", str(path)]
            with progress_bar(self, unit=" tables", desc="pg_restore", leave=False) as bar:
                if not bar.disable:
                    bar.reset(total=tables_in(path, connection.settings_dict))
                run(args, connection.settings_dict, bar, "processing data for table ")
        else:
            load_json(path, replace=in_use)
        # Move the data version past any number a running process may have cached results under.
        DataVersion.objects.update_or_create(
            pk=1, defaults={"number": max(DataVersion.current() + 1, time.time_ns() // 1000)}
        )
        self.stdout.write(f"Restored {path} into {connection.settings_dict['NAME']}.")


def tables_in(path, settings_dict):
    """How many tables' rows a .dump holds (its table of contents' TABLE DATA entries)."""
    listing = subprocess.run(
        ["pg_restore", "--list", str(path)], env=libpq_environment(settings_dict), capture_output=True, text=True
    )
    return sum(" TABLE DATA " in line for line in listing.stdout.splitlines() if not line.startswith(";"))


def holds_data(connection):
    tables = set(connection.introspection.table_names())
    return any(
        model._base_manager.using(connection.alias).exists()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables and model not in WRITTEN_BY_MIGRATE
    )


def load_json(path, replace):
    tables = set(connections[DEFAULT_DB_ALIAS].introspection.table_names())
    if "django_migrations" not in tables:
        raise CommandError("Run `manage.py migrate` first: a .json backup loads into migrated tables.")
    # The backup holds the edit history; loading it must not record each loaded row as a new edit.
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        if replace:
            call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(path), verbosity=0)
