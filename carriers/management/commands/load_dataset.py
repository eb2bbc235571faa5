"""Load a dataset folder of CSV files (dataset/public-record/) through the researchers' import code, all or nothing."""

from pathlib import Path

import tablib
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from carriers.importing import problems, read_csv
from carriers.resources import REFERENCE_RESOURCES, RESOURCES
from carriers.resources.citations import CITATION_RESOURCES

# Whatever a row names must exist before the row: reference records, then facts, then their quotes.
FILES = [*REFERENCE_RESOURCES, *RESOURCES, "citations"]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Validate and load every CSV file of a dataset folder in one transaction; loading it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The folder of countries.csv, vendors.csv ... citations.csv.")
        parser.add_argument("--dry-run", action="store_true", help="Check every file and write nothing.")

    def handle(self, folder, dry_run, **options):
        if not folder.is_dir():
            raise CommandError(f"No folder {folder}.")
        report = []
        try:
            with transaction.atomic():
                for name in FILES:
                    path = folder / f"{name}.csv"
                    if path.exists():
                        report.append(f"{name}: {self.load(path, name)}")
                if dry_run:
                    raise Rollback
        except Rollback:
            pass
        if options["verbosity"]:
            self.stdout.write("\n".join([*report, "Dry run: nothing written." if dry_run else "Loaded."]))

    def load(self, path, name):
        """Import one file (in the open transaction); its problems, by line, stop the whole load."""
        try:
            dataset = read_csv(path.read_bytes())
        except ValueError as error:
            raise CommandError(f"{path}: {error} Nothing was written.") from error
        totals, found = {}, []
        for resource_class, part, lines in parts(name, dataset):
            result = resource_class().import_data(part, dry_run=False, use_transactions=False)
            found += [(lines[line - 2] if line > 1 else 1, message) for line, message in problems(result)]
            for kind, count in result.totals.items():
                totals[kind] = totals.get(kind, 0) + count
        if found:
            for line, message in sorted(found):
                self.stderr.write(f"{path}, line {line}: {message}")
            raise CommandError(f"{len(found)} problem(s) in {path}; nothing was written.")
        return ", ".join(f"{count} {kind}" for kind, count in totals.items() if count) or "no rows"


def parts(name, dataset):
    """(resource class, rows, original line of each row) for a file: one part, or citations per kind of fact."""
    if name != "citations":
        resources = {**REFERENCE_RESOURCES, **RESOURCES}
        return [(resources[name], dataset, list(range(2, dataset.height + 2)))]
    if "fact_type" not in dataset.headers:
        raise CommandError("citations.csv needs a fact_type column naming each row's kind of fact.")
    records = dataset.dict
    columns = [header for header in dataset.headers if header != "fact_type"]
    found = []
    for kind, resource_class in CITATION_RESOURCES.items():
        lines = [line for line, record in enumerate(records, start=2) if record["fact_type"] == kind]
        rows = [[records[line - 2][column] for column in columns] for line in lines]
        found.append((resource_class, tablib.Dataset(*rows, headers=columns), lines))
    unknown = {record["fact_type"] for record in records} - set(CITATION_RESOURCES)
    if unknown:
        raise CommandError(
            f"citations.csv: unknown fact_type {', '.join(sorted(unknown))}; use {', '.join(CITATION_RESOURCES)}."
        )
    return found
