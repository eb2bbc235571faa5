"""The CSV export against PostgreSQL's own limit. Runs inside Django (bench/run.py's `copy` worker) against the
scratch database: COPY of the exact SELECT /equipment.csv streams, and COPY of a flat table holding exactly the
rows it exports (the most any CSV export of those rows could do on this machine)."""

import time


class Discard:
    """A write-only file that only counts what it is given."""

    def __init__(self):
        self.size = 0

    def write(self, data):
        self.size += len(data)


def timed_copy(cursor, statement):
    sink = Discard()
    started = time.perf_counter()
    cursor.copy_expert(statement, sink)
    return time.perf_counter() - started, sink.size


def copy_figures(query):
    """COPY figures for the equipment export of the query string `query` ('' for the full export)."""
    from django.db import connection
    from django.http import QueryDict

    from carriers.exports import EQUIPMENT_USES
    from carriers.filters import EquipmentUseFilter
    from carriers.kept.rows import countries_alone
    from carriers.models import EquipmentUse

    # As views.equipment_list builds it for the request.
    uses = EquipmentUse.objects.public_list()
    filterset = EquipmentUseFilter(QueryDict(query), queryset=uses)
    filterset.is_valid()
    queryset = filterset.qs
    select_sql = EQUIPMENT_USES.copy_sql(queryset, countries_alone(filterset))
    rows = queryset.count()
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        seconds, size = timed_copy(cursor, f"COPY ({select_sql}) TO STDOUT WITH (FORMAT csv)")
        cursor.execute(f"CREATE TEMPORARY TABLE bench_flat AS {select_sql}")
        flat_seconds, flat_size = timed_copy(cursor, "COPY bench_flat TO STDOUT WITH (FORMAT csv)")
        cursor.execute("DROP TABLE bench_flat")
    return {
        "query": query,
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds),
        "flat_bytes": flat_size,
        "flat_seconds": round(flat_seconds, 3),
        "flat_rows_per_s": round(rows / flat_seconds),
        "sql": select_sql,
    }
