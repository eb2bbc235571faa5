"""The world map: each measure colours the right countries on the date asked, as SVG, table, CSV and JSON."""

import csv
import datetime
import gzip
import io
import re
from html import unescape

import pytest

from carriers.models import RestrictionKind, RestrictionStatus, Stance
from carriers.worldmap import geometry
from tests.factories import (
    CarrierFactory,
    CountryFactory,
    CountryPositionFactory,
    EquipmentUseFactory,
    InitiativeFactory,
    RestrictionFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

# A country's linked outline: <a href="/countries/GB/?as_of=…"><path class="shade-removal" d="…"><title>…</title>
LINKED_OUTLINE = re.compile(
    r'<a href="/countries/(?P<code>[A-Z]{2})/\?as_of=(?P<as_of>[^"]+)"><path class="shade-(?P<shade>[\w-]+)" '
    r'd="[^"]+"><title>(?P<title>[^<]+)</title>'
)


def shades(response):
    """{country code: shade} for every country the map colours and links."""
    return {match["code"]: match["shade"] for match in LINKED_OUTLINE.finditer(response.content.decode())}


def titles(response):
    """Each linked outline's tooltip, its country's name without the (invisible) isolates around it."""
    text = response.content.decode()
    return {
        match["code"]: unescape(match["title"]).replace("\u2068", "").replace("\u2069", "")
        for match in LINKED_OUTLINE.finditer(text)
    }


def table_rows(response):
    """The text alternative's rows: (country name, value in words, counts)."""
    table = response.content.decode().split('<table class="world-map-data">')[1].split("</table>")[0]
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\"><a [^>]+>([^<]+)</a></th>\s*<td>.*?</span>([^<]+)</td>\s*<td>([^<]+)</td>", table
    )
    return [tuple(unescape(cell) for cell in row) for row in rows]


@pytest.fixture
def world():
    """Britain bans then removes, France only proposes; Korea declines the Clean Network after wavering;
    one of two Korean carriers runs a targeted vendor's equipment from 2019."""
    CountryFactory(code="GB", name="United Kingdom")
    CountryFactory(code="FR", name="France")
    korea = CountryFactory(code="KR", name="South Korea")
    RestrictionFactory(country__code="GB", kind=RestrictionKind.BAN_NEW, decided_on=datetime.date(2020, 1, 28))
    RestrictionFactory(
        country__code="GB",
        kind=RestrictionKind.REMOVAL,
        decided_on=datetime.date(2020, 7, 14),
        effective_on=datetime.date(2020, 9, 1),
    )
    RestrictionFactory(country__code="FR", status=RestrictionStatus.PROPOSED, decided_on=datetime.date(2019, 5, 1))
    clean_network = InitiativeFactory(name="Clean Network", slug="clean-network")
    CountryPositionFactory(
        country=korea, initiative=clean_network, stance=Stance.UNDECIDED, stated_on=datetime.date(2020, 8, 20)
    )
    CountryPositionFactory(country=korea, initiative=clean_network, stance=Stance.DECLINED)  # 14 Oct 2020
    huawei = VendorFactory(name="Huawei", slug="huawei")
    clean_network.targeted_vendors.add(huawei)
    EquipmentUseFactory(carrier__country=korea, vendor=huawei, valid_from=datetime.date(2019, 4, 3))
    CarrierFactory(country=korea)
    return clean_network


def test_restriction_measure_colours_each_country_by_its_strongest_restriction_in_force(client, world):
    response = client.get("/map/?measure=restriction&as_of=2021")
    assert response.status_code == 200
    assert shades(response) == {"GB": "removal", "FR": "none-in-force"}
    assert (
        titles(response)["GB"] == "United Kingdom: Removal of existing equipment (2 restrictions in force of 2 decided)"
    )


def test_as_of_changes_the_restriction_colouring(client, world):
    assert shades(client.get("/map/?measure=restriction&as_of=2020-08"))["GB"] == "ban-new"  # removal not yet in effect
    assert shades(client.get("/map/?measure=restriction&as_of=2020-01-01")) == {"FR": "none-in-force"}


def test_stance_measure_colours_by_the_latest_stance_stated_by_the_date(client, world):
    assert shades(client.get("/map/?measure=stance&as_of=2020-09")) == {"KR": "undecided"}
    response = client.get("/map/?measure=stance&initiative=clean-network&as_of=2021")
    assert shades(response) == {"KR": "declined"}
    assert (
        titles(response)["KR"]
        == "South Korea: Declined / rejected (latest stated 14 Oct 2020; 2 positions stated by then)"
    )


def test_stance_measure_reads_the_initiative_asked_for(client, world):
    other = InitiativeFactory(slug="other-drive")
    CountryPositionFactory(country__code="FR", initiative=other, stance=Stance.JOINED)
    assert shades(client.get("/map/?measure=stance&initiative=other-drive&as_of=2021")) == {"FR": "joined"}


def test_targeted_share_measure_colours_by_the_share_of_carriers_using_a_targeted_vendor(client, world):
    response = client.get("/map/?measure=targeted-share&as_of=2020")
    assert shades(response) == {"KR": "share-3"}  # 50% to under 75%
    assert titles(response)["KR"] == "South Korea: 50% (1 of 2 tracked carriers using a targeted vendor)"
    assert shades(client.get("/map/?measure=targeted-share&as_of=2018")) == {"KR": "share-0"}


