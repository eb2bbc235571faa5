"""The embedded default (SQLite) serves readers and a second writer while another writer holds the
database, as during a long import: readers at once, a writer after waiting, and past the busy timeout
a 503 that says to try again, never a 500. A real gunicorn and a real second SQLite connection."""

import http.cookiejar
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.servers import gunicorn

BUSY_SECONDS = 2


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite-server")
    with gunicorn(folder, DJANGO_SQLITE_BUSY_SECONDS=str(BUSY_SECONDS)) as (url, _, _):
        yield url, folder / "db.sqlite3"


def hold_write_lock(database, seconds):
    """Another writer: a second connection takes the write lock and keeps it for `seconds`."""
    connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE carriers_carrier SET name = name")

    def release():
        time.sleep(seconds)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def failed_login(url):
    """POST the admin login form (a write: the failed attempt is recorded); (status, body, seconds)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{url}/admin/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong"})
    started = time.monotonic()
    request = urllib.request.Request(f"{url}/admin/login/", data=form.encode(), headers={"Referer": url})
    try:
        response = opener.open(request, timeout=30)
        status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    return status, body, time.monotonic() - started


def test_the_database_runs_in_wal_mode(server):
    _, database = server
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_readers_are_served_at_once_while_another_writer_holds_the_database(server):
    url, database = server
    holder = hold_write_lock(database, 3)
    started = time.monotonic()
    with urllib.request.urlopen(f"{url}/carriers/?country=KR", timeout=10) as response:
        assert response.status == 200
    assert time.monotonic() - started < 1.5
    holder.join()


def test_a_second_writer_waits_for_the_first_and_succeeds(server):
    url, database = server
    holder = hold_write_lock(database, 1)
    status, body, seconds = failed_login(url)
    holder.join()
    assert status == 200  # the login form again, saying the login failed: the attempt was written
    assert "Please enter the correct username and password" in body
    assert seconds >= 0.5


def test_a_writer_that_waits_past_the_busy_timeout_is_told_to_try_again(server):
    url, database = server
    holder = hold_write_lock(database, BUSY_SECONDS + 3)
    status, body, _ = failed_login(url)
    holder.join()
    assert status == 503
    assert "busy" in body and "Try again" in body
