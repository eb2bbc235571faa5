"""PostgreSQL keeps how many equipment facts start and end per day (carriers.kept.in_force): whatever writes
the facts, the counts in force on any date or period, of all the facts and of each vendor, are those the
facts' own definition (ValidityQuerySet.valid_on) gives."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carriers.kept import in_force as kept_in_force
from carriers.models import DatePrecision, EquipmentStatus, EquipmentUse, Vendor
from carriers.models.facts import ValidityQuerySet
from tests.factories import EquipmentUseFactory
from tests.test_kept_rows import assert_install_rebuilds_only_when_the_definition_changed, assert_truncating_empties
from tests.test_kept_uses import DATES, some_facts

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL keeps them; CI runs this there")


@pytest.fixture
def facts(transactional_db):
    return some_facts()


def computed(queryset, on):
    """(the facts, those in force on `on`) by a scan of the facts themselves."""
    return ValidityQuerySet.count_in_force(queryset, on)


def assert_kept_counts_are_the_facts():
    vendors = list(Vendor.objects.all())
    for on in DATES:
        assert EquipmentUse.objects.count_in_force(on) == computed(EquipmentUse.objects.all(), on), on
        for vendor in vendors:
            assert vendor.count_equipment_in_force(on) == computed(vendor.equipment_uses.all(), on), (vendor, on)
    total, in_force = EquipmentUse.objects.count_in_force(DATES[2])
    assert 0 < in_force < total  # the dates tell facts apart


def test_the_kept_counts_are_the_facts_on_any_date_or_period(facts):
    assert_kept_counts_are_the_facts()
    with CaptureQueriesContext(connection) as queries:
        facts["huawei"].count_equipment_in_force(DATES[3])
        EquipmentUse.objects.count_in_force(DATES[3])
    assert all(kept_in_force.TABLE in query["sql"] for query in queries.captured_queries)
    # A filtered queryset counts its own facts, not the kept ones of every fact.
    korean = EquipmentUse.objects.filter(carrier__country=facts["korea"])
    assert korean.count_in_force(None) == (korean.count(), korean.count()) != EquipmentUse.objects.count_in_force(None)


def test_the_kept_counts_follow_every_way_of_writing_facts(facts):
    use = EquipmentUse.objects.filter(valid_to__isnull=False).first()
    use.valid_to, use.valid_to_precision = None, DatePrecision.DAY
    use.save()
    assert_kept_counts_are_the_facts()

    EquipmentUse.objects.filter(vendor=facts["ericsson"]).update(vendor=facts["huawei"])
    assert_kept_counts_are_the_facts()

    EquipmentUse.objects.filter(valid_to__isnull=False).update(valid_to_precision=DatePrecision.DAY)
    assert_kept_counts_are_the_facts()

    EquipmentUse.objects.bulk_create(
        [
            EquipmentUse(
                carrier=carrier,
                vendor=facts["ericsson"],
                technology="2g",
                status=EquipmentStatus.IN_USE,
                valid_from=datetime.date(2020, 3, 15),
                valid_to=datetime.date(2020, 3, 15),
            )
            for carrier in facts["carriers"][:3]
        ]
    )
    assert_kept_counts_are_the_facts()
    assert facts["ericsson"].count_equipment_in_force(datetime.date(2020, 3, 15))[1] >= 3

    EquipmentUse.objects.filter(carrier=facts["carriers"][0]).delete()
    EquipmentUseFactory(vendor=facts["huawei"], valid_from=None, valid_to=None)
    assert_kept_counts_are_the_facts()

    assert_truncating_empties(EquipmentUse, kept_in_force.TABLE)
    assert EquipmentUse.objects.count_in_force(DATES[1]) == (0, 0)


def test_the_kept_counts_stay_about_one_row_per_vendor_and_day(facts):
    def rows():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*), count(DISTINCT (vendor_id, day)) FROM {kept_in_force.TABLE}")
            return cursor.fetchone()

    for use in EquipmentUse.objects.order_by("pk")[:10]:
        use.valid_from = datetime.date(2018, 5, 5)
        use.save()
    counted, distinct = rows()
    assert counted == distinct  # each save's writer folded the days it touched
    assert_kept_counts_are_the_facts()


def test_install_rebuilds_only_when_the_definition_changed(facts):
    assert_install_rebuilds_only_when_the_definition_changed(kept_in_force.TABLE, lambda: kept_in_force.keep("default"))
    assert_kept_counts_are_the_facts()
