"""Every database constraint refuses bad data twice: in the database and in `full_clean()`."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from carriers.models import (
    Carrier,
    CleanLabel,
    CleanLabelCitation,
    Country,
    CountryPosition,
    EquipmentUse,
    EquipmentUseCitation,
    Event,
    Initiative,
    Source,
    Vendor,
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

AUG_1 = datetime.date(2020, 8, 1)
JUL_31 = datetime.date(2020, 7, 31)


def assert_refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def assert_refused_by_full_clean(instance, message):
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    assert any(message in text for text in refused.value.messages), refused.value.messages


# Country


@pytest.mark.parametrize("code", ["kr", "Kr", "K"])
def test_country_code_not_two_capitals_is_refused_by_the_database(db, code):
    assert_refused_by_database(lambda: Country.objects.create(code=code, name="Korea", region="asia"))
    assert not Country.objects.exists()


@pytest.mark.parametrize("code", ["kr", "K"])
def test_country_code_not_two_capitals_is_refused_by_full_clean(db, code):
    with pytest.raises(ValidationError) as refused:
        Country(code=code, name="Korea", region="asia").full_clean()
    assert "code" in refused.value.message_dict


@pytest.mark.parametrize("code", ["ZZ", "XX", "kr"])
def test_country_code_that_is_not_a_real_iso_code_is_refused_by_full_clean(db, code):
    with pytest.raises(ValidationError) as refused:
        Country(code=code, name="Nowhere", region="asia").full_clean()
    assert any("ISO 3166-1" in message for message in refused.value.message_dict["code"])


def test_real_iso_code_passes_full_clean(db):
    Country(code="KR", name="South Korea", region="asia").full_clean()


# Carrier


@pytest.mark.parametrize(
    "fields",
    [{"subscribers": 1000}, {"subscribers_as_of": datetime.date(2020, 1, 1)}],
    ids=["subscribers-without-date", "date-without-subscribers"],
)
def test_carrier_subscribers_without_as_of_date_are_refused_by_the_database(db, fields):
    country = CountryFactory()
    assert_refused_by_database(lambda: Carrier.objects.create(name="KT", slug="kt", country=country, **fields))
    assert not Carrier.objects.exists()


def test_carrier_subscribers_without_as_of_date_are_refused_by_full_clean(db):
    carrier = Carrier(name="KT", slug="kt", country=CountryFactory(), subscribers=1000)
    assert_refused_by_full_clean(carrier, "Subscribers and subscribers as-of date go together")


def test_carrier_subscribers_with_as_of_date_are_accepted(db):
    carrier = CarrierFactory(subscribers=1000, subscribers_as_of=datetime.date(2020, 1, 1))
    carrier.full_clean()


def test_carrier_name_repeated_in_one_country_is_refused_by_the_database(db):
    carrier = CarrierFactory(name="KT")
    assert_refused_by_database(lambda: CarrierFactory(name="KT", country=carrier.country))
    assert Carrier.objects.count() == 1


@pytest.mark.parametrize("name", ["KT", "kt", "Kt"])
def test_carrier_name_repeated_in_one_country_ignoring_case_is_refused_by_full_clean(db, name):
    carrier = CarrierFactory(name="KT")
    duplicate = Carrier(name=name, slug="kt-2", country=carrier.country)
    assert_refused_by_full_clean(duplicate, "A carrier with this name (ignoring case) is already recorded")


def test_carrier_name_repeated_ignoring_case_is_refused_by_the_database(db):
    carrier = CarrierFactory(name="LG Uplus")
    assert_refused_by_database(lambda: CarrierFactory(name="LG UPLUS", country=carrier.country))


def test_same_carrier_name_in_another_country_is_allowed(db):
    CarrierFactory(name="KT")
    other = CarrierFactory(name="KT", country=CountryFactory(code="JP"))
    other.full_clean()
    assert Carrier.objects.filter(name="KT").count() == 2


# Source


def test_source_url_repeated_is_refused_by_the_database(db):
    SourceFactory(url="https://example.org/a")
    assert_refused_by_database(lambda: SourceFactory(url="https://example.org/a"))
    assert Source.objects.count() == 1


def test_source_url_repeated_is_refused_by_full_clean(db):
    SourceFactory(url="https://example.org/a")
    duplicate = Source(title="Another", publisher="Other Press", url="https://example.org/a")
    assert_refused_by_full_clean(duplicate, "A source with this URL is already recorded.")


def test_two_sources_without_url_are_allowed(db):
    SourceFactory(url="")
    second = SourceFactory(url="")
    second.full_clean()
    assert Source.objects.filter(url="").count() == 2


def test_source_title_repeated_by_one_publisher_is_refused_by_the_database(db):
    SourceFactory(title="Report", publisher="Example Press")
    assert_refused_by_database(lambda: SourceFactory(title="Report", publisher="Example Press"))
    assert Source.objects.count() == 1


def test_source_title_repeated_by_one_publisher_is_refused_by_full_clean(db):
    SourceFactory(title="Report", publisher="Example Press")
    duplicate = Source(title="Report", publisher="Example Press", url="https://example.org/other")
    assert_refused_by_full_clean(duplicate, "This publisher already has a source with this title.")


def test_same_source_title_from_another_publisher_is_allowed(db):
    SourceFactory(title="Report", publisher="Example Press")
    SourceFactory(title="Report", publisher="Other Press").full_clean()


# Initiative


def test_initiative_ending_before_launch_is_refused_by_the_database(db):
    assert_refused_by_database(lambda: InitiativeFactory(launched_on=AUG_1, ended_on=JUL_31))
    initiative = InitiativeFactory(launched_on=AUG_1)
    assert_refused_by_database(lambda: Initiative.objects.filter(pk=initiative.pk).update(ended_on=JUL_31))
    assert Initiative.objects.get().ended_on is None


def test_initiative_ending_before_launch_is_refused_by_full_clean(db):
    initiative = InitiativeFactory.build(sponsor=CountryFactory(code="US"), launched_on=AUG_1, ended_on=JUL_31)
    assert_refused_by_full_clean(initiative, "Ended on must be on or after launched on.")


def test_initiative_ending_on_its_launch_day_is_allowed(db):
    initiative = InitiativeFactory(launched_on=AUG_1, ended_on=AUG_1)
    initiative.full_clean()


# Equipment use


def test_equipment_use_valid_to_before_valid_from_is_refused_by_the_database(db):
    assert_refused_by_database(lambda: EquipmentUseFactory(valid_from=AUG_1, valid_to=JUL_31))
    use = EquipmentUseFactory(valid_from=AUG_1)
    assert_refused_by_database(lambda: EquipmentUse.objects.filter(pk=use.pk).update(valid_to=JUL_31))
    assert EquipmentUse.objects.get().valid_to is None


def test_equipment_use_valid_to_before_valid_from_is_refused_by_full_clean(db):
    use = EquipmentUseFactory(valid_from=AUG_1)
    use.valid_to = JUL_31
    assert_refused_by_full_clean(use, "Valid to must be on or after valid from.")


@pytest.mark.parametrize("share", [Decimal("-0.01"), Decimal("100.01"), Decimal("140")])
def test_equipment_use_share_outside_0_to_100_is_refused_by_the_database(db, share):
    use = EquipmentUseFactory()
    assert_refused_by_database(lambda: EquipmentUse.objects.filter(pk=use.pk).update(share_percent=share))
    assert_refused_by_database(lambda: EquipmentUseFactory(share_percent=share))
    assert EquipmentUse.objects.get().share_percent is None


@pytest.mark.parametrize("share", [Decimal("-1"), Decimal("140")])
def test_equipment_use_share_outside_0_to_100_is_refused_by_full_clean(db, share):
    use = EquipmentUseFactory()
    use.share_percent = share
    with pytest.raises(ValidationError) as refused:
        use.full_clean()
    assert "share_percent" in refused.value.message_dict


@pytest.mark.parametrize("share", [Decimal("0"), Decimal("100")])
def test_equipment_use_share_of_0_or_100_is_allowed(db, share):
    EquipmentUseFactory(share_percent=share).full_clean()


@pytest.mark.parametrize("valid_from", [datetime.date(2019, 4, 3), None], ids=["dated", "unknown-start"])
def test_duplicate_equipment_use_is_refused_by_the_database(db, valid_from):
    use = EquipmentUseFactory(valid_from=valid_from)
    assert_refused_by_database(
        lambda: EquipmentUse.objects.create(
            carrier=use.carrier,
            vendor=use.vendor,
            segment=use.segment,
            technology=use.technology,
            status=use.status,
            valid_from=valid_from,
        )
    )
    assert EquipmentUse.objects.count() == 1


@pytest.mark.parametrize("valid_from", [datetime.date(2019, 4, 3), None], ids=["dated", "unknown-start"])
def test_duplicate_equipment_use_is_refused_by_full_clean(db, valid_from):
    use = EquipmentUseFactory(valid_from=valid_from)
    duplicate = EquipmentUse(
        carrier=use.carrier,
        vendor=use.vendor,
        segment=use.segment,
        technology=use.technology,
        status=use.status,
        valid_from=valid_from,
    )
    assert_refused_by_full_clean(duplicate, "This carrier already has a fact for this vendor")


def test_equipment_use_of_same_vendor_from_another_date_is_allowed(db):
    use = EquipmentUseFactory(valid_from=None)
    later = EquipmentUseFactory(
        carrier=use.carrier, vendor=use.vendor, valid_from=datetime.date(2021, 1, 1), status="removed"
    )
    later.full_clean()
    assert EquipmentUse.objects.count() == 2


# Clean label


def test_clean_label_withdrawn_before_awarded_is_refused_by_the_database(db):
    assert_refused_by_database(lambda: CleanLabelFactory(awarded_on=AUG_1, withdrawn_on=JUL_31))
    label = CleanLabelFactory(awarded_on=AUG_1)
    assert_refused_by_database(lambda: CleanLabel.objects.filter(pk=label.pk).update(withdrawn_on=JUL_31))
    assert CleanLabel.objects.get().withdrawn_on is None


def test_clean_label_withdrawn_before_awarded_is_refused_by_full_clean(db):
    label = CleanLabelFactory(awarded_on=AUG_1)
    label.withdrawn_on = JUL_31
    assert_refused_by_full_clean(label, "Withdrawn on must be on or after awarded on.")


@pytest.mark.parametrize("awarded_on", [datetime.date(2020, 6, 24), None], ids=["dated", "unknown-award"])
def test_duplicate_clean_label_is_refused_by_the_database(db, awarded_on):
    label = CleanLabelFactory(awarded_on=awarded_on)
    assert_refused_by_database(
        lambda: CleanLabel.objects.create(
            carrier=label.carrier, initiative=label.initiative, wording="clean", awarded_on=awarded_on
        )
    )
    assert CleanLabel.objects.count() == 1


@pytest.mark.parametrize("awarded_on", [datetime.date(2020, 6, 24), None], ids=["dated", "unknown-award"])
def test_duplicate_clean_label_is_refused_by_full_clean(db, awarded_on):
    label = CleanLabelFactory(awarded_on=awarded_on)
    duplicate = CleanLabel(carrier=label.carrier, initiative=label.initiative, wording="clean", awarded_on=awarded_on)
    assert_refused_by_full_clean(duplicate, "This carrier already has this initiative's label for this scope")


def test_clean_label_with_another_scope_is_allowed(db):
    label = CleanLabelFactory()
    CleanLabelFactory(carrier=label.carrier, initiative=label.initiative, scope_technology="5g").full_clean()
    assert CleanLabel.objects.count() == 2


# Country position


def test_duplicate_country_position_is_refused_by_the_database(db):
    position = CountryPositionFactory()
    assert_refused_by_database(
        lambda: CountryPosition.objects.create(
            country=position.country,
            initiative=position.initiative,
            stance=position.stance,
            stated_on=position.stated_on,
        )
    )
    assert CountryPosition.objects.count() == 1


def test_duplicate_country_position_is_refused_by_full_clean(db):
    position = CountryPositionFactory()
    duplicate = CountryPosition(
        country=position.country, initiative=position.initiative, stance=position.stance, stated_on=position.stated_on
    )
    assert_refused_by_full_clean(duplicate, "This country's stance on this initiative is already recorded")


# Citation


@pytest.mark.parametrize("location", ["paragraph 2", ""], ids=["located", "no-location"])
def test_duplicate_citation_is_refused_by_the_database(db, location):
    source = SourceFactory()
    use = EquipmentUseFactory(cited=source)
    use.citations.update(location=location)
    assert_refused_by_database(lambda: use.citations.create(source=source, location=location, quote="Again."))
    assert use.citations.count() == 1


def test_duplicate_citation_is_refused_by_full_clean(db):
    source = SourceFactory()
    label = CleanLabelFactory(cited=source)
    duplicate = CleanLabelCitation(fact=label, source=source, location="")
    assert_refused_by_full_clean(duplicate, "This source is already cited at this location for this fact.")


def test_same_source_cited_at_another_location_is_allowed(db):
    source = SourceFactory()
    use = EquipmentUseFactory(cited=source)
    citation = EquipmentUseCitation(fact=use, source=source, location="paragraph 3", quote="Said again here.")
    citation.full_clean()
    citation.save()
    assert use.citations.count() == 2


# PROTECT


PROTECTED_AND_FACT_MODELS = [
    Carrier,
    CleanLabel,
    CleanLabelCitation,
    Country,
    CountryPosition,
    EquipmentUse,
    EquipmentUseCitation,
    Event,
    Initiative,
    Source,
    Vendor,
]


def assert_deletion_refused(record):
    model = type(record)
    counts = {fact_model: fact_model.objects.count() for fact_model in PROTECTED_AND_FACT_MODELS}
    with pytest.raises(ProtectedError):
        record.delete()
    assert model.objects.filter(pk=record.pk).exists()
    assert {fact_model: fact_model.objects.count() for fact_model in PROTECTED_AND_FACT_MODELS} == counts


def test_deleting_a_cited_source_is_refused(db):
    source = SourceFactory()
    EquipmentUseFactory(cited=source)
    assert_deletion_refused(source)


def test_deleting_a_vendor_with_equipment_uses_is_refused(db):
    assert_deletion_refused(EquipmentUseFactory().vendor)


def test_deleting_a_carrier_with_facts_is_refused(db):
    carrier = CarrierFactory()
    EquipmentUseFactory(carrier=carrier)
    CleanLabelFactory(carrier=carrier)
    assert_deletion_refused(carrier)


def test_deleting_a_carrier_with_only_a_clean_label_is_refused(db):
    assert_deletion_refused(CleanLabelFactory().carrier)


def test_deleting_a_country_with_a_position_is_refused(db):
    position = CountryPositionFactory(country=CountryFactory(code="FR"))
    assert_deletion_refused(position.country)


def test_deleting_a_country_with_carriers_is_refused(db):
    assert_deletion_refused(CarrierFactory(country=CountryFactory(code="JP")).country)


@pytest.mark.parametrize("factory", [CleanLabelFactory, CountryPositionFactory], ids=["label", "position"])
def test_deleting_an_initiative_with_facts_is_refused(db, factory):
    assert_deletion_refused(factory().initiative)


def test_deleting_an_event_a_position_refers_to_is_refused(db):
    event = EventFactory()
    CountryPositionFactory(event=event)
    assert_deletion_refused(event)
    assert Event.objects.get().citations.count() == 1


def test_deleting_an_unused_vendor_is_allowed(db):
    vendor = VendorFactory()
    vendor.delete()
    assert not Vendor.objects.filter(pk=vendor.pk).exists()
