"""CSV downloads: the page's rows in the page's order, streamed, readable dates and identifiers, spreadsheet-safe.

These tests use `transactional_db`: on PostgreSQL the equipment CSV comes from COPY on a connection
of its own, which sees committed rows only.
"""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carriers.models import (
    Carrier,
    Confidence,
    Country,
    DatePrecision,
    EquipmentStatus,
    EquipmentUse,
    Event,
    Initiative,
    NetworkSegment,
    Source,
    Technology,
    Vendor,
)
from carriers.spreadsheet import escape
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

# Stated here rather than imported, so that a change to the app's list shows up as a failing test.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
DANGEROUS = ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "\nx"]
BOM = b"\xef\xbb\xbf"


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def parsed(body):
    """The CSV as a list of dicts (header → cell)."""
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))


def csv_rows(client, url):
    return parsed(download(client, url))


def use_cells(use):
    """An equipment fact's identifying and sortable cells, as the CSV writes them."""
    return {
        "carrier": use.carrier.slug,
        "vendor": use.vendor.slug,
        "segment": use.segment,
        "technology": use.technology,
        "status": use.status,
        "valid_from": use.valid_from_date.isoformat() if use.valid_from_date else "",
        "valid_to": use.valid_to_date.isoformat() if use.valid_to_date else "",
    }


NATURAL_KEY = ("carrier", "vendor", "segment", "technology", "valid_from")


def natural_key(cells):
    return tuple(cells[column] for column in NATURAL_KEY)


# Sample data


def test_equipment_csv_for_korea_and_huawei_holds_lg_uplus_only(client, sample_data, transactional_db):
    rows = csv_rows(client, "/equipment.csv?country=KR&vendor=huawei")
    assert [(row["carrier"], row["carrier_name"], row["vendor"]) for row in rows] == [
        ("lg-uplus", "LG Uplus", "huawei")
    ]
    assert rows[0]["country"] == "KR"
    assert rows[0]["valid_from"] == ""
    assert rows[0]["sources"] == "south-korea-refuses-to-join-the-us-drive-against-huawei"


def test_carriers_csv_of_the_sample_data_lists_the_three_korean_carriers(client, sample_data):
    rows = csv_rows(client, "/carriers.csv?country=KR")
    assert [(row["slug"], row["country"], row["clean_labels"]) for row in rows] == [
        ("kt", "KR", "1"),
        ("lg-uplus", "KR", "0"),
        ("sk-telecom", "KR", "1"),
    ]


# The same rows as the page, in the same order


@pytest.fixture
def equipment_120(transactional_db):
    """120 equipment facts over 24 carriers in three countries; many ties on segment, status and dates."""
    countries = [CountryFactory(code=code, name=name) for code, name in [("KR", "Korea"), ("JP", "Japan")]]
    countries.append(CountryFactory(code="DE", name="Germany", region="europe"))
    vendors = [VendorFactory(slug=slug, name=slug.title()) for slug in ("huawei", "nokia", "ericsson")]
    carriers = [CarrierFactory(slug=f"telco-{index:02}", country=countries[index % 3]) for index in range(24)]
    source = SourceFactory()
    combos = [(segment, technology) for segment in NetworkSegment for technology in Technology]
    precisions = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
    for index in range(120):
        round_, carrier = divmod(index, 24)
        segment, technology = combos[round_ * 7 % len(combos)]
        EquipmentUseFactory(
            carrier=carriers[carrier],
            vendor=vendors[(index + round_) % 3],
            segment=segment,
            technology=technology,
            status=list(EquipmentStatus)[index % 5],
            confidence=list(Confidence)[index % 3],
            valid_from=None if index % 11 == 0 else datetime.date(2015 + index % 6, 1 + index % 12, 1 + index % 28),
            valid_from_precision=precisions[index % 3],
            cited=source,
        )


