"""The data-quality report at /admin/quality/: each check finds what is wrong and nothing else."""

import datetime

import pytest
from django.urls import reverse

from carriers.models import (
    CleanLabel,
    CountryPosition,
    EquipmentStatus,
    EquipmentUse,
    Event,
    NetworkSegment,
    Stance,
    Technology,
)
from tests.factories import (
    CarrierFactory,
    CleanLabelFactory,
    CountryFactory,
    CountryPositionFactory,
    EquipmentUseFactory,
    EventFactory,
    InitiativeFactory,
    SourceFactory,
    VendorFactory,
)

UNCITED = "Facts without a citation"
NO_EQUIPMENT = "Carriers with no equipment facts"
STALE = "Facts whose newest source is older than"
OVERLAPPING = "Overlapping equipment facts"
CONTRADICTED = "Clean labels contradicted by equipment in use"
BARE = "Facts citing a source without its words"
NO_URL = "Sources without a URL"
CHECKS = [UNCITED, BARE, NO_URL, NO_EQUIPMENT, STALE, OVERLAPPING, CONTRADICTED]


def years_ago(years):
    today = datetime.date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def report(client, **params):
    response = client.get(reverse("quality-report"), params)
    assert response.status_code == 200
    return response


def findings(response):
    """{check: the records it lists}, checks named by the start of their title."""
    found = {}
    for check in response.context["checks"]:
        (name,) = [name for name in CHECKS if check.title.startswith(name)]
        found[name] = [record for record, _ in check.rows]
        assert check.count == len(found[name])
    return found


def only(name, *records):
    """What the report should find: `records` under `name`, nothing under any other check."""
    return {check: (list(records) if check == name else []) for check in CHECKS}


NOTHING = only(None)


def unordered(found):
    return {name: sorted(record.pk for record in records) for name, records in found.items()}


@pytest.fixture
def huawei(db):
    return VendorFactory(name="Huawei", slug="huawei")


@pytest.fixture
def clean_network(huawei):
    initiative = InitiativeFactory(name="Clean Network", slug="clean-network")
    initiative.targeted_vendors.set([huawei])
    return initiative


@pytest.fixture
def sound_data(huawei, clean_network):
    """Records with nothing to fix: cited by recent sources, carriers with equipment, labels not contradicted."""
    recent = SourceFactory(published_on=years_ago(1))
    nokia = VendorFactory(name="Nokia", slug="nokia")
    carrier = CarrierFactory(slug="sound-carrier")
    EquipmentUseFactory(carrier=carrier, vendor=nokia, cited=recent)
    CleanLabelFactory(carrier=carrier, initiative=clean_network, cited=recent)
    CountryPositionFactory(initiative=clean_network, cited=recent)
    EventFactory(cited=recent)
    return carrier


def test_sound_data_gives_nothing_to_fix(admin_client, sound_data):
    response = report(admin_client)
    assert findings(response) == NOTHING
    assert response.content.decode().count("Nothing to fix.") == len(CHECKS)


# Facts without a citation: created directly, as the factories always cite a source.


def uncited_fact(model, carrier, initiative):
    vendor = VendorFactory()
    return {
        EquipmentUse: lambda: EquipmentUse.objects.create(
            carrier=carrier, vendor=vendor, segment="core", technology="4g", status=EquipmentStatus.IN_USE
        ),
        CleanLabel: lambda: CleanLabel.objects.create(carrier=carrier, initiative=InitiativeFactory(), wording="clean"),
        CountryPosition: lambda: CountryPosition.objects.create(
            country=CountryFactory(code="DE"),
            initiative=initiative,
            stance=Stance.UNDECIDED,
            stated_on=datetime.date(2021, 1, 1),
        ),
        Event: lambda: Event.objects.create(
            name="Unsourced summit", slug="unsourced", held_on=datetime.date(2021, 1, 1)
        ),
    }[model]()


@pytest.mark.parametrize("model", [EquipmentUse, CleanLabel, CountryPosition, Event], ids=lambda model: model.__name__)
def test_uncited_fact_is_found_and_nothing_else(admin_client, sound_data, clean_network, model):
    fact = uncited_fact(model, sound_data, clean_network)
    assert findings(report(admin_client)) == only(UNCITED, fact)


def test_carrier_with_no_equipment_is_found_and_nothing_else(admin_client, sound_data):
    bare = CarrierFactory(name="Bare Telecom")
    assert findings(report(admin_client)) == only(NO_EQUIPMENT, bare)


# Stale sources


@pytest.fixture
def stale_fact(sound_data):
    """An equipment fact whose only source was published six years ago."""
    old = SourceFactory(published_on=years_ago(6))
    return EquipmentUseFactory(carrier=sound_data, technology=Technology.G4, cited=old)


def test_fact_with_a_six_year_old_newest_source_is_stale_after_five_years(admin_client, stale_fact):
    assert findings(report(admin_client, years=5)) == only(STALE, stale_fact)


def test_fact_with_a_six_year_old_newest_source_is_not_stale_after_ten_years(admin_client, stale_fact):
    assert findings(report(admin_client, years=10)) == NOTHING


def test_five_years_is_the_default_staleness(admin_client, stale_fact):
    response = report(admin_client)
    assert findings(response) == only(STALE, stale_fact)
    assert "older than 5 years: 1" in response.content.decode()


def test_a_newer_second_source_keeps_a_fact_fresh(admin_client, stale_fact):
    stale_fact.citations.create(source=SourceFactory(published_on=years_ago(1)), location="p. 2", quote="Still so.")
    assert findings(report(admin_client, years=5)) == NOTHING


