"""What changed: the versions of public records (their edit history), newest first, described for people.

A change names what it did (added, changed which fields, removed, restored), when, and to which record, never
who: nothing here reads `history_user`.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import get_m2m_reverse_field_name

from .history import RESTORED
from .models import (
    Carrier,
    CleanLabel,
    Country,
    CountryPosition,
    Deadline,
    EquipmentUse,
    Event,
    Initiative,
    Restriction,
    Source,
    Vendor,
)
from .models.dates import period
from .models.history import NOT_COMPARED, CitedVersion

NEWEST_FIRST = ("-history_date", "kind_name", "-history_id")
# Set by every save, or once: they never tell what an edit changed.
NOT_CHANGES = NOT_COMPARED | {"created_at"}
ACTIONS = {"+": "added", "~": "changed", "-": "removed"}


def own(field):
    """Versions whose own `field` holds one of the values."""
    return lambda values: Q(**{f"{field}__in": values})


def through(field, model, lookup):
    """Versions whose `field` names a record of `model` that matched `lookup` in any of its versions.

    Reading the other record's versions, not the record, keeps removed and moved records findable.
    """
    pk = model._meta.pk.attname
    return lambda values: Q(**{f"{field}__in": model.history.filter(**{f"{lookup}__in": values}).values(pk)})


@dataclass(frozen=True)
class VersionLinks:
    """Where a version of `model` keeps the records its many-to-many `field` linked then."""

    model: type
    field: str

    @property
    def relation(self):
        return self.model.history.model._meta.get_field(f"historical{self.model._meta.model_name}_{self.field}")

    @property
    def target(self):
        return get_m2m_reverse_field_name(self.model._meta.get_field(self.field))

    @property
    def lookup(self):
        return f"{self.relation.name}__{self.target}"

    def of(self, version):
        """The pks of the records `version` linked (from its prefetched links)."""
        return {
            getattr(link, f"{self.target}_id") for link in getattr(version, self.relation.get_accessor_name()).all()
        }


def links(model, field):
    """The lookup from a version to the records its many-to-many `field` linked then."""
    return VersionLinks(model, field).lookup


@dataclass(frozen=True)
class Kind:
    """The records of one public list as the change log reads them, from their model's versions."""

    name: str  # the list's address: /equipment/, /equipment.atom
    url_name: str  # its URL names: equipment-list, equipment-feed
    model: type
    label: str
    related: tuple = ()  # foreign keys the record's title and link read
    countries: Callable | None = None  # ISO codes -> Q over versions; None: no country to filter by
    vendors: Callable | None = None  # vendor pks -> Q over versions; None: no vendor to filter by

    def versions(self):
        return self.model.history.order_by()

    def log_rows(self, versions):
        """`versions` as rows of the change log, which unites every kind's."""
        return (
            versions.order_by()
            .annotate(kind_name=Value(self.name, output_field=CharField()))
            .values("kind_name", "history_id", "history_date")
        )

    def in_countries(self, versions, codes):
        return self._narrowed(versions, self.countries, codes)

    def of_vendors(self, versions, pks):
        return self._narrowed(versions, self.vendors, pks)

    def _narrowed(self, versions, path, values):
        if not values:
            return versions
        return versions.filter(path(values)) if path else versions.none()

    def list_url(self):
        return reverse(f"carriers:{self.url_name}-list")

    @property
    def version_links(self):
        return [VersionLinks(self.model, field.name) for field in self.model.history.model._history_m2m_fields]


KINDS = [
    Kind(
        "equipment",
        "equipment",
        EquipmentUse,
        "Equipment",
        related=("carrier", "vendor"),
        countries=through("carrier", Carrier, "country"),
        vendors=own("vendor"),
    ),
    Kind(
        "labels",
        "label",
        CleanLabel,
        "Clean labels",
        related=("carrier", "initiative"),
        countries=through("carrier", Carrier, "country"),
    ),
    Kind(
        "positions",
        "position",
        CountryPosition,
        "Positions",
        related=("country", "initiative"),
        countries=own("country"),
    ),
    Kind(
        "events",
        "event",
        Event,
        "Events",
        countries=through("id", Event, links(Event, "countries")),
    ),
    Kind(
        "restrictions",
        "restriction",
        Restriction,
        "Restrictions",
        countries=own("country"),
        vendors=through("id", Restriction, links(Restriction, "vendors")),
    ),
    Kind(
        "deadlines",
        "deadline",
        Deadline,
        "Deadlines",
        related=("restriction",),
        countries=through("restriction", Restriction, "country"),
        vendors=through("restriction", Restriction, links(Restriction, "vendors")),
    ),
    Kind("carriers", "carrier", Carrier, "Carriers", countries=own("country")),
    Kind("vendors", "vendor", Vendor, "Vendors", vendors=own("id")),
    Kind("countries", "country", Country, "Countries", countries=own("code")),
    Kind(
        "initiatives",
        "initiative",
        Initiative,
        "Initiatives",
        countries=own("sponsor"),
        vendors=through("id", Initiative, links(Initiative, "targeted_vendors")),
    ),
    Kind("sources", "source", Source, "Sources"),
]
KIND = {kind.name: kind for kind in KINDS}
KIND_OF_MODEL = {kind.model.history.model: kind for kind in KINDS}