# (query, the column the order is on; None: the default order, which the natural key makes total)
PAGE_AND_CSV_QUERIES = [
    ("", None),
    ("since=2017-01-01&until=2019-12-31&confidence=reported", None),
    ("vendor=nokia&status=in-use&status=planned", None),
    ("ordering=segment", "segment"),
    ("ordering=-status", "status"),
    ("ordering=valid_from", "valid_from"),
    ("ordering=-valid_to", "valid_to"),
    ("ordering=vendor", "vendor"),
    ("country=KR&ordering=-valid_from", "valid_from"),
    ("country=KR&country=DE&vendor=nokia&ordering=carrier", "carrier"),
    ("status=in-use&status=planned&ordering=technology", "technology"),
    ("as_of=2018-06-01&ordering=-carrier", "carrier"),
]


def test_equipment_csv_rows_equal_the_page_rows_in_order(client, equipment_120, subtests):
    for query, order_column in PAGE_AND_CSV_QUERIES:
        with subtests.test(query=query):
            page = [use_cells(use) for use in client.get(f"/equipment/?{query}&page_size=500").context["page_obj"]]
            rows = csv_rows(client, f"/equipment.csv?{query}")
            assert len(rows) > 1
            assert sorted(natural_key(row) for row in rows) == sorted(natural_key(cells) for cells in page)
            if order_column is None:
                assert [natural_key(row) for row in rows] == [natural_key(cells) for cells in page]
            else:
                # Rows that tie on the ordering column may come in any order: see the tiebreaker test below.
                assert [row[order_column] for row in rows] == [cells[order_column] for cells in page]


@pytest.mark.parametrize(
    "url",
    [
        "/equipment/?ordering=segment",
        "/equipment/?ordering=-carrier",
        "/carriers/",
        "/carriers/?ordering=country",
        "/countries/?ordering=region",
        "/vendors/?ordering=headquarters",
        "/initiatives/?ordering=sponsor",
        "/events/?ordering=held_on",
    ],
)
def test_list_ordering_ends_with_a_unique_tiebreaker(client, db, url):
    query = client.get(url).context["page_obj"].paginator.object_list.query
    ordering = list(query.order_by) or list(query.get_meta().ordering)
    assert ordering[-1].lstrip("-") in {"pk", "id", "slug", "code"}


def test_equipment_csv_holds_every_row_not_only_the_first_page(client, equipment_120):
    page = client.get("/equipment/").context["page_obj"]
    rows = csv_rows(client, "/equipment.csv")
    assert len(page) == 50
    assert len(rows) == EquipmentUse.objects.count() == 120
    assert [natural_key(row) for row in rows[:50]] == [natural_key(use_cells(use)) for use in page]


def test_csv_ignores_the_page_parameters(client, equipment_120):
    assert csv_rows(client, "/equipment.csv?page=2&page_size=10") == csv_rows(client, "/equipment.csv")


@pytest.mark.parametrize(
    ("path", "key", "attribute"),
    [
        ("carriers", "slug", "slug"),
        ("countries", "code", "code"),
        ("vendors", "slug", "slug"),
        ("initiatives", "slug", "slug"),
        ("events", "slug", "slug"),
    ],
)
@pytest.mark.parametrize("ordering", ["", "-name", "name"])
def test_list_csv_rows_equal_the_page_rows_in_order(client, reference_world, path, key, attribute, ordering):
    page = client.get(f"/{path}/?ordering={ordering}&page_size=500").context["page_obj"]
    rows = csv_rows(client, f"/{path}.csv?ordering={ordering}")
    assert [row[key] for row in rows] == [getattr(record, attribute) for record in page]
    assert len(rows) > 1


def test_carrier_csv_follows_the_page_ordering_by_country(client, reference_world):
    page = client.get("/carriers/?ordering=-country&vendor=huawei&page_size=500").context["page_obj"]
    rows = csv_rows(client, "/carriers.csv?ordering=-country&vendor=huawei")
    assert [row["slug"] for row in rows] == [carrier.slug for carrier in page]
    assert [row["country"] for row in rows] == ["KR", "JP"]


