import datetime

import pytest

from carriers.models import DatePrecision, PartialDate
from tests.factories import InitiativeFactory


@pytest.mark.parametrize(
    ("precision", "shown", "iso"),
    [
        (DatePrecision.YEAR, "2020", "2020"),
        (DatePrecision.MONTH, "Aug 2020", "2020-08"),
        (DatePrecision.DAY, "5 Aug 2020", "2020-08-05"),
    ],
)
def test_partial_date_is_shown_at_its_precision(precision, shown, iso):
    date = PartialDate(datetime.date(2020, 8, 5), precision)
    assert str(date) == shown
    assert date.isoformat() == iso


@pytest.mark.parametrize("text", ["2020", "2020-08", "2020-08-05"])
def test_partial_date_parses_its_own_iso_form(text):
    assert PartialDate.parse(text).isoformat() == text


@pytest.mark.parametrize("text", ["", "Aug 2020", "2020-13", "2020-02-30", "20x0"])
def test_partial_date_rejects_malformed_text(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_saving_stores_a_month_date_as_the_first_of_the_month(db):
    initiative = InitiativeFactory(launched_on=datetime.date(2020, 8, 17), launched_on_precision=DatePrecision.MONTH)
    initiative.refresh_from_db()
    assert initiative.launched_on == datetime.date(2020, 8, 1)
    assert str(initiative.launched) == "Aug 2020"


def test_partial_dates_sort_as_dates(db):
    from carriers.models import Initiative

    InitiativeFactory(slug="day", launched_on=datetime.date(2020, 8, 20), launched_on_precision=DatePrecision.DAY)
    InitiativeFactory(slug="year", launched_on=datetime.date(2020, 5, 5), launched_on_precision=DatePrecision.YEAR)
    InitiativeFactory(slug="month", launched_on=datetime.date(2020, 8, 9), launched_on_precision=DatePrecision.MONTH)
    ordered = list(Initiative.objects.order_by("launched_on").values_list("slug", flat=True))
    assert ordered == ["year", "month", "day"]
    assert list(
        Initiative.objects.filter(launched_on__gte=datetime.date(2020, 8, 1))
        .order_by("slug")
        .values_list("slug", flat=True)
    ) == ["day", "month"]
