"""Aliases with their language and script: the model's checks, the admin, the CSV round trip, history, the API,
and the pages that show them (each name isolated, so no alias reorders another)."""

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from carriers.models import Carrier, Vendor
from carriers.models.aliases import as_text, parse, script_of
from tests.conftest import logged_in
from tests.factories import CarrierFactory, CountryFactory, VendorFactory
from tests.test_import import import_csv

LG_ALIASES = [
    {"name": "LG U+", "language": "und", "script": "Latn"},
    {"name": "LG유플러스", "language": "ko", "script": "Hang"},
    {"name": "Uplus | LG Telecom", "language": "en", "script": "Latn"},
]


@pytest.mark.parametrize(
    "name, script",
    [
        ("LG유플러스", "Hang"),
        ("NTT ドコモ", "Jpan"),
        ("楽天", "Hani"),
        ("엘지 電話", "Kore"),
        ("LGU+", "Latn"),
        ("3", "Zyyy"),
    ],
)
def test_script_is_worked_out_from_the_letters(name, script):
    assert script_of(name) == script


def test_text_form_reads_language_tags_and_fills_in_scripts():
    assert parse("LG U+\nLG유플러스 [ko]\n\nUplus | LG Telecom [en]\nLG Uplus [ko-Latn]") == [
        *LG_ALIASES,
        {"name": "LG Uplus", "language": "ko", "script": "Latn"},
    ]


@pytest.mark.parametrize("name", ["LG U+", "Uplus | LG Telecom", "Mobistar [former name]", "SK텔레콤", "O2 (UK) [x]"])
def test_text_form_reads_back_every_alias_unchanged(name):
    for language in ["und", "ko", "sr-Latn-RS"]:
        aliases = parse(f"{name} [{language}]") if language != "und" else [parse(f"{name} [und]")[0]]
        assert parse(as_text(aliases)) == aliases


def test_a_bad_language_tag_is_an_error_naming_the_line():
    with pytest.raises(ValidationError) as error:
        parse("LG U+\nLG유플러스 [korean!]")
    assert "Line 2" in error.value.messages[0] and "BCP 47" in error.value.messages[0]


def test_model_validation_refuses_a_bad_language(db):
    carrier = CarrierFactory.build(country=CountryFactory(), aliases=[{"name": "X", "language": "xx-!!", "script": ""}])
    with pytest.raises(ValidationError) as error:
        carrier.full_clean()
    assert "aliases" in error.value.message_dict


def test_saving_stores_the_standard_form(db):
    carrier = CarrierFactory(aliases=[{"name": "  LG유플러스 ", "language": "KO", "script": ""}])
    carrier.refresh_from_db()
    assert carrier.aliases == [{"name": "LG유플러스", "language": "ko", "script": "Hang"}]


def carrier_form(carrier, aliases):
    return {
        "name": carrier.name,
        "slug": carrier.slug,
        "country": carrier.country_id,
        "aliases": aliases,
        "website": "",
        "subscribers": "",
        "subscribers_as_of": "",
        **{f"{prefix}-{key}": value for prefix in ("equipment_uses", "clean_labels") for key, value in
           {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000}.items()},
    }  # fmt: skip


