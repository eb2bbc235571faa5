"""The QuerySet vocabulary that views, filters, exports and the admin share."""

import datetime

import pytest

from carriers.models import Carrier, CleanLabel, EquipmentStatus, EquipmentUse, Initiative
from tests.factories import (
    CarrierFactory,
    CleanLabelFactory,
    CountryFactory,
    EquipmentUseFactory,
    InitiativeFactory,
    VendorFactory,
)

START = datetime.date(2019, 4, 3)
END = datetime.date(2020, 6, 30)
ONE_DAY = datetime.timedelta(days=1)


def targeting(*vendors):
    initiative = InitiativeFactory()
    initiative.targeted_vendors.set(vendors)
    return initiative


def slugs(queryset):
    return sorted(queryset.values_list("slug", flat=True))


def pks(queryset):
    return sorted(queryset.values_list("pk", flat=True))


# Carrier


def test_carriers_in_country_keeps_only_those_countries(db):
    CarrierFactory(slug="kt")
    CarrierFactory(slug="docomo", country=CountryFactory(code="JP"))
    CarrierFactory(slug="att", country=CountryFactory(code="US"))
    assert slugs(Carrier.objects.in_country("KR")) == ["kt"]
    assert slugs(Carrier.objects.in_country("KR", "JP")) == ["docomo", "kt"]


@pytest.mark.parametrize("text", ["uplus", "LG UPLUS", "U+", "엘지"])
def test_carrier_search_matches_name_or_alias_ignoring_case(db, text):
    CarrierFactory(slug="lg-uplus", name="LG Uplus", aliases="LG U+\n엘지유플러스")
    CarrierFactory(slug="kt", name="KT", aliases="KT Corp.")
    assert slugs(Carrier.objects.search(text)) == ["lg-uplus"]


def test_carrier_search_finds_nothing_for_an_unknown_name(db):
    CarrierFactory(name="KT")
    assert not Carrier.objects.search("Vodafone").exists()


def test_carriers_using_vendor_on_a_date(db):
    huawei, ericsson = VendorFactory(), VendorFactory()
    EquipmentUseFactory(carrier=CarrierFactory(slug="current"), vendor=huawei, valid_from=START)
    EquipmentUseFactory(carrier=CarrierFactory(slug="former"), vendor=huawei, valid_from=START, valid_to=END)
    EquipmentUseFactory(carrier=CarrierFactory(slug="other-vendor"), vendor=ericsson)
    assert slugs(Carrier.objects.using_vendor(huawei)) == ["current", "former"]
    assert slugs(Carrier.objects.using_vendor(huawei, on=END)) == ["current", "former"]
    assert slugs(Carrier.objects.using_vendor(huawei, on=END + ONE_DAY)) == ["current"]
    assert slugs(Carrier.objects.using_vendor(huawei, on=START - ONE_DAY)) == []


@pytest.mark.parametrize(
    ("status", "using"),
    [
        (EquipmentStatus.IN_USE, True),
        (EquipmentStatus.PHASING_OUT, True),
        (EquipmentStatus.PLANNED, False),
        (EquipmentStatus.REMOVED, False),
        (EquipmentStatus.UNKNOWN, False),
    ],
)
def test_carriers_using_a_vendor_have_its_equipment_in_use_or_being_phased_out(db, status, using):
    huawei = VendorFactory()
    targeting(huawei)
    carrier = EquipmentUseFactory(vendor=huawei, status=status).carrier
    assert Carrier.objects.using_vendor(huawei, on=END).exists() is using
    assert Carrier.objects.using_targeted_vendor(on=END).exists() is using
    assert [row["carriers"] for row in huawei.footprint(on=END)] == ([1] if using else [])
    assert Carrier.objects.filter(pk=carrier.pk).using_vendor(huawei).exists() is using


def test_vendor_footprint_counts_carriers_and_uses_in_force_per_country(db):
    huawei = VendorFactory()
    carrier = CarrierFactory()
    EquipmentUseFactory(carrier=carrier, vendor=huawei, technology="4g")
    EquipmentUseFactory(carrier=carrier, vendor=huawei, technology="5g", valid_from=END + ONE_DAY)
    EquipmentUseFactory(carrier=CarrierFactory(country=CountryFactory(code="JP")), vendor=huawei, valid_to=END)
    footprint = {row["carrier__country"]: (row["carriers"], row["uses"]) for row in huawei.footprint(on=END)}
    assert footprint == {"KR": (1, 1), "JP": (1, 1)}
    footprint = {row["carrier__country"]: (row["carriers"], row["uses"]) for row in huawei.footprint(on=END + ONE_DAY)}
    assert footprint == {"KR": (1, 2)}


def test_carrier_with_several_uses_of_a_vendor_is_listed_once(db):
    carrier, vendor = CarrierFactory(), VendorFactory()
    EquipmentUseFactory(carrier=carrier, vendor=vendor, technology="4g")
    EquipmentUseFactory(carrier=carrier, vendor=vendor, technology="5g")
    assert Carrier.objects.using_vendor(vendor).count() == 1


