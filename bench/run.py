"""Benchmark the tracker at the generator's world and stress scales; write bench/results.json.

Never touches the database DATABASE_URL names: everything runs in a scratch database beside it
(`<name>_bench` on the same PostgreSQL server, or a temporary SQLite file), created here and
dropped at the end, even on failure. For each scale the scratch database is migrated, filled by
`manage.py generate_dataset`, and every public page is timed in-process with Django's test client,
both as visitors get it (from the app's page cache once filled) and computed from the database.
At the world scale it then times `import_csv --commit` of new equipment rows while another connection
saves a carrier every 100 ms (bench/imports.py). At the last scale gunicorn serves the equipment CSV
(compared with PostgreSQL's COPY of the same query) and takes bounded local load on a filtered list
and on /healthz.

A measurement, not a test: it exits 0 when a target is missed, non-zero only when it cannot run.
Internally it also runs itself as a Django process (`--worker pages|counts|copy|recompute|import`) against the
scratch database.
"""

import argparse
import csv
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'db.sqlite3'}"  # the project's embedded default
SCRATCH_MARK = "Scratch database of bench/run.py; dropped when the benchmark ends."
RESULT_PREFIX = "BENCH-RESULT "
LIST_PAGES = [
    "/countries/",
    "/carriers/",
    "/vendors/",
    "/initiatives/",
    "/equipment/",
    "/labels/",
    "/positions/",
    "/events/",
    "/sources/",
]
# The import figures (bench/imports.py), taken at the world scale.
IMPORT_ROWS, MIN_IMPORT_RATE, MAX_SAVE_WAIT_MS = 10_000, 1000, 1000
TARGETS = {
    "queries": "queries per page identical at both scales and <= 12",
    "growth": "stress median / world median <= 2 on every page",
    "uncached_queries": "computed from the database: queries identical at both scales and <= 8",
    "uncached_growth": "computed from the database: growth <= 2 on every page",
    "uncached_median": "computed from the database: median <= 250 ms on every page at the last scale",
    "csv_flat_copy_ratio": "full /equipment.csv rows/s / COPY of a flat table of its rows >= 0.5",
    "csv_filtered_flat_copy_ratio": "the same for /equipment.csv?country=<biggest> >= 0.5",
    "csv_memory": "serving worker memory growth during the CSV download < 50 MB",
    "csv_first_byte": "CSV time to first byte <= 0.5 s",
    "load": "filtered list rps / healthz rps >= 0.5 with 0 errors",
    "recomputations_after_edit": "a page 32 clients ask for right after an edit is computed once",
    "import_rows_per_s": f"import_csv --commit of {IMPORT_ROWS:,} new equipment rows >= {MIN_IMPORT_RATE:,} rows/s",
    "max_save_wait_during_import_ms": f"another researcher's save waits <= {MAX_SAVE_WAIT_MS:,} ms during that import",
}
# Timed requests per page stop early (after MIN_SAMPLES) once they have taken this long.
CACHED_BUDGET_S, UNCACHED_BUDGET_S, MIN_SAMPLES = 15, 8, 3
COUNTED_MODELS = [
    "Country",
    "Carrier",
    "Vendor",
    "Initiative",
    "Source",
    "EquipmentUse",
    "EquipmentUseCitation",
    "CleanLabel",
    "CountryPosition",
    "Event",
]
MAX_QUERIES, MAX_GROWTH, MIN_CSV_RATIO, MAX_MEMORY_MB, MAX_FIRST_BYTE_S, MIN_LOAD_RATIO = 12, 2, 0.5, 50, 0.5, 0.5
# The first visit after an edit: fewer queries than a cached visit may make, none of them slow.
MAX_UNCACHED_QUERIES, MAX_UNCACHED_MEDIAN_MS = 8, 250


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# Scratch database


