"""Every filter of every public list, through the HTML page; facet counts; malformed input; pagination."""

import datetime

import pytest
from django.core.cache import cache
from pytest_django.asserts import assertContains, assertNotContains

from carriers.models import (
    DatePrecision,
    EquipmentUse,
    InitiativeKind,
    Region,
    Stance,
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

# Docomo's Huawei equipment is in force from START to END, both days included.
START = datetime.date(2019, 4, 3)
END = datetime.date(2021, 6, 30)
ONE_DAY = datetime.timedelta(days=1)


def listed(client, url, attribute="slug"):
    """The given attribute of each row on the page, in the page's order."""
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()
    return [getattr(row, attribute) for row in response.context["page_obj"]]


def listed_set(client, url, attribute="slug"):
    return set(listed(client, url, attribute))


def country(code, name, region=Region.ASIA):
    return CountryFactory(code=code, name=name, region=region)


# Carriers


@pytest.fixture
def carrier_world(db):
    """Three Korean, two Japanese and one German carrier; Huawei is targeted by the Clean Network, Nokia is not."""
    korea, japan, germany = country("KR", "South Korea"), country("JP", "Japan"), country("DE", "Germany", "europe")
    huawei = VendorFactory(slug="huawei", name="Huawei")
    nokia = VendorFactory(slug="nokia", name="Nokia", headquarters=country("FI", "Finland", "europe"))
    clean = InitiativeFactory(slug="clean-network", name="Clean Network")
    clean.targeted_vendors.set([huawei])
    prague = InitiativeFactory(slug="prague", name="Prague Proposals")
    sk = CarrierFactory(slug="sk-telecom", name="SK Telecom", country=korea, aliases="SKT\nSK Telecom Co.")
    kt = CarrierFactory(slug="kt", name="KT", country=korea, aliases="KT Corp.")
    lg = CarrierFactory(slug="lg-uplus", name="LG Uplus", country=korea, aliases="LG U+")
    docomo = CarrierFactory(slug="docomo", name="NTT Docomo", country=japan)
    softbank = CarrierFactory(slug="softbank", name="SoftBank", country=japan)
    telekom = CarrierFactory(slug="telekom", name="Deutsche Telekom", country=germany)
    EquipmentUseFactory(carrier=sk, vendor=nokia)
    EquipmentUseFactory(carrier=kt, vendor=nokia)
    EquipmentUseFactory(carrier=lg, vendor=huawei, valid_from=None)
    EquipmentUseFactory(carrier=docomo, vendor=huawei, valid_from=START, valid_to=END)
    EquipmentUseFactory(carrier=telekom, vendor=nokia, valid_from=datetime.date(2022, 1, 1))
    CleanLabelFactory(carrier=sk, initiative=clean, awarded_on=START)
    CleanLabelFactory(carrier=kt, initiative=prague, awarded_on=START, withdrawn_on=END)
    CleanLabelFactory(carrier=softbank, initiative=prague, awarded_on=None)


ALL_CARRIERS = {"sk-telecom", "kt", "lg-uplus", "docomo", "softbank", "telekom"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KR", {"sk-telecom", "kt", "lg-uplus"}),
        ("country=JP", {"docomo", "softbank"}),
        ("country=KR&country=DE", {"sk-telecom", "kt", "lg-uplus", "telekom"}),
        ("country=KR&country=JP&country=DE", ALL_CARRIERS),
    ],
)
def test_carrier_country_filter_keeps_carriers_of_any_chosen_country(client, carrier_world, query, expected):
    assert listed_set(client, f"/carriers/?{query}") == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("vendor=huawei", {"lg-uplus", "docomo"}),
        ("vendor=nokia", {"sk-telecom", "kt", "telekom"}),
        ("vendor=huawei&vendor=nokia", ALL_CARRIERS - {"softbank"}),
        ("vendor=huawei&country=KR", {"lg-uplus"}),
    ],
)
def test_carrier_vendor_filter_keeps_carriers_using_any_chosen_vendor(client, carrier_world, query, expected):
    assert listed_set(client, f"/carriers/?{query}") == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("targeted=yes", {"lg-uplus", "docomo"}),
        ("targeted=no", {"sk-telecom", "kt", "softbank", "telekom"}),
        ("targeted=", ALL_CARRIERS),
    ],
)
def test_carrier_targeted_filter_splits_carriers_on_targeted_vendors(client, carrier_world, query, expected):
    assert listed_set(client, f"/carriers/?{query}") == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("label=yes", {"sk-telecom", "kt", "softbank"}),
        ("label=no", {"lg-uplus", "docomo", "telekom"}),
        ("initiative=clean-network", {"sk-telecom"}),
        ("initiative=prague", {"kt", "softbank"}),
    ],
)
def test_carrier_label_filters_keep_carriers_labelled_clean(client, carrier_world, query, expected):
    assert listed_set(client, f"/carriers/?{query}") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("uplus", {"lg-uplus"}),
        ("DOCOMO", {"docomo"}),
        ("u+", {"lg-uplus"}),
        ("skt", {"sk-telecom"}),
        ("Corp.", {"kt"}),
        ("tele", {"sk-telecom", "telekom"}),
        ("nothing-like-it", set()),
    ],
)
def test_carrier_search_matches_name_or_alias(client, carrier_world, text, expected):
    assert listed_set(client, "/carriers/?" + f"q={text}".replace("+", "%2B")) == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (START - ONE_DAY, {"lg-uplus"}),
        (START, {"lg-uplus", "docomo"}),
        (END, {"lg-uplus", "docomo"}),
        (END + ONE_DAY, {"lg-uplus"}),
    ],
)
@pytest.mark.parametrize("fact_filter", ["vendor=huawei", "targeted=yes"])
def test_carrier_as_of_counts_equipment_in_force_that_day(client, carrier_world, fact_filter, as_of, expected):
    # lg-uplus's use has no start date, so it counts as in force on any day.
    assert listed_set(client, f"/carriers/?{fact_filter}&as_of={as_of}") == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (START - ONE_DAY, {"softbank"}),
        (START, {"sk-telecom", "kt", "softbank"}),
        (END, {"sk-telecom", "kt", "softbank"}),
        (END + ONE_DAY, {"sk-telecom", "softbank"}),
    ],
)
def test_carrier_as_of_counts_labels_in_force_that_day(client, carrier_world, as_of, expected):
    assert listed_set(client, f"/carriers/?label=yes&as_of={as_of}") == expected
    assert listed_set(client, f"/carriers/?label=no&as_of={as_of}") == ALL_CARRIERS - expected


