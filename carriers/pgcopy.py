"""Stream a query's rows as CSV straight from PostgreSQL's COPY, the fastest way out of the database.

psycopg2's COPY writes into a file object until the query ends, so a thread runs it on its own
connection and hands chunks to the response through a small queue: memory stays flat and the
first bytes leave as soon as PostgreSQL produces them.
"""

import queue
import threading

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, Func, TextField

CHUNK_BYTES = 64 * 1024
FINISHED = object()


class PartialDateText(Func):
    """SQL twin of PartialDate.isoformat: 2020, 2020-08 or 2020-08-05, by the date's precision column."""

    output_field = TextField()

    def __init__(self, field_name):
        super().__init__(F(field_name), F(f"{field_name}_precision"))

    def as_sql(self, compiler, connection, **extra):
        date, date_params = compiler.compile(self.source_expressions[0])
        precision, precision_params = compiler.compile(self.source_expressions[1])
        formats = {"year": "YYYY", "month": "YYYY-MM"}
        cases = " ".join(f"WHEN '{name}' THEN TO_CHAR({date}, '{pattern}')" for name, pattern in formats.items())
        sql = f"CASE {precision} {cases} ELSE TO_CHAR({date}, 'YYYY-MM-DD') END"
        return sql, [*precision_params, *date_params * (len(formats) + 1)]


class UtcTimestampText(Func):
    """SQL twin of exports.rfc3339: the moment in UTC to the microsecond, as 2026-12-05T02:14:33.123456Z."""

    output_field = TextField()
    template = """TO_CHAR(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""

    def __init__(self, field_name):
        super().__init__(F(field_name))


def copy_sql(queryset, expressions):
    """The SELECT for `queryset` (its filters and order) returning `expressions`, with parameters inlined."""
    names = [f"column_{index}" for index in range(len(expressions))]
    return inline_sql(queryset.annotate(**dict(zip(names, expressions, strict=True))).values_list(*names))


def inline_sql(queryset):
    """The queryset's SQL with its parameters inlined, to run where no parameters can go (COPY, a trigger)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        return cursor.mogrify(sql, params).decode()


def stream_copy(select_sql, using=DEFAULT_DB_ALIAS):
    """Yield the CSV text of COPY (select_sql), chunk by chunk, from the database `using`."""
    connection = connections[using]
    chunks = queue.Queue(maxsize=16)
    stop = threading.Event()

    def put(item):
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        raise ConnectionAbortedError("The client went away.")

    def produce():
        database = connection.get_new_connection(connection.get_connection_params())
        try:
            writer = ChunkWriter(put)
            with database.cursor() as cursor:
                # Compiling a big export's expressions took seconds and won nothing on scans this simple.
                # Kept rows (carriers.kept.rows) are read in index order from cached pages, where a random
                # page costs about what a sequential one does: PostgreSQL's default assumes spinning disks.
                cursor.execute("SET jit = off; SET random_page_cost = 1.1")
                cursor.copy_expert(f"COPY ({select_sql}) TO STDOUT WITH (FORMAT csv)", writer)
            writer.flush()
            put(FINISHED)
        except Exception as error:  # handed to the response, which stops with it
            if not stop.is_set():
                put(error)
        finally:
            database.close()

    threading.Thread(target=produce, daemon=True, name="csv-copy").start()
    try:
        while (item := chunks.get()) is not FINISHED:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stop.set()


class ChunkWriter:
    """A write-only file that groups COPY's many small writes into chunks of about CHUNK_BYTES."""

    def __init__(self, put):
        self.put = put
        self.buffer = []
        self.size = 0

    def write(self, data):
        self.buffer.append(data if isinstance(data, bytes) else data.encode())
        self.size += len(data)
        if self.size >= CHUNK_BYTES:
            self.flush()

    def flush(self):
        if self.buffer:
            self.put(b"".join(self.buffer))
            self.buffer, self.size = [], 0
