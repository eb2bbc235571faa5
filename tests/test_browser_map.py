"""The world map in a real browser: Chromium draws it without JavaScript, and a country links to its page."""

import re

import pytest
from playwright.sync_api import expect

# The browser, its pages and the committed sample data come from the other browser tests.
from tests.test_browser import allow_orm_beside_playwright, browser, data, new_page, playwright_instance  # noqa: F401

pytestmark = pytest.mark.browser


def test_map_renders_and_a_country_links_to_its_page(new_page, data):  # noqa: F811
    page = new_page(java_script_enabled=False)
    page.goto("/map/?measure=stance&as_of=2021")
    world = page.locator("figure.world-map svg")
    expect(world).to_be_visible()
    box = world.bounding_box()
    assert box["width"] > 500 and box["height"] > 200
    korea = world.locator('a[href="/countries/KR/?as_of=2021"] path')
    expect(korea).to_have_class("shade-declined")
    expect(korea.locator("title")).to_contain_text("South Korea\u2069: Declined / rejected")
    # Filled from the stylesheet, not left black (a missing stylesheet draws every country black).
    assert korea.evaluate("path => getComputedStyle(path).fill") == "rgb(215, 25, 28)"
    korea.click()
    expect(page).to_have_url(re.compile(r"/countries/KR/\?as_of=2021$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("South Korea")


def test_map_page_fits_a_phone_screen(new_page, data):  # noqa: F811
    page = new_page(viewport={"width": 375, "height": 800}, is_mobile=True)
    page.goto("/map/?measure=targeted-share")
    expect(page.locator("figure.world-map svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("figure.world-map svg").bounding_box()["width"] <= 375