def change_log(version_querysets):
    """The rows (kind_name, history_id, history_date) of every version in the querysets, newest first."""
    parts = [KIND_OF_MODEL[versions.model].log_rows(versions) for versions in version_querysets]
    if not parts:  # no kind chosen: an empty log of the same shape
        parts = [KINDS[0].log_rows(KINDS[0].versions().none())]
    first, *others = parts
    return (first.union(*others, all=True) if others else first).order_by(*NEWEST_FIRST)


def made_between(versions, since=None, until=None):
    """Versions recorded within the periods of `since` and `until` (dates or PartialDates), in the site's time zone."""
    if since is not None:
        versions = versions.filter(history_date__gte=start_of_day(period(since)[0]))
    if until is not None:
        versions = versions.filter(history_date__lt=start_of_day(period(until)[1] + datetime.timedelta(days=1)))
    return versions


def start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def list_changes(kind, view, countries=(), vendors=()):
    """Changes to the records of one public list's filtered `view` (its queryset), as change-log rows.

    The additions, changes and restorations of records in the view now; and, as removed records are in no
    view, every removal of a record of the kind in `countries` and of `vendors` (the list filter's own
    values), so that a watcher never misses one. Where the kind has no country (or vendor) to match,
    or the filter names none, removals are not narrowed by it.
    """
    pk = kind.model._meta.pk.attname
    present = Q(history_type__in=["+", "~"], **{f"{pk}__in": view.values("pk")})
    removed = Q(history_type="-")
    if countries and kind.countries:
        removed &= kind.countries([country.pk for country in countries])
    if vendors and kind.vendors:
        removed &= kind.vendors([vendor.pk for vendor in vendors])
    return change_log([kind.versions().filter(present | removed)])


@dataclass
class Change:
    kind: Kind
    history_id: int
    when: datetime.datetime
    action: str  # added, changed, removed or restored
    title: str
    url: str  # the record's page, or its list's once it is gone
    fields: list  # for a change: the names of the fields it changed

    @property
    def summary(self):
        if self.action == "changed" and self.fields:
            return f"Changed {', '.join(self.fields)}."
        return f"{self.action.capitalize()}."


def describe(rows):
    """Changes for change-log `rows`: a few queries per kind of record among them, whatever their number."""
    rows = list(rows)
    ids = defaultdict(list)
    for row in rows:
        ids[row["kind_name"]].append(row["history_id"])
    described = {}
    for name, history_ids in ids.items():
        for change in describe_kind(KIND[name], history_ids):
            described[name, change.history_id] = change
    return [described[row["kind_name"], row["history_id"]] for row in rows]


def describe_kind(kind, history_ids):
    versions = kind.versions()
    pk = kind.model._meta.pk.attname
    earlier = versions.filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
        **{pk: OuterRef(pk)},
    ).order_by("-history_date", "-history_id")
    previous = Subquery(earlier.values("history_id")[:1])
    previous_of_page = versions.filter(history_id__in=history_ids).annotate(previous=previous).values("previous")
    accessors = [links.relation.get_accessor_name() for links in kind.version_links]
    fetched = (
        versions.filter(Q(history_id__in=history_ids) | Q(history_id__in=previous_of_page))
        .annotate(previous_id=previous)
        .prefetch_related(*accessors)
        .in_bulk(field_name="history_id")
    )
    page = [fetched[history_id] for history_id in history_ids]
    related = related_records(kind, page)
    current = kind.model.objects.select_related(*kind.related).in_bulk({getattr(version, pk) for version in page})
    changes = []
    for version in page:
        record = current.get(getattr(version, pk))
        previous = fetched.get(version.previous_id)
        changes.append(
            Change(
                kind=kind,
                history_id=version.history_id,
                when=version.history_date,
                action=action(version),
                title=title(kind, version, related),
                url=record.get_absolute_url() if record else kind.list_url(),
                fields=changed_fields(kind, version, previous) if version.history_type == "~" and previous else [],
            )
        )
    return changes


def action(version):
    if version.history_type == "+" and version.history_change_reason == RESTORED:
        return "restored"
    return ACTIONS[version.history_type]


def changed_fields(kind, version, previous):
    """The names of the fields `version` changed from `previous`; many-to-many links and citations count."""
    m2m = {links.field for links in kind.version_links}
    plain = [
        field.name
        for field in version.tracked_fields
        if field.editable and field.name not in NOT_CHANGES and field.name not in m2m
    ]
    if isinstance(version, CitedVersion):
        plain.append("citations")
    names = version.diff_against(previous, included_fields=plain).changed_fields
    # diff_against would query each version's links; these come prefetched.
    names += [links.field for links in kind.version_links if links.of(version) != links.of(previous)]
    return sorted(names)


def related_records(kind, versions):
    """{(model, pk): record} for the records the versions' `kind.related` keys name, removed ones from their
    newest version: two queries per related model at most."""
    found = {}
    for name in kind.related:
        model = kind.model._meta.get_field(name).related_model
        pks = {getattr(version, f"{name}_id") for version in versions}
        records = model.objects.in_bulk(pks)
        gone = pks - records.keys()
        if gone:
            pk = model._meta.pk.attname
            for old in model.history.filter(**{f"{pk}__in": gone}).order_by("history_date", "history_id"):
                records[getattr(old, pk)] = old.instance
        found.update({(model, pk): record for pk, record in records.items()})
    return found


def title(kind, version, related):
    """A readable name for the record as this version had it (the record's own words for itself)."""
    record = version.instance
    for name in kind.related:
        model = kind.model._meta.get_field(name).related_model
        pk = getattr(version, f"{name}_id")
        setattr(record, name, related.get((model, pk)) or model(pk=pk))
    return str(record)
