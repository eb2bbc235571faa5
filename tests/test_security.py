"""Secure by default: headers, no inline code, login throttling, safe methods only, staff-only pages, size limits."""

import os
import secrets
import string
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from carriers import exports, pgcopy
from carriers.management.commands.load_sample_data import ARTICLE_TITLE
from carriers.models import Carrier, EquipmentUse, Source, Vendor
from tests.factories import CarrierFactory, EquipmentUseFactory, VendorFactory
from tracker.settings import DEVELOPMENT_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent
LISTS = [
    "countries",
    "carriers",
    "vendors",
    "initiatives",
    "equipment",
    "labels",
    "positions",
    "events",
    "sources",
    "citations",
]
LIST_URLS = [f"/{name}/" for name in LISTS]
CSV_URLS = [f"/{name}.csv" for name in LISTS]
DETAIL_URLS = [
    "/countries/KR/",
    "/carriers/lg-uplus/",
    "/vendors/huawei/",
    "/initiatives/clean-network/",
    "/sources/{article}/",
]
PUBLIC_PAGES = ["/", *LIST_URLS, *DETAIL_URLS, "/about/data/"]
UNSAFE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]
STAFF_PAGES = ["/admin/quality/", "/admin/deleted/", "/admin/carriers/equipmentuse/import/"]
EQUIPMENT_HEADER = "carrier,vendor,segment,technology,status,valid_from,valid_to,share_percent,confidence,notes,sources"


def sample_url(path):
    if "{article}" in path:
        return path.format(article=Source.objects.get(title=ARTICLE_TITLE).pk)
    return path


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_superuser(username="admin", email="admin@example.org", password=None)


# Headers


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {
        name: sources for name, *sources in (directive.split() for directive in header.split(";") if directive.strip())
    }


@pytest.mark.parametrize("path", ["/", "/equipment.csv", "/no-such-page/", "/admin/login/"])
def test_every_response_carries_the_security_headers(client, db, path):
    response = client.get(path)
    assert response.status_code == (404 if path == "/no-such-page/" else 200)
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    for name in ["script-src", "style-src"]:
        assert "'unsafe-inline'" not in directives.get(name, directives["default-src"])
        assert "'unsafe-eval'" not in directives.get(name, directives["default-src"])
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def production_security(settings):
    settings.DEBUG = False
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = False


