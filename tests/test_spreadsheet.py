"""One formula-escaping rule for every CSV cell, undone exactly on import.

The cases are written out here from OWASP's CSV-injection guidance, not derived from the app's
constants, so a change to the app's rule shows up as a failing test.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carriers.spreadsheet import escape, unescape

OWASP_TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\n"]
FULLWIDTH_TRIGGERS = ["＝", "＋", "－", "＠"]
TRIGGERS = OWASP_TRIGGERS + FULLWIDTH_TRIGGERS
LEADING_WHITESPACE = ["", " ", "   ", "\u00a0", "\u3000", " \t "]
HARMLESS = ["plain", "x=1", "1-2", "a\n=b", "Ünïcode", "", "   ", "'", "'quoted'", "''", "SK텔레콤"]


def would_run(cell):
    """What a spreadsheet does with a cell: skip leading whitespace, then look at the first character."""
    visible = cell.lstrip(" \u00a0\u3000\t\r\n")
    return cell[:1] in TRIGGERS and cell[:1] != "" or (visible[:1] in TRIGGERS and visible[:1] != "")


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_a_cell_starting_with_a_trigger_gets_a_leading_apostrophe(trigger):
    value = f'{trigger}HYPERLINK("http://evil.example")'
    assert escape(value) == "'" + value


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", *FULLWIDTH_TRIGGERS])
@pytest.mark.parametrize("space", LEADING_WHITESPACE)
def test_a_trigger_after_leading_whitespace_is_escaped_too(trigger, space):
    value = f"{space}{trigger}1+1"
    assert escape(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_harmless_text_is_left_as_it_is(value):
    assert escape(value) == value


@pytest.mark.parametrize("value", [None, 7, 2.5])
def test_values_that_are_not_text_pass_and_none_is_empty(value):
    assert escape(value) == ("" if value is None else value)


@pytest.mark.parametrize("value", ["'=1", "''+1", "' -1", "'＠x"])
def test_a_genuine_leading_apostrophe_before_a_trigger_is_kept_apart_from_the_escaping(value):
    assert escape(value) == "'" + value
    assert unescape(escape(value)) == value


@pytest.mark.parametrize("value", ["'plain", "'", "''", "'quoted'"])
def test_a_genuine_leading_apostrophe_survives_the_import(value):
    assert unescape(value) == value


@given(st.text())
def test_no_escaped_cell_would_run_and_every_one_imports_as_it_was(text):
    cell = escape(text)
    assert not would_run(cell)
    assert cell in (text, "'" + text)
    assert unescape(cell) == text


@given(st.text())
def test_text_is_escaped_exactly_when_a_spreadsheet_would_run_it_once_leading_apostrophes_are_set_aside(text):
    assert (escape(text) != text) == would_run(text.lstrip("'"))
