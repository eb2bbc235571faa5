"""Back up the whole database in DATABASE_URL to one file under backups/ (git-ignored).

    manage.py backup                    # backups/tracker-<UTC time>.dump, or .json off PostgreSQL
    manage.py backup --output FILE      # somewhere else

On PostgreSQL this is `pg_dump --format=custom` (pg_dump on the PATH, of the server's major
version or newer). On SQLite it is `dumpdata --natural-foreign --natural-primary` of every app,
edit history included, leaving out the rows `migrate` writes itself (content types,
permissions), the login sessions and the rows of database views. Bring a backup back with `manage.py restore FILE`.
"""

import datetime
import os
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from carriers.progress import progress_bar

# Rows that `migrate` writes into every database, and logins that need not survive a restore.
DUMPDATA_EXCLUDE = ["contenttypes", "auth.permission", "sessions"]
# JSON with times to the microsecond (carriers/backup_json.py, registered in settings.SERIALIZATION_MODULES).
BACKUP_FORMAT = "backup-json"


def unmanaged_models():
    """Models over database views (the citations list): their rows come back with the tables they read."""
    return [model._meta.label for model in apps.get_models() if not model._meta.managed]


class Command(BaseCommand):
    help = "Back up the database in DATABASE_URL: pg_dump on PostgreSQL, dumpdata (JSON) elsewhere."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The file to write (default: backups/tracker-<time>.*).")

    def handle(self, output, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        postgresql = connection.vendor == "postgresql"
        if output is None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            output = Path(settings.BASE_DIR, "backups", f"tracker-{stamp}.{'dump' if postgresql else 'json'}")
        output.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed when complete, so a failed backup never looks like one.
        partial = output.with_name(output.name + ".partial")
        try:
            if postgresql:
                tables = len(connection.introspection.table_names())
                with progress_bar(self, total=tables, unit=" tables", desc="pg_dump", leave=False) as bar:
                    pg_dump(connection.settings_dict, partial, bar)
            else:
                call_command(
                    "dumpdata",
                    format=BACKUP_FORMAT,
                    natural_foreign=True,
                    natural_primary=True,
                    exclude=DUMPDATA_EXCLUDE + unmanaged_models(),
                    output=str(partial),
                    # dumpdata draws its own progress bar, on a terminal only, at verbosity 1.
                    verbosity=1 if self.stderr.isatty() else 0,
                    stdout=self.stderr._out,
                )
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Backed up to {output} ({output.stat().st_size:,} bytes).")


def libpq_environment(settings_dict):
    """Environment for pg_dump and pg_restore that reaches the database Django uses."""
    _, env = connections[DEFAULT_DB_ALIAS].client.settings_to_cmd_args_env(settings_dict, [])
    env = env or {}
    names = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "NAME": "PGDATABASE"}
    env.update({variable: str(settings_dict[key]) for key, variable in names.items() if settings_dict.get(key)})
    return {**os.environ, **env}


def run(args, settings_dict, bar=None, marker=""):
    """Run a PostgreSQL client tool; with a bar shown, each of its --verbose lines holding `marker` advances it."""
    try:
        if bar is None or bar.disable:
            subprocess.run(args, env=libpq_environment(settings_dict), check=True)
        else:
            follow(args, settings_dict, bar, marker)
    except FileNotFoundError as error:
        raise CommandError(f"{args[0]} is not installed (PostgreSQL's client tools).") from error
    except subprocess.CalledProcessError as error:
        raise CommandError(f"{args[0]} failed (exit status {error.returncode}); see its message above.") from error


def follow(args, settings_dict, bar, marker):
    tool = f"{args[0]}: "
    process = subprocess.Popen(
        [*args, "--verbose"], env=libpq_environment(settings_dict), stderr=subprocess.PIPE, text=True
    )
    for line in process.stderr:
        if marker in line:
            bar.update()
            bar.set_postfix_str(line.split(marker)[-1].strip()[:40])
        elif not line.startswith(tool) or line.startswith(tuple(f"{tool}{kind}:" for kind in LOUD)):
            bar.write(line.rstrip("\n"), file=bar.fp)  # the tool's errors and warnings, as without a bar
    if process.wait():
        raise subprocess.CalledProcessError(process.returncode, args)


# What the tools print in --verbose mode besides their progress, and still say without it.
LOUD = ["error", "warning", "detail", "hint"]


def pg_dump(settings_dict, path, bar=None):
    run(["pg_dump", "--format=custom", f"--file={path}"], settings_dict, bar, "dumping contents of table ")
