"""/changes/: recent changes to public records, what each did and when, filterable, never saying who."""

import datetime
import re

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from carriers.change_kinds import KINDS
from carriers.history import RESTORED, restore, settle_citations
from carriers.models import Carrier, EquipmentStatus, EquipmentUse, Restriction, Vendor
from tests.factories import (
    CarrierFactory,
    CountryFactory,
    DeadlineFactory,
    EquipmentUseFactory,
    EventFactory,
    InitiativeFactory,
    RestrictionFactory,
    VendorFactory,
)

USERNAME = "jane-staff-4711"


@pytest.fixture
def kt_huawei(sample_data):
    """A new equipment fact for KT (a Korean carrier) with Huawei, its citations in its first version."""
    use = EquipmentUseFactory(
        carrier=Carrier.objects.get(slug="kt"),
        vendor=Vendor.objects.get(slug="huawei"),
        segment="core",
        technology="4g",
    )
    settle_citations(use, since=use.history.get().history_date)  # as the admin does
    return use


def rows(response):
    """The change table's rows, each as its cells' text: [when, kind, what, change]."""
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in body.split("<tr>")[1:]
    ]


def row_about(response, title):
    """The newest row about the record titled `title`."""
    return next(row for row in rows(response) if row[2] == title)


KT_HUAWEI = "KT – Huawei (Core, 4G): In use"


def test_an_added_fact_is_listed_with_a_link_to_its_record(client, kt_huawei):
    response = client.get("/changes/")
    assert response.status_code == 200
    when, kind, _, change = row_about(response, KT_HUAWEI)
    assert (kind, change) == ("Equipment", "added")
    assertContains(response, f'<a href="/carriers/kt/">{KT_HUAWEI}</a>', html=True)
    assertContains(response, f'datetime="{kt_huawei.history.get().history_date.isoformat()}"')


def test_a_change_names_the_fields_it_changed(client, kt_huawei):
    kt_huawei.status = EquipmentStatus.PHASING_OUT
    kt_huawei.valid_to = datetime.date(2027, 1, 1)
    kt_huawei.save()
    assert rows(client.get("/changes/"))[0][2:] == [
        "KT – Huawei (Core, 4G): Being phased out",
        "changed: status, valid_to",
    ]


def test_an_edited_citation_shows_as_a_change_of_its_facts_citations(client, kt_huawei):
    with transaction.atomic():  # a later edit than the one that added the fact
        citation = kt_huawei.citations.get()
        citation.quote = "As reported again."
        citation.save()
        settle_citations(kt_huawei, since=None)
    assert rows(client.get("/changes/"))[0][2:] == [KT_HUAWEI, "changed: citations"]


def test_one_edit_is_one_change_whatever_it_links_and_cites(client, db):
    with transaction.atomic():  # as the admin saves a record with its links and citations
        event = EventFactory(name="Seoul forum")
        event.countries.set([CountryFactory(code="KR")])
    with transaction.atomic():
        event.initiatives.set([InitiativeFactory()])
    assert [row[3] for row in rows(client.get("/changes/?kind=events"))] == ["changed: initiatives", "added"]
    added = event.history.earliest("history_date")
    assert [link.country.code for link in added.countries.all()] == ["KR"] and len(added.citations) == 1


def test_a_changed_many_to_many_link_is_named(client, sample_data):
    restriction = Restriction.objects.get(slug="kr-declines-huawei-ban-2020")
    restriction.vendors.add(Vendor.objects.get(slug="zte"))
    change = rows(client.get("/changes/?kind=restrictions"))[0][3]
    assert change.startswith("changed: ") and "vendors" in change.split(": ")[1].split(", ")


def test_removed_then_restored_records_link_to_their_list_then_to_their_record(client, kt_huawei):
    pk = kt_huawei.pk
    kt_huawei.delete()
    response = client.get("/changes/")
    assert rows(response)[0][2:] == [KT_HUAWEI, "removed"]
    assertContains(response, f'<a href="/equipment/">{KT_HUAWEI}</a>', count=2, html=True)  # added, removed

    restore(EquipmentUse, EquipmentUse.history.get(id=pk, history_type="-").history_id)
    assert EquipmentUse.history.filter(id=pk, history_change_reason=RESTORED).exists()
    response = client.get("/changes/")
    # The restored version holds the citations restored with it: one restore, one change.
    changes = [row[3] for row in rows(response) if row[2] == KT_HUAWEI]
    assert changes == ["restored", "removed", "added"]
    assertContains(response, f'<a href="/carriers/kt/">{KT_HUAWEI}</a>', count=3, html=True)


def test_who_made_a_change_is_never_shown(client, sample_data, django_user_model):
    user = django_user_model.objects.create_user(username=USERNAME)
    carrier = Carrier.objects.get(slug="kt")
    carrier._history_user = user
    carrier.website = "https://kt.example"
    carrier.save()
    assert Carrier.history.filter(history_user=user).exists()
    response = client.get("/changes/")
    assert rows(response)[0][2:] == ["KT", "changed: website"]
    assertNotContains(response, USERNAME)


def test_the_kind_filter_keeps_only_chosen_kinds(client, kt_huawei):
    kinds = {row[1] for row in rows(client.get("/changes/?kind=carriers&kind=vendors"))}
    assert kinds == {"Carriers", "Vendors"}