def test_carrier_as_of_and_initiative_keep_labels_of_that_initiative_in_force(client, carrier_world):
    assert listed_set(client, f"/carriers/?initiative=prague&as_of={END}") == {"kt", "softbank"}
    assert listed_set(client, f"/carriers/?initiative=prague&as_of={END + ONE_DAY}") == {"softbank"}


def test_carrier_as_of_alone_keeps_every_carrier(client, carrier_world):
    # The date qualifies the equipment and label filters; a carrier list has no dates of its own.
    assert listed_set(client, f"/carriers/?as_of={START - ONE_DAY}") == ALL_CARRIERS


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["telekom", "kt", "lg-uplus", "docomo", "sk-telecom", "softbank"]),
        ("-name", ["softbank", "sk-telecom", "docomo", "lg-uplus", "kt", "telekom"]),
        ("", ["telekom", "kt", "lg-uplus", "docomo", "sk-telecom", "softbank"]),
    ],
)
def test_carrier_ordering_sorts_by_name(client, carrier_world, ordering, expected):
    assert listed(client, f"/carriers/?ordering={ordering}") == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("country", ["Germany", "Japan", "Japan", "South Korea", "South Korea", "South Korea"]),
        ("-country", ["South Korea", "South Korea", "South Korea", "Japan", "Japan", "Germany"]),
    ],
)
def test_carrier_ordering_sorts_by_country_name(client, carrier_world, ordering, expected):
    response = client.get(f"/carriers/?ordering={ordering}")
    assert [carrier.country.name for carrier in response.context["page_obj"]] == expected


# Equipment


@pytest.fixture
def uses(carrier_world):
    """Five equipment facts of the carrier world, by name, with different segments, statuses and dates."""
    source = SourceFactory(title="Shared report")
    facts = {
        "lg-huawei": EquipmentUse.objects.get(carrier__slug="lg-uplus"),
        "docomo-huawei": EquipmentUse.objects.get(carrier__slug="docomo"),
        "sk-nokia": EquipmentUse.objects.get(carrier__slug="sk-telecom"),
        "kt-nokia": EquipmentUse.objects.get(carrier__slug="kt"),
        "telekom-nokia": EquipmentUse.objects.get(carrier__slug="telekom"),
    }
    changes = {
        "lg-huawei": {"segment": "ran", "technology": "5g", "status": "in-use", "confidence": "confirmed"},
        "docomo-huawei": {"segment": "core", "technology": "4g", "status": "phasing-out", "confidence": "reported"},
        "sk-nokia": {"valid_from": datetime.date(2020, 1, 1)},
        "kt-nokia": {
            "segment": "transport",
            "technology": "4g",
            "status": "removed",
            "confidence": "disputed",
            "valid_from": datetime.date(2018, 1, 1),
            "valid_to": datetime.date(2019, 12, 31),
        },
        "telekom-nokia": {"status": "planned", "confidence": "reported"},
    }
    for name, fields in changes.items():
        for field, value in fields.items():
            setattr(facts[name], field, value)
        facts[name].save()
    for name in ("docomo-huawei", "sk-nokia"):
        facts[name].citations.create(source=source, quote="Both named here.")
    facts["source"] = source
    return facts


