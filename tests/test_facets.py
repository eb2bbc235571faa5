"""Every facet and the row count from one grouped scan (PostgreSQL) equal one query per facet and a count."""

import datetime

import pytest
from django.http import QueryDict

from carriers import filters
from carriers.models import (
    Carrier,
    CleanLabel,
    Country,
    CountryPosition,
    Deadline,
    EquipmentUse,
    Event,
    Initiative,
    Restriction,
    Vendor,
)
from tests.factories import DeadlineFactory, RestrictionFactory
from tests.test_public_pages import build_dataset

LISTS = [
    (filters.EquipmentUseFilter, EquipmentUse, ["", "country=KR", "country=KR&vendor={vendor}&segment=ran"]),
    (filters.EquipmentUseFilter, EquipmentUse, ["status=in-use&technology=5g&as_of=2021-01-01"]),
    (filters.EquipmentUseFilter, EquipmentUse, ["country=KR&country=JP&carrier={carrier}&confidence=reported"]),
    (filters.CarrierFilter, Carrier, ["", "country=KR&vendor={vendor}", "vendor={vendor}&label=yes&as_of=2021"]),
    (filters.CountryFilter, Country, ["", "region=asia", "initiative={initiative}&stance=declined&region=asia"]),
    (filters.VendorFilter, Vendor, ["", "headquarters=CN&targeted=yes"]),
    (filters.InitiativeFilter, Initiative, ["", "kind=program&active_on=2021-01-01"]),
    (filters.EventFilter, Event, ["", "country=KR", "country=KR&initiative={initiative}&since=2020-01-01"]),
    (filters.CleanLabelFilter, CleanLabel, ["", "country=KR&initiative={initiative}"]),
    (filters.CountryPositionFilter, CountryPosition, ["", "country=KR&stance=declined&initiative={initiative}"]),
    (filters.RestrictionFilter, Restriction, ["", "country=KR&vendor={vendor}&segment=ran", "kind=removal"]),
    (filters.DeadlineFilter, Deadline, ["", "country=KR&vendor={vendor}&milestone=removal"]),
]


@pytest.fixture
def world(db):
    names = build_dataset(countries=3, carriers=12, uses=90, labels=8, events=5)
    vendors = list(Vendor.objects.order_by("pk"))
    for index, code in enumerate(["KR", "JP", "KR"]):
        restriction = RestrictionFactory(country_id=code, decided_on=datetime.date(2020, 1 + index, 1))
        restriction.vendors.set(vendors[index : index + 2])
        DeadlineFactory(restriction=restriction)
    return names


@pytest.mark.parametrize(("filterset_class", "model", "queries"), LISTS)
def test_grouped_facets_equal_one_query_per_facet_and_the_count(world, filterset_class, model, queries):
    for query in queries:
        data = QueryDict(query.format(**world))
        filterset = filterset_class(data, queryset=model.objects.public_list())
        assert filterset.is_valid(), filterset.errors
        counts = filterset.count_facets()
        assert set(counts.options) == set(filterset.facets)
        for name in filterset.facets:
            assert sorted(counts.options[name]) == sorted(filterset.facet_options(name)), (query, name)
        if counts.total is not None:
            assert counts.total == filterset.qs.count(), query
