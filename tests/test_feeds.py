"""Atom feeds of changes: /changes.atom and a feed per public list that follows the list's filters."""

import datetime
import re

import feedparser
import pytest
from django.core.cache import cache
from pytest_django.asserts import assertContains

from carriers.change_kinds import KINDS
from carriers.history import restore
from carriers.models import Carrier, EquipmentStatus, EquipmentUse, Vendor
from tests.factories import CarrierFactory, CountryFactory, EquipmentUseFactory

LISTS = [
    "countries",
    "carriers",
    "vendors",
    "initiatives",
    "equipment",
    "events",
    "labels",
    "positions",
    "restrictions",
    "deadlines",
    "sources",
]
HUAWEI_IN_KOREA = "/equipment.atom?country=KR&vendor=huawei"
# RFC 3339, as Atom wants it: 2026-12-05T02:10:31.118404+00:00 or …Z
RFC_3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def parsed(client, address):
    response = client.get(address)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10"
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def titles(feed):
    return [entry.title for entry in feed.entries]


@pytest.fixture
def korea_and_japan(sample_data):
    """A Japanese carrier using ZTE, so the filters have something to leave out."""
    japan = CountryFactory(code="JP", name="Japan")
    EquipmentUseFactory(carrier=CarrierFactory(name="Docomo", country=japan), vendor=Vendor.objects.get(slug="zte"))


@pytest.fixture
def kt_huawei(korea_and_japan):
    return EquipmentUseFactory(
        carrier=Carrier.objects.get(slug="kt"),
        vendor=Vendor.objects.get(slug="huawei"),
        segment="core",
        technology="4g",
    )


KT_HUAWEI = "KT – Huawei (Core, 4G): In use"


def test_the_changes_feed_is_atom_with_ids_dates_and_links(client, sample_data):
    feed = parsed(client, "/changes.atom")
    assert feed.feed.title == "Changes"
    assert feed.feed.link == "http://testserver/changes/"
    assert len(feed.entries) == sum(kind.model.history.count() for kind in KINDS)  # every version, under 50
    for entry in feed.entries:
        assert re.fullmatch(r"tag:testserver,2026:changes/[a-z]+/\d+", entry.id)
        assert entry.link.startswith("http://testserver/")
        assert entry.updated_parsed is not None
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    xml = client.get("/changes.atom").content.decode()
    updated = re.findall(r"<updated>([^<]+)</updated>", xml)
    assert len(updated) == 1 + len(feed.entries)
    assert all(RFC_3339.match(value) for value in updated)


def test_entry_ids_are_stable(client, kt_huawei):
    first = [entry.id for entry in parsed(client, "/changes.atom").entries]
    kt_huawei.status = EquipmentStatus.PHASING_OUT
    kt_huawei.save()
    cache.clear()
    second = [entry.id for entry in parsed(client, "/changes.atom").entries]
    assert second[1 : len(first) + 1] == first[: len(second) - 1]
    assert second[0] not in first


def test_an_addition_appears_in_the_feeds_that_follow_it_only(client, kt_huawei):
    assert titles(parsed(client, "/changes.atom"))[1] == f"{KT_HUAWEI}: added"  # after its cited source
    entries = parsed(client, HUAWEI_IN_KOREA).entries
    assert [entry.title for entry in entries] == [
        f"{KT_HUAWEI}: added",
        "LG Uplus – Huawei (Other / unknown, Unknown): In use: added",
    ]
    assert entries[0].link == "http://testserver/carriers/kt/"
    assert entries[0].summary == "Added."
    assert not parsed(client, "/equipment.atom?country=JP").entries[0].title.startswith("KT")
    assert f"{KT_HUAWEI}: added" not in titles(parsed(client, "/equipment.atom?vendor=zte"))


def test_a_change_names_its_fields_in_the_feeds(client, kt_huawei):
    kt_huawei.status = EquipmentStatus.PHASING_OUT
    kt_huawei.save()
    for address in ("/changes.atom", HUAWEI_IN_KOREA, "/equipment.atom?status=phasing-out"):
        entry = parsed(client, address).entries[0]
        assert entry.title == "KT – Huawei (Core, 4G): Being phased out: changed"
        assert entry.summary == "Changed status."
    assert "Being phased out" not in " ".join(titles(parsed(client, "/equipment.atom?country=JP")))