class ScratchPostgres:
    """`<name>_bench` on the user's server; refuses to drop a database this script did not create."""

    vendor = "postgresql"

    def __init__(self, url):
        import dj_database_url

        parts = urlsplit(url)
        self.user_name = dj_database_url.parse(url)["NAME"]
        self.name = f"{self.user_name}_bench"[:63]
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self.params = dj_database_url.parse(url)

    @contextmanager
    def admin_cursor(self):
        """A cursor on the server's maintenance database (autocommit), to create and drop the scratch one."""
        import psycopg2

        p = self.params
        options = {key: value for key, value in p.get("OPTIONS", {}).items() if key in {"sslmode", "sslrootcert"}}
        credentials = {key.lower(): p.get(key) or None for key in ("USER", "PASSWORD", "HOST", "PORT")}
        try:
            connection = psycopg2.connect(dbname="postgres", **credentials, **options)
        except psycopg2.OperationalError:
            connection = psycopg2.connect(dbname="template1", **credentials, **options)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                yield cursor
        finally:
            connection.close()

    def is_ours(self, cursor):
        """None when the scratch database does not exist, else whether this script made it."""
        cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [self.name])
        row = cursor.fetchone()
        return None if row is None else row[0] == SCRATCH_MARK

    def create(self):
        """Create the scratch database, first dropping a leftover one from an interrupted run."""
        with self.admin_cursor() as cursor:
            ours = self.is_ours(cursor)
            if ours is False:
                raise SystemExit(f"Database {self.name} exists and was not made by this benchmark; not touching it.")
            if ours:
                self._drop(cursor)
            cursor.execute(f'CREATE DATABASE "{self.name}"')
            cursor.execute(f"COMMENT ON DATABASE \"{self.name}\" IS '{SCRATCH_MARK}'")

    def drop(self):
        with self.admin_cursor() as cursor:
            if self.is_ours(cursor):
                self._drop(cursor)

    def _drop(self, cursor):
        force = " WITH (FORCE)" if cursor.connection.server_version >= 130000 else ""
        cursor.execute(f'DROP DATABASE "{self.name}"{force}')

    def describe(self):
        with self.admin_cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0]
        return {"vendor": "postgresql", "version": version, "scratch_database": self.name}


class ScratchSqlite:
    """A SQLite file in a temporary folder."""

    vendor = "sqlite"

    def __init__(self, folder):
        self.path = Path(folder) / "bench.sqlite3"
        self.name = str(self.path)
        self.url = f"sqlite:///{self.path}"

    def create(self):
        self.drop()

    def drop(self):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def describe(self):
        import sqlite3

        return {"vendor": "sqlite", "version": sqlite3.sqlite_version, "scratch_database": self.name}


def scratch_for(url, folder):
    scheme = urlsplit(url).scheme
    if scheme.startswith(("postgres", "pgsql")):
        return ScratchPostgres(url)
    if scheme.startswith("sqlite"):
        return ScratchSqlite(folder)
    raise SystemExit(f"The benchmark runs on PostgreSQL or SQLite, not {scheme}.")


# Django processes


def django_env(scratch_url, allowed_hosts):
    """Production-like settings (debug off) against the scratch database."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=scratch_url,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=allowed_hosts,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args):
    """Run manage.py; its output goes to our stderr; returns seconds taken."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=sys.stderr)
    return time.perf_counter() - started