# Overlapping equipment facts


def use_of(carrier, vendor, valid_from, valid_to):
    return EquipmentUseFactory(
        carrier=carrier,
        vendor=vendor,
        segment=NetworkSegment.CORE,
        technology=Technology.G4,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def test_two_overlapping_equipment_uses_are_both_found_and_nothing_else(admin_client, sound_data):
    vendor = VendorFactory()
    first = use_of(sound_data, vendor, datetime.date(2015, 1, 1), datetime.date(2020, 6, 30))
    second = use_of(sound_data, vendor, datetime.date(2020, 1, 1), None)
    assert unordered(findings(report(admin_client))) == unordered(only(OVERLAPPING, first, second))


def test_a_use_with_an_unknown_start_overlaps_a_later_one_while_it_has_not_ended(admin_client, sound_data):
    vendor = VendorFactory()
    open_ended = use_of(sound_data, vendor, None, None)
    later = use_of(sound_data, vendor, datetime.date(2020, 1, 1), None)
    assert unordered(findings(report(admin_client))) == unordered(only(OVERLAPPING, open_ended, later))


def test_a_use_with_an_unknown_start_that_ended_before_a_later_one_does_not_overlap(admin_client, sound_data):
    vendor = VendorFactory()
    use_of(sound_data, vendor, None, datetime.date(2018, 12, 31))
    use_of(sound_data, vendor, datetime.date(2020, 1, 1), None)
    assert findings(report(admin_client)) == NOTHING


def test_two_adjacent_equipment_uses_do_not_overlap(admin_client, sound_data):
    vendor = VendorFactory()
    use_of(sound_data, vendor, datetime.date(2015, 1, 1), datetime.date(2019, 12, 31))
    use_of(sound_data, vendor, datetime.date(2020, 1, 1), None)
    assert findings(report(admin_client)) == NOTHING


def test_uses_of_different_technologies_in_the_same_years_do_not_overlap(admin_client, sound_data):
    vendor = VendorFactory()
    use_of(sound_data, vendor, datetime.date(2015, 1, 1), None)
    EquipmentUseFactory(
        carrier=sound_data, vendor=vendor, segment=NetworkSegment.CORE, technology=Technology.G5, valid_from=None
    )
    assert findings(report(admin_client)) == NOTHING


# Contradicted clean labels


def huawei_4g_in_use(carrier, huawei):
    return EquipmentUseFactory(
        carrier=carrier, vendor=huawei, segment=NetworkSegment.RADIO_ACCESS, technology=Technology.G4
    )


def test_label_from_an_initiative_targeting_a_vendor_the_carrier_uses_is_contradicted(
    admin_client, huawei, clean_network, sound_data
):
    carrier = CarrierFactory(name="LG Uplus")
    huawei_4g_in_use(carrier, huawei)
    label = CleanLabelFactory(carrier=carrier, initiative=clean_network)
    assert findings(report(admin_client)) == only(CONTRADICTED, label)


def test_label_scoped_to_5g_is_not_contradicted_by_4g_equipment(admin_client, huawei, clean_network, sound_data):
    carrier = CarrierFactory(name="LG Uplus")
    huawei_4g_in_use(carrier, huawei)
    CleanLabelFactory(carrier=carrier, initiative=clean_network, scope_technology=Technology.G5)
    assert findings(report(admin_client)) == NOTHING


def test_label_is_not_contradicted_by_equipment_already_removed(admin_client, huawei, clean_network, sound_data):
    carrier = CarrierFactory(name="LG Uplus")
    use = huawei_4g_in_use(carrier, huawei)
    use.status = EquipmentStatus.REMOVED
    use.save()
    CleanLabelFactory(carrier=carrier, initiative=clean_network)
    assert findings(report(admin_client)) == NOTHING


# The page


def test_report_shows_each_count_and_links_each_row_to_its_admin_page(admin_client, sound_data):
    bare = CarrierFactory(name="Bare Telecom")
    uncited = uncited_fact(EquipmentUse, sound_data, None)
    page = report(admin_client).content.decode()
    assert f"{UNCITED}: 1" in page
    assert f"{NO_EQUIPMENT}: 1" in page
    assert f"{OVERLAPPING}: 0" in page
    assert f'href="{reverse("admin:carriers_carrier_change", args=[bare.pk])}"' in page
    assert f'href="{reverse("admin:carriers_equipmentuse_change", args=[uncited.pk])}"' in page


@pytest.mark.parametrize("years", ["0", "abc", "-3", "101"])
def test_report_refuses_a_malformed_number_of_years(admin_client, sound_data, years):
    response = admin_client.get(reverse("quality-report"), {"years": years})
    assert response.status_code == 400
    assert response.context["form"].errors["years"]


def test_report_sends_anonymous_visitors_to_the_login_page(db, client):
    response = client.get(reverse("quality-report"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_report_sends_users_who_are_not_staff_to_the_login_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="reader"))
    response = client.get(reverse("quality-report"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# Citations and sources


def test_a_citation_with_neither_quote_nor_note_lists_its_fact(admin_client, sound_data):
    use = sound_data.equipment_uses.get()
    use.citations.create(source=SourceFactory(), location="p. 3")
    assert findings(report(admin_client)) == only(BARE, use)


def test_a_source_without_a_url_is_listed_until_marked_offline(admin_client, sound_data):
    memo = SourceFactory(title="Internal memo", url="")
    assert findings(report(admin_client)) == only(NO_URL, memo)
    memo.offline = True
    memo.save()
    assert findings(report(admin_client)) == NOTHING
