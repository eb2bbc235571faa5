"""Accessibility in real Chromium: an axe-core audit of every page type (no serious or critical violation),
and a list used by keyboard alone."""

import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser_pages import PAGE_TYPES

# The browser and its pages come from the other browser tests.
from tests.test_browser import allow_orm_beside_playwright, browser, new_page, playwright_instance  # noqa: F401

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
IMPACTS = ["critical", "serious", "moderate", "minor"]
WIDTHS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture(scope="module")
def audit_summary():
    """Violations per page type and width by impact, printed once every page type was audited (pytest -s shows it)."""
    summary = {}
    yield summary
    print("\naxe-core audit, violations (rule: nodes) by impact per page type:")
    for page_type, by_impact in summary.items():
        found = "; ".join(f"{impact}: {', '.join(rules)}" for impact, rules in by_impact.items() if rules)
        print(f"  {page_type}: {found or 'none'}")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_has_no_serious_or_critical_axe_violation(new_page, every_page_type, axe, audit_summary, name, width):  # noqa: F811
    page = new_page(viewport=WIDTHS[width], bypass_csp=True)  # axe-core is injected as a script
    page.goto(every_page_type(name))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    violations = axe.run(page).response["violations"]
    by_impact = {impact: Counter() for impact in IMPACTS}
    for violation in violations:
        by_impact[violation["impact"]][violation["id"]] += len(violation["nodes"])
    audit_summary[f"{name} ({width})"] = {
        impact: [f"{rule}: {nodes}" for rule, nodes in sorted(rules.items())] for impact, rules in by_impact.items()
    }
    blocking = [
        f"{found['id']} ({found['impact']}): {found['help']} at {[node['target'] for node in found['nodes']]}"
        for found in violations
        if found["impact"] in BLOCKING
    ]
    assert not blocking, "\n".join(blocking)


def tab_to(page, locator, limit=200):
    """Press Tab until `locator` has the focus, as a keyboard user would; fail after `limit` presses."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{locator} never got the focus by Tab")


def test_a_list_is_filtered_by_keyboard_alone_with_the_focus_always_visible(new_page, every_page_type):  # noqa: F811
    page = new_page(viewport=WIDTHS["desk"])
    page.goto("/carriers/")
    expect(page.locator("section.results tbody tr")).to_have_count(3)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()

    huawei = page.locator("fieldset.filter-vendor").get_by_label(re.compile(r"Huawei"))
    tab_to(page, huawei)
    outline = huawei.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none", "the focused checkbox shows no outline"
    page.keyboard.press("Space")
    expect(huawei).to_be_checked()

    label = page.get_by_label("Has a clean label")
    tab_to(page, label)
    page.keyboard.press("ArrowDown")  # Any -> Yes
    expect(label).to_have_value("yes")

    apply = page.get_by_role("button", name="Apply filters")
    tab_to(page, apply)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    query = parse_qs(urlsplit(page.url).query)
    assert query["vendor"] == ["huawei"]
    assert query["label"] == ["yes"]
    expect(page.locator("section.results")).to_contain_text("No carriers match these filters.")
    expect(page.locator("details.filter-panel summary")).to_have_text("Filters (2 active)")


def test_phone_menu_and_filters_open_by_keyboard(new_page, every_page_type):  # noqa: F811
    page = new_page(viewport=WIDTHS["phone"])
    page.goto("/equipment/")
    menu = page.get_by_role("navigation", name="Main").locator("summary")
    tab_to(page, menu)
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Carriers")).to_be_visible()

    filters = page.locator("details.filter-panel summary")
    tab_to(page, filters)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