def listed_uses(client, query, uses):
    names = {fact.pk: name for name, fact in uses.items() if name != "source"}
    return [names[pk] for pk in listed(client, f"/equipment/?{query}", "pk")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KR", {"lg-huawei", "sk-nokia", "kt-nokia"}),
        ("country=KR&country=JP", {"lg-huawei", "sk-nokia", "kt-nokia", "docomo-huawei"}),
        ("carrier=docomo", {"docomo-huawei"}),
        ("carrier=docomo&carrier=kt", {"docomo-huawei", "kt-nokia"}),
        ("vendor=huawei", {"lg-huawei", "docomo-huawei"}),
        ("vendor=nokia&country=DE", {"telekom-nokia"}),
        ("segment=ran", {"lg-huawei", "sk-nokia", "telekom-nokia"}),
        ("segment=core&segment=transport", {"docomo-huawei", "kt-nokia"}),
        ("technology=4g", {"docomo-huawei", "kt-nokia"}),
        ("technology=5g&segment=ran&country=KR", {"lg-huawei", "sk-nokia"}),
        ("status=in-use", {"lg-huawei", "sk-nokia"}),
        ("status=removed&status=planned", {"kt-nokia", "telekom-nokia"}),
        ("confidence=disputed", {"kt-nokia"}),
        ("confidence=reported", {"docomo-huawei", "telekom-nokia"}),
        ("confidence=confirmed&vendor=huawei", {"lg-huawei"}),
    ],
)
def test_equipment_filters_keep_matching_facts(client, uses, query, expected):
    assert set(listed_uses(client, query, uses)) == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (START - ONE_DAY, {"lg-huawei", "kt-nokia"}),
        (START, {"lg-huawei", "kt-nokia", "docomo-huawei"}),
        (END, {"lg-huawei", "docomo-huawei", "sk-nokia"}),
        (END + ONE_DAY, {"lg-huawei", "sk-nokia"}),
    ],
)
def test_equipment_as_of_keeps_facts_in_force_that_day(client, uses, as_of, expected):
    assert set(listed_uses(client, f"as_of={as_of}", uses)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"since={END}", {"lg-huawei", "docomo-huawei", "sk-nokia", "telekom-nokia"}),
        (f"since={END + ONE_DAY}", {"lg-huawei", "sk-nokia", "telekom-nokia"}),
        (f"until={START}", {"lg-huawei", "docomo-huawei", "kt-nokia"}),
        (f"until={START - ONE_DAY}", {"lg-huawei", "kt-nokia"}),
        ("since=2019-01-01&until=2019-12-31", {"lg-huawei", "docomo-huawei", "kt-nokia"}),
        ("since=2020-01-01&until=2020-01-01", {"lg-huawei", "docomo-huawei", "sk-nokia"}),
    ],
)
def test_equipment_since_and_until_keep_facts_in_force_at_some_time_between(client, uses, query, expected):
    assert set(listed_uses(client, query, uses)) == expected


def test_equipment_source_filter_keeps_facts_citing_that_source(client, uses):
    assert set(listed_uses(client, f"source={uses['source'].key}", uses)) == {"docomo-huawei", "sk-nokia"}


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("carrier", ["telekom-nokia", "kt-nokia", "lg-huawei", "docomo-huawei", "sk-nokia"]),
        ("-carrier", ["sk-nokia", "docomo-huawei", "lg-huawei", "kt-nokia", "telekom-nokia"]),
        ("valid_to,carrier", ["kt-nokia", "docomo-huawei", "telekom-nokia", "lg-huawei", "sk-nokia"]),
    ],
)
def test_equipment_ordering_sorts_rows(client, uses, ordering, expected):
    rows = listed_uses(client, f"ordering={ordering}", uses)
    if ordering.startswith("valid_to"):
        # Where NULLs sort differs between databases; the dated facts come in date order either way.
        assert [name for name in rows if name in ("kt-nokia", "docomo-huawei")] == expected[:2]
    else:
        assert rows == expected


@pytest.mark.parametrize(
    ("ordering", "key"),
    [
        ("vendor", lambda use: use.vendor.name),
        ("-vendor", lambda use: use.vendor.name),
        ("segment", lambda use: use.segment),
        ("technology", lambda use: use.technology),
        ("status", lambda use: use.status),
        ("-status", lambda use: use.status),
    ],
)
def test_equipment_ordering_sorts_by_the_chosen_column(client, uses, ordering, key):
    response = client.get(f"/equipment/?ordering={ordering}")
    values = [key(use) for use in response.context["page_obj"]]
    assert values == sorted(values, reverse=ordering.startswith("-"))
    assert len(set(values)) > 1


def test_equipment_ordering_by_start_date_puts_dated_facts_in_date_order(client, uses):
    response = client.get("/equipment/?ordering=-valid_from")
    dates = [use.valid_from for use in response.context["page_obj"] if use.valid_from]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == 4


# Countries