def test_https_responses_carry_strict_transport_security_in_production(client, db, production_security):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_plain_http_is_redirected_to_https_when_ssl_redirect_is_on(client, db, production_security, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/equipment/?country=KR")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/equipment/?country=KR"


def clean_environment(**variables):
    """This process's environment without any DJANGO_ variable, plus `variables`."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    return {**environment, **variables}


def random_secret_key(length=60):
    return "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(length))


def run_python(*arguments, **variables):
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=clean_environment(**variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP_DJANGO = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tracker.settings'); django.setup()"
PRODUCTION_HOSTS = "tracker.example.org"


def test_deployment_checks_pass_with_production_settings():
    result = run_python(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=random_secret_key(),
        DJANGO_ALLOWED_HOSTS=PRODUCTION_HOSTS,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_load_with_a_secret_key_and_hosts():
    result = run_python(
        "-c",
        SETUP_DJANGO,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=random_secret_key(),
        DJANGO_ALLOWED_HOSTS=PRODUCTION_HOSTS,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"DJANGO_ALLOWED_HOSTS": PRODUCTION_HOSTS}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": DEVELOPMENT_SECRET_KEY, "DJANGO_ALLOWED_HOSTS": PRODUCTION_HOSTS}, "DJANGO_SECRET_KEY"),
        (
            {"DJANGO_SECRET_KEY": "short-but-random-9f8e7d", "DJANGO_ALLOWED_HOSTS": PRODUCTION_HOSTS},
            "DJANGO_SECRET_KEY",
        ),
        ({"DJANGO_SECRET_KEY": random_secret_key(), "DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": random_secret_key()}, "DJANGO_ALLOWED_HOSTS"),
    ],
    ids=["no secret key", "development key", "short key", "empty hosts", "no hosts"],
)
def test_production_settings_refuse_to_load_with_an_insecure_value(variables, named):
    result = run_python("-c", SETUP_DJANGO, DJANGO_DEBUG="false", **variables)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured:")
    assert named in last_line


# No inline script or style, so the CSP can forbid them


class InlineCodeFinder(HTMLParser):
    """Collects the markup a CSP without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self.found.append(self.get_starttag_text())
        if tag == "style":
            self.found.append("<style>")
        self.found.extend(f"<{tag} {name}=…>" for name in attributes if name == "style" or name.startswith("on"))
        if (attributes.get("href") or "").strip().lower().startswith("javascript:"):
            self.found.append(self.get_starttag_text())


def inline_code(html):
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_inline_code_finder_spots_inline_script_style_and_handlers():
    html = '<script>x()</script><style>p{}</style><p style="color:red" onclick="x()"><a href="javascript:x()">'
    assert len(inline_code(html)) == 5
    assert inline_code('<script src="/static/a.js"></script><script type="application/json">{}</script>') == []


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/equipment/?as_of=notadate", "/no-such-page/", "/admin/login/"])
def test_page_needs_no_inline_script_or_style(client, sample_data, path):
    response = client.get(sample_url(path))
    assert response.status_code in (200, 400, 404)
    html = response.content.decode()
    assert "<body" in html
    assert inline_code(html) == []
    assert ' style="' not in html


# Admin login throttling (django-axes)


LOGIN_URL = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def researchers(db, django_user_model):
    return [
        django_user_model.objects.create_user(username=name, password=PASSWORD, is_staff=True)
        for name in ["alice", "bob"]
    ]


def log_in(client, username, password, address="127.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address)


def logged_in_as(client):
    response = client.get("/admin/")
    return response.context["user"].username if response.status_code == 200 else None


def fail_five_times(client, username):
    return [log_in(client, username, "wrong password").status_code for _ in range(5)]


def test_five_wrong_passwords_lock_the_username_out_even_with_the_right_password(client, researchers):
    # The fifth failure reaches the limit, so its answer is already the lockout.
    assert fail_five_times(client, "alice") == [200, 200, 200, 200, 429]
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "too many login attempts" in response.content.decode()
    assert logged_in_as(client) is None


def test_four_wrong_passwords_do_not_lock_the_username_out(client, researchers):
    for _ in range(4):
        log_in(client, "alice", "wrong password")
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert logged_in_as(client) == "alice"


def test_lockout_of_one_username_leaves_others_at_the_same_address_free(client, researchers):
    fail_five_times(client, "alice")
    response = log_in(client, "bob", PASSWORD)
    assert response.status_code == 302
    assert logged_in_as(client) == "bob"


def test_lockout_of_a_username_at_one_address_leaves_it_free_at_another(client, researchers):
    fail_five_times(client, "alice")
    response = log_in(client, "alice", PASSWORD, address="192.0.2.7")
    assert response.status_code == 302
    assert logged_in_as(client) == "alice"


# Public pages answer GET and HEAD only


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, *CSV_URLS])
def test_public_url_answers_only_get_and_head(client, sample_data, path):
    url = sample_url(path)
    refused = {method: client.generic(method, url) for method in UNSAFE_METHODS}
    assert {method: response.status_code for method, response in refused.items()} == dict.fromkeys(UNSAFE_METHODS, 405)
    assert all(response["Allow"] == "GET, HEAD" for response in refused.values())
    head = client.head(url)
    assert head.status_code == 200
    assert body(head) == b""


def test_admin_post_without_csrf_token_is_refused(staff_user, sample_data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    before = Carrier.objects.count()
    response = client.post(
        "/admin/carriers/carrier/add/", {"name": "Forged Telecom", "slug": "forged", "country": "KR"}
    )
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert Carrier.objects.count() == before


# Staff-only pages


@pytest.fixture
def deleted_vendor(db):
    vendor = VendorFactory(slug="gone")
    vendor.delete()
    return Vendor.history.get(slug="gone", history_type="-")


@pytest.fixture
def non_staff_client(db, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user(username="reader", password=None))
    return client


def refused_or_sent_to_login(response):
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].startswith(f"{LOGIN_URL}?next=")
    )


@pytest.mark.parametrize("who", ["anonymous", "non-staff"])
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_page_is_refused_to_anonymous_and_non_staff_users(client, non_staff_client, who, path):
    visitor = client if who == "anonymous" else non_staff_client
    assert refused_or_sent_to_login(visitor.get(path))


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_page_opens_for_staff(admin_client, path):
    assert admin_client.get(path).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "non-staff"])
def test_restore_is_refused_to_anonymous_and_non_staff_users(client, non_staff_client, deleted_vendor, who):
    visitor = client if who == "anonymous" else non_staff_client
    response = visitor.post(f"/admin/deleted/vendor/{deleted_vendor.history_id}/restore/")
    assert refused_or_sent_to_login(response)
    assert not Vendor.objects.filter(slug="gone").exists()


def test_restore_works_for_staff(admin_client, deleted_vendor):
    # The same request as above, accepted: the refusals are about who asks.
    response = admin_client.post(f"/admin/deleted/vendor/{deleted_vendor.history_id}/restore/")
    assert response.status_code == 302
    assert Vendor.objects.filter(slug="gone").exists()


# Oversized input


