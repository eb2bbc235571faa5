"""Server-rendered SVG bar charts: readable without JavaScript, escaped like any template text."""

from dataclasses import dataclass

BAR_HEIGHT = 14
ROW_HEIGHT = 3 * BAR_HEIGHT + 14
LABEL_WIDTH = 150
PLOT_WIDTH = 420


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
    """Bars for each record, one per series, scaled to the largest value."""
    largest = max((getattr(r, s.attribute) for r in records for s in series), default=0) or 1
    rows = []
    for index, record in enumerate(records):
        top = index * ROW_HEIGHT
        bars = [
            Bar(
                label=s.label,
                value=getattr(record, s.attribute),
                css_class=s.css_class,
                y=top + position * BAR_HEIGHT,
                width=round(PLOT_WIDTH * getattr(record, s.attribute) / largest),
            )
            for position, s in enumerate(series)
        ]
        rows.append({"label": getattr(record, label_attribute), "y": top + BAR_HEIGHT * 2, "bars": bars})
    return {
        "rows": rows,
        "series": series,
        "height": max(len(records) * ROW_HEIGHT, ROW_HEIGHT),
        "label_width": LABEL_WIDTH,
        "width": LABEL_WIDTH + PLOT_WIDTH + 60,
    }
