"""The public pages: anonymous GETs only, the sample facts shown, text escaped, a bounded number of queries."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from carriers.models import (
    Carrier,
    DatePrecision,
    EquipmentStatus,
    EquipmentUse,
    Event,
    NetworkSegment,
    Source,
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

ARTICLE_TITLE = "South Korea Refuses To Join The US Drive Against Huawei"
HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

PUBLIC_PAGES = [
    "/",
    "/countries/",
    "/countries/KR/",
    "/carriers/",
    "/carriers/lg-uplus/",
    "/vendors/",
    "/vendors/huawei/",
    "/initiatives/",
    "/initiatives/clean-network/",
    "/equipment/",
    "/events/",
    "/labels/",
    "/positions/",
    "/sources/",
    "/sources/{article}/",
    "/about/data/",
]
CSV_PAGES = [
    "/countries.csv",
    "/carriers.csv",
    "/vendors.csv",
    "/initiatives.csv",
    "/equipment.csv",
    "/events.csv",
    "/labels.csv",
    "/positions.csv",
    "/sources.csv",
]


def sample_url(path):
    if "{article}" in path:
        return path.format(article=Source.objects.get(title=ARTICLE_TITLE).pk)
    return path


def content(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# Anonymous access, facts shown


@pytest.mark.parametrize("path", PUBLIC_PAGES + CSV_PAGES)
def test_public_page_answers_an_anonymous_visitor(client, sample_data, path):
    response = client.get(sample_url(path))
    assert response.status_code == 200
    assert content(response)


@pytest.mark.parametrize(
    ("path", "facts"),
    [
        ("/", ["South Korea", "Declined / rejected", "Clean Network"]),
        ("/countries/", ["South Korea", "United States", "China"]),
        ("/countries/KR/", ["SK Telecom", "KT", "LG Uplus", "Fifth US–South Korea Senior Economic Dialogue"]),
        ("/carriers/", ["SK Telecom", "KT", "LG Uplus"]),
        ("/carriers/lg-uplus/", ["Huawei", "In use", "From an unknown date to now", ARTICLE_TITLE]),
        ("/vendors/", ["Huawei", "ZTE", "China"]),
        ("/vendors/huawei/", ["LG Uplus", "Clean Network"]),
        ("/initiatives/", ["Clean Network", "Economic Prosperity Network", "5 Aug 2020"]),
        ("/initiatives/clean-network/", ["Huawei", "ZTE", "SK Telecom", "KT", "clean telco"]),
        ("/equipment/", ["LG Uplus", "Huawei", "Other / unknown", "Reported"]),
        ("/events/", ["Fifth US–South Korea Senior Economic Dialogue", "Oct 2020", "Keith Krach"]),
        ("/labels/", ["SK Telecom", "KT", "clean telco", "24 Jun 2020"]),
        ("/positions/", ["South Korea", "Clean Network", "Declined / rejected", "Oct 2020"]),
        ("/sources/", [ARTICLE_TITLE, "The Clean Network", "Android Headlines"]),
        ("/sources/{article}/", [ARTICLE_TITLE, "Android Headlines", "LG Uplus"]),
        ("/about/data/", ["/equipment.csv", "valid_from"]),
    ],
)
def test_public_page_shows_the_sample_facts(client, sample_data, path, facts):
    response = client.get(sample_url(path))
    for fact in facts:
        assertContains(response, fact)


def test_dashboard_counts_south_korean_carriers_labelled_clean_and_on_a_targeted_vendor(client, sample_data):
    response = client.get("/")
    [korea] = [country for country in response.context["countries"] if country.code == "KR"]
    assert (korea.carrier_count, korea.labelled_carrier_count, korea.targeted_carrier_count) == (3, 2, 1)
    today = timezone.localdate().isoformat()
    assertContains(response, f'?country=KR&amp;label=yes&amp;as_of={today}">2</a>')
    assertContains(response, f'?country=KR&amp;targeted=yes&amp;as_of={today}">1</a>')
    assert response.context["headline"] == {
        "carriers": 3,
        "targeted_carriers": 1,
        "labelled_carriers": 2,
        "equipment_uses": 1,
    }


def test_dashboard_counts_link_to_the_carriers_they_count(client, sample_data):
    labelled = client.get("/carriers/?country=KR&label=yes").context["page_obj"]
    on_huawei = client.get("/carriers/?country=KR&targeted=yes").context["page_obj"]
    assert [carrier.name for carrier in labelled] == ["KT", "SK Telecom"]
    assert [carrier.name for carrier in on_huawei] == ["LG Uplus"]


@pytest.mark.parametrize("path", ["/", "/countries/KR/", "/initiatives/clean-network/"])
def test_south_korea_is_shown_declining_the_clean_network(client, sample_data, path):
    response = client.get(path)
    assertContains(response, f'<span class="stance stance-{Stance.DECLINED}">Declined / rejected</span>')


def test_country_page_dates_the_stance_to_the_month(client, sample_data):
    response = client.get("/countries/KR/")
    assertContains(response, '<time datetime="2020-10">Oct 2020</time>')
    assertNotContains(response, "1 Oct 2020")


def test_carrier_page_shows_the_label_date_and_its_citations(client, sample_data):
    response = client.get("/carriers/sk-telecom/")
    assertContains(response, "Awarded 24 Jun 2020")
    assertContains(response, ARTICLE_TITLE)
    assertContains(response, "The Clean Network")
    assertContains(response, "(paragraph 6)")
    assertContains(response, "that do not use Huawei equipment as “clean” telecommunication firms.")
    assertContains(response, "On 24 June 2020 the State Department named SK and KT among its “clean telcos”.")


def test_carrier_page_shows_the_equipment_citation_quote(client, sample_data):
    response = client.get("/carriers/lg-uplus/")
    assertContains(response, "However, LG Uplus Co. still does and America wants Seoul officials")
    assertContains(response, f'href="/sources/{Source.objects.get(title=ARTICLE_TITLE).pk}/"')


def test_carrier_page_shows_each_date_at_its_precision(client, db):
    use = EquipmentUseFactory(
        valid_from=datetime.date(2020, 10, 1),
        valid_from_precision=DatePrecision.MONTH,
        valid_to=datetime.date(2022, 1, 1),
        valid_to_precision=DatePrecision.YEAR,
    )
    CleanLabelFactory(carrier=use.carrier, awarded_on=datetime.date(2020, 6, 24))
    response = client.get(use.carrier.get_absolute_url())
    assertContains(response, "From Oct 2020 to 2022")
    assertContains(response, "Awarded 24 Jun 2020")
    assertNotContains(response, "1 Oct 2020")


# Unknown addresses and methods


@pytest.mark.parametrize(
    "path",
    [
        "/countries/ZZ/",
        "/countries/KOR/",
        "/carriers/no-such-carrier/",
        "/vendors/no-such-vendor/",
        "/initiatives/no-such-initiative/",
        "/sources/999999/",
    ],
)
def test_unknown_slug_or_code_is_not_found(client, sample_data, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("path", PUBLIC_PAGES + CSV_PAGES)
def test_public_url_refuses_writing_methods(client, sample_data, method, path):
    response = getattr(client, method)(sample_url(path))
    assert response.status_code == 405
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("path", ["/", "/carriers/", "/carriers.csv"])
def test_public_url_answers_head(client, sample_data, path):
    assert client.head(path).status_code == 200


# Escaping


@pytest.fixture
def hostile_carrier(db):
    return CarrierFactory(name=HOSTILE, slug="hostile", aliases=HOSTILE)


@pytest.mark.parametrize("path", ["/carriers/", "/carriers/hostile/", "/countries/KR/", "/equipment/"])
def test_carrier_name_with_markup_is_escaped(client, hostile_carrier, path):
    EquipmentUseFactory(carrier=hostile_carrier)
    response = client.get(path)
    assertContains(response, ESCAPED)
    assertNotContains(response, HOSTILE)


def test_dashboard_escapes_markup_in_names(client, db):
    # The dashboard names countries, not carriers: a hostile country name goes through its table and chart.
    country = CountryFactory(code="JP", name=HOSTILE)
    EquipmentUseFactory(carrier=CarrierFactory(name=HOSTILE, country=country))
    response = client.get("/")
    assertContains(response, ESCAPED)
    assertNotContains(response, HOSTILE)
    assertNotContains(response, "<script>")


# Bounded queries: the same ceiling with 10 rows as with 300

COUNTRY_CODES = ["KR", "JP", "DE", "FR", "BR"]
SEGMENTS_AND_TECHNOLOGIES = [(segment, technology) for segment in NetworkSegment for technology in Technology]
STATUSES = list(EquipmentStatus)


def build_dataset(countries, carriers, uses, labels, events):
    """`uses` equipment facts over `carriers` carriers in `countries` countries, with labels, events and positions."""
    sources = [SourceFactory() for _ in range(3)]
    nations = [CountryFactory(code=code) for code in COUNTRY_CODES[:countries]]
    vendors = [VendorFactory(aliases="Alias\nOther") for _ in range(6)]
    clean, other = InitiativeFactory(), InitiativeFactory()
    clean.targeted_vendors.set(vendors[:2])
    other.targeted_vendors.set(vendors[1:3])
    fleet = [
        CarrierFactory(country=nations[index % countries], website="https://example.com", aliases="Old name")
        for index in range(carriers)
    ]
    for index in range(uses):
        round_, carrier = divmod(index, carriers)
        segment, technology = SEGMENTS_AND_TECHNOLOGIES[round_]
        use = EquipmentUseFactory(
            carrier=fleet[carrier],
            vendor=vendors[round_ % len(vendors)],
            segment=segment,
            technology=technology,
            status=STATUSES[index % len(STATUSES)],
            valid_to=datetime.date(2024, 1, 1) if index % 3 == 0 else None,
            cited=sources[0],
        )
        use.citations.create(source=sources[1 + index % 2], quote="Also reported.")
    for index in range(labels):
        label = CleanLabelFactory(carrier=fleet[index % carriers], initiative=clean, cited=sources[0])
        label.citations.create(source=sources[1], quote="Confirmed.")
    happenings = []
    for _ in range(events):
        event = EventFactory(cited=sources[0], participants="A, minister\nB, envoy")
        event.countries.set(nations)
        event.initiatives.set([clean, other])
        happenings.append(event)
    for index, country in enumerate(nations):
        for day, event in enumerate(happenings[:4], start=1):
            for initiative in (clean, other):
                CountryPositionFactory(
                    country=country,
                    initiative=initiative,
                    stance=list(Stance)[(index + day) % len(Stance)],
                    stated_on=datetime.date(2020, 1, day),
                    event=event,
                    cited=sources[0],
                )
    return {
        "country": "KR",
        "carrier": fleet[0].slug,
        "vendor": vendors[0].slug,
        "initiative": clean.slug,
        "source": sources[0].pk,
    }


DATASETS = {
    "10 rows": {"countries": 2, "carriers": 5, "uses": 10, "labels": 3, "events": 2},
    "300 rows": {"countries": 5, "carriers": 60, "uses": 300, "labels": 40, "events": 30},
}

# Measured with a cold cache, outside a transaction as in production, the higher of SQLite and PostgreSQL
# (which counts a list's facets and rows in one query, but adds BEGIN, SET LOCAL statement_timeout and
# ROLLBACK around it), the same for both sizes; plus two.
# On PostgreSQL the equipment CSV runs COPY on a connection of its own, which these counts do not see.
QUERY_CEILINGS = {
    "/": 10 + 2,  # its world map reads the restrictions in one query
    "/countries/": 7 + 2,
    "/countries/?initiative={initiative}&stance=declined&stance=joined&region=asia": 8 + 2,
    "/countries.csv": 1 + 2,
    "/countries/{country}/": 11 + 2,
    "/carriers/": 8 + 2,
    "/carriers/?country=KR&country=JP&vendor={vendor}&targeted=yes&label=yes&as_of=2021-01-01": 10 + 2,
    "/carriers.csv": 1 + 2,
    "/carriers/{carrier}/": 8 + 2,
    "/vendors/": 7 + 2,
    "/vendors/?headquarters=CN&targeted=yes": 8 + 2,
    "/vendors.csv": 2 + 2,
    "/vendors/{vendor}/": 9 + 2,
    "/initiatives/": 7 + 2,
    "/initiatives/?sponsor=US&kind=program&active_on=2021-01-01": 8 + 2,
    "/initiatives.csv": 2 + 2,
    "/initiatives/{initiative}/": 10 + 2,
    "/equipment/": 7 + 2,
    "/equipment/?country=KR&vendor={vendor}&segment=ran&as_of=2021-01-01": 9 + 2,
    "/equipment.csv": 3 + 2,
    "/equipment.csv?country=KR&vendor={vendor}&ordering=-valid_from": 5 + 2,
    "/events/": 11 + 2,
    "/events/?country=KR&initiative={initiative}&since=2020-01-01": 13 + 2,
    "/events.csv": 6 + 2,
    "/labels/": 7 + 2,
    "/labels.csv": 3 + 2,
    "/positions/": 7 + 2,
    "/positions.csv": 3 + 2,
    "/sources/": 3 + 2,
    "/sources.csv": 1 + 2,
    "/sources/{source}/": 6 + 2,
    "/about/data/": 1 + 2,
}


def shows_rows(response, body):
    """A list page or CSV holds at least one row; other pages have some content."""
    if response.streaming:
        return len(body.splitlines()) > 1
    page_obj = response.context.get("page_obj") if response.context else None
    return len(page_obj) > 0 if page_obj is not None else bool(body)


@pytest.mark.parametrize("size", DATASETS)
def test_every_page_runs_a_bounded_number_of_queries(
    client, transactional_db, django_assert_max_num_queries, subtests, size
):
    # transactional_db: PostgreSQL's COPY reads committed rows only, on a connection of its own.
    names = build_dataset(**DATASETS[size])
    # The ceilings mean something only if the bigger dataset really is bigger.
    assert EquipmentUse.objects.count() == DATASETS[size]["uses"]
    assert Carrier.objects.count() == DATASETS[size]["carriers"]
    assert Event.objects.count() == DATASETS[size]["events"]
    for path, ceiling in QUERY_CEILINGS.items():
        with subtests.test(path=path):
            with django_assert_max_num_queries(ceiling):
                response = client.get(path.format(**names))
                body = content(response)
            assert response.status_code == 200
            assert shows_rows(response, body)


# Dates move on without an edit


def test_dashboard_counts_follow_the_date_without_an_edit(client, db, monkeypatch):
    withdrawn = datetime.date(2030, 6, 30)
    CleanLabelFactory(awarded_on=datetime.date(2020, 6, 24), withdrawn_on=withdrawn)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: withdrawn)
    assert client.get("/").context["headline"]["labelled_carriers"] == 1
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: withdrawn + datetime.timedelta(1))
    response = client.get("/")
    assertContains(response, "Counts are as of 1 Jul 2030")
    assertContains(response, '<dt>Labelled clean</dt><dd><a href="/carriers/?label=yes&amp;as_of=2030-07-01">0</a>')


def test_a_country_page_lists_and_draws_its_latest_positions_and_events_and_counts_the_rest(client, db):
    from carriers.views import DETAIL_ROWS

    korea, initiative = CountryFactory(code="KR", name="South Korea"), InitiativeFactory()
    first = datetime.date(2019, 1, 1)
    for day in range(DETAIL_ROWS + 2):
        stated = first + datetime.timedelta(days=day)
        CountryPositionFactory(country=korea, initiative=initiative, stated_on=stated)
        EventFactory(held_on=stated).countries.add(korea)
    response = client.get("/countries/KR/?as_of=2026-01-01")
    positions, events = response.context["positions"], response.context["events"]
    assert len(positions) == len(events) == DETAIL_ROWS
    latest = first + datetime.timedelta(days=DETAIL_ROWS + 1)
    assert positions[0].stated_on == events[0].held_on == latest  # the latest first
    assert min(position.stated_on for position in positions) == first + datetime.timedelta(days=2)
    assert len(response.context["timeline"]["marks"]) == 2 * DETAIL_ROWS
    text = response.content.decode()
    assert f"latest {DETAIL_ROWS} of {DETAIL_ROWS + 2} positions and {DETAIL_ROWS} of {DETAIL_ROWS + 2} events" in text
    assert f"All {DETAIL_ROWS + 2} events of <bdi>South Korea</bdi> held by" in text
    assert f"All {DETAIL_ROWS + 2} positions of" in text


def test_a_carrier_page_lists_its_first_facts_and_counts_the_rest(client, db):
    from carriers.views import DETAIL_ROWS

    carrier, vendor = CarrierFactory(slug="big-carrier"), VendorFactory()
    first = datetime.date(2019, 1, 1)
    for day in range(DETAIL_ROWS + 2):
        EquipmentUseFactory(carrier=carrier, vendor=vendor, valid_from=first + datetime.timedelta(days=day))
    response = client.get("/carriers/big-carrier/?as_of=2026-01-01")
    uses = response.context["uses"]
    assert len(uses) == DETAIL_ROWS
    assert [use.valid_from for use in uses] == [first + datetime.timedelta(days=day) for day in range(DETAIL_ROWS)]
    text = response.content.decode()
    assert f"The first {DETAIL_ROWS} of {DETAIL_ROWS + 2} equipment facts" in text
    assert f"all {DETAIL_ROWS + 2} on any date" in text
    assert f"{DETAIL_ROWS + 2} facts in force on 1 Jan 2026" in text
    assert "The first" not in client.get(f"/carriers/{EquipmentUseFactory().carrier.slug}/").content.decode()
