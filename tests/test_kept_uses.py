"""PostgreSQL keeps the facts in use with their whole periods (carriers.kept.uses): whatever writes the
facts, moves a carrier or changes what initiatives target, the carriers, per-country counts and vendor
footprints read from them are those the facts' own definitions (EquipmentUseQuerySet.in_use, .targeted) give."""

import datetime
import random

import pytest
from django.db import connection
from django.http import QueryDict

from carriers.filters import CarrierFilter
from carriers.kept import periods, settle
from carriers.kept import uses as kept_uses
from carriers.models import Carrier, Country, DatePrecision, EquipmentStatus, EquipmentUse, PartialDate, Vendor
from tests.factories import CarrierFactory, CountryFactory, EquipmentUseFactory, InitiativeFactory, VendorFactory
from tests.test_kept_rows import assert_install_rebuilds_only_when_the_definition_changed, assert_truncating_empties

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL keeps them; CI runs this there")

DATES = [
    None,
    datetime.date(2019, 12, 31),
    datetime.date(2020, 3, 15),
    datetime.date(2020, 6, 30),
    datetime.date(2021, 1, 1),
    datetime.date(2026, 12, 6),
    PartialDate(datetime.date(2020, 1, 1), DatePrecision.YEAR),
    PartialDate(datetime.date(2020, 6, 1), DatePrecision.MONTH),
    PartialDate(datetime.date(2022, 1, 1), DatePrecision.YEAR),
]


def read_both_ways(monkeypatch, on):
    """The carriers using a targeted vendor on `on` and each country's count: from the kept uses, then from
    the facts."""

    def read():
        carriers = set(Carrier.objects.using_targeted_vendor(on=on).values_list("slug", flat=True))
        counts = dict(Country.objects.with_exposure(on=on).values_list("code", "targeted_carrier_count"))
        by_vendor = {
            vendor.slug: (
                set(Carrier.objects.using_vendor(vendor, on=on).values_list("slug", flat=True)),
                list(vendor.footprint(on)),
            )
            for vendor in Vendor.objects.all()
        }
        vendor_facets = [vendor_facet(query, on) for query in ("", "country=KR", "label=no")]
        return carriers, counts, by_vendor, vendor_facets

    kept = read()
    with monkeypatch.context() as patched:
        patched.setattr(kept_uses, "kept", lambda using: False)
        computed = read()
    return kept, computed


def vendor_facet(query, on):
    """The carriers list's vendor options and counts, on `on`."""
    data = QueryDict(query, mutable=True)
    if on is not None:
        data["as_of"] = on.isoformat()
    filterset = CarrierFilter(data, queryset=Carrier.objects.public_list())
    assert filterset.is_valid(), filterset.errors
    return filterset.facet_options("vendor")


def assert_kept_uses_are_the_facts(monkeypatch):
    found = set()
    for on in DATES:
        kept, computed = read_both_ways(monkeypatch, on)
        assert kept == computed, on
        found |= kept[0] | {slug for carriers, _ in kept[2].values() for slug in carriers}
        assert kept[3][0]  # the unfiltered list offers vendors
    assert found  # the facts mean something
    with connection.cursor() as cursor:
        # Each carrier and vendor pair's periods are merged: none overlaps another of its pair.
        cursor.execute(
            f"SELECT count(*) FROM {periods.TABLE} a JOIN {periods.TABLE} b ON a.carrier_id = b.carrier_id "
            "AND a.vendor_id = b.vendor_id AND a.ctid < b.ctid AND a.starts <= b.ends AND b.starts <= a.ends"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(f"SELECT (SELECT count(*) FROM {periods.TABLE}) < (SELECT count(*) FROM {kept_uses.TABLE})")
        assert cursor.fetchone()[0]  # fewer periods than facts: some merged


def a_period_start(rng):
    precision = rng.choice(list(DatePrecision))
    date = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(3 * 365))
    if precision == DatePrecision.MONTH:
        date = date.replace(day=1)
    elif precision == DatePrecision.YEAR:
        date = date.replace(month=1, day=1)
    return date, precision


@pytest.fixture
def facts(transactional_db):
    return some_facts()


