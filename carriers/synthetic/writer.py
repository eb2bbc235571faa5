"""Writing generated rows in bounded chunks: COPY on PostgreSQL, bulk_create elsewhere."""

from django.core.management.color import no_style
from django.db import connection

from .. import kept
from ..copying import copy_rows
from .vocabulary import CHUNK


class Table:
    """Rows of one model waiting to be written; with `ids`, numbers them from 1 and returns the number."""

    def __init__(self, writer, model, fields, ids):
        self.writer, self.model, self.ids = writer, model, ids
        self.fields = (["id"] if ids else []) + fields.split()
        self.rows, self.count = [], 0

    def add(self, *values):
        self.count += 1
        self.rows.append((self.count, *values) if self.ids else values)
        if len(self.rows) >= CHUNK:
            self.writer.flush()
        return self.count


class Writer:
    def __init__(self):
        self.tables, self.indexes, self.foreign_keys = [], [], []
        with connection.cursor() as cursor:
            self.copy = connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy_expert")

    def table(self, model, fields, ids=True):
        """Declare tables parents first: they are written in that order."""
        self.tables.append(Table(self, model, fields, ids))
        if self.copy:
            self.set_indexes_aside(model._meta.db_table)
        return self.tables[-1]

    def set_indexes_aside(self, name):
        """Drop an empty table's indexes, unique constraints and foreign keys (not its primary key) until the load
        is done: building an index once is far faster than updating it row by row, and checking a foreign key in
        one query faster than by a trigger per row. Dropped and rebuilt in the load's transaction.
        """
        table = connection.ops.quote_name(name)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
                [name],
            )
            for constraint, kind, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(constraint)}")
                sql = f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(constraint)} {definition}"
                (self.foreign_keys if kind == "f" else self.indexes).append(sql)
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = %s::regclass AND NOT indisprimary AND NOT EXISTS "
                "(SELECT FROM pg_constraint WHERE conindid = indexrelid AND conrelid = indrelid) ORDER BY 1",
                [name],
            )
            for index, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {index}")
                self.indexes.append(definition)

    def rebuild_indexes(self):
        with connection.cursor() as cursor:
            if self.indexes:
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for sql in self.indexes + self.foreign_keys:
                cursor.execute(sql)

    def flush(self):
        for table in self.tables:
            if table.rows:
                (self.copy_rows if self.copy else self.create_rows)(table)
                table.rows = []

    def copy_rows(self, table):
        copy_rows(table.model, table.fields, table.rows)

    def create_rows(self, table):
        objects = [table.model(**dict(zip(table.fields, row, strict=True))) for row in table.rows]
        table.model.objects.bulk_create(objects, batch_size=2_000)

    def reset_sequences(self):
        """Let rows added later continue after the ids assigned here."""
        models = [table.model for table in self.tables if table.ids]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def analyze(self):
        names = [connection.ops.quote_name(table.model._meta.db_table) for table in self.tables]
        kept.settle(connection.alias, names)