@pytest.fixture
def positions(db):
    """South Korea declined the Clean Network, then joined it; Germany declined; Japan supports it."""
    korea, japan = country("KR", "South Korea"), country("JP", "Japan")
    germany, brazil = country("DE", "Germany", "europe"), country("BR", "Brazil", "americas")
    country("US", "United States", "americas")
    clean = InitiativeFactory(slug="clean-network", name="Clean Network")
    prague = InitiativeFactory(slug="prague", name="Prague Proposals")
    CountryPositionFactory(
        country=korea, initiative=clean, stance=Stance.DECLINED, stated_on=datetime.date(2020, 10, 1)
    )
    CountryPositionFactory(country=korea, initiative=clean, stance=Stance.JOINED, stated_on=datetime.date(2021, 5, 1))
    CountryPositionFactory(country=germany, initiative=clean, stance=Stance.DECLINED, stated_on=START)
    CountryPositionFactory(country=japan, initiative=clean, stance=Stance.SUPPORTS, stated_on=START)
    CountryPositionFactory(country=brazil, initiative=prague, stance=Stance.DECLINED, stated_on=START)
    CountryPositionFactory(country=germany, initiative=prague, stance=Stance.JOINED, stated_on=START)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=europe", {"DE"}),
        ("region=asia&region=americas", {"KR", "JP", "BR", "US"}),
        ("region=oceania", set()),
        ("q=korea", {"KR"}),
        ("q=jp", {"JP"}),
    ],
)
def test_country_region_and_search_filters(client, positions, query, expected):
    assert listed_set(client, f"/countries/?{query}", "code") == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("initiative=clean-network", {"KR", "DE", "JP"}),
        ("initiative=prague", {"BR", "DE"}),
        ("initiative=clean-network&stance=declined", {"DE"}),
        ("initiative=clean-network&stance=joined", {"KR"}),
        ("initiative=clean-network&stance=joined&stance=supports", {"KR", "JP"}),
        ("initiative=prague&stance=declined", {"BR"}),
        ("initiative=clean-network&stance=withdrew", set()),
        ("initiative=clean-network&region=asia&stance=declined&stance=joined", {"KR"}),
    ],
)
def test_country_stance_filter_uses_each_country_s_latest_stance(client, positions, query, expected):
    assert listed_set(client, f"/countries/?{query}", "code") == expected


def test_country_stance_without_an_initiative_is_a_bad_request(client, positions):
    response = client.get("/countries/?stance=declined")
    assert response.status_code == 400
    assertContains(response, "Choose an initiative to filter by stance.", status_code=400)
    csv_response = client.get("/countries.csv?stance=declined")
    assert csv_response.status_code == 400
    assert csv_response.content.decode() == "stance: Choose an initiative to filter by stance."


# Initiatives


@pytest.fixture
def initiatives(db):
    """The Clean Network from Aug 2020; the Prague Proposals from START to END; an undated UK law."""
    InitiativeFactory(
        slug="clean-network",
        sponsor=country("US", "United States", "americas"),
        launched_on=datetime.date(2020, 8, 1),
        launched_on_precision=DatePrecision.MONTH,
    )
    InitiativeFactory(
        slug="prague",
        sponsor=country("CZ", "Czechia", "europe"),
        kind=InitiativeKind.GUIDANCE,
        launched_on=START,
        launched_on_precision=DatePrecision.DAY,
        ended_on=END,
    )
    InitiativeFactory(
        slug="telecoms-security-act",
        sponsor=country("GB", "United Kingdom", "europe"),
        kind=InitiativeKind.LAW,
        launched_on=None,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sponsor=US", {"clean-network"}),
        ("sponsor=CZ&sponsor=GB", {"prague", "telecoms-security-act"}),
        ("kind=law", {"telecoms-security-act"}),
        ("kind=program&kind=guidance", {"clean-network", "prague"}),
        ("kind=regulation", set()),
        ("q=prague", {"prague"}),
    ],
)
def test_initiative_sponsor_kind_and_search_filters(client, initiatives, query, expected):
    assert listed_set(client, f"/initiatives/?{query}") == expected


@pytest.mark.parametrize(
    ("active_on", "expected"),
    [
        (START - ONE_DAY, {"telecoms-security-act"}),
        (START, {"prague", "telecoms-security-act"}),
        (datetime.date(2020, 7, 31), {"prague", "telecoms-security-act"}),
        (datetime.date(2020, 8, 1), {"clean-network", "prague", "telecoms-security-act"}),
        (END, {"clean-network", "prague", "telecoms-security-act"}),
        (END + ONE_DAY, {"clean-network", "telecoms-security-act"}),
    ],
)
def test_initiative_active_on_keeps_initiatives_in_force_that_day(client, initiatives, active_on, expected):
    assert listed_set(client, f"/initiatives/?active_on={active_on}") == expected


# Vendors