@pytest.fixture
def reference_world(db):
    """Carriers, vendors, initiatives and events with dates at every precision and several citations."""
    korea = CountryFactory(code="KR", name="South Korea")
    japan = CountryFactory(code="JP", name="Japan")
    usa = CountryFactory(code="US", name="United States", region="americas")
    huawei = VendorFactory(slug="huawei", name="Huawei", aliases="Huawei Technologies\n华为")
    nokia = VendorFactory(slug="nokia", name="Nokia", headquarters=CountryFactory(code="FI", region="europe"))
    clean = InitiativeFactory(slug="clean-network", name="Clean Network", sponsor=usa)
    clean.targeted_vendors.set([huawei])
    InitiativeFactory(
        slug="prague",
        name="Prague Proposals",
        sponsor=CountryFactory(code="CZ", name="Czechia", region="europe"),
        launched_on=datetime.date(2019, 5, 3),
        launched_on_precision=DatePrecision.DAY,
        ended_on=datetime.date(2021, 1, 1),
        ended_on_precision=DatePrecision.YEAR,
    )
    lg = CarrierFactory(slug="lg-uplus", name="LG Uplus", country=korea, aliases="LG U+\nLG Telecom")
    kt = CarrierFactory(slug="kt", name="KT", country=korea)
    docomo = CarrierFactory(slug="docomo", name="NTT Docomo", country=japan)
    with_url = SourceFactory(title="Report with URL", url="https://example.org/report")
    without_url = SourceFactory(title="Offline memo", url="")
    use = EquipmentUseFactory(
        carrier=lg,
        vendor=huawei,
        valid_from=datetime.date(2020, 8, 5),
        valid_to=datetime.date(2021, 1, 1),
        valid_to_precision=DatePrecision.YEAR,
        cited=with_url,
    )
    use.citations.create(source=without_url, quote="Also says so.")
    use.citations.create(source=with_url, location="p. 9", quote="Again.")
    EquipmentUseFactory(
        carrier=lg, vendor=huawei, segment="core", valid_from=datetime.date(2020, 8, 1), valid_from_precision="month"
    )
    EquipmentUseFactory(
        carrier=kt, vendor=nokia, valid_from=datetime.date(2020, 1, 1), valid_from_precision=DatePrecision.YEAR
    )
    EquipmentUseFactory(carrier=docomo, vendor=huawei, valid_from=None)
    CleanLabelFactory(carrier=kt, initiative=clean)
    dialogue = EventFactory(
        slug="dialogue", name="Dialogue", held_on=datetime.date(2020, 10, 1), held_on_precision=DatePrecision.MONTH
    )
    dialogue.countries.set([korea, usa])
    dialogue.initiatives.set([clean])
    summit = EventFactory(slug="summit", name="Summit", held_on=datetime.date(2021, 1, 1), held_on_precision="year")
    summit.countries.set([japan])
    CountryPositionFactory(country=korea, initiative=clean, event=dialogue)


# Response


def test_csv_is_streamed_as_utf8_text_csv(client, reference_world, transactional_db):
    response = client.get("/equipment.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "Huawei" in b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize(
    ("url", "filename"),
    [
        ("/equipment.csv?country=KR", "equipment-KR-{today}.csv"),
        ("/equipment.csv?vendor=huawei", "equipment-{today}.csv"),
        ("/carriers.csv", "carriers-{today}.csv"),
        ("/carriers.csv?country=JP", "carriers-JP-{today}.csv"),
        ("/events.csv?country=US", "events-US-{today}.csv"),
        ("/vendors.csv", "vendors-{today}.csv"),
    ],
)
def test_csv_is_an_attachment_named_after_the_list_country_and_day(client, reference_world, url, filename):
    response = client.get(url)
    expected = filename.format(today=timezone.localdate().isoformat())
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'


