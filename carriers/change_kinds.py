"""The kinds of public record whose changes are followed: each public list's model, read through its versions.

A kind knows how its versions reach a country and a vendor, so that "changes in Korea about Huawei"
finds equipment (through its carrier), deadlines (through their restriction) and events (through the
countries each version linked) alike.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, Q, Value
from django.urls import reverse
from simple_history.utils import get_m2m_reverse_field_name

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
