"""Rows into PostgreSQL by COPY FROM, the fastest way in: the synthetic data set, and files of new facts."""

import io
import json
import re

from django.db import connection

COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")


def copy_line(row):
    """A row in PostgreSQL's COPY text format (one expression: this runs for every row)."""
    values = [
        "\\N" if value is None
        else (value.translate(COPY_ESCAPES) if NEEDS_ESCAPE.search(value) else value) if value.__class__ is str
        else json.dumps(value).translate(COPY_ESCAPES) if value.__class__ is list  # a JSON column
        else str(value)
        for value in row
    ]  # fmt: skip
    return "\t".join(values) + "\n"


def copy_rows(model, names, rows):
    """Insert `rows` of `model`, each the values of the fields `names` in that order, by one COPY."""
    data = io.StringIO()
    data.writelines(map(copy_line, rows))
    data.seek(0)
    quote, meta = connection.ops.quote_name, model._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN", data)


def new_ids(model, count):
    """`count` ids from the sequence of `model`'s primary key, in the order inserting as many rows takes them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return sorted(number for (number,) in cursor.fetchall())
