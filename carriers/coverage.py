"""What the dataset covers, per country: the facts, carriers and restrictions recorded, and the newest source."""

from dataclasses import dataclass

from django.db.models import Max, OuterRef

from .models import Carrier, CleanLabel, Country, CountryPosition, Deadline, EquipmentUse, Event, Restriction
from .models.counting import subquery_count

# Each kind of fact, with the path from it to its country.
FACTS_BY_COUNTRY = [
    (EquipmentUse, "carrier__country"),
    (CleanLabel, "carrier__country"),
    (CountryPosition, "country"),
    (Restriction, "country"),
    (Deadline, "restriction__country"),
    (Event, "countries"),
]


@dataclass
class CountryCoverage:
    country: Country
    newest_source: object  # a date, or None when no cited source is dated

    @property
    def facts(self):
        c = self.country
        return c.equipment_count + c.label_count + c.position_count + c.restriction_count + c.event_count

    @property
    def covered(self):
        return self.facts > 0


def coverage():
    """Every country with its counts, those with facts first (most facts first), then the rest by name."""
    countries = Country.objects.annotate(
        carrier_count=counted(Carrier, "country"),
        equipment_count=counted(EquipmentUse, "carrier__country"),
        label_count=counted(CleanLabel, "carrier__country"),
        position_count=counted(CountryPosition, "country"),
        restriction_count=counted(Restriction, "country"),
        deadline_count=counted(Deadline, "restriction__country"),
        event_count=counted(Event, "countries"),
    )
    newest = newest_sources()
    rows = [CountryCoverage(country, newest.get(country.pk)) for country in countries]
    return sorted(rows, key=lambda row: (not row.covered, -row.facts, row.country.name))


def counted(model, country_path):
    return subquery_count(model.objects.filter(**{country_path: OuterRef("pk")}), country_path)


def newest_sources():
    """{country code: publication date of the newest source cited by any of its facts}."""
    newest = {}
    for model, country_path in FACTS_BY_COUNTRY:
        rows = (
            model.objects.order_by()
            .values(country_path)
            .annotate(newest=Max("citations__source__published_on"))
            .values_list(country_path, "newest")
        )
        for code, date in rows:
            if date and (code not in newest or date > newest[code]):
                newest[code] = date
    return newest
