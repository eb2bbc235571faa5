"""Real-browser tests: Debian's Chromium, driven by Playwright, against the live test server."""

import csv
import datetime
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

from carriers.models import Country, DatePrecision, EquipmentUse, NetworkSegment, Region, Technology
from tests.factories import (
    CarrierFactory,
    CountryFactory,
    DeadlineFactory,
    EquipmentUseFactory,
    RestrictionFactory,
    SourceFactory,
    VendorFactory,
)

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_COUNTRY_NAME = '"><img src=x onerror=alert(2)>'
SCREENSHOTS = Path("/tmp")


@pytest.fixture(scope="module", autouse=True)
def allow_orm_beside_playwright():
    # Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM calls there.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def playwright_instance(allow_orm_beside_playwright):
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(request):
    if not CHROMIUM.exists():
        message = f"Browser tests need Chromium at {CHROMIUM}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}, and CI must run them: install it in the CI image.", pytrace=False)
        pytest.skip(f"{message}: apt-get install chromium")
    playwright = request.getfixturevalue("playwright_instance")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts on the live server; fail if the server answered any request with a 5xx."""
    contexts = []
    server_errors = []

    def open_page(**context_options):
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("response", lambda response: response.status >= 500 and server_errors.append(response.url))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not server_errors, f"server errors on {server_errors}"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def data(transactional_db):
    """The sample data, committed so that the live server's thread sees it."""
    call_command("load_sample_data", verbosity=0)


def result_rows(page):
    return page.locator("section.results tbody tr")


def result_names(page):
    return [name.strip() for name in result_rows(page).locator("td:first-child").all_inner_texts()]


