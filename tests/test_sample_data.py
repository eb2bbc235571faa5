"""`load_sample_data` loads what the sources in shared/sources/ state, once, each fact cited."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command

from carriers.models import (
    Carrier,
    CleanLabel,
    Country,
    CountryPosition,
    EquipmentStatus,
    EquipmentUse,
    Event,
    Initiative,
    Restriction,
    Source,
    Stance,
)

ARTICLE = "South Korea Refuses To Join The US Drive Against Huawei"
FACT_MODELS = [EquipmentUse, CleanLabel, CountryPosition, Event, Restriction]


def row_counts():
    """Rows of every model of the app, citations and many-to-many tables included."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("carriers").get_models(include_auto_created=True)
    }


def test_loading_the_sample_data_twice_creates_no_duplicates(sample_data):
    first = row_counts()
    call_command("load_sample_data", verbosity=0)
    assert row_counts() == first
    assert first["carriers.EquipmentUseCitation"] > 0
    assert first["carriers.EventCitation"] > 0


def test_loading_twice_keeps_every_record_unchanged(sample_data):
    before = {model: list(model.objects.order_by("pk").values()) for model in FACT_MODELS}
    call_command("load_sample_data", verbosity=0)
    after = {model: list(model.objects.order_by("pk").values()) for model in FACT_MODELS}
    for rows in [*before.values(), *after.values()]:
        for row in rows:
            row.pop("updated_at")
    assert after == before


def test_south_korea_declined_the_clean_network_at_the_fifth_dialogue(sample_data):
    position = CountryPosition.objects.get(country="KR", initiative__slug="clean-network")
    assert position.stance == Stance.DECLINED
    assert "up to that company to decide" in position.statement
    assert "foreign ministry" in position.stated_by
    assert "Fifth" in position.event.name
    assert "Senior Economic Dialogue" in position.event.name
    assert position.citations.filter(source__title=ARTICLE, quote__contains="up to that company to decide").exists()


@pytest.mark.parametrize("slug", ["sk-telecom", "kt"])
def test_sk_telecom_and_kt_hold_a_clean_telco_label_citing_the_article(sample_data, slug):
    label = CleanLabel.objects.get(carrier__slug=slug, initiative__slug="clean-network")
    assert label.wording == "clean telco"
    assert label.carrier.country_id == "KR"
    assert label.citations.filter(source__title=ARTICLE).exists()


def test_lg_uplus_has_no_clean_label(sample_data):
    assert not CleanLabel.objects.filter(carrier__slug="lg-uplus").exists()


def test_lg_uplus_uses_huawei_equipment_citing_the_article(sample_data):
    use = EquipmentUse.objects.get(carrier__slug="lg-uplus", vendor__slug="huawei")
    assert use.status == EquipmentStatus.IN_USE
    assert use.valid_from is None
    assert use.citations.filter(source__title=ARTICLE, quote__contains="LG Uplus").exists()


def test_clean_network_is_a_us_initiative_launched_5_august_2020_against_huawei_and_zte(sample_data):
    clean_network = Initiative.objects.get(slug="clean-network")
    assert clean_network.name == "Clean Network"
    assert clean_network.sponsor_id == "US"
    assert clean_network.launched_on == datetime.date(2020, 8, 5)
    assert str(clean_network.launched) == "5 Aug 2020"
    assert clean_network.ended_on is None
    assert sorted(clean_network.targeted_vendors.values_list("name", flat=True)) == ["Huawei", "ZTE"]


def test_economic_prosperity_network_is_recorded(sample_data):
    epn = Initiative.objects.get(name="Economic Prosperity Network")
    assert epn.sponsor_id == "US"
    assert not epn.targeted_vendors.exists()


def test_the_dialogue_cites_both_official_sources_with_their_dates(sample_data):
    event = Event.objects.get(slug="fifth-us-rok-senior-economic-dialogue")
    assert sorted(event.countries.values_list("code", flat=True)) == ["KR", "US"]
    us_note = event.citations.get(source__url__startswith="https://kr.usembassy.gov/").note
    korean_note = event.citations.get(source__url__startswith="http://www.mofa.go.kr/").note
    assert "13 October" in us_note
    assert "14 October" in korean_note
    assert "14 October" not in us_note
    assert "13 October" not in korean_note


def test_the_dialogue_is_dated_only_to_the_month_as_the_sources_disagree_on_the_day(sample_data):
    event = Event.objects.get(slug="fifth-us-rok-senior-economic-dialogue")
    assert str(event.held) == "Oct 2020"


def test_the_article_source_has_no_url_and_no_publication_date(sample_data):
    article = Source.objects.get(title=ARTICLE)
    assert article.publisher == "Android Headlines"
    assert article.url == ""
    assert article.published_on is None


def test_the_sample_data_has_the_three_korean_carriers(sample_data):
    assert sorted(Carrier.objects.in_country("KR").values_list("slug", flat=True)) == ["kt", "lg-uplus", "sk-telecom"]
    assert set(Country.objects.values_list("code", flat=True)) >= {"KR", "US", "CN"}


@pytest.mark.parametrize("model", FACT_MODELS, ids=lambda model: model.__name__)
def test_every_sample_fact_has_at_least_one_citation(sample_data, model):
    assert model.objects.exists()
    assert not model.objects.filter(citations__isnull=True).exists()


@pytest.mark.parametrize("model", FACT_MODELS, ids=lambda model: model.__name__)
def test_every_sample_fact_passes_full_clean(sample_data, model):
    for fact in model.objects.all():
        fact.full_clean()
