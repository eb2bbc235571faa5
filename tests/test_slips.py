"""Validation that catches researchers' slips, in the admin and in imports (full_clean)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from carriers.models import DatePrecision, Event, EventCitation, Source
from tests.factories import CarrierFactory, EquipmentUseFactory, EventFactory, SourceFactory

pytestmark = pytest.mark.django_db


def refused(instance, words):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    assert any(words in message for message in error.value.messages), error.value.messages


@pytest.mark.parametrize("year", [1979, 1900, datetime.date.today().year + 31, 2102])
def test_a_date_outside_the_plausible_range_is_refused(year):
    use = EquipmentUseFactory.build(
        carrier=CarrierFactory(), vendor=EquipmentUseFactory().vendor, valid_from=datetime.date(year, 1, 1)
    )
    use.valid_from_precision = DatePrecision.YEAR
    refused(use, "outside the plausible range 1980 to")


@pytest.mark.parametrize("year", [1980, 2020, datetime.date.today().year + 29])
def test_a_date_inside_the_plausible_range_is_accepted(year):
    source = SourceFactory.build(published_on=datetime.date(year, 1, 1), accessed_on=None)
    source.full_clean()


def test_a_source_read_before_it_was_published_is_refused():
    source = SourceFactory.build(published_on=datetime.date(2020, 10, 16), accessed_on=datetime.date(2020, 10, 15))
    refused(source, "cannot be read before it was published")


def test_a_source_published_in_a_month_and_read_within_it_is_accepted():
    source = SourceFactory.build(
        published_on=datetime.date(2020, 10, 1),
        published_on_precision=DatePrecision.MONTH,
        accessed_on=datetime.date(2020, 10, 1),
    )
    source.full_clean()


def test_a_citation_with_neither_quote_nor_note_is_refused():
    use = EquipmentUseFactory()
    citation = use.citations.model(fact=use, source=SourceFactory(), quote="  ", note="")
    refused(citation, "Give the source's words as the quote")


def test_a_citation_with_a_note_only_is_accepted():
    use = EquipmentUseFactory()
    use.citations.model(fact=use, source=SourceFactory(), note="States the date as 13 October.").full_clean()


def test_two_events_with_the_same_name_and_date_are_refused():
    first = EventFactory(name="5th Senior Economic Dialogue", held_on=datetime.date(2020, 10, 13))
    second = Event(name="5th senior economic dialogue", slug="another", held_on=first.held_on)
    refused(second, "An event with this name and date is already recorded.")


def test_an_event_without_a_country_is_refused_in_the_admin(admin_client):
    source = SourceFactory()
    response = admin_client.post(
        reverse("admin:carriers_event_add"),
        {
            "name": "A meeting",
            "slug": "a-meeting",
            "kind": "meeting",
            "held_on": "2020-10-13",
            "held_on_precision": "day",
            "countries": [],
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source": source.pk,
            "citations-0-quote": "They met.",
        },
    )
    assert response.status_code == 200
    assert "countries" in response.context["adminform"].form.errors
    assert not Event.objects.filter(slug="a-meeting").exists()
    assert not EventCitation.objects.exists()


def test_an_event_import_without_a_country_is_a_line_error(sample_data, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "slug,name,kind,held_on,countries,sources\n"
        f"a-meeting,A meeting,meeting,2020-10-13,,{Source.objects.first().key}\n",
        encoding="utf-8",
    )
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_csv", "events", str(path), stdout=io.StringIO(), stderr=stderr)
    assert "line 2: countries: An event needs at least one country." in stderr.getvalue()
