"""Every page type laid out at phone width (390 px) and desk width (1280 px), in Debian's Chromium, screenshots kept.

On a phone the menu and a list's filters fold away so the first result shows without scrolling, and nothing
is wider than the screen; on a desk both show open.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser_pages import LIST_PAGES, PAGE_TYPES

# The browser and its pages come from the other browser tests.
from tests.test_browser import allow_orm_beside_playwright, browser, new_page, playwright_instance  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/screenshots"))
SMALLEST_CHART_TEXT_PX = 11


def phone_page(new_page):  # noqa: F811
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def visit(page, path, name, width):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    file_name = re.sub(r"\W+", "-", name)
    page.screenshot(path=SCREENSHOTS / f"{file_name}-{width}.png", full_page=True)


def page_width(page):
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_at_phone_width_fits_the_screen_with_the_menu_folded(new_page, every_page_type, name):  # noqa: F811
    page = phone_page(new_page)
    visit(page, every_page_type(name), name, PHONE["width"])

    scroll_width, inner_width = page_width(page)
    assert inner_width == PHONE["width"], f"page zoomed out to fit {inner_width}px"
    assert scroll_width <= PHONE["width"] + 1, f"page is {scroll_width}px wide"
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Carriers")).to_be_hidden()
    menu = nav.locator("summary")
    expect(menu).to_have_text("Menu")

    menu.click()
    for link in nav.get_by_role("link").all():
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, link.inner_text()


@pytest.mark.parametrize("name", list(LIST_PAGES))
def test_list_at_phone_width_shows_its_first_result_above_the_folded_filters(new_page, every_page_type, name):  # noqa: F811
    page = phone_page(new_page)
    page.goto(every_page_type(name))

    first_row = page.locator("section.results tbody tr, section.results ol.timeline > li").first
    expect(first_row).to_be_visible()
    assert first_row.bounding_box()["y"] < PHONE["height"], "the first result is below the fold"
    filters = page.locator("details.filter-panel")
    expect(filters.locator("summary")).to_have_text("Filters")
    expect(filters.get_by_role("button", name="Apply filters")).to_be_hidden()
    for action in page.locator(".list-actions a").all():  # Download CSV, CSV for Excel, Follow (Atom)
        expect(action).to_be_visible()
        assert action.bounding_box()["x"] + action.bounding_box()["width"] <= PHONE["width"] + 1


def test_folded_filters_say_how_many_are_active_and_open_on_a_tap(new_page, every_page_type):  # noqa: F811
    page = phone_page(new_page)
    page.goto("/carriers/?country=KR&ordering=name")
    summary = page.locator("details.filter-panel summary")
    expect(summary).to_have_text("Filters (1 active)")

    summary.tap()
    page.locator("fieldset.filter-vendor").get_by_label(re.compile(r"Huawei")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").tap()
    expect(summary).to_have_text("Filters (2 active)")
    expect(page.locator("section.results tbody tr")).to_have_count(1)
    assert "vendor=huawei" in page.url


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_at_desk_width_shows_the_menu_and_the_filters(new_page, every_page_type, name):  # noqa: F811
    page = new_page(viewport=DESK)
    visit(page, every_page_type(name), name, DESK["width"])

    scroll_width, _ = page_width(page)
    assert scroll_width <= DESK["width"] + 1, f"page is {scroll_width}px wide"
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.locator("summary")).to_be_hidden()
    for link in nav.get_by_role("link").all():
        expect(link).to_be_visible()
    if name in LIST_PAGES:
        filters = page.get_by_role("form", name="Filters")
        expect(filters).to_be_visible()
        expect(filters.get_by_role("button", name="Apply filters")).to_be_visible()
        expect(page.locator("details.filter-panel summary")).to_be_hidden()


def test_dashboard_chart_text_stays_readable_at_phone_width(new_page, every_page_type):  # noqa: F811
    page = phone_page(new_page)
    page.goto("/")
    chart = page.locator("figure.chart svg")
    expect(chart).to_be_visible()
    sizes = chart.evaluate(
        """svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll("text")].map(text => parseFloat(getComputedStyle(text).fontSize) * scale);
        }"""
    )
    assert sizes, "the chart has no text"
    assert min(sizes) >= SMALLEST_CHART_TEXT_PX, f"chart text drawn at {min(sizes):.1f}px"
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
