"""Making a release: read every public CSV in one snapshot, number it in the database, and store the zip
so that it appears whole or not at all and never replaces another."""

import csv
import hashlib
import io
import os
import re
import uuid
import zipfile
from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from carriers.models import Release

from . import changelog, package

RELEASE_FILE = re.compile(r"release-(\d+)\.zip")
NUMBERING_ATTEMPTS = 5


class ReleaseError(Exception):
    pass


def make_release():
    """Write the next numbered release and record it; return its Release row."""
    folder = settings.RELEASES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".release-{uuid.uuid4().hex}.zip.part"
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with snapshot():
                created = timezone.now().replace(microsecond=0)
                summaries = write_tables(archive)
            release = record(archive, partial, created, summaries)
        return release
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def snapshot():
    """One transaction for every CSV, so the tables agree (on PostgreSQL, one snapshot for all queries)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def write_tables(archive):
    summaries = {}
    for export, queryset in package.tables():
        writer = package.TableWriter(export)
        with archive.open(f"{export.name}.csv", "w", force_zip64=True) as stream:
            writer.write(queryset, stream)
        summaries[export.name] = writer.summary()
    return summaries


def record(archive, partial, created, summaries):
    """Take the next number, finish the zip under it and move it into place, all in one transaction.

    Two releases made at once both try the same number; the unique constraint lets one win and the
    other tries the next. Nothing is written into the zip before the number is ours.
    """
    for _ in range(NUMBERING_ATTEMPTS):
        try:
            with transaction.atomic():
                release = Release.objects.create(number=next_number(), created_at=created, size=0, sha256="")
                archive.writestr(package.DESCRIPTOR, package.descriptor_json(release.number, created, summaries))
                archive.close()
                publish(partial, release)
                try:
                    fill_in(release, summaries)
                except Exception:
                    release.path.unlink()  # ours, and its row is rolled back: leave no unrecorded release
                    raise
                return release
        except IntegrityError:
            continue
    raise ReleaseError(f"No free release number after {NUMBERING_ATTEMPTS} attempts.")


def next_number():
    """One past the highest number in the database or on disk: a zip whose row was lost is never replaced."""
    recorded = Release.objects.aggregate(highest=Max("number"))["highest"] or 0
    return max(recorded, *stored_numbers(), 0) + 1


def stored_numbers():
    folder = settings.RELEASES_DIR
    names = os.listdir(folder) if folder.is_dir() else []
    return [int(match[1]) for match in map(RELEASE_FILE.fullmatch, names) if match]


def publish(partial, release):
    """fsync the finished zip, then link it under its final name: the link fails rather than replace a file."""
    with open(partial, "rb") as stream:
        os.fsync(stream.fileno())
    try:
        os.link(partial, release.path)
    except FileExistsError as error:
        raise ReleaseError(f"{release.path} already exists; releases are never overwritten.") from error
    directory = os.open(release.path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def fill_in(release, summaries):
    release.size = release.path.stat().st_size
    release.sha256 = file_sha256(release.path)
    release.tables = summaries
    previous = Release.objects.filter(number__lt=release.number).order_by("-number").first()
    if previous is not None and previous.path.exists():
        release.previous = previous.number
        release.changelog = changelog.compare(read_tables(previous.path), read_tables(release.path))
    release.save()


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_tables(path):
    """{table name: list of row dicts} from a release zip's CSVs."""
    with zipfile.ZipFile(path) as archive:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8")))
            for name in archive.namelist()
            if name.endswith(".csv")
        }
