"""Server-rendered SVG bar charts: readable without JavaScript, escaped like any template text."""

from dataclasses import dataclass

BAR_HEIGHT = 14
# Each record's name sits above its bars, not beside them: the chart stays narrow enough to be drawn at
# about its own size on a phone, so its text is not scaled below a readable size.
LABEL_HEIGHT = 18
ROW_GAP = 10
PLOT_WIDTH = 300
VALUE_WIDTH = 40


def isolated(text):
    """Text from the data inside SVG text or a tooltip, which hold no markup: between FIRST STRONG ISOLATE and
    POP DIRECTIONAL ISOLATE, so a stray direction mark in it cannot reorder what follows."""
    return f"\u2068{text}\u2069"


@dataclass(frozen=True)
class Series:
    attribute: str
    label: str
    css_class: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    css_class: str
    y: int
    width: int


def grouped_bar_chart(records, label_attribute, series):
    """Bars for each record, one per series under the record's name, scaled to the largest value."""
    largest = max((getattr(r, s.attribute) for r in records for s in series), default=0) or 1
    row_height = LABEL_HEIGHT + len(series) * BAR_HEIGHT + ROW_GAP
    rows = []
    for index, record in enumerate(records):
        top = index * row_height
        bars = [
            Bar(
                label=s.label,
                value=getattr(record, s.attribute),
                css_class=s.css_class,
                y=top + LABEL_HEIGHT + position * BAR_HEIGHT,
                width=round(PLOT_WIDTH * getattr(record, s.attribute) / largest),
            )
            for position, s in enumerate(series)
        ]
        rows.append({"label": getattr(record, label_attribute), "y": top + LABEL_HEIGHT - 5, "bars": bars})
    return {
        "rows": rows,
        "series": series,
        "height": max(len(records) * row_height, row_height),
        "width": PLOT_WIDTH + VALUE_WIDTH,
    }
