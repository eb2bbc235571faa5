"""The header's search box by keyboard alone, in a real browser: tab to it, type, Enter, then follow a result."""

import re

import pytest
from playwright.sync_api import expect

# The browser, its pages and the committed sample data come from the other browser tests.
from tests.test_browser import allow_orm_beside_playwright, browser, data, new_page, playwright_instance  # noqa: F401

pytestmark = pytest.mark.browser


def tab_to(page, selector, most=10):
    """Press Tab until the element matching `selector` has the focus (it must be reached within `most` presses)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"{selector} not reached in {most} presses of Tab")


def test_search_by_keyboard_finds_a_carrier_and_opens_it(new_page, data):  # noqa: F811
    page = new_page()
    page.goto("/")
    tab_to(page, "#site-search-q")
    page.keyboard.type("uplus")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=uplus$"))
    carriers = page.get_by_role("region", name="Carriers")
    first = carriers.get_by_role("link").first
    expect(first).to_have_text("LG Uplus")
    expect(first.locator("mark")).to_have_text("Uplus")
    expect(page.get_by_label("Name, ISO code, title or publisher")).to_have_value("uplus")

    tab_to(page, 'section[aria-labelledby="search-carriers"] a', most=40)  # past the header's links
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/carriers/lg-uplus/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("LG Uplus")


def test_empty_search_by_keyboard_says_what_to_type(new_page, data):  # noqa: F811
    page = new_page(java_script_enabled=False)
    page.goto("/carriers/")
    tab_to(page, "#site-search-q")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Type a name to find carriers")).to_be_visible()