def run_worker(env, kind, arguments):
    """Run this script as a Django process (`--worker kind`) and return the JSON it reports."""
    completed = subprocess.run(
        [sys.executable, __file__, "--worker", kind, json.dumps(arguments)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in reversed(completed.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    raise RuntimeError(f"The {kind} worker reported nothing.")


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()


def pick_identities():
    """The biggest country (by carriers), vendor (by equipment facts) and initiative (by clean labels), and the
    carrier of that country with the most equipment facts."""
    from django.db.models import Count

    from carriers.models import Carrier, Country, Initiative, Vendor

    country = Country.objects.annotate(n=Count("carriers")).order_by("-n", "code").first()
    return {
        "country": country.code,
        "vendor": Vendor.objects.annotate(n=Count("equipment_uses")).order_by("-n", "slug").first().slug,
        "carrier": Carrier.objects.filter(country=country)
        .annotate(n=Count("equipment_uses"))
        .order_by("-n", "slug")
        .first()
        .slug,
        "initiative": Initiative.objects.annotate(n=Count("clean_labels")).order_by("-n", "slug").first().slug,
    }


def identity_sizes(identities):
    """How much each chosen record holds at this scale, to read the detail pages' growth by."""
    from carriers.models import Carrier, CleanLabel, EquipmentUse

    return {
        "country_carriers": Carrier.objects.filter(country_id=identities["country"]).count(),
        "vendor_equipment_uses": EquipmentUse.objects.filter(vendor__slug=identities["vendor"]).count(),
        "carrier_equipment_uses": EquipmentUse.objects.filter(carrier__slug=identities["carrier"]).count(),
        "initiative_clean_labels": CleanLabel.objects.filter(initiative__slug=identities["initiative"]).count(),
    }


def page_paths(identities):
    country, vendor = identities["country"], identities["vendor"]
    return [
        *LIST_PAGES,
        f"/equipment/?country={country}&vendor={vendor}",
        f"/carriers/?country={country}&vendor={vendor}",
        "/",
        f"/countries/{country}/",
        f"/carriers/{identities['carrier']}/",
        f"/vendors/{vendor}/",
        f"/initiatives/{identities['initiative']}/",
    ]


def percentile(values, fraction):
    """The `fraction` quantile, interpolated between the nearest samples."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def time_requests(client, path, repeats, budget_s, uncached):
    """Up to `repeats` GETs of `path`, fewer (but MIN_SAMPLES) once they have taken `budget_s`.

    Returns the statuses, query counts, milliseconds and body sizes; `uncached` empties the app's cache before
    each request, as an edit does, so the page is computed from the database every time.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = []
    while len(rows) < repeats and (len(rows) < MIN_SAMPLES or sum(row[2] for row in rows) < budget_s * 1000):
        if uncached:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            content = response.content
            elapsed = time.perf_counter() - started
        rows.append((response.status_code, len(queries), elapsed * 1000, len(content)))
    return rows


def figures(rows):
    """Query count (the most any request made), median and p95 milliseconds of timed requests."""
    statuses, counts, times = {row[0] for row in rows}, {row[1] for row in rows}, [row[2] for row in rows]
    return {
        "queries": max(counts),
        "queries_varied": len(counts) > 1,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "samples": len(rows),
        **({"error": f"HTTP {max(statuses)}"} if statuses != {200} else {}),
    }


def time_page(client, path, repeats):
    """The page computed from the database (cache emptied before each request: the first visit after an edit),
    then as visitors get it until the next edit: 1 warm-up request, then `repeats` timed ones."""
    try:
        uncached = time_requests(client, path, repeats, UNCACHED_BUDGET_S, uncached=True)
        if uncached[0][0] != 200:
            return {"error": f"HTTP {uncached[0][0]}"}
        time_requests(client, path, 1, 0, uncached=False)
        cached = time_requests(client, path, repeats, CACHED_BUDGET_S, uncached=False)
    except Exception as error:  # a page that raises is a finding to report, not a reason to stop
        return {"error": f"{type(error).__name__}: {error}"}
    return {**figures(cached), "bytes": cached[0][3], "uncached": figures(uncached)}


def pages_worker(arguments):
    """Inside Django: time every public page against the scratch database."""
    setup_django()
    from django.test import Client

    from carriers.models import Carrier, Country, Initiative, Vendor

    identities = arguments.get("identities")
    known = identities and (
        Country.objects.filter(code=identities["country"]).exists()
        and Vendor.objects.filter(slug=identities["vendor"]).exists()
        and Carrier.objects.filter(slug=identities["carrier"]).exists()
        and Initiative.objects.filter(slug=identities["initiative"]).exists()
    )
    if not known:
        identities = pick_identities()
    client = Client()
    pages = {}
    for path in page_paths(identities):
        pages[path] = time_page(client, path, arguments["repeats"])
        print(f"  {path}: {pages[path]}", file=sys.stderr, flush=True)
    return {"identities": identities, "sizes": identity_sizes(identities), "pages": pages}


def counts_worker(arguments):
    """Inside Django: row counts of the generated tables."""
    setup_django()
    from django.apps import apps

    return {name: apps.get_model("carriers", name).objects.count() for name in COUNTED_MODELS}


def copy_worker(arguments):
    """Inside Django: COPY of the exact SELECT /equipment.csv streams, and of a flat table of its rows."""
    setup_django()
    from csv_limit import copy_figures

    return {"full": copy_figures(""), "filtered": copy_figures(f"country={arguments['country']}")}


def recompute_worker(arguments):
    """Inside Django: `clients` threads ask for one page at once right after an edit; how often it is rendered."""
    setup_django()
    from django.db import connection
    from django.test import Client

    from carriers import views
    from carriers.models import Carrier

    path, clients = arguments["path"], arguments["clients"]
    Client().get(path)  # cached, as before any edit
    Carrier.objects.order_by("pk").first().save()  # an edit: a new data version
    renders, render = [], views.render

    def counted_render(request, template_name, *args, **kwargs):
        renders.append(template_name)
        return render(request, template_name, *args, **kwargs)

    views.render = counted_render
    barrier = threading.Barrier(clients)

    def ask(_):
        barrier.wait()
        try:
            return Client().get(path).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(clients) as pool:
        statuses = list(pool.map(ask, range(clients)))
    return {"path": path, "clients": clients, "computations": len(renders), "errors": clients - statuses.count(200)}


def import_worker(arguments):
    """Inside Django: time an import of new equipment rows, and another researcher's saves meanwhile."""
    setup_django()
    from imports import measure_import

    return measure_import(arguments)


WORKERS = {
    "pages": pages_worker,
    "counts": counts_worker,
    "copy": copy_worker,
    "recompute": recompute_worker,
    "import": import_worker,
}


# gunicorn


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, timeout=30):
    """One GET on 127.0.0.1: (status, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextmanager
def gunicorn(env, folder):
    """gunicorn with the checked-in config on a free loopback port; yields (port, master pid)."""
    port = free_port()
    env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_ACCESS_LOG="/dev/null")
    log_path = Path(folder) / "gunicorn.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "tracker/gunicorn.py", "tracker.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
            try:
                if get(port, "/healthz", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        log(f"gunicorn pid {process.pid} on 127.0.0.1:{port}, {len(worker_pids(process.pid))} workers")
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_pids(master):
    """The gunicorn workers: processes whose parent is the master."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return pids


def rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


class RssSampler(threading.Thread):
    """Samples VmRSS of every gunicorn worker every `interval` seconds; growth = peak minus the first sample."""

    def __init__(self, master, interval=0.05):
        super().__init__(daemon=True)
        self.master, self.interval = master, interval
        self.first, self.peak = {}, {}
        self.stopped = threading.Event()
        self.sample()

    def sample(self):
        for pid in worker_pids(self.master):
            value = rss_kb(pid)
            if value is not None:
                self.first.setdefault(pid, value)
                self.peak[pid] = max(self.peak.get(pid, 0), value)

    def run(self):
        while not self.stopped.wait(self.interval):
            self.sample()

    def stop(self):
        self.stopped.set()
        self.join()
        self.sample()

    def growth_mb(self):
        return max((self.peak[pid] - self.first[pid] for pid in self.peak), default=0) / 1024


def warm_workers(port, paths, rounds=3):
    """Send each path from several threads at once so that every worker has served it before measuring."""

    def hit(path):
        with suppress(OSError):
            get(port, path)

    for _ in range(rounds):
        threads = [threading.Thread(target=hit, args=(path,)) for path in paths for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def download_csv(port, path, master, folder):
    """Download `path` over HTTP into a file: first byte, total time, rows (as the csv module reads them), memory."""
    sink = Path(folder) / "download.csv"
    sampler = RssSampler(master)
    sampler.start()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        first = response.read1(64 * 1024)
        first_byte = time.perf_counter() - started
        size = len(first)
        with open(sink, "wb") as file:
            file.write(first)
            while chunk := response.read(1024 * 1024):
                file.write(chunk)
                size += len(chunk)
        seconds = time.perf_counter() - started
        status = response.status
    finally:
        connection.close()
        sampler.stop()
    with open(sink, newline="", encoding="utf-8") as file:
        header_size = len(file.readline().encode())
        file.seek(0)
        rows = sum(1 for _ in csv.reader(file)) - 1
    sink.unlink()
    return {
        "path": path,
        "status": status,
        "rows": rows,
        "bytes": size,
        "body_bytes_without_header": size - header_size,
        "seconds": round(seconds, 3),
        "first_byte_s": round(first_byte, 4),
        "rows_per_s": round(rows / seconds),
        "memory_growth_mb": round(sampler.growth_mb(), 2),
    }


# Load


WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("not_ok") end
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests": %d, "duration_us": %d, "not_200": %d, "socket_errors": %d, "timeouts": %d, '
      .. '"p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, not_ok, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def wrk_load(port, path, connections, seconds, folder):
    script = Path(folder) / "report.lua"
    script.write_text(WRK_SCRIPT)
    threads = min(connections, os.cpu_count() or 1)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script)]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True)
    line = next(line for line in output.stdout.splitlines() if line.startswith(RESULT_PREFIX))
    report = json.loads(line[len(RESULT_PREFIX) :])
    return {
        "tool": "wrk",
        "requests": report["requests"],
        "rps": round(report["requests"] / (report["duration_us"] / 1e6), 1),
        "p50_ms": round(report["p50_us"] / 1000, 2),
        "p99_ms": round(report["p99_us"] / 1000, 2),
        "errors": report["not_200"] + report["socket_errors"] + report["timeouts"],
        "not_200": report["not_200"],
        "socket_errors": report["socket_errors"],
        "timeouts": report["timeouts"],
    }