@pytest.mark.parametrize("path", ["/carriers/", "/equipment.csv"])
def test_ten_megabyte_query_string_gets_a_quick_readable_414(client, db, settings, path):
    query = "q=" + "a" * 10_000_000
    started = time.perf_counter()
    response = client.get(path, QUERY_STRING=query)
    elapsed = time.perf_counter() - started
    assert response.status_code == 414
    assert response["Content-Type"].startswith("text/plain")
    assert f"longer than {settings.MAX_QUERY_STRING_BYTES} bytes" in response.content.decode()
    assert elapsed < 1


@pytest.mark.parametrize("path", ["/carriers/", "/equipment.csv"])
def test_query_string_at_the_limit_is_not_refused_as_too_long(client, db, settings, path):
    # A parameter no filter reads is ignored, so only the length could make this fail.
    query = "unused=" + "x" * (settings.MAX_QUERY_STRING_BYTES - len("unused="))
    assert len(query) == settings.MAX_QUERY_STRING_BYTES
    assert client.get(path, QUERY_STRING=query).status_code == 200


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/equipment/", "/equipment.csv", "/api/v1/carriers/", "/carriers.atom"])
def test_more_query_parameters_than_django_reads_get_a_readable_400(client, db, settings, path, debug):
    # With DEBUG on (the development server), Django's own error page would fail reading them: a 500.
    settings.DEBUG = debug
    response = client.get(path, QUERY_STRING="&".join(["q"] * 1500))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "The query string has more than 1000 parameters.\n"


@pytest.mark.parametrize("path", ["/countries/", "/carriers/", "/vendors/", "/sources.csv", "/events.csv"])
def test_five_thousand_character_search_is_answered_without_error(client, db, path):
    client.raise_request_exception = False
    response = client.get(path, {"q": "huawei " * 714 + "hu"})
    assert response.status_code in (200, 400)
    assert body(response)


def equipment_import_file(notes_length):
    row = f"kt,huawei,ran,5g,in-use,2020,,,reported,{'n' * notes_length},{ARTICLE_TITLE}"
    return (EQUIPMENT_HEADER + "\n" + row + "\n").encode()


def post_import(client, content):
    url = "/admin/carriers/equipmentuse/import/"
    formats = client.get(url).context["form"].fields["format"].choices
    csv_format = next(value for value, label in formats if label.lower() == "csv")
    upload = ContentFile(content, name="equipment.csv")
    return client.post(url, {"import_file": upload, "format": csv_format, "resource": "0"})


def test_import_file_over_the_size_limit_is_refused_before_preview(admin_client, sample_data, settings):
    settings.MAX_IMPORT_BYTES = 1_000
    content = equipment_import_file(notes_length=2_000)
    before = EquipmentUse.objects.count()
    response = post_import(admin_client, content)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["import_file"])
    assert f"The file is {len(content):,} bytes; imports take at most 1,000." in errors
    assert response.context.get("result") is None
    assert EquipmentUse.objects.count() == before


def test_import_file_under_the_size_limit_is_previewed(admin_client, sample_data, settings):
    # The same file as above with a larger limit: only its size was wrong.
    settings.MAX_IMPORT_BYTES = 10_000
    response = post_import(admin_client, equipment_import_file(notes_length=2_000))
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert response.context["result"].totals["new"] == 1


# PgBouncer (transaction pooling): no server-side cursors


@pytest.fixture
def many_carriers(transactional_db):
    # transactional_db: on PostgreSQL the equipment CSV comes from COPY on a second connection,
    # which sees only committed rows.
    vendor = VendorFactory(slug="huawei")
    for index in range(25):
        EquipmentUseFactory(carrier=CarrierFactory(slug=f"carrier-{index:02}"), vendor=vendor)


@pytest.mark.parametrize(
    ("path", "rows", "carrier_column"), [("/equipment.csv", EquipmentUse, 1), ("/carriers.csv", Carrier, 0)]
)
def test_csv_streams_every_row_without_server_side_cursors(
    client, many_carriers, settings, monkeypatch, path, rows, carrier_column
):
    # settings.DATABASES["default"] is the live connection's settings_dict; monkeypatch puts the key back.
    monkeypatch.setitem(settings.DATABASES["default"], "DISABLE_SERVER_SIDE_CURSORS", True)
    # Small chunks, so rows cross several fetches and COPY buffers.
    monkeypatch.setattr(exports, "STREAM_CHUNK_SIZE", 4)
    monkeypatch.setattr(pgcopy, "CHUNK_BYTES", 256)
    response = client.get(path)
    assert response.status_code == 200
    assert response.streaming
    lines = body(response).decode().splitlines()
    assert len(lines) == 1 + rows.objects.count() == 26
    assert {f"carrier-{index:02}" for index in range(25)} <= {line.split(",")[carrier_column] for line in lines[1:]}