def test_carriers_using_a_targeted_vendor(db):
    huawei, ericsson = VendorFactory(), VendorFactory()
    targeting(huawei)
    EquipmentUseFactory(carrier=CarrierFactory(slug="lg-uplus"), vendor=huawei, valid_from=START, valid_to=END)
    EquipmentUseFactory(carrier=CarrierFactory(slug="kt"), vendor=ericsson)
    assert slugs(Carrier.objects.using_targeted_vendor()) == ["lg-uplus"]
    assert slugs(Carrier.objects.using_targeted_vendor(on=END)) == ["lg-uplus"]
    assert slugs(Carrier.objects.using_targeted_vendor(on=END + ONE_DAY)) == []


def test_carriers_labelled_by_an_initiative_on_a_date(db):
    clean_network, other = InitiativeFactory(), InitiativeFactory()
    awarded = datetime.date(2020, 6, 24)
    CleanLabelFactory(carrier=CarrierFactory(slug="sk-telecom"), initiative=clean_network, awarded_on=awarded)
    CleanLabelFactory(carrier=CarrierFactory(slug="kt"), initiative=other, awarded_on=awarded)
    CarrierFactory(slug="lg-uplus")
    assert slugs(Carrier.objects.labelled()) == ["kt", "sk-telecom"]
    assert slugs(Carrier.objects.labelled(clean_network)) == ["sk-telecom"]
    assert slugs(Carrier.objects.labelled(clean_network, on=awarded)) == ["sk-telecom"]
    assert slugs(Carrier.objects.labelled(clean_network, on=awarded - ONE_DAY)) == []


def test_carrier_summary_counts_equipment_uses_and_labels(db):
    carrier = CarrierFactory(slug="busy")
    EquipmentUseFactory(carrier=carrier, technology="4g")
    EquipmentUseFactory(carrier=carrier, technology="5g")
    CleanLabelFactory(carrier=carrier)
    CarrierFactory(slug="idle")
    summary = {carrier.slug: carrier for carrier in Carrier.objects.with_summary()}
    assert (summary["busy"].equipment_use_count, summary["busy"].label_count) == (2, 1)
    assert (summary["idle"].equipment_use_count, summary["idle"].label_count) == (0, 0)


def test_carrier_summary_on_a_date_counts_what_is_in_force_then(db):
    carrier = CarrierFactory()
    EquipmentUseFactory(carrier=carrier, technology="4g", valid_to=END)
    EquipmentUseFactory(carrier=carrier, technology="5g")
    CleanLabelFactory(carrier=carrier, awarded_on=END + ONE_DAY)
    [before] = Carrier.objects.with_summary(on=END)
    [after] = Carrier.objects.with_summary(on=END + ONE_DAY)
    assert (before.equipment_use_count, before.label_count) == (2, 0)
    assert (after.equipment_use_count, after.label_count) == (1, 1)


# Equipment use


@pytest.mark.parametrize(
    ("date", "in_force"),
    [
        (START - ONE_DAY, False),
        (START, True),
        (END, True),
        (END + ONE_DAY, False),
    ],
    ids=["day-before-start", "start-day", "end-day", "day-after-end"],
)
def test_equipment_use_valid_on_includes_both_boundary_days(db, date, in_force):
    use = EquipmentUseFactory(valid_from=START, valid_to=END)
    assert EquipmentUse.objects.valid_on(date).filter(pk=use.pk).exists() is in_force


def test_equipment_use_with_unknown_start_is_in_force_on_any_date_before_its_end(db):
    use = EquipmentUseFactory(valid_from=None, valid_to=END)
    assert pks(EquipmentUse.objects.valid_on(datetime.date(1990, 1, 1))) == [use.pk]
    assert pks(EquipmentUse.objects.valid_on(END)) == [use.pk]
    assert pks(EquipmentUse.objects.valid_on(END + ONE_DAY)) == []


def test_equipment_use_without_end_is_in_force_on_any_date_after_its_start(db):
    use = EquipmentUseFactory(valid_from=START, valid_to=None)
    assert pks(EquipmentUse.objects.valid_on(datetime.date(2100, 1, 1))) == [use.pk]
    assert pks(EquipmentUse.objects.valid_on(START - ONE_DAY)) == []


def test_equipment_use_valid_on_none_keeps_every_use(db):
    EquipmentUseFactory(valid_from=START, valid_to=END)
    EquipmentUseFactory(valid_from=None)
    assert EquipmentUse.objects.valid_on(None).count() == 2


def test_targeted_equipment_uses_are_those_of_a_vendor_some_initiative_targets(db):
    huawei, zte, ericsson = VendorFactory(), VendorFactory(), VendorFactory()
    targeting(huawei)
    targeting(huawei, zte)
    targeted = [EquipmentUseFactory(vendor=huawei), EquipmentUseFactory(vendor=zte)]
    EquipmentUseFactory(vendor=ericsson)
    assert pks(EquipmentUse.objects.targeted()) == sorted(use.pk for use in targeted)