@pytest.fixture
def vendors(db):
    china = country("CN", "China")
    huawei = VendorFactory(slug="huawei", name="Huawei", headquarters=china, aliases="Huawei Technologies Co.")
    zte = VendorFactory(slug="zte", name="ZTE", headquarters=china, aliases="Zhongxing")
    VendorFactory(slug="nokia", name="Nokia", headquarters=country("FI", "Finland", "europe"))
    VendorFactory(slug="ericsson", name="Ericsson", headquarters=country("SE", "Sweden", "europe"), aliases="LM Eric")
    InitiativeFactory().targeted_vendors.set([huawei])
    InitiativeFactory().targeted_vendors.set([huawei, zte])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=NOK", {"nokia"}),
        ("q=technologies", {"huawei"}),
        ("q=lm eric", {"ericsson"}),
        ("q=zhong", {"zte"}),
        ("headquarters=CN", {"huawei", "zte"}),
        ("headquarters=FI&headquarters=SE", {"nokia", "ericsson"}),
        ("targeted=yes", {"huawei", "zte"}),
        ("targeted=no", {"nokia", "ericsson"}),
        ("targeted=no&headquarters=SE", {"ericsson"}),
    ],
)
def test_vendor_filters_keep_matching_vendors(client, vendors, query, expected):
    assert listed_set(client, f"/vendors/?{query}") == expected


def test_vendor_targeted_by_two_initiatives_is_listed_once(client, vendors):
    assert sorted(listed(client, "/vendors/?targeted=yes")) == ["huawei", "zte"]


# Events


@pytest.fixture
def events(db):
    korea, japan, czechia = country("KR", "South Korea"), country("JP", "Japan"), country("CZ", "Czechia", "europe")
    usa = country("US", "United States", "americas")
    clean = InitiativeFactory(slug="clean-network", name="Clean Network")
    prague = InitiativeFactory(slug="prague", name="Prague Proposals")
    dialogue = EventFactory(slug="dialogue", held_on=datetime.date(2020, 10, 14))
    dialogue.countries.set([korea, usa])
    dialogue.initiatives.set([clean])
    conference = EventFactory(slug="conference", held_on=START)
    conference.countries.set([czechia, usa])
    conference.initiatives.set([prague, clean])
    summit = EventFactory(slug="summit", held_on=datetime.date(2021, 1, 15))
    summit.countries.set([korea, japan])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KR", {"dialogue", "summit"}),
        ("country=US", {"dialogue", "conference"}),
        ("country=CZ&country=JP", {"conference", "summit"}),
        ("country=KR&country=US", {"dialogue", "conference", "summit"}),
        ("initiative=prague", {"conference"}),
        ("initiative=clean-network", {"dialogue", "conference"}),
        ("initiative=clean-network&initiative=prague", {"dialogue", "conference"}),
        ("initiative=clean-network&country=KR", {"dialogue"}),
        ("since=2020-10-14", {"dialogue", "summit"}),
        ("since=2020-10-15", {"summit"}),
        ("until=2020-10-14", {"dialogue", "conference"}),
        ("until=2020-10-13", {"conference"}),
        (f"since={START}&until={START}", {"conference"}),
    ],
)
def test_event_filters_keep_matching_events(client, events, query, expected):
    assert listed_set(client, f"/events/?{query}") == expected


def test_event_listed_once_when_several_chosen_countries_took_part(client, events):
    assert sorted(listed(client, "/events/?country=KR&country=US")) == ["conference", "dialogue", "summit"]


# Facet counts: each option counts the rows choosing it would give, with the other filters applied


@pytest.mark.parametrize(
    ("query", "shown", "not_shown"),
    [
        (
            "",
            [
                "<bdi>South Korea</bdi> (3)",
                "<bdi>Japan</bdi> (2)",
                "<bdi>Germany</bdi> (1)",
                "<bdi>Huawei</bdi> (2)",
                "<bdi>Nokia</bdi> (3)",
            ],
            [],
        ),
        (
            "vendor=nokia",
            ["<bdi>South Korea</bdi> (2)", "<bdi>Germany</bdi> (1)"],
            ["<bdi>South Korea</bdi> (3)", "<bdi>Japan</bdi> ("],
        ),
        (
            "country=KR",
            ["<bdi>South Korea</bdi> (3)", "<bdi>Japan</bdi> (2)", "<bdi>Huawei</bdi> (1)", "<bdi>Nokia</bdi> (2)"],
            ["<bdi>Huawei</bdi> (2)", "<bdi>Nokia</bdi> (3)"],
        ),
        (
            "targeted=yes",
            ["<bdi>South Korea</bdi> (1)", "<bdi>Japan</bdi> (1)", "<bdi>Huawei</bdi> (2)"],
            ["<bdi>Nokia</bdi> (", "<bdi>Germany</bdi> ("],
        ),
        (
            "label=yes&country=JP",
            ["<bdi>Japan</bdi> (1)", "<bdi>South Korea</bdi> (2)"],
            ["<bdi>Huawei</bdi> (", "<bdi>Japan</bdi> (2)"],
        ),
    ],
)
def test_carrier_facets_count_rows_with_the_other_filters_applied(client, carrier_world, query, shown, not_shown):
    response = client.get(f"/carriers/?{query}")
    for label in shown:
        assertContains(response, label)
    for label in not_shown:
        assertNotContains(response, label)


