"""A country's positions, events, restrictions and deadlines on one time axis, as server-rendered SVG.

Each item spans its date's whole period (a date known to the year is a year-long bar), so the
picture says as much as the sources do and no more.
"""

import datetime
from dataclasses import dataclass

from .charts import isolated

LABEL_WIDTH = 110
PLOT_WIDTH = 640
LANE_HEIGHT = 34
AXIS_HEIGHT = 22
MARK_HEIGHT = 16
# An item shorter than this (a single day) is still drawn wide enough to see and hover.
MIN_MARK_WIDTH = 6


@dataclass(frozen=True)
class Item:
    lane: str
    date: object  # a PartialDate
    label: str
    url: str
    css_class: str


@dataclass(frozen=True)
class Mark:
    x: int
    y: int
    width: int
    item: Item


LANES = ["Positions", "Events", "Restrictions", "Deadlines"]


def country_items(positions, events, restrictions, deadlines):
    """The timeline's items, from querysets of a country's facts."""
    items = [
        Item(
            "Positions",
            p.stated,
            f"{p.stated}: {p.get_stance_display()} on {isolated(p.initiative.name)}",
            p.get_absolute_url(),
            "mark-position",
        )
        for p in positions
    ]
    items += [
        Item("Events", e.held, f"{e.held}: {isolated(e.name)}", e.get_absolute_url(), "mark-event") for e in events
    ]
    items += [
        Item(
            "Restrictions",
            r.decided,
            f"{r.decided}: {isolated(r.title)} ({r.get_status_display()})",
            r.get_absolute_url(),
            "mark-restriction",
        )
        for r in restrictions
        if r.decided
    ]
    items += [
        Item("Deadlines", d.due_date, f"Due {d.due_date}: {d.description}", d.get_absolute_url(), "mark-deadline")
        for d in deadlines
    ]
    return items


def timeline(items, today):
    """Positions of each item's mark, year ticks and today's line, or None with nothing to draw."""
    if not items:
        return None
    first = min(item.date.first for item in items).replace(month=1, day=1)
    last = max([*(item.date.last for item in items), today]).replace(month=12, day=31)
    span = (last - first).days + 1

    def x(date):
        return LABEL_WIDTH + round(PLOT_WIDTH * (date - first).days / span)

    marks = []
    for item in sorted(items, key=lambda item: item.date.first):
        left = x(item.date.first)
        width = max(x(item.date.last + datetime.timedelta(days=1)) - left, MIN_MARK_WIDTH)
        top = AXIS_HEIGHT + LANES.index(item.lane) * LANE_HEIGHT + (LANE_HEIGHT - MARK_HEIGHT) // 2
        marks.append(Mark(left, top, width, item))
    years = range(first.year, last.year + 1)
    step = max(1, len(years) // 10)
    return {
        "marks": marks,
        "lanes": [(lane, AXIS_HEIGHT + index * LANE_HEIGHT + LANE_HEIGHT // 2 + 4) for index, lane in enumerate(LANES)],
        "ticks": [(year, x(datetime.date(year, 1, 1))) for year in years[::step]],
        "today": x(today) if first <= today <= last else None,
        "width": LABEL_WIDTH + PLOT_WIDTH + 10,
        "height": AXIS_HEIGHT + len(LANES) * LANE_HEIGHT,
        "items": sorted(items, key=lambda item: item.date.first),
    }
