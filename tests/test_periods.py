"""A date known only to the month or year stands for its whole period ("Oct 2020" is 1–31 October), in
every filter: as_of, since, until, active_on; and the filters take a month or a year for its period."""

import datetime

import pytest

from carriers.models import DatePrecision, PartialDate
from tests.factories import (
    CarrierFactory,
    CountryPositionFactory,
    EquipmentUseFactory,
    EventFactory,
    InitiativeFactory,
)

pytestmark = pytest.mark.django_db
MONTH, YEAR, DAY = DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.DAY


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2020", "2020-01-01", "2020-12-31"),
        ("2020-10", "2020-10-01", "2020-10-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2023-02", "2023-02-01", "2023-02-28"),
        ("2020-10-13", "2020-10-13", "2020-10-13"),
        ("9999-12", "9999-12-01", "9999-12-31"),
    ],
)
def test_a_partial_date_stands_for_its_whole_period(text, first, last):
    date = PartialDate.parse(text)
    assert (date.first.isoformat(), date.last.isoformat()) == (first, last)


def listed(client, path, key):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return {row[key] for row in response.context["page_obj"]}


@pytest.fixture
def dialogue(db):
    """The fifth Senior Economic Dialogue, dated "Oct 2020": sources say 13 and 14 October."""
    return EventFactory(slug="dialogue", held_on=datetime.date(2020, 10, 1), held_on_precision=MONTH)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("since=2020-10-13", True),
        ("since=2020-10-31", True),
        ("since=2020-11-01", False),
        ("since=2020-10", True),
        ("since=2020", True),
        ("until=2020-10-01", True),
        ("until=2020-09-30", False),
        ("until=2020-09", False),
        ("until=2020", True),
    ],
)
def test_an_event_dated_to_the_month_counts_as_the_whole_month(client, dialogue, query, found):
    response = client.get(f"/events.csv?{query}")
    assert response.status_code == 200
    assert (b"dialogue" in b"".join(response.streaming_content)) is found


@pytest.fixture
def uses(db):
    """A use that ended "in 2020", one that began "in 2021", one from 5 Aug 2020 to "sometime in 2020"."""
    carrier = CarrierFactory(slug="kt")
    return {
        "ended-2020": EquipmentUseFactory(
            carrier=carrier,
            notes="ended-2020",
            valid_from=None,
            valid_to=datetime.date(2020, 1, 1),
            valid_to_precision=YEAR,
        ),
        "began-2021": EquipmentUseFactory(
            carrier=carrier,
            notes="began-2021",
            technology="4g",
            valid_from=datetime.date(2021, 1, 1),
            valid_from_precision=YEAR,
        ),
        "oct-2020": EquipmentUseFactory(
            carrier=carrier,
            notes="oct-2020",
            technology="3g",
            valid_from=datetime.date(2020, 10, 1),
            valid_from_precision=MONTH,
            valid_to=datetime.date(2020, 10, 1),
            valid_to_precision=MONTH,
        ),
    }


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2020-06-01", {"ended-2020"}),
        ("2020-12-31", {"ended-2020"}),
        ("2021-01-01", {"began-2021"}),
        ("2020-10-31", {"ended-2020", "oct-2020"}),
        ("2020-11-01", {"ended-2020"}),
        ("2020", {"ended-2020", "oct-2020"}),
        ("2020-10", {"ended-2020", "oct-2020"}),
        ("2021", {"began-2021"}),
    ],
)
def test_as_of_includes_every_fact_whose_period_overlaps_the_asked_date_or_period(client, uses, as_of, expected):
    response = client.get("/equipment/", {"as_of": as_of})
    assert response.status_code == 200
    assert {use.notes for use in response.context["page_obj"]} == expected


@pytest.mark.parametrize("value", ["2020-13", "2020-00", "20201", "2020-1-1-1", "-2020"])
def test_a_malformed_month_or_year_is_a_bad_request(client, uses, value):
    assert client.get("/equipment/", {"as_of": value}).status_code == 400
    assert client.get("/equipment.csv", {"as_of": value}).status_code == 400


def test_a_position_stated_in_a_month_counts_from_its_first_to_its_last_day(client):
    CountryPositionFactory(stated_on=datetime.date(2020, 8, 1), stated_on_precision=MONTH, stated_by="month")
    assert [p.stated_by for p in client.get("/positions/?since=2020-08-31").context["page_obj"]] == ["month"]
    assert not list(client.get("/positions/?since=2020-09-01").context["page_obj"])


def test_an_initiative_that_ended_in_a_year_is_active_all_that_year(client):
    InitiativeFactory(
        slug="ended-2021",
        launched_on=datetime.date(2019, 5, 3),
        launched_on_precision=DAY,
        ended_on=datetime.date(2021, 1, 1),
        ended_on_precision=YEAR,
    )
    assert "ended-2021" in {i.slug for i in client.get("/initiatives/?active_on=2021-11-30").context["page_obj"]}
    assert "ended-2021" not in {i.slug for i in client.get("/initiatives/?active_on=2022-01-01").context["page_obj"]}