def python_load_process(port, path, connections, seconds):
    """`connections` threads, each a keep-alive connection to 127.0.0.1 sending GETs for `seconds`.

    Returns (latencies of answered requests, answers other than 200, exceptions, seconds taken).
    """
    latencies, counts, lock = [], {"not_200": 0, "exceptions": 0}, threading.Lock()
    started = time.perf_counter()
    deadline = time.monotonic() + seconds

    def client():
        connection, mine, not_200, exceptions = None, [], 0, 0
        while time.monotonic() < deadline:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            sent = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                exceptions += 1
                connection.close()
                connection = None
                continue
            mine.append(time.perf_counter() - sent)
            not_200 += response.status != 200
            if response.will_close:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()
        with lock:
            latencies.extend(mine)
            counts["not_200"] += not_200
            counts["exceptions"] += exceptions

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, counts["not_200"], counts["exceptions"], time.perf_counter() - started


def python_load(port, path, connections, seconds):
    """Spread the connections over one process per core, so the client is less of a bottleneck."""
    processes = max(1, min(connections, os.cpu_count() or 1))
    shares = [connections // processes + (index < connections % processes) for index in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        futures = [pool.submit(python_load_process, port, path, share, seconds) for share in shares]
        results = [future.result() for future in futures]
    latencies = [value for values, *_ in results for value in values]
    not_200, exceptions = sum(result[1] for result in results), sum(result[2] for result in results)
    return {
        "tool": "python",
        "requests": len(latencies),
        "rps": round(len(latencies) / max(result[3] for result in results), 1),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2) if latencies else None,
        "errors": not_200 + exceptions,
        "not_200": not_200,
        "exceptions": exceptions,
    }


