"""The files every site is asked for: robots.txt and the favicon."""

from django.contrib.staticfiles import finders
from pytest_django.asserts import assertContains


def test_robots_txt_allows_the_public_pages_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Allow: /" in lines
    assert "Disallow: /" not in lines


def test_favicon_ico_leads_to_the_svg_favicon_the_pages_link(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    assertContains(client.get("/about/data/"), '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">')
    icon = finders.find("img/favicon.svg")
    with open(icon, encoding="utf-8") as file:
        assert file.read().startswith("<svg ")
