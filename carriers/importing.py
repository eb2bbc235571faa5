"""Reading researchers' CSV files and reporting what is wrong with them: one way, for the admin and `import_csv`.

Lines are counted as a spreadsheet numbers its rows: the header is line 1, the first record line 2.
"""

import codecs
import csv
import datetime
import io
import logging
from uuid import uuid4

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from import_export.formats.base_formats import CSV
from import_export.tmp_storages import BaseStorage

from .models import PendingImport

logger = logging.getLogger(__name__)

PREVIEW_LIFETIME = datetime.timedelta(days=1)
SAVE_AS_UTF8 = "Save it from your spreadsheet as “CSV UTF-8 (comma delimited)” and upload it again."


class ImportGone(Exception):
    """The previewed file is no longer waiting: already imported, or never there."""


def decoded(data):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValueError(f"The file is saved as UTF-16 text, not UTF-8. {SAVE_AS_UTF8}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValueError(
            f"The file is not UTF-8 text (line {line} has a character in another encoding, such as Latin-1 "
            f"or EUC-KR). {SAVE_AS_UTF8}"
        ) from None


def read_csv(data):
    """A dataset from the bytes of a CSV file, or a ValueError a researcher can act on."""
    text = decoded(data)
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records or not any(records[0]):
        raise ValueError("The file is empty: it needs a header line naming the columns, then one line per record.")
    header = records[0]
    if len(header) == 1 and ";" in header[0]:
        raise ValueError(f"The columns are separated by semicolons; this import reads commas. {SAVE_AS_UTF8}")
    for line, record in enumerate(records[1:], start=2):
        if len(record) != len(header):
            raise ValueError(f"Line {line} has {len(record)} cells where the header names {len(header)} columns.")
    return tablib.Dataset(*records[1:], headers=header)


class ResearchCSV(CSV):
    """CSV in UTF-8, read from bytes so that other encodings and delimiters get a clear message."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        return read_csv(in_stream if isinstance(in_stream, bytes) else in_stream.encode())


class DatabaseStorage(BaseStorage):
    """Keeps a previewed file in the database under a random token, so any app server can confirm it once."""

    def save(self, data):
        # Previews never confirmed are dropped after a day, so abandoned files do not pile up.
        PendingImport.objects.filter(created_at__lt=timezone.now() - PREVIEW_LIFETIME).delete()
        self.name = uuid4().hex
        PendingImport.objects.create(token=self.name, data=data)

    def read(self):
        pending = PendingImport.objects.filter(token=self.name or "").first()
        if pending is None:
            raise ImportGone
        return bytes(pending.data)

    def remove(self):
        PendingImport.objects.filter(token=self.name or "").delete()


def problems(result):
    """(line, message) for everything wrong with an import, in file order."""
    found = [(1, message(error.error)) for error in result.base_errors]
    for invalid in result.invalid_rows:
        for field, messages in invalid.error_dict.items():
            label = "" if field == NON_FIELD_ERRORS else f"{field}: "
            found += [(invalid.number + 1, f"{label}{text}") for text in messages]
    for number, errors in result.row_errors():
        found += [(number + 1, message(error.error)) for error in errors]
    return sorted(found, key=lambda problem: problem[0])


def message(error):
    """The words of an expected error; an unexpected one is logged, and the researcher told so."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, ValueError):
        return str(error)
    logger.error("Unexpected import error", exc_info=error)
    return "This line could not be imported because of an unexpected error, which has been logged for the developers."


def row_types(result):
    """What would happen to each line: {line: "new" | "update" | "skip" | "error" | "invalid"}."""
    # Every row has a result, in file order (the resources report skipped rows too).
    return {number + 1: row.import_type for number, row in enumerate(result.rows, start=1)}


def changed_since_preview(preview, result):
    """Lines whose outcome differs from what the preview showed, as sentences."""
    now = row_types(result)
    return [
        f"Line {line}: the preview showed “{preview[str(line)]}”, now “{now[line]}”."
        for line in sorted(now)
        if str(line) in preview and preview[str(line)] != now[line]
    ]