def load(port, path, connections, seconds, tool, folder):
    """Bounded load on one path: a 3 s warm-up, then `seconds` measured."""
    run = (lambda *a: wrk_load(*a, folder)) if tool == "wrk" else python_load
    run(port, path, connections, 3)
    result = run(port, path, connections, seconds)
    log(f"load {path}: {result}")
    return result


# The benchmark


def measure_scale(scratch, env, scale, seed, repeats, identities, folder):
    """Fill a fresh scratch database at `scale` and time every page (and, at the world scale, an import)."""
    scratch.create()
    migrate_s = manage(env, "migrate", "--noinput", "-v0")
    log(f"{scale}: generating")
    generate_s = manage(env, "generate_dataset", "--scale", scale, "--seed", str(seed))
    rows = run_worker(env, "counts", {})
    log(f"{scale}: timing pages")
    measured = run_worker(env, "pages", {"repeats": repeats, "identities": identities})
    info = {
        "rows": rows,
        "migrate_s": round(migrate_s, 1),
        "generate_s": round(generate_s, 1),
        "identities": measured["identities"],
        "identity_sizes": measured["sizes"],
    }
    if scale == "world":
        # After the pages, so that they are timed on the generated data alone.
        log(f"{scale}: importing {IMPORT_ROWS:,} equipment rows")
        info["import"] = run_worker(env, "import", {"rows": IMPORT_ROWS, "folder": folder})
        log(f"import: {info['import']}")
    return info, measured["pages"]