def test_carrier_vendor_facet_counts_only_equipment_in_force_on_as_of(client, carrier_world):
    as_of = START - ONE_DAY
    assert listed_set(client, f"/carriers/?vendor=huawei&as_of={as_of}") == {"lg-uplus"}
    response = client.get(f"/carriers/?as_of={as_of}")
    assertContains(response, "<bdi>Huawei</bdi> (1)")


@pytest.mark.parametrize(
    ("query", "shown", "not_shown"),
    [
        (
            "vendor=huawei",
            [
                "<bdi>South Korea</bdi> (1)",
                "<bdi>Japan</bdi> (1)",
                "<bdi>Radio access</bdi> (1)",
                "<bdi>Core</bdi> (1)",
                "<bdi>Being phased out</bdi> (1)",
            ],
            [],
        ),
        (
            "vendor=huawei",
            ["<bdi>Huawei</bdi> (2)", "<bdi>Nokia</bdi> (3)", "<bdi>LG Uplus</bdi> (1)", "<bdi>NTT Docomo</bdi> (1)"],
            ["<bdi>SK Telecom</bdi> ("],
        ),
        (
            "country=KR",
            [
                "<bdi>South Korea</bdi> (3)",
                "<bdi>Japan</bdi> (1)",
                "<bdi>Huawei</bdi> (1)",
                "<bdi>Nokia</bdi> (2)",
                "<bdi>4G</bdi> (1)",
                "<bdi>5G</bdi> (2)",
            ],
            ["<bdi>5G</bdi> (3)"],
        ),
        (
            "status=in-use&status=removed",
            ["<bdi>Confirmed</bdi> (2)", "<bdi>Disputed</bdi> (1)", "<bdi>In use</bdi> (2)", "<bdi>Planned</bdi> (1)"],
            [],
        ),
        (
            f"as_of={END + ONE_DAY}",
            ["<bdi>Radio access</bdi> (2)", "<bdi>Huawei</bdi> (1)", "<bdi>Nokia</bdi> (1)"],
            ["<bdi>Core</bdi> (", "Transport"],
        ),
    ],
)
def test_equipment_facets_count_rows_with_the_other_filters_applied(client, uses, query, shown, not_shown):
    response = client.get(f"/equipment/?{query}")
    for label in shown:
        assertContains(response, label)
    for label in not_shown:
        assertNotContains(response, label)


@pytest.mark.parametrize(
    ("url", "shown", "not_shown"),
    [
        ("/countries/", ["<bdi>Asia</bdi> (2)", "<bdi>Americas</bdi> (2)", "<bdi>Europe</bdi> (1)"], []),
        (
            "/countries/?initiative=clean-network",
            ["<bdi>Asia</bdi> (2)", "<bdi>Europe</bdi> (1)"],
            ["<bdi>Americas</bdi> ("],
        ),
        (
            "/countries/?initiative=clean-network&stance=joined",
            ["<bdi>Asia</bdi> (1)"],
            ["<bdi>Europe</bdi> (", "<bdi>Asia</bdi> (2)"],
        ),
    ],
)
def test_country_region_facet_counts_with_the_stance_filter_applied(client, positions, url, shown, not_shown):
    response = client.get(url)
    for label in shown:
        assertContains(response, label)
    for label in not_shown:
        assertNotContains(response, label)


@pytest.mark.parametrize(
    ("url", "shown", "not_shown"),
    [
        (
            "/initiatives/",
            [
                "<bdi>United States</bdi> (1)",
                "<bdi>Czechia</bdi> (1)",
                "<bdi>Law</bdi> (1)",
                "<bdi>Alliance or program</bdi> (1)",
            ],
            [],
        ),
        (
            "/initiatives/?sponsor=CZ&sponsor=GB",
            ["<bdi>Guidance</bdi> (1)", "<bdi>Law</bdi> (1)", "<bdi>United States</bdi> (1)"],
            ["Alliance"],
        ),
        (
            "/initiatives/?active_on=2019-01-01",
            ["<bdi>United Kingdom</bdi> (1)", "<bdi>Law</bdi> (1)"],
            ["<bdi>Czechia</bdi> (", "<bdi>Guidance</bdi> ("],
        ),
    ],
)
def test_initiative_facets_count_with_the_other_filters_applied(client, initiatives, url, shown, not_shown):
    response = client.get(url)
    for label in shown:
        assertContains(response, label)
    for label in not_shown:
        assertNotContains(response, label)


