"""A download that fails after it started ends as a failed transfer that clients report, and is logged.

gunicorn (as `make serve` runs it) serves tests.failing_downloads, whose CSVs fail after two lines.
"""

import http.client
import os
import subprocess
import time
import urllib.request

import pytest

from tests.servers import gunicorn

PATHS = ["/equipment.csv?country=KR", "/sources.csv", "/carriers.csv"]


@pytest.fixture(scope="module")
def failing_server(tmp_path_factory):
    with gunicorn(tmp_path_factory.mktemp("failing-server"), app="tests.failing_downloads:application") as server:
        yield server[:2]


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
    assert failure.value.partial.startswith(b"id,carrier," if "equipment" in path else b"")


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