def measure_server(scratch, env, identities, connections, seconds, tool, folder):
    """CSV download vs COPY, then load on a filtered list and on /healthz, on one gunicorn."""
    results = {}
    server_env = dict(env, DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost")
    small = f"/equipment.csv?country={identities['country']}&carrier={identities['carrier']}"
    filtered_csv = f"/equipment.csv?country={identities['country']}"
    with gunicorn(server_env, folder) as (port, master):
        warm_workers(port, ["/healthz", small])
        for key, path in (("csv", "/equipment.csv"), ("csv_filtered", filtered_csv)):
            log(f"downloading {path}")
            results[key] = download_csv(port, path, master, folder)
            log(f"{key}: {results[key]}")
        if scratch.vendor == "postgresql":
            results["copy"] = run_worker(env, "copy", {"country": identities["country"]})
            log(f"copy: {without_sql(results['copy'])}")
        filtered = f"/carriers/?country={identities['country']}"
        results["load"] = {
            "path": filtered,
            "connections": connections,
            "seconds": seconds,
            "filtered": load(port, filtered, connections, seconds, tool, folder),
            "healthz": load(port, "/healthz", connections, seconds, tool, folder),
        }
    return results


def without_sql(copy_figures):
    return {name: {key: value for key, value in found.items() if key != "sql"} for name, found in copy_figures.items()}


def ratio(numerator, denominator):
    return round(numerator / denominator, 3) if numerator is not None and denominator else None


def page_figures(figures, scale, uncached):
    found = figures.get(scale) or {}
    return found.get("uncached") or {} if uncached else found


def page_summary(pages, names, uncached):
    """Set each page's growth; return (max queries, whether every page's count is the same at every scale,
    max growth, max median at the last scale), None where a page failed."""
    growths, counts, last_medians, same = [], [], [], True
    for figures in pages.values():
        at = [page_figures(figures, name, uncached) for name in names]
        medians = [at[0].get("median_ms"), at[-1].get("median_ms")]
        growth = ratio(medians[1], medians[0]) if len(names) > 1 and None not in medians else None
        figures["uncached_growth" if uncached else "growth"] = growth
        growths.append(growth)
        last_medians.append(medians[1])
        counts += [found.get("queries") for found in at]
        same = same and len({found.get("queries") for found in at}) == 1
    max_queries = None if None in counts else max(counts)
    max_growth = None if None in growths or len(names) < 2 else max(growths)
    max_median = None if None in last_medians else max(last_medians)
    return max_queries, same, max_growth, max_median


def summarize(scales, pages, server, database, started):
    """The results document: headline figures, per-page figures, targets and whether each is met."""
    names = list(scales)
    max_queries, same_queries, max_growth, _ = page_summary(pages, names, uncached=False)
    max_uncached_queries, same_uncached_queries, max_uncached_growth, max_uncached_median = page_summary(
        pages, names, uncached=True
    )
    errors = {
        path: {name: figures[name]["error"] for name in names if "error" in figures.get(name, {})}
        for path, figures in pages.items()
    }
    csv_figures, load_figures = server["csv"], server["load"]
    copy_figures = server.get("copy") or {}
    full_copy, filtered_copy = copy_figures.get("full"), copy_figures.get("filtered")
    filtered, healthz = load_figures["filtered"], load_figures["healthz"]
    load_errors = filtered["errors"] + healthz["errors"]
    results = {
        "max_queries_per_page": max_queries,
        "max_growth_ratio": max_growth,
        "max_uncached_queries_per_page": max_uncached_queries,
        "max_uncached_growth_ratio": max_uncached_growth,
        "max_uncached_median_ms": max_uncached_median,
        "csv_flat_copy_ratio": ratio(csv_figures["rows_per_s"], full_copy and full_copy["flat_rows_per_s"]),
        "csv_filtered_flat_copy_ratio": ratio(
            server["csv_filtered"]["rows_per_s"], filtered_copy and filtered_copy["flat_rows_per_s"]
        ),
        "csv_copy_ratio": ratio(csv_figures["rows_per_s"], full_copy and full_copy["rows_per_s"]),
        "csv_rows_per_s": csv_figures["rows_per_s"],
        "csv_filtered_rows_per_s": server["csv_filtered"]["rows_per_s"],
        "copy_rows_per_s": full_copy and full_copy["rows_per_s"],
        "flat_copy_rows_per_s": full_copy and full_copy["flat_rows_per_s"],
        "csv_memory_growth_mb": csv_figures["memory_growth_mb"],
        "csv_first_byte_s": csv_figures["first_byte_s"],
        "load_ratio": ratio(filtered["rps"], healthz["rps"]),
        "load_rps": filtered["rps"],
        "load_errors": load_errors,
        "load_scale": names[-1],
        "csv_scale": names[-1],
        "page_errors": {path: found for path, found in errors.items() if found},
        "pages": pages,
        "scales": scales,
        "csv": csv_figures,
        "csv_filtered": server["csv_filtered"],
        "copy": without_sql(copy_figures),
        "copy_sql": full_copy and full_copy["sql"],
        "load": load_figures,
        "database": database,
        "targets": TARGETS,
        "total_s": round(time.perf_counter() - started, 1),
    }

    def at_most(value, limit):
        """Whether a page figure meets its limit; a page that failed misses it."""
        if results["page_errors"]:
            return False
        return None if value is None else value <= limit

    results["passed"] = {
        "queries": same_queries and at_most(max_queries, MAX_QUERIES),
        "growth": at_most(max_growth, MAX_GROWTH),
        "uncached_queries": same_uncached_queries and at_most(max_uncached_queries, MAX_UNCACHED_QUERIES),
        "uncached_growth": at_most(max_uncached_growth, MAX_GROWTH),
        "uncached_median": at_most(max_uncached_median, MAX_UNCACHED_MEDIAN_MS),
        **{
            key: None if results[key] is None else results[key] >= MIN_CSV_RATIO
            for key in ("csv_flat_copy_ratio", "csv_filtered_flat_copy_ratio")
        },
        "csv_memory": csv_figures["memory_growth_mb"] < MAX_MEMORY_MB,
        "csv_first_byte": csv_figures["first_byte_s"] <= MAX_FIRST_BYTE_S,
        "load": results["load_ratio"] is not None and results["load_ratio"] >= MIN_LOAD_RATIO and load_errors == 0,
    }
    return results


def add_import_figures(results):
    """The import's headline figures and verdicts; not measured (None) when the world scale was not run."""
    figures = results["scales"].get("world", {}).get("import")
    results["import"] = figures
    results["import_rows_per_s"] = figures and figures["rows_per_s"]
    results["max_save_wait_during_import_ms"] = figures and figures["max_save_wait_ms"]
    results["passed"]["import_rows_per_s"] = figures and figures["rows_per_s"] >= MIN_IMPORT_RATE
    results["passed"]["max_save_wait_during_import_ms"] = figures and (
        figures["max_save_wait_ms"] <= MAX_SAVE_WAIT_MS and not figures["refused_saves"]
    )


def number(value, digits=1):
    if value is None:
        return "-"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def page_table(results, uncached):
    """One line per page: each figure at the first and the last scale, side by side, then the growth."""
    names = list(results["scales"])
    first, last = names[0], names[-1]
    columns = [("queries", 0, 4), ("median_ms", 1, 8), ("p95_ms", 1, 8), ("samples", 0, 2)]
    header = "".join(
        f" {title:^{width * 2 + 3}}" for title, width in [("queries", 4), ("median ms", 8), ("p95 ms", 8), ("n", 2)]
    )
    out = [f"{'page':<44}{header} growth"]
    for path, figures in results["pages"].items():
        at = [page_figures(figures, name, uncached) for name in (first, last)]
        cells = "".join(
            f" {number(at[0].get(key), digits):>{width}} | {number(at[1].get(key), digits):<{width}}"
            for key, digits, width in columns
        )
        growth = figures["uncached_growth" if uncached else "growth"]
        errors = "; ".join(f"{name}: {figures[name]['error']}" for name in names if "error" in figures.get(name, {}))
        out.append(f"{path[:44]:<44}{cells} {number(growth, 2):>6}  {errors}".rstrip())
    return out


def print_table(results):
    """World and stress side by side for every page, then the CSV, COPY and load figures, then the targets."""
    names = list(results["scales"])
    out = [
        f"Pages as visitors get them until the next edit ({names[0]} | {names[-1]}; after 1 warm-up request; "
        "n timed requests)",
        *page_table(results, uncached=False),
        "",
        "Pages computed from the database (the app's cache emptied before each request, as after an edit)",
        *page_table(results, uncached=True),
        "",
    ]
    for name, info in results["scales"].items():
        rows = ", ".join(f"{table} {count:,}" for table, count in info["rows"].items())
        out.append(f"{name}: generated in {info['generate_s']} s (migrate {info['migrate_s']} s): {rows}")
        out.append(f"  identities {info['identities']}, sizes {info['identity_sizes']}")
    for key, name in (("csv", "full"), ("csv_filtered", "filtered")):
        found, copy = results[key], results["copy"].get(name)
        out += [
            "",
            f"CSV {found['path']} ({results['csv_scale']}): {found['rows']:,} rows, {found['bytes']:,} bytes in "
            f"{found['seconds']} s = {found['rows_per_s']:,} rows/s; first byte {found['first_byte_s']} s; "
            f"worker memory growth {found['memory_growth_mb']} MB",
        ]
        if copy:
            out.append(
                f"  COPY of its SELECT: {copy['rows_per_s']:,} rows/s ({copy['seconds']} s); COPY of a flat table of "
                f"its rows: {copy['flat_rows_per_s']:,} rows/s ({copy['flat_seconds']} s); CSV/flat COPY = "
                f"{ratio(found['rows_per_s'], copy['flat_rows_per_s'])}"
            )
        else:
            out.append("  COPY: not measured (not PostgreSQL)")
    load_figures = results["load"]
    out.append(
        f"Load ({results['load_scale']}, {load_figures['connections']} connections x {load_figures['seconds']} s, "
        f"{load_figures['filtered']['tool']}):"
    )
    for key, path in (("filtered", load_figures["path"]), ("healthz", "/healthz")):
        found = load_figures[key]
        out.append(
            f"  {path:<30} {found['rps']:>9,.1f} req/s  p50 {number(found['p50_ms'], 2)} ms  "
            f"p99 {number(found['p99_ms'], 2)} ms  errors {found['errors']}  ({found['requests']:,} requests)"
        )
    out += [f"  load ratio {results['load_ratio']}", "", "Targets"]
    shown = {
        "queries": f"max {results['max_queries_per_page']}",
        "growth": f"max {results['max_growth_ratio']}",
        "uncached_queries": f"max {results['max_uncached_queries_per_page']}",
        "uncached_growth": f"max {results['max_uncached_growth_ratio']}",
        "uncached_median": f"max {results['max_uncached_median_ms']} ms ({names[-1]})",
        "csv_flat_copy_ratio": f"{results['csv_flat_copy_ratio']} ({number(results['csv_rows_per_s'])} rows/s)",
        "csv_filtered_flat_copy_ratio": f"{results['csv_filtered_flat_copy_ratio']} "
        f"({number(results['csv_filtered_rows_per_s'])} rows/s)",
        "csv_memory": f"{results['csv_memory_growth_mb']} MB",
        "csv_first_byte": f"{results['csv_first_byte_s']} s",
        "load": f"{results['load_ratio']}, {results['load_errors']} errors",
        "recomputations_after_edit": f"{results['recomputations_after_edit']} ({results['recompute']['path']})",
        "import_rows_per_s": f"{number(results['import_rows_per_s'])} rows/s",
        "max_save_wait_during_import_ms": f"{number(results['max_save_wait_during_import_ms'])} ms"
        + (f", {results['import']['refused_saves']} refused" if results["import"] else ""),
    }
    for key, text in results["targets"].items():
        verdict = {True: "PASS", False: "MISS", None: "n/a"}[results["passed"][key]]
        out.append(f"  {verdict:<5} {text:<78} {shown[key]}")
    database = results["database"]
    out.append(f"\nTotal {results['total_s']} s; {database['vendor']} {database['version']}")
    print("\n".join(out))


def interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="world,stress", help="generator scales, in order (default world,stress)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=15, help="timed requests per page, after one warm-up")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=20, help="seconds of load per path")
    parser.add_argument("--load-tool", choices=["wrk", "python"], help="default: wrk when installed, else python")
    parser.add_argument("--worker", choices=WORKERS, help=argparse.SUPPRESS)
    parser.add_argument("arguments", nargs="?", default="{}", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        print(RESULT_PREFIX + json.dumps(WORKERS[options.worker](json.loads(options.arguments))))
        return

    started = time.perf_counter()
    signal.signal(signal.SIGTERM, interrupt)
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="tracker-bench-"))
        scratch = scratch_for(url, folder)
        stack.callback(scratch.drop)
        database = scratch.describe()
        log(f"scratch database: {scratch.name}")
        env = django_env(scratch.url, "127.0.0.1,localhost,testserver")
        # With debug off whitenoise's manifest storage needs the collected files, as `make serve` makes them.
        manage(env, "collectstatic", "--noinput", "-v0")
        scales, pages, identities = {}, {}, None
        for scale in options.scales.split(","):
            if scales:
                scratch.drop()
            scales[scale], measured = measure_scale(
                scratch, env, scale, options.seed, options.repeats, identities, folder
            )
            identities = identities or scales[scale]["identities"]
            for path, figures in measured.items():
                pages.setdefault(path, {})[scale] = figures
        tool = options.load_tool or ("wrk" if shutil.which("wrk") else "python")
        server = measure_server(scratch, env, identities, options.connections, options.seconds, tool, folder)
        recompute = run_worker(
            env, "recompute", {"path": f"/carriers/?country={identities['country']}", "clients": options.connections}
        )
    results = summarize(scales, pages, server, database, started)
    results["recompute"], results["recomputations_after_edit"] = recompute, recompute["computations"]
    results["passed"]["recomputations_after_edit"] = recompute["computations"] == 1 and not recompute["errors"]
    add_import_figures(results)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    log(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        log("interrupted")
        sys.exit(130)