@pytest.mark.parametrize(
    ("url", "shown", "not_shown"),
    [
        ("/vendors/", ["<bdi>China</bdi> (2)", "<bdi>Finland</bdi> (1)", "<bdi>Sweden</bdi> (1)"], []),
        ("/vendors/?targeted=yes", ["<bdi>China</bdi> (2)"], ["<bdi>Finland</bdi> (", "<bdi>Sweden</bdi> ("]),
        (
            "/vendors/?q=s",
            ["<bdi>Sweden</bdi> (1)", "<bdi>China</bdi> (1)"],
            ["<bdi>Finland</bdi> (", "<bdi>China</bdi> (2)"],
        ),
    ],
)
def test_vendor_headquarters_facet_counts_with_the_other_filters_applied(client, vendors, url, shown, not_shown):
    response = client.get(url)
    for label in shown:
        assertContains(response, label)
    for label in not_shown:
        assertNotContains(response, label)


@pytest.mark.parametrize(
    ("url", "shown", "not_shown"),
    [
        (
            "/events/",
            [
                "<bdi>South Korea</bdi> (2)",
                "<bdi>United States</bdi> (2)",
                "<bdi>Clean Network</bdi> (2)",
                "<bdi>Prague Proposals</bdi> (1)",
            ],
            [],
        ),
        (
            "/events/?initiative=prague",
            ["<bdi>Czechia</bdi> (1)", "<bdi>United States</bdi> (1)"],
            ["<bdi>South Korea</bdi> ("],
        ),
        (
            "/events/?country=KR",
            ["<bdi>Clean Network</bdi> (1)", "<bdi>United States</bdi> (2)"],
            ["<bdi>Prague Proposals</bdi> ("],
        ),
        (
            "/events/?since=2020-01-01",
            ["<bdi>South Korea</bdi> (2)", "<bdi>United States</bdi> (1)", "<bdi>Japan</bdi> (1)"],
            ["<bdi>Czechia</bdi> ("],
        ),
    ],
)
def test_event_facets_count_with_the_other_filters_applied(client, events, url, shown, not_shown):
    response = client.get(url)
    for label in shown:
        assertContains(response, label)
    for label in not_shown:
        assertNotContains(response, label)


def test_sample_data_carrier_facet_shows_south_korea_with_its_three_carriers(client, sample_data):
    assertContains(client.get("/carriers/"), "<bdi>South Korea</bdi> (3)")
    assertContains(client.get("/carriers/?vendor=huawei"), "<bdi>South Korea</bdi> (1)")


# Malformed values: a 400 that says what is wrong, on the page and on its CSV twin

MALFORMED = [
    ("as_of", "notadate", "is not a date like 2020, 2020-08 or 2020-08-05."),
    ("as_of", "2021-02-30", "is not a date like 2020, 2020-08 or 2020-08-05."),
    ("as_of", "2020-13", "is not a date like 2020, 2020-08 or 2020-08-05."),
    ("country", "ZZ", "Select a valid choice. ZZ is not one of the available choices."),
    ("page", "-1", "Ensure this value is greater than or equal to 1."),
    ("page", "0", "Ensure this value is greater than or equal to 1."),
    ("page", "abc", "Enter a whole number."),
    ("page_size", "0", "Ensure this value is greater than or equal to 1."),
    ("page_size", "501", "Ensure this value is less than or equal to 500."),
    ("ordering", ";drop", "Select a valid choice. ;drop is not one of the available choices."),
    ("targeted", "maybe", "Select a valid choice. maybe is not one of the available choices."),
    ("label", "sometimes", "Select a valid choice. sometimes is not one of the available choices."),
    ("vendor", "nope", "Select a valid choice. nope is not one of the available choices."),
    ("initiative", "nope", "Select a valid choice. That choice is not one of the available choices."),
]


@pytest.mark.parametrize(("name", "value", "message"), MALFORMED)
def test_malformed_carrier_filter_is_a_bad_request_naming_the_error(client, carrier_world, name, value, message):
    response = client.get("/carriers/", {name: value})
    assert response.status_code == 400
    assertContains(response, message, status_code=400)
    assertContains(response, "Some filters are not valid", status_code=400)
    assert response.context["page_obj"] is None


@pytest.mark.parametrize(("name", "value", "message"), MALFORMED)
def test_malformed_carrier_filter_on_csv_is_a_plain_text_bad_request(client, carrier_world, name, value, message):
    response = client.get("/carriers.csv", {name: value})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith(f"{name}: ") and message in text and "\n" not in text