def test_the_country_filter_follows_each_kinds_path_to_a_country(client, sample_data):
    japan = CountryFactory(code="JP", name="Japan")
    docomo = CarrierFactory(name="Docomo", country=japan)
    EquipmentUseFactory(carrier=docomo, vendor=Vendor.objects.get(slug="zte"))
    EventFactory(name="Tokyo summit").countries.set([japan])
    DeadlineFactory(restriction=RestrictionFactory(country=japan, title="JP ban"), description="Rip out by 2027")
    found = {(row[1], row[2]) for row in rows(client.get("/changes/?country=JP"))}
    assert found == {
        ("Countries", "Japan"),
        ("Carriers", "Docomo"),
        ("Equipment", "Docomo – ZTE (Radio access, 5G): In use"),
        ("Events", "Tokyo summit (13 Oct 2020)"),
        ("Restrictions", "JP: JP ban"),
        ("Deadlines", "JP, due 2027: Rip out by 2027"),
    }  # no sources: they are in no country


def test_the_vendor_filter_follows_each_kinds_path_to_a_vendor(client, kt_huawei):
    nokia = VendorFactory(name="Nokia", slug="nokia")
    EquipmentUseFactory(vendor=nokia)
    RestrictionFactory(title="Nokia review").vendors.set([nokia])
    found = {(row[1], row[2], row[3]) for row in rows(client.get("/changes/?vendor=nokia"))}
    assert {kind for kind, _, _ in found} == {"Vendors", "Equipment", "Restrictions"}
    assert ("Vendors", "Nokia", "added") in found
    assert ("Restrictions", "GB: Nokia review", "added") in found


def test_since_and_until_take_days_months_and_years(client, kt_huawei):
    old = EquipmentUse.history.exclude(history_id=kt_huawei.history.get().history_id)
    old.update(history_date=timezone.make_aware(datetime.datetime(2025, 3, 10, 12)))
    today = timezone.localdate().isoformat()
    assert [row[2] for row in rows(client.get(f"/changes/?kind=equipment&since={today}"))] == [KT_HUAWEI]
    until_2025 = rows(client.get("/changes/?kind=equipment&until=2025"))
    assert until_2025 and all(row[0].startswith("2025-03-10") for row in until_2025)
    assert rows(client.get("/changes/?kind=equipment&since=2025-03&until=2025-03")) == until_2025
    assert rows(client.get("/changes/?kind=equipment&until=2025-03-09")) == [["No changes match these filters."]]


@pytest.mark.parametrize(
    "query, message",
    [
        ("kind=users", "Select a valid choice. users is not one of the available choices."),
        ("country=ZZ", "Select a valid choice. ZZ is not one of the available choices."),
        ("vendor=nobody", "Select a valid choice. nobody is not one of the available choices."),
        ("since=2020-13", "A month or a year stands for the whole period."),
        ("page_size=0", "Ensure this value is greater than or equal to 1."),
    ],
)
def test_malformed_filters_answer_400_saying_what_is_wrong(client, sample_data, query, message):
    response = client.get(f"/changes/?{query}")
    assert response.status_code == 400
    assertContains(response, message, status_code=400)


def test_changes_are_paginated_newest_first(client, kt_huawei):
    first_page = [tuple(row) for row in rows(client.get("/changes/?page_size=3"))]
    second_page = [tuple(row) for row in rows(client.get("/changes/?page_size=3&page=2"))]
    assert len(first_page) == len(second_page) == 3
    assert not set(first_page) & set(second_page)
    assert list(first_page[0]) == rows(client.get("/changes/"))[0]
    assert client.get("/changes/?page=999").status_code == 404


def test_the_page_runs_a_bounded_number_of_queries(client, sample_data, django_assert_max_num_queries):
    DeadlineFactory()
    for number in range(40):
        event = EventFactory(name=f"Meeting {number}")
        event.countries.set([CountryFactory(code="KR")])
        event.name = f"Meeting {number} (renamed)"
        event.save()
    with django_assert_max_num_queries(50):  # every kind of record on the page, 145 rows
        response = client.get("/changes/?page_size=500")
    found = rows(response)
    assert len(found) == sum(kind.model.history.count() for kind in KINDS) > 140
    assert {row[1] for row in found} == {kind.label for kind in KINDS}


def test_the_page_links_its_feed_with_the_same_filters(client, sample_data):
    response = client.get("/changes/?country=KR&page=1")
    assertContains(
        response, '<link rel="alternate" type="application/atom+xml" title="Changes" href="/changes.atom?country=KR">'
    )
    assertContains(response, 'href="/changes.atom?country=KR">Follow (Atom)</a>')
    assertContains(client.get("/"), 'href="/changes/">Changes</a>')


def test_a_deleted_event_is_still_found_by_its_countries(client, sample_data):
    event = EventFactory(name="Seoul forum")
    event.countries.set([CountryFactory(code="KR")])
    event.delete()
    assert rows(client.get("/changes/?country=KR&kind=events"))[0][2:] == ["Seoul forum (13 Oct 2020)", "removed"]
    assert rows(client.get("/changes/?country=US&kind=events"))[0][2] != "Seoul forum (13 Oct 2020)"
