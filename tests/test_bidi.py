"""Text from the data is isolated on every page type: a name holding an unterminated right-to-left override
(U+202E) reverses nothing after it, in real Chromium."""

import pytest

from carriers.models import Carrier, CleanLabel, Country, CountryPosition, EquipmentUse, Initiative, Source, Vendor
from tests.browser_pages import PAGE_TYPES

# The browser and its pages come from the other browser tests.
from tests.test_browser import allow_orm_beside_playwright, browser, new_page, playwright_instance  # noqa: F401

pytestmark = pytest.mark.browser

OVERRIDE = "\u202e"

# For every text node holding the override: the nearest element that isolates it (unicode-bidi isolate or
# plaintext, a <bdi>, or a block, which ends the paragraph) must hold that one value and nothing else.
LEAKS = """values => {
    const isolating = element => {
        if (element instanceof SVGElement) return ["text", "title", "desc", "svg"].includes(element.localName);
        const style = getComputedStyle(element);
        return ["isolate", "isolate-override", "plaintext"].includes(style.unicodeBidi)
            || !style.display.startsWith("inline");
    };
    const leaks = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.textContent.includes("\\u202e")) continue;
        let element = node.parentElement;
        while (!isolating(element)) element = element.parentElement;
        const text = element.textContent.trim();
        // Text without markup (SVG) isolates a value between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE.
        const isolated = value => !text.includes(value) || text.includes(`\u2068${value}\u2069`);
        if (values.includes(text) || values.every(isolated)) continue;
        leaks.push(element.outerHTML.slice(0, 240));
    }
    return leaks;
}"""


@pytest.fixture
def hostile_names(every_page_type):
    """The sample's names and titles each ending in an unterminated override; gives the values."""
    records = [
        (Carrier.objects.get(slug="lg-uplus"), "name"),
        (Vendor.objects.get(slug="huawei"), "name"),
        (Country.objects.get(code="KR"), "name"),
        (Initiative.objects.get(slug="clean-network"), "name"),
        (Source.objects.order_by("pk").first(), "title"),
    ]
    values = []
    for record, field in records:
        setattr(record, field, getattr(record, field) + OVERRIDE)
        record.save()
        values.append(getattr(record, field))
    # /changes/ names a fact or a source by its own description (str), isolated as a whole.
    facts = [
        *EquipmentUse.objects.all(),
        *CleanLabel.objects.all(),
        *CountryPosition.objects.all(),
        *Source.objects.all(),
    ]
    return values + [str(fact) for fact in facts]


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_a_name_holding_a_right_to_left_override_reverses_nothing_after_it(
    new_page,  # noqa: F811
    every_page_type,
    hostile_names,
    name,
):
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(every_page_type(name))
    leaks = page.evaluate(LEAKS, hostile_names)
    assert not leaks, "\n".join(leaks)