def some_facts():
    """Facts of three vendors (two targeted) and twelve carriers in two countries, with partial and unknown dates."""
    rng = random.Random(7)
    america, korea = CountryFactory(code="US", name="United States"), CountryFactory(code="KR", name="South Korea")
    huawei, zte, ericsson = (VendorFactory(name=name, slug=name.lower()) for name in ("Huawei", "ZTE", "Ericsson"))
    clean_network = InitiativeFactory(sponsor=america)
    clean_network.targeted_vendors.set([huawei, zte])
    carriers = [CarrierFactory(country=rng.choice([america, korea])) for _ in range(12)]
    for number in range(60):
        (start, start_precision), (end, end_precision) = sorted([a_period_start(rng), a_period_start(rng)])
        carrier, vendor = carriers[number % len(carriers)], rng.choice([huawei, zte, ericsson])
        start = None if number % 7 == 0 else start
        if EquipmentUse.objects.filter(carrier=carrier, vendor=vendor, valid_from=start).exists():
            continue  # one fact per carrier, vendor, segment, technology and start
        EquipmentUseFactory(
            carrier=carrier,
            vendor=vendor,
            status=rng.choice(list(EquipmentStatus)),
            valid_from=start,
            valid_from_precision=start_precision,
            valid_to=None if number % 5 == 0 else end,
            valid_to_precision=end_precision,
        )
    # Carriers whose only use ends with the last day of a month and of a year that DATES name.
    for end, precision in (
        (datetime.date(2020, 6, 1), DatePrecision.MONTH),
        (datetime.date(2019, 1, 1), DatePrecision.YEAR),
    ):
        EquipmentUseFactory(
            carrier=CarrierFactory(country=korea),
            vendor=huawei,
            status=EquipmentStatus.IN_USE,
            valid_from=datetime.date(2018, 1, 1),
            valid_to=end,
            valid_to_precision=precision,
        )
    return {"carriers": carriers, "initiative": clean_network, "huawei": huawei, "ericsson": ericsson, "korea": korea}


def test_the_kept_uses_give_the_facts_carriers_and_counts_on_any_date(facts, monkeypatch):
    assert_kept_uses_are_the_facts(monkeypatch)
    assert periods.TABLE in str(Carrier.objects.using_targeted_vendor(on=DATES[2]).query)


def test_the_kept_uses_follow_every_way_of_writing_facts(facts, monkeypatch):
    use = EquipmentUse.objects.filter(status=EquipmentStatus.IN_USE, vendor=facts["huawei"]).first()
    use.status = EquipmentStatus.REMOVED
    use.save()
    assert_kept_uses_are_the_facts(monkeypatch)

    EquipmentUse.objects.filter(vendor=facts["ericsson"]).update(vendor=facts["huawei"])
    assert_kept_uses_are_the_facts(monkeypatch)

    EquipmentUse.objects.filter(valid_to__isnull=False).update(valid_to_precision=DatePrecision.DAY)
    assert_kept_uses_are_the_facts(monkeypatch)

    EquipmentUse.objects.bulk_create(
        [
            EquipmentUse(carrier=carrier, vendor=facts["huawei"], technology="2g", status=EquipmentStatus.IN_USE)
            for carrier in facts["carriers"][:3]
        ]
    )
    assert_kept_uses_are_the_facts(monkeypatch)

    EquipmentUse.objects.filter(carrier=facts["carriers"][0]).delete()
    assert_kept_uses_are_the_facts(monkeypatch)

    assert_truncating_empties(EquipmentUse, kept_uses.TABLE)


def test_a_carrier_moving_country_moves_its_uses(facts, monkeypatch):
    Carrier.objects.update(country=facts["korea"])
    assert_kept_uses_are_the_facts(monkeypatch)
    assert Country.objects.with_exposure().get(code="US").targeted_carrier_count == 0


def test_initiatives_starting_or_stopping_to_target_a_vendor(facts, monkeypatch):
    facts["initiative"].targeted_vendors.remove(facts["huawei"])
    assert_kept_uses_are_the_facts(monkeypatch)

    facts["initiative"].targeted_vendors.add(facts["ericsson"])
    assert_kept_uses_are_the_facts(monkeypatch)

    facts["initiative"].delete()
    assert not Carrier.objects.using_targeted_vendor().exists()
    kept, computed = read_both_ways(monkeypatch, None)
    assert kept == computed and kept[0] == set()


def test_install_rebuilds_only_when_the_definition_changed(facts, monkeypatch):
    assert_install_rebuilds_only_when_the_definition_changed(kept_uses.TABLE, lambda: kept_uses.keep("default"))
    assert_kept_uses_are_the_facts(monkeypatch)


def estimated_and_counted(table):
    """The planner's estimate of `table`'s rows, and their count."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        estimated = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM {table}")
        return estimated, cursor.fetchone()[0]


def test_settling_gives_the_planner_the_kept_tables_statistics(facts):
    estimated, counted = estimated_and_counted(kept_uses.TABLE)
    assert counted > 0 and estimated != counted  # filled by triggers since the table was built empty
    settle("default")
    assert estimated_and_counted(kept_uses.TABLE) == (counted, counted)


def test_settling_also_settles_the_tables_it_is_given(facts):
    # As after generated data: the facts table itself, not only the tables kept from it.
    table = EquipmentUse._meta.db_table
    estimated, counted = estimated_and_counted(table)
    assert counted > 0 and estimated != counted
    settle("default", [table])
    assert estimated_and_counted(table) == (counted, counted)
