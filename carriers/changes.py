"""What changed: the versions of public records (their edit history), newest first, described for people.

A change names what it did (added, changed which fields, removed, restored), when, and to which record, never
who: nothing here reads `history_user`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from .change_kinds import KIND, KIND_OF_MODEL, KINDS, Kind
from .history import RESTORED
from .models.dates import period
from .models.history import NOT_COMPARED, CitedVersion

NEWEST_FIRST = ("-history_date", "kind_name", "-history_id")
# Set by every save, or once: they never tell what an edit changed.
NOT_CHANGES = NOT_COMPARED | {"created_at"}
ACTIONS = {"+": "added", "~": "changed", "-": "removed"}


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
    previous_ids = dict(
        versions.filter(history_id__in=history_ids)
        .annotate(previous=Subquery(earlier.values("history_id")[:1]))
        .values_list("history_id", "previous")
    )
    # Fetched by primary key, with the versions they follow: index lookups, however long the history.
    accessors = [links.relation.get_accessor_name() for links in kind.version_links]
    fetched = (
        versions.filter(history_id__in=[*history_ids, *filter(None, previous_ids.values())])
        .prefetch_related(*accessors)
        .in_bulk(field_name="history_id")
    )
    page = [fetched[history_id] for history_id in history_ids]
    related = related_records(kind, page)
    current = kind.model.objects.select_related(*kind.related).in_bulk({getattr(version, pk) for version in page})
    changes = []
    for version in page:
        record = current.get(getattr(version, pk))
        previous = fetched.get(previous_ids[version.history_id])
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