@pytest.mark.parametrize("path", ["/equipment.csv", "/carriers.csv", "/events.csv"])
def test_bom_1_starts_the_csv_with_a_byte_order_mark(client, reference_world, transactional_db, path):
    with_bom = download(client, f"{path}?bom=1")
    without = download(client, path)
    assert with_bom.startswith(BOM)
    assert not without.startswith(BOM)
    assert with_bom[len(BOM) :] == without


def test_csv_header_names_the_columns(client, reference_world):
    header = download(client, "/equipment.csv").decode().splitlines()[0]
    assert header == (
        "id,carrier,carrier_name,country,vendor,vendor_name,segment,technology,status,"
        "valid_from,valid_to,share_percent,confidence,notes,sources,changed"
    )


# Cells


def test_equipment_dates_are_written_at_their_precision(client, reference_world, transactional_db):
    rows = {(row["carrier"], row["segment"]): row for row in csv_rows(client, "/equipment.csv")}
    assert rows[("lg-uplus", "ran")]["valid_from"] == "2020-08-05"
    assert rows[("lg-uplus", "ran")]["valid_to"] == "2021"
    assert rows[("lg-uplus", "core")]["valid_from"] == "2020-08"
    assert rows[("kt", "ran")]["valid_from"] == "2020"
    assert rows[("docomo", "ran")]["valid_from"] == ""


def test_initiative_and_event_dates_are_written_at_their_precision(client, reference_world):
    initiatives = {row["slug"]: row for row in csv_rows(client, "/initiatives.csv")}
    events = {row["slug"]: row for row in csv_rows(client, "/events.csv")}
    assert (initiatives["prague"]["launched_on"], initiatives["prague"]["ended_on"]) == ("2019-05-03", "2021")
    assert initiatives["clean-network"]["launched_on"] == "2020-08"
    assert events["dialogue"]["held_on"] == "2020-10"
    assert events["summit"]["held_on"] == "2021"


def test_sources_cell_joins_the_key_of_each_cited_source_once(client, reference_world, transactional_db):
    rows = csv_rows(client, "/equipment.csv?carrier=lg-uplus&segment=ran")
    assert [row["sources"] for row in rows] == ["report-with-url | offline-memo"]


def test_multi_valued_cells_join_slugs_and_codes_and_put_free_text_one_per_line(client, reference_world):
    vendors = {row["slug"]: row for row in csv_rows(client, "/vendors.csv")}
    events = {row["slug"]: row for row in csv_rows(client, "/events.csv")}
    carriers = {row["slug"]: row for row in csv_rows(client, "/carriers.csv")}
    assert vendors["huawei"]["targeted_by"] == "clean-network"
    assert vendors["huawei"]["aliases"] == "Huawei Technologies\n华为"
    assert set(events["dialogue"]["countries"].split(" | ")) == {"KR", "US"}
    assert events["dialogue"]["initiatives"] == "clean-network"
    assert carriers["lg-uplus"]["aliases"] == "LG U+\nLG Telecom"


REFERENCE_COLUMNS = {
    "/carriers.csv": ["slug", "country"],
    "/vendors.csv": ["slug", "headquarters", "targeted_by"],
    "/initiatives.csv": ["slug", "sponsor", "targeted_vendors"],
    "/events.csv": ["slug", "countries", "initiatives"],
    "/countries.csv": ["code"],
    "/labels.csv": ["carrier", "country", "initiative"],
    "/positions.csv": ["country", "initiative", "event"],
}


def assert_refers_by_slug_or_code(rows, columns):
    identifiers = set(Country.objects.values_list("code", flat=True))
    for model in (Carrier, Vendor, Initiative, Event):
        identifiers |= set(model.objects.values_list("slug", flat=True))
    cells = [value for row in rows for column in columns for value in row[column].split(" | ")]
    assert rows
    assert not [cell for cell in cells if cell.isdigit()]
    assert set(cells) - {""} <= identifiers
    # A fact's own public id is its `id` column; no column names a related record by its database id.
    assert not [name for name in rows[0] if name.endswith("_id")]


