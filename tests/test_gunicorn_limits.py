"""Behind gunicorn, as `make serve` runs it, the app's own limits are what clients meet, not gunicorn's."""

import http.client

import pytest

from tests.servers import gunicorn


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with gunicorn(tmp_path_factory.mktemp("limits-server")) as (url, _, _):
        yield url.removeprefix("http://")


def get(server, target):
    connection = http.client.HTTPConnection(server, timeout=10)
    connection.request("GET", target)
    response = connection.getresponse()
    return response.status, response.read().decode()


@pytest.mark.parametrize("path", ["/equipment/", "/api/v1/carriers/"])
def test_a_six_thousand_byte_query_string_reaches_the_app(server, path):
    # gunicorn's default request line limit (4094 bytes) would have refused it with its own bare page.
    status, _ = get(server, f"{path}?unused={'x' * 5993}")
    assert status == 200


@pytest.mark.parametrize("path", ["/equipment/", "/api/v1/carriers/", "/carriers.atom"])
def test_a_query_string_over_the_apps_limit_gets_its_readable_414(server, path):
    status, body = get(server, f"{path}?unused={'x' * 8100}")
    assert status == 414
    assert body == "The query string is longer than 8000 bytes.\n"


def test_more_query_parameters_than_django_reads_get_a_readable_400(server):
    status, body = get(server, "/equipment.csv?" + "&".join(["q"] * 1500))
    assert status == 400
    assert body == "The query string has more than 1000 parameters.\n"
