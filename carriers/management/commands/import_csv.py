"""Import one of the public CSV files: a dry run by default; `--commit --user NAME` writes it in one transaction."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from carriers.importing import problems, read_csv
from carriers.progress import progress_bar
from carriers.resources import RESOURCES


class Command(BaseCommand):
    help = "Check (and with --commit, import) a CSV file in the columns of the matching public download."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES), help="Which list the file is a download of.")
        parser.add_argument("path", type=Path)
        parser.add_argument("--commit", action="store_true", help="Write the rows; without it nothing is written.")
        parser.add_argument("--user", help="The username the changes are recorded under (required with --commit).")

    def handle(self, kind, path, commit, user, **options):
        author = self.author(user) if commit or user else None
        try:
            dataset = read_csv(path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        with progress_bar(self, total=dataset.height, unit=" rows", desc=path.name, leave=False) as bar:
            result = RESOURCES[kind]().import_data(
                dataset,
                dry_run=not commit,
                use_transactions=True,
                rollback_on_validation_errors=True,
                user=author,
                progress=bar,
            )
        found = problems(result)
        for line, message in found:
            self.stderr.write(f"line {line}: {message}")
        if found:
            raise CommandError(f"{len(found)} problem(s); nothing was written.")
        totals = ", ".join(f"{count} {kind}" for kind, count in result.totals.items() if count)
        self.stdout.write(f"{'Imported' if commit else 'Dry run'}: {totals or 'no rows'}.")

    def author(self, username):
        if not username:
            raise CommandError("Name the user the changes are recorded under: --user USERNAME.")
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user “{username}”: create the account first (createsuperuser).") from error