def test_a_removal_and_a_restoration_reach_the_watchers_of_their_country_and_vendor(client, kt_huawei):
    pk = kt_huawei.pk
    kt_huawei.delete()
    removed = parsed(client, HUAWEI_IN_KOREA).entries[0]
    assert (removed.title, removed.link) == (f"{KT_HUAWEI}: removed", "http://testserver/equipment/")
    assert parsed(client, "/changes.atom?kind=equipment").entries[0].title == f"{KT_HUAWEI}: removed"
    for elsewhere in ("/equipment.atom?country=JP", "/equipment.atom?vendor=zte"):
        assert f"{KT_HUAWEI}: removed" not in titles(parsed(client, elsewhere))

    restore(EquipmentUse, EquipmentUse.history.get(id=pk, history_type="-").history_id)
    assert titles(parsed(client, HUAWEI_IN_KOREA))[:3] == [
        f"{KT_HUAWEI}: restored",  # with its citations: one restore, one entry
        f"{KT_HUAWEI}: removed",
        f"{KT_HUAWEI}: added",
    ]
    assert f"{KT_HUAWEI}: restored" not in titles(parsed(client, "/equipment.atom?country=JP"))


def test_feed_titles_say_the_filter(client, korea_and_japan):
    assert parsed(client, HUAWEI_IN_KOREA).feed.title == "Equipment changes: country KR, vendor huawei"
    assert parsed(client, "/changes.atom?kind=events&country=KR").feed.title == "Changes: kind events, country KR"
    assert parsed(client, "/carriers.atom").feed.title == "Carriers changes"
    feed = parsed(client, "/equipment.atom?country=JP&page=2")
    assert feed.feed.link == "http://testserver/equipment/?country=JP"


def test_who_made_a_change_is_never_in_a_feed(client, sample_data, django_user_model):
    user = django_user_model.objects.create_user(username="jane-staff-4711", email="jane@example.org")
    carrier = Carrier.objects.get(slug="kt")
    carrier._history_user = user
    carrier.website = "https://kt.example"
    carrier.save()
    for address in ("/changes.atom", "/carriers.atom"):
        response = client.get(address)
        assert parsed(client, address).entries[0].title == "KT: changed"
        assert b"jane" not in response.content


@pytest.mark.parametrize(
    "address, parameter",
    [
        ("/changes.atom?country=ZZ", "country"),
        ("/changes.atom?since=2020-13", "since"),
        ("/changes.atom?kind=users", "kind"),
        ("/equipment.atom?vendor=nobody", "vendor"),
        ("/deadlines.atom?due_by=soon", "due_by"),
    ],
)
def test_a_malformed_filter_gets_a_400_naming_it(client, sample_data, address, parameter):
    response = client.get(address)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith(f"{parameter}: ")


@pytest.mark.parametrize("name", LISTS)
def test_every_list_has_a_feed_that_parses_and_is_linked_from_its_page(client, sample_data, name):
    feed = parsed(client, f"/{name}.atom")
    assert feed.feed.link == f"http://testserver/{name}/"
    page = client.get(f"/{name}/?page=1&country=KR" if name == "equipment" else f"/{name}/")
    query = "?country=KR" if name == "equipment" else ""
    link = f'<link rel="alternate" type="application/atom+xml" title="{{}}" href="/{name}.atom{query}">'
    assert re.search(re.escape(link).replace(r"\{\}", '[^"]+'), page.content.decode())
    assertContains(page, f'href="/{name}.atom{query}">Follow (Atom)</a>')


def test_list_feeds_keep_to_their_own_kind(client, sample_data):
    assert {entry.tags[0].term for entry in parsed(client, "/positions.atom").entries} == {"positions"}
    assert {entry.tags[0].term for entry in parsed(client, "/changes.atom").entries} > {"positions", "carriers"}


def test_a_feed_is_cached_until_the_next_edit(client, kt_huawei, django_assert_num_queries):
    parsed(client, HUAWEI_IN_KOREA)
    with django_assert_num_queries(1):  # the data version
        parsed(client, HUAWEI_IN_KOREA)
    kt_huawei.valid_to = datetime.date(2027, 1, 1)
    kt_huawei.save()
    assert parsed(client, HUAWEI_IN_KOREA).entries[0].title == f"{KT_HUAWEI}: changed"


def test_markup_in_a_record_is_text_in_the_page_and_the_feed(client, sample_data):
    CarrierFactory(name="<script>alert(1)</script>")
    assertContains(client.get("/changes/"), "&lt;script&gt;alert(1)&lt;/script&gt;")
    assert b"<script>alert" not in client.get("/changes/").content
    assert parsed(client, "/changes.atom").entries[0].title == "<script>alert(1)</script>: added"