def test_countries_link_to_their_page_on_the_same_date_and_the_rest_are_drawn_without_data(client, world):
    response = client.get("/map/?measure=restriction&as_of=2021-03")
    page = response.content.decode()
    assert {match["as_of"] for match in LINKED_OUTLINE.finditer(page)} == {"2021-03"}
    assert client.get("/countries/GB/?as_of=2021-03").status_code == 200
    assert page.count('<path class="no-data"') == len(geometry.outlines()) - 2
    assert "<title>Japan: no data</title>" in page


def test_legend_counts_the_countries_each_shade_colours(client, world):
    page = client.get("/map/?measure=restriction&as_of=2021").content.decode()
    assert "Removal of existing equipment (1)</li>" in page
    assert "Ban on new equipment (0)</li>" in page


def test_table_states_what_the_map_colours(client, world):
    response = client.get("/map/?measure=restriction&as_of=2021")
    assert table_rows(response) == [
        ("France", "None in force", "0 restrictions in force of 1 decided"),
        ("United Kingdom", "Removal of existing equipment", "2 restrictions in force of 2 decided"),
    ]


@pytest.mark.parametrize("query", ["measure=restriction&as_of=2021", "measure=stance&as_of=2021", "as_of=2020"])
def test_csv_and_json_hold_the_rows_of_the_table(client, world, query):
    table = table_rows(client.get(f"/map/?{query}"))
    csv_response = client.get(f"/map.csv?{query}")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode())))
    assert [(row["name"], row["label"], row["detail"]) for row in rows] == table
    json_rows = client.get(f"/map.json?{query}").json()["rows"]
    assert [(row["name"], row["label"], row["detail"]) for row in json_rows] == table
    assert [row["value"] for row in json_rows] == [row["value"] for row in rows]


def test_csv_gives_country_measure_and_value_columns(client, world):
    rows = list(csv.DictReader(io.StringIO(client.get("/map.csv?measure=targeted-share&as_of=2020").content.decode())))
    assert rows == [
        {
            "country": "KR",
            "name": "South Korea",
            "measure": "targeted-share",
            "initiative": "",
            "value": "50.0",
            "label": "50%",
            "detail": "1 of 2 tracked carriers using a targeted vendor",
        }
    ]


def test_csv_escapes_cells_a_spreadsheet_would_run(client, world):
    CountryFactory(code="DE", name="=HYPERLINK(1)")
    RestrictionFactory(country__code="DE")
    rows = list(csv.reader(io.StringIO(client.get("/map.csv?measure=restriction&as_of=2021").content.decode())))
    assert rows[1][:2] == ["DE", "'=HYPERLINK(1)"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("measure=colour", "Colour by"),
        ("initiative=no-such-thing", "Initiative, for stances"),
        ("as_of=2020-13", "As of"),
    ],
)
def test_malformed_parameters_get_a_readable_400(client, world, query, parameter):
    page = client.get(f"/map/?{query}")
    assert page.status_code == 400
    assert parameter in page.content.decode()
    for data in ("/map.csv", "/map.json"):
        response = client.get(f"{data}?{query}")
        assert response.status_code == 400
        assert response.content.decode().startswith(query.split("=")[0])


def test_map_page_is_under_300_kb_gzipped(client, world):
    for code in sorted(outline.code for outline in geometry.outlines()):
        CarrierFactory(country=CountryFactory(code=code, name=f"Country {code}"))
    response = client.get("/map/?measure=targeted-share")
    assert len(shades(response)) == len(geometry.outlines())
    assert response.status_code == 200
    assert len(gzip.compress(response.content)) < 300_000


@pytest.mark.parametrize("measure", ["restriction", "stance", "targeted-share"])
def test_map_page_and_data_run_a_bounded_number_of_queries(client, world, measure, django_assert_max_num_queries):
    for code in ["DE", "IT", "JP"]:
        RestrictionFactory(country=CountryFactory(code=code))
        CarrierFactory(country__code=code)
        CountryPositionFactory(country__code=code, initiative=world)
    with django_assert_max_num_queries(6):
        assert client.get(f"/map/?measure={measure}").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"/map.csv?measure={measure}").status_code == 200


def test_map_page_is_cached_until_the_next_edit(client, world, django_assert_max_num_queries):
    client.get("/map/?as_of=2021")
    with django_assert_max_num_queries(1):  # the data version
        assert shades(client.get("/map/?as_of=2021"))["GB"] == "removal"
    RestrictionFactory(country__code="FR", decided_on=datetime.date(2020, 2, 1))
    assert shades(client.get("/map/?as_of=2021"))["FR"] == "removal"


def test_dashboard_shows_the_map_with_a_link_to_the_others(client, world):
    response = client.get("/?as_of=2021")
    assert shades(response) == {"GB": "removal", "FR": "none-in-force"}
    assert 'href="/map/?measure=restriction&amp;as_of=2021"' in response.content.decode()


def test_outlines_straddling_the_antimeridian_are_cut_there():
    outlines = {outline.code: outline.path for outline in geometry.outlines()}
    for code in ("RU", "FJ", "US"):
        for ring in outlines[code].split("M")[1:]:
            xs = [float(x) for x in re.findall(r"(-?[\d.]+),", ring)]
            assert max(xs) - min(xs) < geometry.WIDTH / 2, code
    assert "AQ" not in outlines and {"KR", "GB", "TW"} <= outlines.keys()


def test_the_data_dictionary_describes_every_column_of_the_map_data(client, world):
    page = client.get("/about/data/").content.decode()
    header = client.get("/map.csv").content.decode().splitlines()[0].split(",")
    assert "/map.csv" in page
    for column in header:
        assert f"<code>{column}</code>" in page