def apply_filters(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()


def test_filter_form_narrows_carriers_by_country_then_vendor(page, data):
    germany = CountryFactory(code="DE", name="Germany", region=Region.EUROPE)
    CarrierFactory(name="Deutsche Telekom", slug="deutsche-telekom", country=germany)

    page.goto("/carriers/")
    expect(result_rows(page)).to_have_count(4)

    page.locator("fieldset.filter-country").get_by_label("South Korea (3)").check()
    apply_filters(page)
    expect(result_rows(page)).to_have_count(3)
    assert result_names(page) == ["KT", "LG Uplus", "SK Telecom"]
    expect(page.locator(".list-header .count")).to_have_text("3 rows")

    page.locator("fieldset.filter-vendor").get_by_label(re.compile(r"Huawei \(\d+\)")).check()
    apply_filters(page)
    expect(result_rows(page)).to_have_count(1)
    assert result_names(page) == ["LG Uplus"]
    expect(page.locator("fieldset.filter-country").get_by_label("South Korea (1)")).to_be_checked()

    query = parse_qs(urlsplit(page.url).query)
    assert query["country"] == ["KR"]
    assert query["vendor"] == ["huawei"]


def test_csv_download_equals_the_filtered_table(page, data):
    page.goto("/about/data/")
    documented = page.locator("section[aria-labelledby='carriers-heading'] tbody td:first-child code")
    documented_headers = documented.all_inner_texts()
    assert documented_headers[:3] == ["slug", "name", "country"]

    page.goto("/carriers/?country=KR&vendor=huawei")
    shown = [
        {
            "slug": row.locator("td").nth(0).get_by_role("link").get_attribute("href").strip("/").split("/")[-1],
            "name": row.locator("td").nth(0).inner_text().strip(),
            "country": row.locator("td .code").inner_text().strip(),
            "equipment_uses": row.locator("td").nth(2).inner_text().strip(),
            "clean_labels": row.locator("td").nth(3).inner_text().strip(),
        }
        for row in result_rows(page).all()
    ]
    assert [row["name"] for row in shown] == ["LG Uplus"]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.failure() is None
    assert re.fullmatch(r"carriers-KR-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        downloaded = list(reader)
    assert reader.fieldnames == documented_headers
    assert [{key: row[key] for key in shown[0]} for row in downloaded] == shown
    assert downloaded[0]["country_name"] == "South Korea"


def select2_pick(page, container, search, choice):
    """Choose an option in an admin autocomplete widget the way a person does: open, type, click."""
    container.click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=choice).first.click()
    expect(container.locator(".select2-selection__rendered")).to_contain_text(choice)


def test_admin_adds_a_cited_equipment_use_that_the_public_carrier_page_lists(page, data):
    get_user_model().objects.create_superuser("editor", "editor@example.org", "correct horse battery staple")
    sweden = CountryFactory(code="SE", name="Sweden", region=Region.EUROPE)
    VendorFactory(name="Ericsson", slug="ericsson", headquarters=sweden)
    SourceFactory(title="KT core network survey", publisher="Example Press")

    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery staple")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text("editor")

    page.goto("/admin/carriers/equipmentuse/add/")
    select2_pick(page, page.locator(".field-carrier .select2-container"), "KT", "KT")
    select2_pick(page, page.locator(".field-vendor .select2-container"), "Eric", "Ericsson")
    page.get_by_label("Segment").select_option(label="Core")
    page.get_by_label("Technology").select_option(label="4G")
    page.get_by_label("Status").select_option(label="In use")
    page.get_by_label("Confidence").select_option(label="Confirmed")
    citation = page.locator("tr.form-row:not(.empty-form)", has=page.locator("td.field-source")).first
    select2_pick(page, citation.locator(".select2-container"), "core network", "KT core network survey")
    citation.locator("td.field-quote textarea").fill("KT runs an Ericsson 4G core.")
    citation.locator("td.field-location input").fill("page 4")
    with page.expect_navigation():
        page.locator("input[name='_save']").click()

    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    use = EquipmentUse.objects.get(carrier__slug="kt", vendor__slug="ericsson")
    assert (use.segment, use.technology, use.status, use.confidence) == ("core", "4g", "in-use", "confirmed")
    assert [cited.source.title for cited in use.citations.all()] == ["KT core network survey"]

    page.goto("/carriers/kt/")
    fact = page.locator("article.fact", has=page.get_by_role("link", name="Ericsson"))
    expect(fact).to_have_count(1)
    expect(fact.locator("h4")).to_have_text("Ericsson · 4G · In use")
    expect(fact.locator(".citations")).to_contain_text("KT core network survey, Example Press (page 4)")
    expect(fact.locator(".citations blockquote")).to_have_text("KT runs an Ericsson 4G core.")
    expect(page.locator("section[aria-labelledby='equipment-heading'] h3")).to_have_text(["Core"])


PHONE = {"width": 375, "height": 740}


@pytest.mark.parametrize(
    "path",
    [
        "/carriers/",
        "/",
        "/equipment/",
        "/initiatives/",
    ],
)
def test_page_fits_a_phone_screen(new_page, data, path):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # On a phone Chromium zooms out to fit wider content, which would widen innerWidth too: pin it first.
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[1] == PHONE["width"], f"page zoomed out to fit {widths[1]}px"
    assert widths[0] <= widths[1] + 1, f"document is {widths[0]}px wide on a {widths[1]}px screen"
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()
    nav.get_by_text("Menu").click()  # folded on a phone
    for link in nav.get_by_role("link").all():
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, link.inner_text()
    if path != "/":
        download = page.get_by_role("link", name="Download CSV")
        expect(download).to_be_visible()
        box = download.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1


def test_markup_in_names_is_shown_as_text_and_never_runs(page, data):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    CarrierFactory(name=HOSTILE_NAME, slug="script-alert", country=Country.objects.get(code="KR"))
    # The dashboard chart labels countries, so a hostile country name is what reaches them.
    japan = CountryFactory(code="JP", name=HOSTILE_COUNTRY_NAME, region=Region.ASIA)
    CarrierFactory(name="Japanese carrier", slug="japanese-carrier", country=japan)

    page.goto("/carriers/")
    expect(page.locator("section.results").get_by_role("link", name=HOSTILE_NAME, exact=True)).to_be_visible()
    expect(page.locator("section.results").get_by_role("link", name=HOSTILE_COUNTRY_NAME, exact=True)).to_be_visible()

    page.goto("/carriers/script-alert/")
    expect(page.get_by_role("heading", level=1)).to_have_text(HOSTILE_NAME)
    assert page.title().startswith(HOSTILE_NAME)

    page.goto("/")
    # Names in SVG text sit between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE (invisible).
    labels = [text.strip("\u2068\u2069") for text in page.locator("svg text.chart-label").all_text_contents()]
    assert any(label.startswith(HOSTILE_COUNTRY_NAME[:20]) for label in labels), labels
    bar_titles = page.locator("svg rect title").all_text_contents()
    assert any(title.startswith(f"\u2068{HOSTILE_COUNTRY_NAME}\u2069: ") for title in bar_titles), bar_titles
    expect(page.get_by_role("rowheader", name=HOSTILE_COUNTRY_NAME, exact=True)).to_be_visible()

    for path in ("/carriers/", "/carriers/script-alert/", "/"):
        page.goto(path)
        assert page.locator("img[src='x']").count() == 0
        assert not page.evaluate("[...document.scripts].some(script => script.text.includes('alert('))")
    assert dialogs == []


def test_screenshots_of_dashboard_and_korean_carriers(page, data):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "dashboard.png", full_page=True)

    page.goto("/carriers/?country=KR")
    expect(result_rows(page)).to_have_count(3)
    page.screenshot(path=SCREENSHOTS / "carriers.png", full_page=True)


