"""Write the next numbered release: the public CSVs and their datapackage.json, as one zip in RELEASES_DIR."""

from django.core.management.base import BaseCommand, CommandError

from carriers.releases.changelog import totals
from carriers.releases.storage import ReleaseError, make_release


class Command(BaseCommand):
    help = "Make the next numbered, immutable release (a Frictionless Data Package zip) in RELEASES_DIR."

    def handle(self, *args, **options):
        try:
            release = make_release()
        except ReleaseError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Release {release.number}: {release.path} ({release.size:,} bytes, {release.rows:,} rows)")
        self.stdout.write(f"SHA-256 {release.sha256}")
        if release.previous:
            added, removed, changed = totals(release.changelog)
            self.stdout.write(f"Since {release.previous}: {added} added, {removed} removed, {changed} changed.")
