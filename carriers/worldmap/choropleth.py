"""A map of one measure on one date: its readings on the country outlines, its legend, its rows."""

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from carriers.models import Initiative, PartialDate

from . import geometry
from .measures import DEFAULT_MEASURE, MEASURES, Measure, default_initiative

# The map's CSV and JSON columns, described in the data dictionary.
COLUMNS = {
    "country": "The country's ISO 3166-1 alpha-2 code.",
    "name": "The country's name.",
    "measure": "What colours the map: restriction, stance or targeted-share.",
    "initiative": "For the stance measure, the initiative's slug; empty otherwise.",
    "value": "The country's value: a restriction kind, a stance, or a percentage of its tracked carriers.",
    "label": "The value in words, as the legend gives it.",
    "detail": "The counts behind the value on the date (as_of).",
}


@dataclass
class WorldMap:
    measure: Measure
    initiative: Initiative | None
    as_of: PartialDate
    readings: list

    @classmethod
    def of(cls, as_of, measure_slug=DEFAULT_MEASURE, initiative=None, cached=None):
        """The map of a measure on `as_of` (a stance on the default initiative when none is given);
        its readings kept in `cached` (an UntilNextEdit) when given."""
        measure = MEASURES[measure_slug]
        if measure.by_initiative and initiative is None:
            initiative = default_initiative()
        if not measure.by_initiative:
            initiative = None

        def read():
            return measure.readings(as_of, initiative)

        readings = cached.get((measure.slug, initiative and initiative.pk, as_of), read) if cached else read()
        return cls(measure, initiative, as_of, readings)

    def countries(self):
        """Every outline drawn, with its country's reading when it has one."""
        by_code = {reading.country: reading for reading in self.readings}
        return [(outline, by_code.get(outline.code)) for outline in geometry.outlines()]

    def not_drawn(self):
        """Readings of countries without an outline at this scale (small states, the EU)."""
        drawn = {outline.code for outline in geometry.outlines()}
        return [reading for reading in self.readings if reading.country not in drawn]

    def legend(self):
        """Each shade with how many countries it colours."""
        counts = Counter(reading.shade for reading in self.readings)
        return [(shade, counts[shade.key]) for shade in self.measure.shades]

    def view_box(self):
        return geometry.view_box()

    def query(self):
        """The query string asking for this map: its page, CSV and JSON take the same."""
        chosen = {"measure": self.measure.slug, "initiative": self.initiative and self.initiative.slug}
        return urlencode({**{name: value for name, value in chosen.items() if value}, "as_of": self.as_of.isoformat()})

    def rows(self):
        """The readings as the CSV and JSON give them, in COLUMNS."""
        initiative = self.initiative.slug if self.initiative else ""
        return [
            {
                "country": reading.country,
                "name": reading.name,
                "measure": self.measure.slug,
                "initiative": initiative,
                "value": reading.value,
                "label": reading.label,
                "detail": reading.detail,
            }
            for reading in self.readings
        ]