@pytest.mark.parametrize(
    ("path", "name", "value", "message"),
    [
        ("equipment", "segment", "satellite", "Select a valid choice. satellite is not one of the available choices."),
        ("equipment", "source", "abc", "Select a valid choice. That choice is not one of the available choices."),
        ("equipment", "since", "2020/01/01", "is not a date like 2020, 2020-08 or 2020-08-05."),
        ("equipment", "carrier", "nope", "Select a valid choice. nope is not one of the available choices."),
        ("countries", "region", "mars", "Select a valid choice. mars is not one of the available choices."),
        ("countries", "initiative", "nope", "Select a valid choice. That choice is not one of the available choices."),
        ("vendors", "headquarters", "XX", "Select a valid choice. XX is not one of the available choices."),
        ("vendors", "targeted", "maybe", "Select a valid choice. maybe is not one of the available choices."),
        ("initiatives", "active_on", "yesterday", "is not a date like 2020, 2020-08 or 2020-08-05."),
        ("initiatives", "kind", "treaty", "Select a valid choice. treaty is not one of the available choices."),
        ("events", "until", "14 Oct 2020", "is not a date like 2020, 2020-08 or 2020-08-05."),
        ("events", "ordering", "held_on;", "Select a valid choice. held_on; is not one of the available choices."),
    ],
)
def test_malformed_filter_of_any_list_is_a_bad_request(client, uses, path, name, value, message):
    response = client.get(f"/{path}/", {name: value})
    assertContains(response, message, status_code=400)
    csv_response = client.get(f"/{path}.csv", {name: value})
    assert csv_response.status_code == 400
    text = csv_response.content.decode()
    assert text.startswith(f"{name}: ") and message in text and "\n" not in text


def test_several_malformed_values_are_all_reported_on_the_csv(client, carrier_world):
    response = client.get("/carriers.csv?as_of=notadate&country=ZZ&page=abc")
    assert response.status_code == 400
    assert response.content.decode().splitlines() == [
        "country: Select a valid choice. ZZ is not one of the available choices.",
        "as_of: “notadate” is not a date like 2020, 2020-08 or 2020-08-05. "
        "A month or a year stands for the whole period.",
        "page: Enter a whole number.",
    ]


@pytest.mark.parametrize(
    ("world", "path", "attribute"),
    [
        ("carrier_world", "carriers", "slug"),
        ("uses", "equipment", "pk"),
        ("positions", "countries", "code"),
        ("initiatives", "initiatives", "slug"),
        ("vendors", "vendors", "slug"),
        ("events", "events", "slug"),
    ],
)
def test_unknown_parameters_are_ignored(client, request, world, path, attribute):
    request.getfixturevalue(world)
    plain = listed(client, f"/{path}/", attribute)
    assert plain
    cache.clear()  # the same cleaned filters share one cached page: compute this one afresh
    assert listed(client, f"/{path}/?utm_source=mail&colour=red&as_off=2020-01-01", attribute) == plain
    assert client.get(f"/{path}.csv?utm_source=mail").status_code == 200


# Pagination


@pytest.fixture
def many_carriers(db):
    CarrierFactory.create_batch(120, country=country("KR", "South Korea"))
    country("JP", "Japan")


def test_list_shows_50_rows_by_default(client, many_carriers):
    response = client.get("/carriers/")
    assert len(response.context["page_obj"]) == 50
    assert response.context["page_obj"].paginator.num_pages == 3
    assertContains(response, "120 rows")


@pytest.mark.parametrize(("query", "rows"), [("page=2", 50), ("page=3", 20), ("page_size=100&page=2", 20)])
def test_later_pages_hold_the_remaining_rows(client, many_carriers, query, rows):
    assert len(listed(client, f"/carriers/?{query}")) == rows


@pytest.mark.parametrize(("page_size", "rows"), [(1, 1), (120, 120), (500, 120)])
def test_page_size_sets_the_rows_per_page_up_to_500(client, many_carriers, page_size, rows):
    assert len(listed(client, f"/carriers/?page_size={page_size}")) == rows


def test_pages_together_list_every_row_once(client, many_carriers):
    pages = [listed(client, f"/carriers/?page={page}") for page in (1, 2, 3)]
    every = [slug for page in pages for slug in page]
    assert len(every) == len(set(every)) == 120
    assert every == listed(client, "/carriers/?page_size=500")


@pytest.mark.parametrize("query", ["page=4", "page=999", "page_size=500&page=2", "country=JP&page=2"])
def test_page_past_the_end_is_not_found(client, many_carriers, query):
    assert client.get(f"/carriers/?{query}").status_code == 404


def test_empty_result_is_a_page_not_a_404(client, many_carriers):
    response = client.get("/carriers/?country=JP")
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 0


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/carriers/", "No carriers match these filters."),
        ("/equipment/", "No equipment uses match these filters."),
        ("/countries/", "No countries match these filters."),
        ("/vendors/", "No vendors match these filters."),
        ("/initiatives/", "No initiatives match these filters."),
        ("/events/", "No events match these filters."),
    ],
)
def test_empty_result_says_nothing_matches(client, db, path, message):
    response = client.get(path, {"utm_source": "mail"})
    assertContains(response, "0 rows")
    assertContains(response, message)


def test_pagination_links_keep_the_filters(client, many_carriers):
    response = client.get("/carriers/?country=KR&page=2")
    assertContains(response, 'href="?country=KR&amp;page=3"')
    assertContains(response, 'href="?country=KR&amp;page=1"')
