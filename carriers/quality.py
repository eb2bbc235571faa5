"""The data-quality checks researchers work through: each names what is wrong and lists what to fix."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Carrier, CleanLabel, CountryPosition, Deadline, EquipmentUse, Event, Restriction, Source

FACT_MODELS = [EquipmentUse, CleanLabel, CountryPosition, Event, Restriction, Deadline]


@dataclass
class Check:
    title: str
    explanation: str
    querysets: list[QuerySet]

    @property
    def count(self):
        return sum(queryset.count() for queryset in self.querysets)


def years_before(date, years):
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February in a year that has none
        return date.replace(year=date.year - years, day=28)


def checks(stale_after_years, today=None):
    cutoff = years_before(today or datetime.date.today(), stale_after_years)
    return [
        Check(
            "Facts without a citation",
            "Every fact needs at least one source.",
            [model.objects.uncited() for model in FACT_MODELS],
        ),
        Check(
            "Facts citing a source without its words",
            "A citation with neither quote nor note: give the source's own words, or say in the note what it states.",
            [model.objects.with_bare_citations() for model in FACT_MODELS],
        ),
        Check(
            "Sources without a URL",
            "Add the address where it can be read, or tick “offline” for a document that has none.",
            [Source.objects.filter(url="", offline=False)],
        ),
        Check(
            "Carriers with no equipment facts",
            "Tracked carriers whose network nobody has documented yet.",
            [Carrier.objects.without_equipment().select_related("country")],
        ),
        Check(
            f"Facts whose newest source is older than {stale_after_years} years",
            f"The most recent cited source was published before {cutoff:%d %b %Y}: look for newer reporting.",
            [model.objects.with_sources_older_than(cutoff) for model in FACT_MODELS],
        ),
        Check(
            "Overlapping equipment facts",
            "Two facts for the same carrier, vendor, segment and technology whose valid-from/valid-to ranges overlap.",
            [EquipmentUse.objects.overlapping().select_related("carrier", "vendor")],
        ),
        Check(
            "Clean labels contradicted by equipment in use",
            "The carrier has an in-use fact of a vendor that the labelling initiative itself targets.",
            [CleanLabel.objects.contradicted().select_related("carrier", "initiative")],
        ),
    ]