@pytest.mark.parametrize("path", REFERENCE_COLUMNS)
def test_csv_refers_to_records_by_slug_or_iso_code_never_by_database_id(client, reference_world, path):
    assert_refers_by_slug_or_code(csv_rows(client, path), REFERENCE_COLUMNS[path])


def test_equipment_csv_refers_to_records_by_slug_or_iso_code(client, reference_world, transactional_db):
    assert_refers_by_slug_or_code(csv_rows(client, "/equipment.csv"), ["carrier", "country", "vendor"])


# Spreadsheet safety


@pytest.fixture
def dangerous_world(db):
    """A carrier, a vendor, a source and equipment notes for each dangerous value."""
    korea = CountryFactory(code="KR")
    initiative = InitiativeFactory(slug="safe-initiative", name="=Initiative()")
    for index, value in enumerate(DANGEROUS):
        carrier = CarrierFactory(slug=f"danger-{index}", name=value, aliases=f"{value}\nsecond", country=korea)
        vendor = VendorFactory(slug=f"vendor-{index}", name=value, aliases=value)
        source = SourceFactory(title=value, url="")
        EquipmentUseFactory(carrier=carrier, vendor=vendor, notes=value, cited=source)
        CleanLabelFactory(carrier=carrier, initiative=initiative, wording=value, notes=value, cited=source)
    return DANGEROUS


@pytest.mark.parametrize("path", ["/carriers.csv", "/vendors.csv", "/labels.csv", "/initiatives.csv", "/sources.csv"])
def test_downloaded_csv_has_no_cell_a_spreadsheet_would_run(client, dangerous_world, path):
    rows = csv.reader(io.StringIO(download(client, path).decode("utf-8"), newline=""))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]
    assert any(cell.startswith("'") for cell in cells)


def test_dangerous_names_and_notes_arrive_with_a_leading_apostrophe(client, dangerous_world, transactional_db):
    body = download(client, "/equipment.csv?country=KR")
    cells = [cell for row in csv.reader(io.StringIO(body.decode("utf-8"), newline="")) for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]
    rows = parsed(body)
    assert sorted(row["carrier_name"] for row in rows) == sorted("'" + value for value in DANGEROUS)
    assert sorted(row["vendor_name"] for row in rows) == sorted("'" + value for value in DANGEROUS)
    assert sorted(row["notes"] for row in rows) == sorted("'" + value for value in DANGEROUS)
    assert sorted(row["sources"] for row in rows) == sorted(Source.objects.values_list("key", flat=True))


@pytest.fixture
def one_use(transactional_db):
    return EquipmentUseFactory(carrier=CarrierFactory(slug="the-carrier"), cited=SourceFactory(title="A source"))


# Text a database can store: UTF-8 encodable, no NUL (PostgreSQL rejects it); carrier names hold 150 characters.
STORABLE = st.characters(codec="utf-8", exclude_characters="\x00")
NAMES = st.text(STORABLE, max_size=150)
NOTES = st.text(STORABLE)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, notes=NOTES)
def test_any_carrier_name_and_notes_reach_the_csv_escape(client, one_use, name, notes):
    # update() skips the save signals, so each example costs two UPDATEs and a download.
    Carrier.objects.filter(pk=one_use.carrier_id).update(name=name)
    EquipmentUse.objects.filter(pk=one_use.pk).update(notes=notes)
    [row] = csv_rows(client, "/equipment.csv?carrier=the-carrier")
    assert row["carrier_name"] == escape(name)
    assert row["notes"] == escape(notes)
    assert not row["carrier_name"].startswith(FORMULA_TRIGGERS)
    assert not row["notes"].startswith(FORMULA_TRIGGERS)
