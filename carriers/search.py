"""The one search box: `/search/?q=` finds carriers, vendors, countries, initiatives, restrictions and sources,
grouped by kind, best first (see carriers.models.searching), with the words found marked."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Carrier, Country, Initiative, Restriction, Source, Vendor

MAX_QUERY_LENGTH = 200
SHOWN = 10  # per kind; a kind with more links to its list filtered by the same text, where it has one


@dataclass
class Group:
    kind: str
    title: str
    rows: list
    more_url: str = ""

    @property
    def more(self):
        return len(self.rows) > SHOWN

    @property
    def shown(self):
        return self.rows[:SHOWN]


# Each kind: its title, its records found, and its list (whose `q` filter finds names containing the text).
KINDS = [
    ("carriers", "Carriers", lambda text: Carrier.objects.ranked_search(text).select_related("country"), "carrier"),
    ("vendors", "Vendors", lambda text: Vendor.objects.ranked_search(text), "vendor"),
    ("countries", "Countries", lambda text: Country.objects.ranked_search(text), "country"),
    ("initiatives", "Initiatives", lambda text: Initiative.objects.ranked_search(text), "initiative"),
    ("restrictions", "Restrictions", lambda text: Restriction.objects.ranked_search(text), None),
    ("sources", "Sources", lambda text: Source.objects.ranked_search(text), "source"),
]


def problem_with(text):
    if len(text) > MAX_QUERY_LENGTH:
        return f"The search text is {len(text)} characters long; at most {MAX_QUERY_LENGTH} are read. Shorten it."
    if "\x00" in text:
        return "The search text contains a NUL character."
    return ""


def search_page(request):
    raw = request.GET.get("q", "")
    problem = problem_with(raw)
    text = "" if problem else " ".join(raw.split())
    groups = []
    for kind, title, find, listed in KINDS if text else []:
        more_url = f"{reverse(f'carriers:{listed}-list')}?{urlencode({'q': text})}" if listed else ""
        groups.append(Group(kind, title, list(find(text)[: SHOWN + 1]), more_url))
    context = {
        "text": text,
        "problem": problem,
        "groups": [group for group in groups if group.rows],
        "searched": bool(text),
    }
    return render(request, "carriers/search.html", context, status=400 if problem else 200)


def highlight(value, text):
    """`value` escaped, each occurrence of the search text or one of its words (ignoring case) in <mark>."""
    words = sorted({text, *text.split()} - {""}, key=len, reverse=True)
    if not words:
        return escape(value)
    pattern = re.compile("(" + "|".join(re.escape(word) for word in words) + ")", re.IGNORECASE)
    pieces = pattern.split(str(value))
    # re.split puts the matches at the odd positions.
    return mark_safe(
        "".join(f"<mark>{escape(piece)}</mark>" if index % 2 else escape(piece) for index, piece in enumerate(pieces))
    )


def matching_aliases(record, text):
    """The aliases of a carrier or vendor containing one of the searched words: why a record was found."""
    words = [word.casefold() for word in text.split()]
    return [entry for entry in record.aliases if any(word in entry["name"].casefold() for word in words)]