def test_admin_shows_a_clear_error_for_a_bad_language_tag(admin_client):
    carrier = CarrierFactory(aliases=LG_ALIASES)
    url = reverse("admin:carriers_carrier_change", args=[carrier.pk])
    assert "LG유플러스 [ko]" in admin_client.get(url).content.decode()

    response = admin_client.post(url, carrier_form(carrier, "LG U+\nLG유플러스 [korean!]"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["aliases"]
    assert any("Line 2" in error and "“korean!” is not a BCP 47 language tag" in error for error in errors)
    carrier.refresh_from_db()
    assert carrier.aliases == LG_ALIASES


def test_admin_saves_aliases_typed_one_per_line(admin_client):
    carrier = CarrierFactory()
    url = reverse("admin:carriers_carrier_change", args=[carrier.pk])
    response = admin_client.post(url, carrier_form(carrier, "LG U+\r\nLG유플러스 [ko]\r\nUplus | LG Telecom [en]"))
    assert response.status_code == 302
    carrier.refresh_from_db()
    assert carrier.aliases == LG_ALIASES


def test_admin_search_finds_a_carrier_by_an_alias_in_another_script(admin_client):
    CarrierFactory(name="LG Uplus", aliases=LG_ALIASES)
    CarrierFactory(name="KT")
    response = admin_client.get(reverse("admin:carriers_carrier_changelist"), {"q": "유플러스"})
    assert [carrier.name for carrier in response.context["cl"].result_list] == ["LG Uplus"]


def test_csv_round_trip_keeps_a_bar_inside_an_alias(client, tmp_path, db):
    korea = CountryFactory(code="KR", name="South Korea")
    CarrierFactory(slug="lg-uplus", name="LG Uplus", country=korea, aliases=LG_ALIASES)
    exported = b"".join(client.get("/carriers.csv").streaming_content).decode()
    row = next(csv.DictReader(io.StringIO(exported)))
    assert row["aliases"] == "LG U+\nLG유플러스 [ko]\nUplus | LG Telecom [en]"

    Carrier.objects.all().delete()
    path = tmp_path / "carriers.csv"
    path.write_text(exported)
    assert import_csv("carriers", path, commit=True)[2] is None

    assert Carrier.objects.get(slug="lg-uplus").aliases == LG_ALIASES
    assert b"".join(client.get("/carriers.csv").streaming_content).decode() == exported


def test_import_reports_a_bad_language_tag_by_line(tmp_path, db):
    CountryFactory(code="KR")
    path = tmp_path / "carriers.csv"
    path.write_text('slug,name,country,aliases\nlg-uplus,LG Uplus,KR,"LG U+\nLG유플러스 [korean!]"\n')
    stdout, stderr, error = import_csv("carriers", path, commit=True)
    assert error is not None
    assert "line 2" in (stdout + stderr).lower() and "“korean!” is not a BCP 47 language tag" in stdout + stderr
    assert not Carrier.objects.exists()


def test_restoring_a_deleted_carrier_brings_its_aliases_back(editor):
    carrier = CarrierFactory(aliases=LG_ALIASES)
    client = logged_in(editor)
    assert client.post(reverse("admin:carriers_carrier_delete", args=[carrier.pk]), {"post": "yes"}).status_code == 302
    deleted = Carrier.history.filter(id=carrier.pk, history_type="-").get()

    assert client.post(reverse("restore-record", args=["carrier", deleted.history_id])).status_code == 302

    assert Carrier.objects.get(pk=carrier.pk).aliases == LG_ALIASES


def test_api_gives_each_alias_with_its_language_and_script(client, db):
    VendorFactory(slug="huawei", name="Huawei", aliases=[{"name": "华为", "language": "zh", "script": ""}])
    CarrierFactory(slug="lg-uplus", aliases=LG_ALIASES)
    vendors = client.get("/api/v1/vendors/").json()["results"]
    assert vendors[0]["aliases"] == [{"name": "华为", "language": "zh", "script": "Hani"}]
    assert client.get("/api/v1/carriers/").json()["results"][0]["aliases"] == LG_ALIASES


def test_carrier_page_shows_the_native_name_beside_the_english_one(client, db):
    carrier = CarrierFactory(name="LG Uplus", aliases=LG_ALIASES)
    html = client.get(carrier.get_absolute_url()).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert heading == '<bdi>LG Uplus</bdi> (<bdi lang="ko">LG유플러스</bdi>)'


def test_vendor_page_lists_aliases_each_in_its_language(client, db):
    vendor = VendorFactory(name="Huawei", aliases=[{"name": "华为", "language": "zh", "script": ""}])
    html = client.get(vendor.get_absolute_url()).content.decode()
    assert '<h1><bdi>Huawei</bdi> (<bdi lang="zh">华为</bdi>)</h1>' in html
    assert 'Also known as: <bdi lang="zh">华为</bdi></p>' in html


def test_an_unterminated_right_to_left_override_stays_inside_its_alias(client, db):
    override = "\u202eevil"
    carrier = CarrierFactory(aliases=[{"name": override, "language": "und", "script": ""}, *LG_ALIASES])
    html = client.get(carrier.get_absolute_url()).content.decode()
    aliases = re.search(r'<p class="aliases">Also known as: (.*?)</p>', html, re.S).group(1)
    # Every alias sits in its own <bdi>, which ends the override's reach at its closing tag.
    assert re.findall(r"<bdi[^>]*>(.*?)</bdi>", aliases) == [override, "LG U+", "LG유플러스", "Uplus | LG Telecom"]
    assert re.sub(r"<bdi[^>]*>.*?</bdi>", "", aliases) == ", , , "


def test_loading_the_sample_data_again_leaves_aliases_as_they_were(sample_data):
    before = list(Carrier.history.count() for _ in [0])
    call_command("load_sample_data", verbosity=0)
    assert [Carrier.history.count()] == before
    assert Carrier.objects.get(slug="lg-uplus").aliases == [
        {"name": "LG Uplus Co.", "language": "und", "script": "Latn"}
    ]


def test_vendor_search_matches_alias_names_not_the_json_around_them(db):
    VendorFactory(name="Huawei", aliases=[{"name": "华为", "language": "zh", "script": ""}])
    assert list(Vendor.objects.search("华为").values_list("name", flat=True)) == ["Huawei"]
    assert not Vendor.objects.search("language").exists()
