import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from carriers import models, spreadsheet
from carriers.exports import KEY_SEPARATOR
from carriers.models import aliases
from tests.factories import (
    CarrierFactory,
    CleanLabelFactory,
    CountryFactory,
    DeadlineFactory,
    EquipmentUseFactory,
    RestrictionFactory,
    SourceFactory,
    VendorFactory,
)

HOST = {"HTTP_HOST": "localhost"}
# Free text the CSV keeps one item per line; the API gives the items as a list.
LINES = {"participants"}


@pytest.fixture
def world(sample_data):
    """The seed story plus enough rows for filters, ties, NULL dates and deadlines to matter."""
    korea = CountryFactory(code="KR")
    huawei = models.Vendor.objects.get(slug="huawei")
    carrier = CarrierFactory(name="Alpha Telecom", country=korea)
    for year, precision in [(2018, "year"), (2019, "month"), (2020, "day")]:
        EquipmentUseFactory(
            carrier=carrier, vendor=huawei, valid_from=datetime.date(year, 1, 1), valid_from_precision=precision
        )
    EquipmentUseFactory(carrier=carrier, vendor=huawei, segment=models.NetworkSegment.CORE, valid_from=None)
    EquipmentUseFactory(carrier=CarrierFactory(country=CountryFactory(code="DE", name="Germany")))
    CleanLabelFactory(carrier=carrier, awarded_on=None)
    restriction = RestrictionFactory()
    restriction.vendors.add(huawei)
    DeadlineFactory(restriction=restriction)
    DeadlineFactory(due=datetime.date(2026, 3, 1), due_precision=models.DatePrecision.MONTH)


def api_rows(client, url):
    """Every row of an API list, following `next` to the last page."""
    rows = []
    while url:
        response = client.get(url, **HOST)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url = body["next"]
    return rows


def csv_rows(client, url):
    response = client.get(url, **HOST)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body, newline="")))


