"""A download that fails after it started ends as a failed transfer that clients report, and is logged.

gunicorn (as `make serve` runs it) serves tests.failing_downloads, whose CSVs fail after two lines.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["/equipment.csv?country=KR", "/sources.csv", "/carriers.csv"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def failing_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("failing-server")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}"}
    for command in (["migrate"], ["load_sample_data"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    log = folder / "server.log"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [gunicorn, "-c", "tracker/gunicorn.py", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
            + ["tests.failing_downloads:application"],
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
            pytest.fail(f"gunicorn did not start: {log.read_text()}")
        yield url, log
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("path", PATHS)
def test_a_script_reading_the_download_gets_an_error_not_a_short_file(failing_server, path):
    url, _ = failing_server
    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    assert response.status == 200  # the status line left before the failure
    assert response.getheader("Transfer-Encoding") == "chunked"
    with pytest.raises(http.client.IncompleteRead) as failure:
        response.read()
    assert failure.value.partial.startswith(b"carrier," if "equipment" in path else b"")


def test_curl_reports_the_failed_transfer(failing_server):
    url, _ = failing_server
    result = subprocess.run(["curl", "-sS", "-o", os.devnull, f"{url}/equipment.csv"], capture_output=True, text=True)
    assert result.returncode == 18, result.stderr  # CURLE_PARTIAL_FILE: transfer closed with data remaining
    assert "transfer closed" in result.stderr


def test_the_failure_is_logged_with_the_request(failing_server):
    url, log = failing_server
    with pytest.raises(http.client.IncompleteRead):
        urllib.request.urlopen(f"{url}/sources.csv?publisher=nobody", timeout=10).read()
    time.sleep(0.2)
    text = log.read_text()
    assert "CSV download failed midway: GET /sources.csv?publisher=nobody" in text
    assert "storage failed midway (drill)" in text