def test_equipment_uses_in_country_follow_the_carrier_country(db):
    korean = EquipmentUseFactory()
    EquipmentUseFactory(carrier=CarrierFactory(country=CountryFactory(code="JP")))
    assert pks(EquipmentUse.objects.in_country("KR")) == [korean.pk]
    assert EquipmentUse.objects.in_country("KR", "JP").count() == 2


def test_equipment_uses_of_vendor(db):
    huawei, zte, ericsson = VendorFactory(), VendorFactory(), VendorFactory()
    uses = [EquipmentUseFactory(vendor=huawei), EquipmentUseFactory(vendor=zte)]
    EquipmentUseFactory(vendor=ericsson)
    assert pks(EquipmentUse.objects.of_vendor(huawei)) == [uses[0].pk]
    assert pks(EquipmentUse.objects.of_vendor(huawei, zte)) == sorted(use.pk for use in uses)


# Clean label


@pytest.mark.parametrize(
    ("date", "in_force"),
    [
        (START - ONE_DAY, False),
        (START, True),
        (END, True),
        (END + ONE_DAY, False),
    ],
    ids=["day-before-award", "award-day", "withdrawal-day", "day-after-withdrawal"],
)
def test_clean_label_valid_on_includes_award_and_withdrawal_days(db, date, in_force):
    label = CleanLabelFactory(awarded_on=START, withdrawn_on=END)
    assert CleanLabel.objects.valid_on(date).filter(pk=label.pk).exists() is in_force


def test_clean_label_without_award_date_is_in_force_until_withdrawn(db):
    label = CleanLabelFactory(awarded_on=None, withdrawn_on=None)
    assert pks(CleanLabel.objects.valid_on(datetime.date(1990, 1, 1))) == [label.pk]


# Initiative


@pytest.mark.parametrize(
    ("date", "active"),
    [
        (datetime.date(2020, 7, 31), False),
        (datetime.date(2020, 8, 1), True),
        (datetime.date(2021, 1, 20), True),
        (datetime.date(2021, 1, 21), False),
    ],
    ids=["before-launch", "launch-day", "end-day", "after-end"],
)
def test_initiative_active_on_includes_launch_and_end_days(db, date, active):
    initiative = InitiativeFactory(launched_on=datetime.date(2020, 8, 1), ended_on=datetime.date(2021, 1, 20))
    assert Initiative.objects.active_on(date).filter(pk=initiative.pk).exists() is active


def test_initiative_without_dates_is_always_active(db):
    initiative = InitiativeFactory(launched_on=None, ended_on=None)
    assert Initiative.objects.active_on(datetime.date(1990, 1, 1)).get() == initiative


def test_initiatives_sponsored_by_country(db):
    american = InitiativeFactory(slug="clean-network")
    InitiativeFactory(slug="eu-toolbox", sponsor=CountryFactory(code="BE"))
    InitiativeFactory(slug="uk-law", sponsor=CountryFactory(code="GB"))
    assert slugs(Initiative.objects.sponsored_by("US")) == [american.slug]
    assert slugs(Initiative.objects.sponsored_by("US", "GB")) == ["clean-network", "uk-law"]


def test_counting_in_force_gives_the_counts_of_valid_on_from_one_query(db, django_assert_num_queries):
    from carriers.models import DatePrecision, PartialDate

    for start, end in [(None, END), (datetime.date(2020, 1, 1), None), (END + ONE_DAY, None), (None, None)]:
        EquipmentUseFactory(valid_from=start, valid_to=end)
    dates = [
        None,
        END,
        END + ONE_DAY,
        datetime.date(2019, 6, 1),
        PartialDate(datetime.date(2020, 1, 1), DatePrecision.YEAR),
    ]
    for date in dates:
        with django_assert_num_queries(1):
            counted = EquipmentUse.objects.count_in_force(date)
        assert counted == (EquipmentUse.objects.count(), EquipmentUse.objects.valid_on(date).count()), date
    assert EquipmentUse.objects.count_in_force(END + ONE_DAY) == (4, 3)


def test_latest_stances_keep_each_country_and_initiatives_latest_position(db):
    from carriers.models import CountryPosition, Stance
    from tests.factories import CountryFactory, CountryPositionFactory, InitiativeFactory

    korea, japan = CountryFactory(code="KR"), CountryFactory(code="JP")
    network, other = InitiativeFactory(), InitiativeFactory()
    CountryPositionFactory(country=korea, initiative=network, stance=Stance.DECLINED, stated_on=END)
    CountryPositionFactory(country=korea, initiative=network, stance=Stance.JOINED, stated_on=END - ONE_DAY)
    CountryPositionFactory(country=japan, initiative=network, stance=Stance.DECLINED, stated_on=END)
    latest_of_a_day = CountryPositionFactory(country=japan, initiative=network, stance=Stance.JOINED, stated_on=END)
    CountryPositionFactory(country=japan, initiative=other, stance=Stance.JOINED, stated_on=END)
    stances = CountryPosition.objects.latest_stances([network])
    assert {key: position.stance for key, position in stances.items()} == {
        ("KR", network.pk): Stance.DECLINED,
        ("JP", network.pk): Stance.JOINED,
    }
    assert stances[("JP", network.pk)] == latest_of_a_day
