"""gunicorn, as `make serve` runs it, on a SQLite file of its own: for tests that need a real server."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(folder, app="tracker.wsgi:application", **environment):
    """Serve `app` on a migrated SQLite database holding the sample data; yield (base URL, log file, env)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", **environment}
    for command in (["migrate"], ["load_sample_data"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    log = folder / "server.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "-c", "tracker/gunicorn.py", "--workers", "1"]
            + ["--bind", f"127.0.0.1:{port}", app],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not start: {log.read_text()}")
        yield url, log, env
    finally:
        server.terminate()
        server.wait(timeout=30)