@pytest.fixture
def uk_removal(transactional_db):
    """The UK's Huawei 5G removal: one deadline passed, one ahead, and a carrier still on Huawei 5G radio."""
    uk = CountryFactory(code="GB", name="United Kingdom", region=Region.EUROPE)
    huawei = VendorFactory(name="Huawei", slug="huawei")
    restriction = RestrictionFactory(
        country=uk,
        title="Huawei removal from 5G networks",
        slug="gb-huawei-5g-removal",
        segments=[NetworkSegment.RADIO_ACCESS, NetworkSegment.CORE],
        technologies=[Technology.G5],
        decided_on=datetime.date(2020, 7, 14),
    )
    restriction.vendors.set([huawei])
    passed = DeadlineFactory(
        restriction=restriction,
        due=datetime.date(2020, 12, 31),
        due_precision=DatePrecision.DAY,
        description="No new Huawei 5G equipment after 31 Dec 2020",
    )
    ahead = DeadlineFactory(
        restriction=restriction, due=datetime.date(2030, 1, 1), description="Remove all Huawei 5G equipment"
    )
    carrier = CarrierFactory(name="Example Mobile", slug="example-mobile", country=uk)
    EquipmentUseFactory(carrier=carrier, vendor=huawei, valid_from=datetime.date(2019, 1, 1))
    return {"passed": passed, "ahead": ahead}


def test_deadlines_page_lists_soonest_first_and_leads_to_who_missed_one(page, uk_removal):
    page.goto("/deadlines/")
    rows = result_rows(page)
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("No new Huawei 5G equipment after 31 Dec 2020")
    expect(rows.nth(0).locator(".overdue")).to_contain_text("overdue")
    expect(rows.nth(1)).to_contain_text("Remove all Huawei 5G equipment")
    expect(rows.nth(1)).to_contain_text("(by 31 Dec 2030)")

    page.get_by_role("link", name="Who missed a deadline").click()
    table = page.locator("section.results tbody tr")
    expect(table).to_have_count(1)
    expect(table.first).to_contain_text("Example Mobile")
    expect(table.first).to_contain_text("31 Dec 2020")

    # Judged on 1 Jan 2026, the 2030 deadline falls due within 60 months.
    page.get_by_label("On", exact=True).fill("2026-01-01")
    page.get_by_label("Or falling due within (months)").fill("60")
    apply_filters(page)
    expect(table).to_have_count(2)


def test_country_timeline_draws_deadlines_in_date_order_and_links_to_them(page, uk_removal):
    page.goto("/countries/GB/")
    chart = page.locator("figure.timeline-chart svg")
    expect(chart).to_be_visible()
    passed = chart.locator("rect.mark-deadline").filter(has_text="31 Dec 2020")
    ahead = chart.locator("rect.mark-deadline").filter(has_text="2030")
    decided = chart.locator("rect.mark-restriction")
    expect(decided).to_have_count(1)
    assert decided.bounding_box()["x"] < passed.bounding_box()["x"] < ahead.bounding_box()["x"]
    # A deadline known to the year spans its whole year; one known to the day is a thin mark.
    assert ahead.bounding_box()["width"] > 3 * passed.bounding_box()["width"]

    ahead.click()
    expect(page).to_have_url(re.compile(rf"/deadlines/\?country=GB#deadline-{uk_removal['ahead'].pk}$"))
    expect(page.locator(f"#deadline-{uk_removal['ahead'].pk}")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "deadlines.png", full_page=True)

    page.goto("/countries/GB/")
    page.get_by_text("The timeline as a list").click()
    expect(page.locator("ol.timeline-list li")).to_have_count(3)
    page.screenshot(path=SCREENSHOTS / "country-timeline.png", full_page=True)
