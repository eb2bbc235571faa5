"""The one search box: /search/?q= over carriers (name and every alias), vendors, countries, initiatives,
restrictions and sources, grouped by kind and ranked, with the words found marked."""

import re

import pytest
from django.db import connection

from carriers.models import Carrier, Vendor
from tests.factories import (
    CarrierFactory,
    CountryFactory,
    InitiativeFactory,
    RestrictionFactory,
    SourceFactory,
    VendorFactory,
)

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's; CI runs it there")
SEARCH_QUERY_CEILING = 8


@pytest.fixture
def world(db):
    korea = CountryFactory(code="KR", name="South Korea")
    CarrierFactory(
        slug="lg-uplus",
        name="LG Uplus",
        country=korea,
        aliases="LG U+\nLGU+\nLG유플러스 [ko]\n엘지유플러스 [ko]",
    )
    CarrierFactory(slug="lg-hellovision", name="LG HelloVision LGU+ Cable", country=korea)
    CarrierFactory(slug="kt", name="KT", country=korea, aliases="KT Corp.\nKorea Telecom [en]")
    VendorFactory(slug="huawei", name="Huawei", aliases="Huawei Technologies [en]\n华为 [zh]")
    VendorFactory(slug="ericsson", name="Ericsson")
    InitiativeFactory(slug="clean-network", name="Clean Network", summary="Against Huawei in 5G networks.")
    RestrictionFactory(country=korea, title="Korean ban on Huawei in the core")
    SourceFactory(title="Seoul sticks with its carriers", publisher="Korea Herald")


def search(client, text, status=200):
    response = client.get("/search/", {"q": text})
    assert response.status_code == status
    return response


def found(response, kind):
    group = next((group for group in response.context["groups"] if group.kind == kind), None)
    return (
        [getattr(record, "slug", None) or getattr(record, "code", None) or str(record) for record in group.shown]
        if group
        else []
    )


def test_every_page_has_a_labelled_search_box_in_its_header(client, db):
    html = client.get("/").content.decode()
    header = re.search(r'<header class="site-header">(.*?)</header>', html, re.S).group(1)
    assert '<form class="site-search" role="search" action="/search/" method="get">' in header
    assert '<label for="site-search-q">Search</label>' in header
    assert '<input id="site-search-q" name="q" type="search"' in header


def test_empty_query_says_what_to_type(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = search(client, "")
    assert "Type a name to find carriers" in response.content.decode()


def test_carrier_alias_lgu_plus_puts_lg_uplus_first(client, world):
    assert found(search(client, "LGU+"), "carriers")[0] == "lg-uplus"


@pytest.mark.parametrize("text", ["엘지유플러스", "유플러스", "LG유플러스"])
def test_carrier_is_found_by_an_alias_in_another_script(client, world, text):
    assert found(search(client, text), "carriers") == ["lg-uplus"]


def test_results_are_grouped_by_kind(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(SEARCH_QUERY_CEILING):
        response = search(client, "Huawei")
    kinds = [group.kind for group in response.context["groups"]]
    assert kinds == ["vendors", "initiatives", "restrictions"]
    assert found(response, "vendors") == ["huawei"]


def test_country_is_found_by_iso_code_or_name(client, world):
    assert found(search(client, "kr"), "countries") == ["KR"]
    assert found(search(client, "south kor"), "countries") == ["KR"]


def test_source_is_found_by_publisher(client, world):
    assert found(search(client, "Herald"), "sources") == ["Seoul sticks with its carriers (Korea Herald)"]


def test_exact_name_ranks_before_a_partial_one(db):
    CarrierFactory(name="Telekom Austria")
    CarrierFactory(name="Telekom")
    assert [carrier.name for carrier in Carrier.objects.ranked_search("telekom")][0] == "Telekom"


def test_words_found_are_marked_and_markup_is_escaped(client, db):
    CarrierFactory(name="<b>Evil</b> Telecom", slug="evil", aliases="<script>alert(1)</script> Telecom [en]")
    html = search(client, "Telecom").content.decode()
    assert "&lt;b&gt;Evil&lt;/b&gt; <mark>Telecom</mark>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Telecom</mark>" in html
    assert "<script>alert(1)" not in html


def test_search_text_with_markup_is_escaped_in_the_page(client, world):
    html = search(client, '"><mark>x').content.decode()
    assert "&quot;&gt;&lt;mark&gt;x" in html
    assert '"><mark>x' not in html


@pytest.mark.parametrize("text", ["x" * 201, "Huawei" * 40])
def test_oversized_query_is_a_readable_400(client, db, text):
    response = search(client, text, status=400)
    assert "at most 200 are read" in response.content.decode()


def test_nul_in_the_query_is_a_readable_400(client, db):
    response = client.get("/search/?q=Hua%00wei")
    assert response.status_code == 400
    assert b"NUL" in response.content


@pytest.mark.parametrize("text", ["+++", "a|b & !c", "'", "\\", "%", "_", "(", ":*", "<->"])
def test_query_syntax_characters_never_fail(client, world, text):
    search(client, text)


def test_more_than_ten_results_link_to_the_filtered_list(client, db):
    for number in range(11):
        CarrierFactory(name=f"Vodafone {number:02}")
    response = search(client, "Vodafone")
    group = response.context["groups"][0]
    assert len(group.shown) == 10 and group.more
    assert group.more_url == "/carriers/?q=Vodafone"
    assert 'href="/carriers/?q=Vodafone"' in response.content.decode()


@postgresql_only
@pytest.mark.parametrize("typo, slug", [("Hauwei", "huawei"), ("Ericson", "ericsson")])
def test_a_typo_still_finds_the_vendor(client, world, typo, slug):
    assert found(search(client, typo), "vendors")[0] == slug


@postgresql_only
def test_a_word_of_a_long_title_is_found_by_full_text(world):
    assert Vendor.objects.ranked_search("Technologies Huawei").first().slug == "huawei"
