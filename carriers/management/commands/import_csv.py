"""Import one of the public CSV files: a dry run by default, `--commit` to write it in one transaction."""

from pathlib import Path

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.management.base import BaseCommand, CommandError

from carriers.resources import RESOURCES


class Command(BaseCommand):
    help = "Check (and with --commit, import) a CSV file in the columns of the matching public download."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES), help="Which list the file is a download of.")
        parser.add_argument("path", type=Path)
        parser.add_argument("--commit", action="store_true", help="Write the rows; without it nothing is written.")

    def handle(self, kind, path, commit, **options):
        try:
            dataset = tablib.Dataset().load(path.read_text(encoding="utf-8-sig"), format="csv")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        result = RESOURCES[kind]().import_data(
            dataset, dry_run=not commit, use_transactions=True, rollback_on_validation_errors=True
        )
        totals = ", ".join(f"{count} {kind}" for kind, count in result.totals.items() if count)
        self.stdout.write(f"{'Imported' if commit else 'Dry run'}: {totals or 'no rows'}.")
        problems = [f"line {number + 1}: {message}" for number, message in row_problems(result)]
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s); nothing was written.")


def row_problems(result):
    """(row number, message) for each invalid or failing row; problems of the whole file count as line 1."""
    for error in result.base_errors:
        yield 0, str(error.error)
    for invalid in result.invalid_rows:
        for field, messages in invalid.error_dict.items():
            yield invalid.number, f"{'row' if field == NON_FIELD_ERRORS else field}: {' '.join(messages)}"
    for number, errors in result.row_errors():
        for error in errors:
            yield number, str(error.error)