def as_csv_cell(name, value):
    """An API value written the way the CSV writes that column."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if name == "aliases":  # objects in the API, `name [language]` lines in the CSV
        return str(spreadsheet.escape(aliases.as_text(value)))
    if isinstance(value, list):
        return ("\n" if name in LINES else KEY_SEPARATOR).join(value)
    return str(spreadsheet.escape(value))


@pytest.mark.parametrize(
    "page, query",
    [
        ("equipment", "country=KR"),
        ("equipment", "vendor=huawei&ordering=valid_from"),
        ("equipment", "as_of=2019-06&ordering=-carrier"),
        ("labels", "country=KR"),
        ("labels", "ordering=awarded_on"),
        ("positions", "initiative=clean-network"),
        ("events", "country=KR"),
        ("sources", "q=dialogue"),
        ("countries", ""),
        ("carriers", "country=KR&ordering=name"),
        ("vendors", "targeted=yes"),
        ("initiatives", ""),
        ("restrictions", "vendor=huawei"),
        ("deadlines", "ordering=-due"),
        ("citations", ""),
        ("citations", "fact_type=equipment&fact_type=labels"),
    ],
)
def test_api_list_holds_the_csv_rows_in_the_csv_order(client, world, transactional_db, page, query):
    # Committed (transactional_db): on PostgreSQL the equipment CSV streams from COPY on its own connection.
    expected = csv_rows(client, f"/{page}.csv?{query}")
    rows = api_rows(client, f"/api/v1/{page}/?{query}&page_size=2")
    assert expected, "a comparison of empty lists proves nothing"
    assert [{name: as_csv_cell(name, row[name]) for name in expected[0]} for row in rows] == expected


def test_count_is_the_whole_filtered_list(client, world, transactional_db):
    body = client.get("/api/v1/equipment/?vendor=huawei&page_size=1", **HOST).json()
    assert body["count"] == len(csv_rows(client, "/equipment.csv?vendor=huawei")) > 1
    assert len(body["results"]) == 1


def test_facts_embed_their_citations_id_and_change_time(client, sample_data):
    position = models.CountryPosition.objects.get()
    row = client.get(f"/api/v1/positions/{position.pk}/", **HOST).json()
    assert row["id"] == position.pk
    assert datetime.datetime.fromisoformat(row["changed"]) == position.updated_at
    assert row["citations"] == [
        {"source": citation.source.key, "quote": citation.quote, "location": citation.location, "note": citation.note}
        for citation in position.citations.order_by("pk")
    ]
    assert row["sources"] == list(dict.fromkeys(citation["source"] for citation in row["citations"]))


def test_dates_carry_their_precision(client, world):
    rows = api_rows(client, "/api/v1/equipment/?carrier=" + models.Carrier.objects.get(name="Alpha Telecom").slug)
    starts = {(row["valid_from"], row["valid_from_precision"]) for row in rows}
    assert starts == {("2018", "year"), ("2019-01", "month"), ("2020-01-01", "day"), (None, None)}
    event = client.get("/api/v1/events/", **HOST).json()["results"][0]
    assert (event["held_on"], event["held_on_precision"]) == ("2020-10", "month")


def test_cursor_walks_every_row_once_while_rows_are_added_between_pages(client, world):
    url = "/api/v1/equipment/?ordering=carrier&page_size=2"  # carrier names tie: the cursor must not rely on them
    before = [row["id"] for row in api_rows(client, url)]
    first = client.get(url, **HOST).json()
    carrier = models.Carrier.objects.get(name="Alpha Telecom")
    # One row sorting before the cursor, one after: neither may shift what the next pages hold.
    EquipmentUseFactory(carrier=CarrierFactory(name="AAA Mobile"))
    added = EquipmentUseFactory(carrier=carrier, technology=models.Technology.G4)
    seen = [row["id"] for row in first["results"]] + [row["id"] for row in api_rows(client, first["next"])]
    assert len(seen) == len(set(seen))
    assert set(before) <= set(seen)
    assert added.pk in seen


def test_cursor_pages_follow_nulls_in_the_databases_own_order(client, world):
    for url in ["/api/v1/labels/?ordering=awarded_on", "/api/v1/equipment/?ordering=-valid_from"]:
        whole = client.get(url + "&page_size=500", **HOST).json()["results"]
        assert [row["id"] for row in api_rows(client, url + "&page_size=1")] == [row["id"] for row in whole]


def test_page_size_is_capped_at_500(client, db):
    carrier, vendor = CarrierFactory(), VendorFactory()
    models.EquipmentUse.objects.bulk_create(
        models.EquipmentUse(
            carrier=carrier,
            vendor=vendor,
            segment=models.NetworkSegment.RADIO_ACCESS,
            technology=models.Technology.G5,
            status=models.EquipmentStatus.IN_USE,
            valid_from=datetime.date(2000, 1, 1) + datetime.timedelta(days=day),
        )
        for day in range(503)
    )
    body = client.get("/api/v1/equipment/?page_size=10000", **HOST).json()
    assert (len(body["results"]), body["count"]) == (500, 503)
    assert len(client.get("/api/v1/equipment/", **HOST).json()["results"]) == 50


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("as_of=2020-13", "as_of"),
        ("country=ZZ", "country"),
        ("since=notadate", "since"),
        ("page_size=0", "page_size"),
        ("page_size=many", "page_size"),
        ("cursor=forged", "cursor"),
    ],
)
def test_malformed_parameters_get_a_400_naming_them(client, sample_data, query, parameter):
    response = client.get(f"/api/v1/equipment/?{query}", **HOST)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [parameter]


def test_bad_date_message_says_what_is_wrong(client, sample_data):
    body = client.get("/api/v1/equipment/?as_of=2020-13", **HOST).json()
    assert body["as_of"][0].startswith("“2020-13” is not a date like 2020, 2020-08 or 2020-08-05.")


def test_a_cursor_of_another_ordering_is_refused(client, world):
    next_page = client.get("/api/v1/equipment/?page_size=1", **HOST).json()["next"]
    response = client.get(next_page + "&ordering=carrier", **HOST)
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_unchanged_data_answers_304_and_an_edit_changes_the_etag(client, sample_data):
    first = client.get("/api/v1/carriers/", **HOST)
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/api/v1/carriers/", HTTP_IF_NONE_MATCH=first["ETag"], **HOST)
    assert again.status_code == 304
    CarrierFactory()
    edited = client.get("/api/v1/carriers/", HTTP_IF_NONE_MATCH=first["ETag"], **HOST)
    assert edited.status_code == 200
    assert edited["ETag"] != first["ETag"]


def test_api_is_open_to_other_sites_for_reading_only(client, sample_data):
    response = client.get("/api/v1/countries/", HTTP_ORIGIN="https://example.org", **HOST)
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/countries/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        **HOST,
    )
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    page = client.get("/countries/", HTTP_ORIGIN="https://example.org", **HOST)
    assert "Access-Control-Allow-Origin" not in page


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/v1/equipment/", "/api/v1/carriers/lg-uplus/"])
def test_api_is_read_only(client, sample_data, method, url):
    response = getattr(client, method)(url, data="{}", content_type="application/json", **HOST)
    assert response.status_code == 405


def test_records_by_their_public_ids(client, world):
    assert client.get("/api/v1/carriers/lg-uplus/", **HOST).json()["name"] == "LG Uplus"
    assert (
        client.get("/api/v1/countries/KR/", **HOST).json()["carriers"]
        == models.Carrier.objects.filter(country="KR").count()
    )
    deadline = models.Deadline.objects.first()
    assert client.get(f"/api/v1/deadlines/{deadline.pk}/", **HOST).json()["due_by"] == deadline.due_by.isoformat()
    source = SourceFactory()
    assert client.get(f"/api/v1/sources/{source.pk}/", **HOST).json()["key"] == source.key
    assert client.get("/api/v1/equipment/999999/", **HOST).status_code == 404


def test_a_list_page_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(10):
        EquipmentUseFactory()
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/equipment/?page_size=100", **HOST).status_code == 200


def test_schema_validates_and_lists_the_filters_as_parameters(client, db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    response = client.get(reverse("api:schema"), {"format": "json"}, **HOST)
    schema = json.loads(response.content)
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/equipment/"]["get"]["parameters"]}
    assert {"country", "carrier", "vendor", "as_of", "since", "until", "source", "ordering", "cursor"} <= parameters
    assert len(schema["paths"]) == 24  # a list and a record for each of 12 lists


def test_documentation_page_is_served_from_the_app(client, db):
    response = client.get(reverse("api:docs"), **HOST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "GET /api/v1/equipment/" in page
    assert "valid_from_precision" in page
    assert "<script" not in page
