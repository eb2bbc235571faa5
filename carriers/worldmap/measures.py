"""What the world map colours countries by: each measure reads one value per country with data on a date."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, Q, When
from django.urls import reverse

from carriers.models import Country, CountryPosition, Initiative, Restriction, RestrictionKind, Stance
from carriers.models.restrictions import STRONGEST_FIRST

DEFAULT_INITIATIVE = "clean-network"


@dataclass(frozen=True)
class Shade:
    """One colour of the map and its legend entry; `key` names its CSS class (shade-<key>)."""

    key: str
    label: str


@dataclass(frozen=True)
class Reading:
    """One country's value: `value` for machines, `label` in words, `detail` the counts behind it."""

    country: str
    name: str
    value: str | float
    label: str
    detail: str
    shade: str

    @property
    def url(self):
        return reverse("carriers:country-detail", args=[self.country])


def plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


NONE_IN_FORCE = Shade("none-in-force", "None in force (proposed, suspended, repealed or not yet in effect)")


def restriction_readings(as_of, initiative=None):
    """Per country with a restriction decided by `as_of`: the strongest kind in force then (one query)."""
    decided = Restriction.objects.decided_by(as_of)
    in_force = Q(pk__in=decided.in_force_on(as_of).values("pk"))
    kinds = decided.order_by().values("country", "country__name", "kind")
    countries = {}
    for row in kinds.annotate(decided=Count("pk"), in_force=Count("pk", filter=in_force)):
        countries.setdefault((row["country"], row["country__name"]), []).append(row)
    readings = []
    for (code, name), rows in countries.items():
        in_force_kinds = [row["kind"] for row in rows if row["in_force"]]
        counted = sum(row["in_force"] for row in rows)
        detail = f"{plural(counted, 'restriction')} in force of {sum(row['decided'] for row in rows)} decided"
        strongest = min(in_force_kinds, key=STRONGEST_FIRST.index) if in_force_kinds else NONE_IN_FORCE.key
        label = RestrictionKind(strongest).label if in_force_kinds else "None in force"
        readings.append(Reading(code, name, strongest, label, detail, strongest))
    return readings


def stance_readings(as_of, initiative):
    """Per country that stated a stance on `initiative` by `as_of`: its latest."""
    if initiative is None:
        return []
    positions = CountryPosition.objects.until(as_of).of_initiative(initiative)
    stated = Counter(positions.values_list("country", flat=True))
    latest = positions.select_related("country").latest_stances([initiative]).values()
    return [
        Reading(
            position.country_id,
            position.country.name,
            position.stance,
            position.get_stance_display(),
            f"latest stated {position.stated}; {plural(stated[position.country_id], 'position')} stated by then",
            position.stance,
        )
        for position in latest
    ]


SHARE_SHADES = [
    Shade("share-0", "None"),
    Shade("share-1", "Under 25%"),
    Shade("share-2", "25% to under 50%"),
    Shade("share-3", "50% to under 75%"),
    Shade("share-4", "75% or more"),
]


def share_shade(using, tracked):
    """None, or the quarter the share falls in (all of them in the last)."""
    if not using:
        return SHARE_SHADES[0]
    return SHARE_SHADES[1 + min(3, 4 * using // tracked)]


def targeted_share_readings(as_of, initiative=None):
    """Per country with carriers tracked: the share of them using a vendor an initiative targets on `as_of`."""
    readings = []
    for country in Country.objects.with_exposure(on=as_of).filter(carrier_count__gt=0):
        using, tracked = country.targeted_carrier_count, country.carrier_count
        share = round(100 * using / tracked, 1)
        detail = f"{using} of {plural(tracked, 'tracked carrier')} using a targeted vendor"
        shade = share_shade(using, tracked)
        readings.append(Reading(country.code, country.name, share, f"{share:g}%", detail, shade.key))
    return readings


@dataclass(frozen=True)
class Measure:
    slug: str
    title: str
    shades: list
    read: object
    by_initiative: bool = False

    def readings(self, as_of, initiative=None):
        """The measure's readings on `as_of`, countries by name."""
        return sorted(self.read(as_of, initiative), key=lambda reading: (reading.name, reading.country))


MEASURES = {
    measure.slug: measure
    for measure in [
        Measure(
            "restriction",
            "Strongest restriction in force",
            [*(Shade(kind.value, kind.label) for kind in STRONGEST_FIRST), NONE_IN_FORCE],
            restriction_readings,
        ),
        Measure(
            "stance",
            "Latest stance on the initiative",
            [Shade(stance.value, stance.label) for stance in Stance],
            stance_readings,
            by_initiative=True,
        ),
        Measure(
            "targeted-share",
            "Share of tracked carriers using a targeted vendor",
            SHARE_SHADES,
            targeted_share_readings,
        ),
    ]
}
DEFAULT_MEASURE = "restriction"


def default_initiative():
    """The Clean Network when recorded, else the initiative with the most positions stated."""
    clean_network_first = Case(When(slug=DEFAULT_INITIATIVE, then=0), default=1)
    initiatives = Initiative.objects.annotate(position_count=Count("positions"))
    return initiatives.order_by(clean_network_first, "-position_count", "name").first()
