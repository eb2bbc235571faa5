"""Fill an empty database with synthetic data for load and performance tests (see carriers.synthetic)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from carriers.models import DataVersion
from carriers.progress import progress_bar
from carriers.synthetic.generator import FILLED, Generator
from carriers.synthetic.vocabulary import SHAPES
from carriers.synthetic.writer import Writer


class Command(BaseCommand):
    help = "Fill an empty database with deterministic synthetic data for load tests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=SHAPES,
            metavar="{world,stress}",
            default="world",
            help="world: every country, 2,000 carriers, 50,000 equipment facts; stress: 40,000 and 1,000,000.",
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data (default 1).")

    def handle(self, scale, seed, verbosity, **options):
        found = [str(model._meta.verbose_name_plural) for model in FILLED if model.objects.exists()]
        if found:
            raise CommandError(f"The database already has {', '.join(found)}: generate_dataset fills an empty one.")
        started = time.monotonic()
        steps = ["countries", "vendors", "initiatives", "carriers", "sources", "events", "positions", "labels"]
        # The steps, equipment (most of the time), writing, indexes and analysis.
        bar = progress_bar(self, total=len(steps) + 4, unit=" steps", desc=f"{scale} scale", leave=False)

        def report(message):
            bar.set_postfix_str(message)
            if verbosity:
                bar.write(f"{time.monotonic() - started:7.1f} s  {message}", file=self.stdout._out)

        def done(message):
            report(message)
            bar.update()

        writer = Writer()
        generator = Generator(SHAPES[scale], seed, writer, report)
        with bar:
            with transaction.atomic():
                for step in steps:
                    table = getattr(generator, step)()
                    done(f"{table.model._meta.verbose_name_plural}: {table.count:,}")
                generator.equipment()
                bar.update()
                writer.flush()
                done("rows written" + ("; rebuilding indexes and checking foreign keys" if writer.copy else ""))
                writer.rebuild_indexes()
                writer.reset_sequences()
                # Triggers bumped the version, but a new database counts from 0: move it past any number a running
                # process may have cached results under.
                number = max(DataVersion.current() + 1, time.time_ns() // 1000)
                DataVersion.objects.update_or_create(pk=1, defaults={"number": number})
            done("committed" + ("; analysing" if connection.vendor == "postgresql" else ""))
            writer.analyze()
            bar.update()
        if verbosity:
            for table in writer.tables:
                self.stdout.write(f"{table.count:>12,}  {table.model._meta.verbose_name_plural}")
            self.stdout.write(f"{scale} scale, seed {seed}: {time.monotonic() - started:.1f} s")
