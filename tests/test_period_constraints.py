"""Dates known to the month or year are stored on the first day of their period, and an end only has to
reach its start's period: the database CHECKs at month and year boundaries, full_clean's messages, and
the quality checks that compare whole periods (overlaps, contradicted labels, stale sources)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from carriers.models import (
    CleanLabel,
    CountryPosition,
    DatePrecision,
    Deadline,
    EquipmentStatus,
    EquipmentUse,
    Event,
    Initiative,
    NetworkSegment,
    Restriction,
    Technology,
)
from tests.factories import (
    CarrierFactory,
    CleanLabelFactory,
    CountryPositionFactory,
    DeadlineFactory,
    EquipmentUseFactory,
    EventFactory,
    InitiativeFactory,
    RestrictionFactory,
    SourceFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db
DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


def day(text):
    return datetime.date.fromisoformat(text)


def refused_by_database(model, pk, **values):
    """Whether writing `values` straight to the row (no save(), no normalising) raises an IntegrityError."""
    try:
        with transaction.atomic():
            model.objects.filter(pk=pk).update(**values)
    except IntegrityError:
        return True
    return False


# Every stored partial date: (model, factory, field). The update leaves the other date of a pair empty,
# so only the first-day CHECK can object.
PARTIAL_DATES = [
    (EquipmentUse, EquipmentUseFactory, "valid_from", {"valid_to": None}),
    (EquipmentUse, EquipmentUseFactory, "valid_to", {"valid_from": None}),
    (CleanLabel, CleanLabelFactory, "awarded_on", {"withdrawn_on": None}),
    (CleanLabel, CleanLabelFactory, "withdrawn_on", {"awarded_on": None}),
    (Initiative, InitiativeFactory, "launched_on", {"ended_on": None}),
    (Initiative, InitiativeFactory, "ended_on", {"launched_on": None}),
    (Event, EventFactory, "held_on", {}),
    (CountryPosition, CountryPositionFactory, "stated_on", {}),
    (Restriction, RestrictionFactory, "decided_on", {}),
    (Restriction, RestrictionFactory, "effective_on", {}),
    (Deadline, DeadlineFactory, "due", {}),
]


def partial_date_id(value):
    if isinstance(value, str):
        return value
    return getattr(value, "__name__", "")


@pytest.mark.parametrize(
    ("date", "precision", "refused"),
    [
        ("2020-08-05", MONTH, True),
        ("2020-08-31", MONTH, True),
        ("2020-08-01", MONTH, False),
        ("2020-12-01", MONTH, False),
        ("2020-08-05", YEAR, True),
        ("2020-02-01", YEAR, True),  # the 1st, but not of January
        ("2020-12-31", YEAR, True),
        ("2020-01-01", YEAR, False),
        ("2020-08-05", DAY, False),
        ("2020-12-31", DAY, False),
    ],
    ids=lambda value: value if isinstance(value, str) else str(value),
)
@pytest.mark.parametrize(("model", "factory", "field", "others"), PARTIAL_DATES, ids=partial_date_id)
def test_a_partial_date_must_be_stored_on_the_first_day_of_its_period(
    model, factory, field, others, date, precision, refused
):
    fact = factory()
    values = {field: day(date), f"{field}_precision": precision, **others}
    assert refused_by_database(model, fact.pk, **values) is refused
    stored = model.objects.filter(pk=fact.pk).values_list(field, flat=True).get()
    assert (stored == day(date)) is not refused


def test_bulk_create_of_a_month_not_on_the_first_is_refused_by_the_database():
    use = EquipmentUseFactory.build(
        carrier=CarrierFactory(), vendor=VendorFactory(), valid_from=day("2020-08-05"), valid_from_precision=MONTH
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EquipmentUse.objects.bulk_create([use])
    assert not EquipmentUse.objects.exists()


@pytest.mark.parametrize(("model", "factory", "field", "others"), PARTIAL_DATES, ids=partial_date_id)
def test_saving_stores_a_partial_date_on_the_first_day_of_its_period(model, factory, field, others):
    fact = factory(**{field: day("2020-08-05"), f"{field}_precision": YEAR, **others})
    stored = model.objects.filter(pk=fact.pk).values_list(field, flat=True).get()
    assert stored == day("2020-01-01")


# End on or after start, whole periods compared: (start, start precision, end, end precision, accepted).
PERIODS = [
    pytest.param("2020-08-05", DAY, "2020-01-01", YEAR, True, id="5-aug-2020-to-sometime-in-2020"),
    pytest.param("2020-08-05", DAY, "2020-08-01", MONTH, True, id="5-aug-2020-to-aug-2020"),
    pytest.param("2020-08-05", DAY, "2020-07-01", MONTH, False, id="5-aug-2020-to-jul-2020"),
    pytest.param("2020-08-01", MONTH, "2020-08-01", MONTH, True, id="aug-2020-to-aug-2020"),
    pytest.param("2020-08-01", MONTH, "2020-08-01", DAY, True, id="aug-2020-to-1-aug-2020"),
    pytest.param("2020-08-01", MONTH, "2020-07-31", DAY, False, id="aug-2020-to-31-jul-2020"),
    pytest.param("2020-08-05", DAY, "2020-08-05", DAY, True, id="same-day"),
    pytest.param("2020-08-05", DAY, "2020-08-04", DAY, False, id="day-before"),
    pytest.param("2020-12-31", DAY, "2020-12-01", MONTH, True, id="31-dec-2020-to-dec-2020"),
    pytest.param("2020-12-31", DAY, "2020-01-01", YEAR, True, id="31-dec-2020-to-2020"),
    pytest.param("2021-01-01", DAY, "2020-01-01", YEAR, False, id="1-jan-2021-to-2020"),
    pytest.param("2021-01-01", MONTH, "2020-12-01", MONTH, False, id="jan-2021-to-dec-2020"),
    pytest.param("2020-01-01", YEAR, "2020-01-01", YEAR, True, id="2020-to-2020"),
    pytest.param("2021-01-01", YEAR, "2020-01-01", YEAR, False, id="2021-to-2020"),
    pytest.param("2020-01-01", YEAR, "2020-01-15", DAY, True, id="2020-to-15-jan-2020"),
    pytest.param("2020-01-01", YEAR, "2019-12-31", DAY, False, id="2020-to-31-dec-2019"),
    pytest.param("2020-01-01", YEAR, "2019-12-01", MONTH, False, id="2020-to-dec-2019"),
]

# The models whose facts have an end: (model, factory, start field, end field, full_clean's message).
DATE_PAIRS = [
    pytest.param(
        EquipmentUse,
        EquipmentUseFactory,
        "valid_from",
        "valid_to",
        "Valid to must be on or after valid from.",
        id="EquipmentUse",
    ),
    pytest.param(
        CleanLabel,
        CleanLabelFactory,
        "awarded_on",
        "withdrawn_on",
        "Withdrawn on must be on or after awarded on.",
        id="CleanLabel",
    ),
    pytest.param(
        Initiative,
        InitiativeFactory,
        "launched_on",
        "ended_on",
        "Ended on must be on or after launched on.",
        id="Initiative",
    ),
]


def period_values(start, start_precision, end, end_precision, start_field, end_field):
    return {
        start_field: day(start),
        f"{start_field}_precision": start_precision,
        end_field: day(end),
        f"{end_field}_precision": end_precision,
    }


@pytest.mark.parametrize(("start", "start_precision", "end", "end_precision", "accepted"), PERIODS)
@pytest.mark.parametrize(("model", "factory", "start_field", "end_field", "message"), DATE_PAIRS)
def test_the_database_compares_the_end_period_with_the_start_period(
    model, factory, start_field, end_field, message, start, start_precision, end, end_precision, accepted
):
    fact = factory()
    values = period_values(start, start_precision, end, end_precision, start_field, end_field)
    assert refused_by_database(model, fact.pk, **values) is not accepted
    stored = model.objects.filter(pk=fact.pk).values(start_field, end_field).get()
    assert (stored == {start_field: day(start), end_field: day(end)}) is accepted


@pytest.mark.parametrize(("start", "start_precision", "end", "end_precision", "accepted"), PERIODS)
@pytest.mark.parametrize(("model", "factory", "start_field", "end_field", "message"), DATE_PAIRS)
def test_full_clean_compares_the_end_period_with_the_start_period_and_says_what_is_wrong(
    model, factory, start_field, end_field, message, start, start_precision, end, end_precision, accepted
):
    fact = factory()
    for name, value in period_values(start, start_precision, end, end_precision, start_field, end_field).items():
        setattr(fact, name, value)
    if accepted:
        fact.full_clean()
        return
    with pytest.raises(ValidationError) as refused:
        fact.full_clean()
    assert message in refused.value.messages


def test_an_end_before_the_start_is_refused_by_bulk_create():
    use = EquipmentUseFactory.build(
        carrier=CarrierFactory(),
        vendor=VendorFactory(),
        valid_from=day("2020-08-05"),
        valid_to=day("2020-07-01"),
        valid_to_precision=MONTH,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EquipmentUse.objects.bulk_create([use])
    assert not EquipmentUse.objects.exists()


def test_an_end_with_no_start_and_a_start_with_no_end_are_accepted():
    use = EquipmentUseFactory()
    assert not refused_by_database(EquipmentUse, use.pk, valid_from=None, valid_to=day("1999-01-01"))
    assert not refused_by_database(EquipmentUse, use.pk, valid_from=day("2030-01-01"), valid_to=None)


# Overlapping equipment facts


def use_between(carrier, vendor, start, end, start_precision=DAY, end_precision=DAY, **fields):
    fields = {"segment": NetworkSegment.CORE, "technology": Technology.G4, **fields}
    return EquipmentUseFactory(
        carrier=carrier,
        vendor=vendor,
        valid_from=start,
        valid_from_precision=start_precision,
        valid_to=end,
        valid_to_precision=end_precision,
        **fields,
    )


@pytest.fixture
def ended_in_2020():
    """A use from 2015 that ended "in 2020"."""
    return use_between(CarrierFactory(), VendorFactory(), day("2015-03-01"), day("2020-01-01"), end_precision=YEAR)


@pytest.mark.parametrize(
    ("start", "precision", "overlaps"),
    [
        ("2020-06-01", DAY, True),
        ("2020-12-31", DAY, True),
        ("2020-12-01", MONTH, True),
        ("2020-01-01", YEAR, True),
        ("2021-01-01", DAY, False),
        ("2021-01-01", MONTH, False),
        ("2021-01-01", YEAR, False),
    ],
)
def test_a_use_that_ended_in_a_year_overlaps_one_starting_during_that_year(ended_in_2020, start, precision, overlaps):
    later = use_between(ended_in_2020.carrier, ended_in_2020.vendor, day(start), None, start_precision=precision)
    expected = {ended_in_2020.pk, later.pk} if overlaps else set()
    assert set(EquipmentUse.objects.overlapping().values_list("pk", flat=True)) == expected


def test_a_use_that_ended_in_a_month_overlaps_one_starting_on_its_last_day_only():
    carrier, vendor = CarrierFactory(), VendorFactory()
    ended = use_between(carrier, vendor, day("2019-01-01"), day("2020-10-01"), end_precision=MONTH)
    use_between(carrier, vendor, day("2020-11-01"), None)
    assert not EquipmentUse.objects.overlapping().exists()
    last_day = use_between(carrier, vendor, day("2020-10-31"), day("2020-10-31"))
    assert set(EquipmentUse.objects.overlapping().values_list("pk", flat=True)) == {ended.pk, last_day.pk}


def test_uses_ending_and_starting_in_the_same_year_of_other_scopes_do_not_overlap(ended_in_2020):
    use_between(ended_in_2020.carrier, VendorFactory(), day("2020-06-01"), None)
    use_between(CarrierFactory(), ended_in_2020.vendor, day("2020-06-01"), None)
    use_between(ended_in_2020.carrier, ended_in_2020.vendor, day("2020-06-01"), None, technology=Technology.G5)
    assert not EquipmentUse.objects.overlapping().exists()


# Clean labels contradicted by equipment in use


@pytest.fixture
def label():
    """A clean label awarded on 24 June 2020 by an initiative that targets a vendor."""
    vendor = VendorFactory(slug="huawei")
    initiative = InitiativeFactory()
    initiative.targeted_vendors.set([vendor])
    return CleanLabelFactory(initiative=initiative, awarded_on=day("2020-06-24"))


def targeted_use(label, start, end, end_precision=DAY, **fields):
    return EquipmentUseFactory(
        carrier=label.carrier,
        vendor=label.initiative.targeted_vendors.get(),
        valid_from=start,
        valid_to=end,
        valid_to_precision=end_precision,
        **fields,
    )


def contradicted():
    return list(CleanLabel.objects.contradicted())


def test_a_use_still_in_use_after_the_award_contradicts_the_label(label):
    targeted_use(label, day("2019-01-01"), None)
    assert contradicted() == [label]


def test_a_use_that_ended_before_the_award_does_not_contradict_the_label(label):
    targeted_use(label, day("2019-01-01"), day("2020-06-23"))
    targeted_use(label, day("2018-01-01"), day("2020-05-01"), end_precision=MONTH, technology=Technology.G4)
    targeted_use(label, day("2017-01-01"), day("2019-01-01"), end_precision=YEAR, technology=Technology.G3)
    assert contradicted() == []


@pytest.mark.parametrize(
    ("end", "precision"),
    [("2020-06-24", DAY), ("2020-06-01", MONTH), ("2020-01-01", YEAR)],
    ids=["on-the-award-day", "in-the-award-month", "in-the-award-year"],
)
def test_a_use_ending_in_the_period_of_the_award_contradicts_the_label(label, end, precision):
    targeted_use(label, day("2019-01-01"), day(end), end_precision=precision)
    assert contradicted() == [label]


def test_a_use_starting_after_the_label_was_withdrawn_does_not_contradict_it(label):
    CleanLabel.objects.filter(pk=label.pk).update(withdrawn_on=day("2021-01-01"), withdrawn_on_precision=YEAR)
    targeted_use(label, day("2022-01-01"), None)
    assert contradicted() == []
    targeted_use(label, day("2021-12-31"), None, technology=Technology.G4)
    assert contradicted() == [label]


def test_a_removed_or_planned_use_in_the_labels_period_does_not_contradict_it(label):
    targeted_use(label, day("2019-01-01"), None, status=EquipmentStatus.REMOVED)
    targeted_use(label, day("2019-01-01"), None, status=EquipmentStatus.PLANNED, technology=Technology.G4)
    assert contradicted() == []


def test_a_use_of_a_vendor_the_initiative_does_not_target_does_not_contradict_the_label(label):
    EquipmentUseFactory(carrier=label.carrier, vendor=VendorFactory(), valid_from=day("2019-01-01"))
    assert contradicted() == []


# Stale sources: a source dated to a year or month counts as published any time of it


def cited_by_source_of(published_on, precision):
    return EquipmentUseFactory(cited=SourceFactory(published_on=day(published_on), published_on_precision=precision))


@pytest.mark.parametrize(
    ("published_on", "precision", "stale"),
    [
        ("2020-01-01", YEAR, False),
        ("2020-06-01", MONTH, False),
        ("2020-05-01", MONTH, True),
        ("2020-06-01", DAY, False),
        ("2020-05-31", DAY, True),
        ("2019-01-01", YEAR, True),
    ],
)
def test_a_source_is_older_than_a_date_only_if_its_whole_period_is(published_on, precision, stale):
    fact = cited_by_source_of(published_on, precision)
    older = EquipmentUse.objects.with_sources_older_than(day("2020-06-01"))
    assert (fact in older) is stale


def test_a_fact_with_one_recent_source_in_the_year_is_not_stale():
    fact = cited_by_source_of("2018-01-01", YEAR)
    fact.citations.create(source=SourceFactory(published_on=day("2020-01-01"), published_on_precision=YEAR))
    assert not EquipmentUse.objects.with_sources_older_than(day("2020-12-31")).exists()
    assert list(EquipmentUse.objects.with_sources_older_than(day("2021-01-01"))) == [fact]


def test_a_fact_citing_only_undated_sources_is_not_stale():
    EquipmentUseFactory(cited=SourceFactory(published_on=None))
    assert not EquipmentUse.objects.with_sources_older_than(day("2020-06-01")).exists()
