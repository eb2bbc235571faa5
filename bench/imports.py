"""The import figures: `import_csv --commit` of new equipment rows, and how long another researcher's save waits
meanwhile. Runs inside Django (bench/run.py's `import` worker) against the world-scale scratch database."""

import csv
import io
import threading
import time
from pathlib import Path

# The year the file's facts start in: the generator starts none that early, so every row adds a fact.
NEW_START = "1990"
SAVE_INTERVAL_S = 0.1


def equipment_file(path, count):
    """`count` rows of /equipment.csv turned into new facts: no id or last change, an earlier start."""
    from carriers.exports import EQUIPMENT_USES
    from carriers.models import EquipmentUse

    headers = [column.header for column in EQUIPMENT_USES.columns]
    key = [headers.index(column) for column in ("carrier", "vendor", "segment", "technology")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    seen = set()
    uses = EquipmentUse.objects.select_related("carrier", "vendor").order_by("pk")
    for row in EQUIPMENT_USES.rows(uses):
        # One fact per carrier, vendor, segment and technology: two starting in 1990 would be the same fact.
        if tuple(row[index] for index in key) in seen:
            continue
        seen.add(tuple(row[index] for index in key))
        row[headers.index("id")] = row[headers.index("changed")] = ""
        row[headers.index("valid_from")] = NEW_START
        writer.writerow(row)
        if len(seen) == count:
            break
    Path(path).write_text(out.getvalue(), encoding="utf-8")
    return len(seen)


class Saver(threading.Thread):
    """Another researcher: saves a carrier every SAVE_INTERVAL_S on a connection of its own, timing each save."""

    def __init__(self):
        super().__init__(daemon=True)
        self.waits, self.errors, self.done = [], [], threading.Event()

    def run(self):
        from django.db import connection

        from carriers.models import Carrier

        carrier = Carrier.objects.order_by("pk").first()
        try:
            while not self.done.is_set():
                started = time.perf_counter()
                try:
                    carrier.save()
                except Exception as error:  # a refused save is part of the figure, not the end of the benchmark
                    self.errors.append(f"{type(error).__name__}: {error}")
                self.waits.append(time.perf_counter() - started)
                time.sleep(SAVE_INTERVAL_S)
        finally:
            connection.close()


def measure_import(arguments):
    """Time `import_csv equipment --commit` of new rows while a carrier is saved every 100 ms."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    rows, folder = arguments["rows"], Path(arguments["folder"])
    path = folder / "equipment-import.csv"
    rows = equipment_file(path, rows)
    user, _ = get_user_model().objects.get_or_create(username="bench-importer")
    saver = Saver()
    saver.start()
    time.sleep(3 * SAVE_INTERVAL_S)  # saves before the import too: their time is the baseline
    started = time.perf_counter()
    call_command("import_csv", "equipment", str(path), commit=True, user=user.username, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    time.sleep(3 * SAVE_INTERVAL_S)
    saver.done.set()
    saver.join()
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "saves": len(saver.waits),
        "max_save_wait_ms": round(max(saver.waits) * 1000, 1),
        "refused_saves": len(saver.errors),
        "refusals": saver.errors[:3],
    }
