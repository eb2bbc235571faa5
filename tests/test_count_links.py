"""Every count on the dashboard and the detail pages equals the rows of the list it links to, on its date."""

import csv
import datetime
import io
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from carriers.models import DatePrecision, EquipmentStatus, Stance, Technology
from tests.factories import (
    CarrierFactory,
    CleanLabelFactory,
    CountryFactory,
    CountryPositionFactory,
    EquipmentUseFactory,
    InitiativeFactory,
    VendorFactory,
)

LIST_PAGES = {"/carriers/", "/equipment/", "/labels/", "/positions/", "/countries/", "/vendors/", "/events/"}
# as_of values the pages are walked at: none (today), a day, a year, a month.
DATES = [None, "2021-06-15", "2020", "2020-10"]
# (page, fewest count links it must show: a page that lost its links must not pass for lack of any)
PAGES = [
    ("/", 4 + 3 * 3),
    ("/countries/CN/", 3 + 1 + 7 + 1),
    ("/countries/KR/", 3 + 1 + 4 + 1),
    ("/carriers/kr-lte/", 2),
    ("/vendors/huawei/", 2 * 2 + 2),
]


@pytest.fixture
def world(transactional_db):
    """Huawei and ZTE (targeted) and Ericsson in China, South Korea and Japan: uses in force, ended, future,
    planned, removed, of unknown status and phasing out; labels current and withdrawn; positions.

    Committed, as on PostgreSQL the equipment CSV streams from COPY on a connection of its own.
    """
    china = CountryFactory(code="CN", name="China")
    korea = CountryFactory(code="KR", name="South Korea")
    CountryFactory(code="JP", name="Japan")
    huawei = VendorFactory(name="Huawei", slug="huawei")
    zte = VendorFactory(name="ZTE", slug="zte")
    ericsson = VendorFactory(name="Ericsson", slug="ericsson", headquarters=CountryFactory(code="SE", name="Sweden"))
    clean = InitiativeFactory(name="Clean Network", slug="clean-network")
    clean.targeted_vendors.set([huawei, zte])

    def carrier(slug, country):
        return CarrierFactory(slug=slug, name=slug.replace("-", " ").title(), country=country)

    def use(slug, country, vendor, status=EquipmentStatus.IN_USE, **dates):
        return EquipmentUseFactory(carrier=carrier(slug, country), vendor=vendor, status=status, **dates)

    use("cn-current", china, huawei)
    use("cn-ended", china, huawei, valid_to=datetime.date(2021, 6, 1), valid_to_precision=DatePrecision.MONTH)
    use("cn-planned", china, huawei, EquipmentStatus.PLANNED)
    use("cn-removed", china, huawei, EquipmentStatus.REMOVED, valid_from=datetime.date(2021, 1, 1))
    use("cn-future", china, huawei, valid_from=datetime.date(2030, 1, 1), valid_from_precision=DatePrecision.MONTH)
    use("cn-unknown", china, huawei, EquipmentStatus.UNKNOWN)
    use(
        "cn-phasing",
        china,
        zte,
        EquipmentStatus.PHASING_OUT,
        valid_from=datetime.date(2020, 10, 1),
        valid_from_precision=DatePrecision.MONTH,
    )
    clean_label = use("kr-clean", korea, ericsson).carrier
    CleanLabelFactory(carrier=clean_label, initiative=clean, awarded_on=datetime.date(2020, 6, 24))
    withdrawn = carrier("kr-withdrawn", korea)
    CleanLabelFactory(
        carrier=withdrawn,
        initiative=clean,
        awarded_on=datetime.date(2020, 6, 1),
        awarded_on_precision=DatePrecision.MONTH,
        withdrawn_on=datetime.date(2020, 10, 15),
    )
    use(
        "kr-former",
        korea,
        huawei,
        valid_from=datetime.date(2018, 1, 1),
        valid_to=datetime.date(2020, 1, 1),
        valid_to_precision=DatePrecision.YEAR,
    )
    lte = use("kr-lte", korea, huawei, technology=Technology.G4).carrier
    EquipmentUseFactory(
        carrier=lte,
        vendor=huawei,
        technology=Technology.G5,
        status=EquipmentStatus.REMOVED,
        valid_from=datetime.date(2021, 1, 1),
    )
    carrier("jp-bare", CountryFactory(code="JP"))
    CountryPositionFactory(
        country=korea,
        initiative=clean,
        stance=Stance.DECLINED,
        stated_on=datetime.date(2020, 10, 1),
        stated_on_precision=DatePrecision.MONTH,
    )
    CountryPositionFactory(country=korea, initiative=clean, stance=Stance.SUPPORTS, stated_on=datetime.date(2024, 3, 1))


class Links(HTMLParser):
    """Each <a>'s href and text."""

    def __init__(self):
        super().__init__()
        self.links, self.open = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.open = [dict(attrs).get("href", ""), ""]

    def handle_data(self, data):
        if self.open is not None:
            self.open[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self.open is not None:
            self.links.append(tuple(self.open))
            self.open = None


def count_links(html):
    """(number shown, href) for every link from a count to a filtered list."""
    parser = Links()
    parser.feed(html)
    counts = []
    for href, text in parser.links:
        address = urlsplit(href)
        number = re.search(r"\d[\d,]*", text)
        if address.path in LIST_PAGES and address.query and number:
            counts.append((int(number.group().replace(",", "")), href))
    return counts


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows_listed(client, href):
    """Rows of the list page at `href`, checked against its CSV twin."""
    page = client.get(href)
    assert page.status_code == 200, href
    shown = re.search(r'<span class="count">([\d,]+) rows?</span>', page.content.decode())
    address = urlsplit(href)
    download = client.get(f"{address.path.rstrip('/')}.csv?{address.query}")
    assert download.status_code == 200, href
    csv_rows = len(list(csv.reader(io.StringIO(body(download).decode())))) - 1
    assert int(shown.group(1).replace(",", "")) == csv_rows, href
    return csv_rows


def with_as_of(path, as_of):
    return f"{path}?as_of={as_of}" if as_of else path


@pytest.mark.parametrize("as_of", DATES)
@pytest.mark.parametrize(("path", "fewest_links"), PAGES)
def test_every_count_link_lists_as_many_rows_as_the_count(client, world, subtests, path, fewest_links, as_of):
    response = client.get(with_as_of(path, as_of))
    assert response.status_code == 200
    counts = count_links(response.content.decode())
    assert len(counts) >= fewest_links
    expected_date = as_of or timezone.localdate().isoformat()
    for number, href in counts:
        with subtests.test(href=href):
            query = parse_qs(urlsplit(href).query)
            # A count of every date links to every date; any other carries the date it was counted on.
            assert query.get("as_of", query.get("until")) in ([expected_date], None)
            assert rows_listed(client, href) == number


def test_walked_counts_include_dated_and_nonzero_ones(client, world):
    """The walk means something only if the counts it follows are dated and some are not zero."""
    counts = count_links(client.get("/?as_of=2020").content.decode())
    assert all("as_of=2020" in href for _, href in counts)
    assert sum(number > 0 for number, _ in counts) >= 8


def exposure(client, path):
    """{country code: (carriers, using a targeted vendor, labelled clean)} from the dashboard's context."""
    return {
        country.code: (country.carrier_count, country.targeted_carrier_count, country.labelled_carrier_count)
        for country in client.get(path).context["countries"]
    }


@pytest.mark.parametrize(
    ("as_of", "china", "korea"),
    [
        # Today: China's current Huawei and phasing-out ZTE; not ended, future, planned, removed or unknown ones.
        (None, (7, 2, 0), (4, 1, 1)),
        # 2020: the use that ended in Jun 2021 too; Korea's use ending "in 2020" and its label withdrawn in Oct.
        ("2020", (7, 3, 0), (4, 2, 2)),
        # Korea's use ended "in 2020": in force in every month of it.
        ("2020-09", (7, 2, 0), (4, 2, 2)),
        ("2020-10", (7, 3, 0), (4, 2, 2)),
        ("2020-11", (7, 3, 0), (4, 2, 1)),
    ],
)
def test_dashboard_counts_carriers_using_a_targeted_vendor_in_use_on_the_date(client, world, as_of, china, korea):
    counts = exposure(client, with_as_of("/", as_of))
    assert (counts["CN"], counts["KR"]) == (china, korea)


@pytest.mark.parametrize(("as_of", "in_force"), [(None, 8), ("2020", 8), ("2019-01", 1)])
def test_dashboard_counts_equipment_facts_in_force_on_the_date(client, world, as_of, in_force):
    assert client.get(with_as_of("/", as_of)).context["headline"]["equipment_uses"] == in_force


@pytest.mark.parametrize(("as_of", "china", "korea"), [(None, (1, 1), (1, 1)), ("2020", (2, 2), (2, 2))])
def test_vendor_page_counts_only_uses_in_force_and_in_use(client, world, as_of, china, korea):
    rows = client.get(with_as_of("/vendors/huawei/", as_of)).context["by_country"]
    counts = {row["carrier__country"]: (row["carriers"], row["uses"]) for row in rows}
    assert counts == {"CN": china, "KR": korea}


def equipment_headings(response):
    return re.findall(r"<h4>.*?</h4>", response.content.decode(), re.S)


def test_carrier_page_shows_an_ended_use_as_ended(client, world):
    [heading] = equipment_headings(client.get("/carriers/cn-ended/"))
    assert "Ended Jun 2021" in heading
    assert "In use" not in heading


@pytest.mark.parametrize("as_of", ["2021-06", "2021", "2020-01-01"])
def test_carrier_page_shows_the_use_in_use_on_a_date_it_was(client, world, as_of):
    [heading] = equipment_headings(client.get(f"/carriers/cn-ended/?as_of={as_of}"))
    assert "In use" in heading
    assert "Ended" not in heading


def test_carrier_page_shows_a_future_use_as_not_begun(client, world):
    [heading] = equipment_headings(client.get("/carriers/cn-future/"))
    assert "Begins Jan 2030" in heading
    assert "In use" not in heading


@pytest.mark.parametrize("as_of", DATES)
def test_carrier_page_marks_in_force_exactly_the_uses_its_count_counts(client, world, as_of):
    response = client.get(with_as_of("/carriers/kr-lte/", as_of))
    unmarked = [h for h in equipment_headings(response) if "Ended" not in h and "Begins" not in h]
    assert len(unmarked) == response.context["in_force_total"]


@pytest.mark.parametrize("path", ["/", "/countries/CN/", "/carriers/cn-ended/", "/vendors/huawei/"])
@pytest.mark.parametrize("as_of", ["2020-13", "2020-02-30", "yesterday", "20201"])
def test_malformed_as_of_is_a_400_saying_what_is_wrong(client, world, path, as_of):
    response = client.get(f"{path}?as_of={as_of}")
    assert response.status_code == 400
    assertContains(response, f"As of: “{as_of}” is not a date like 2020, 2020-08 or 2020-08-05.", status_code=400)


def test_dates_of_one_page_are_cached_apart(client, world):
    def targeted(path):
        return re.search(r"targeted=yes&amp;as_of=[\d-]+\">(\d+)</a>", client.get(path).content.decode()).group(1)

    assert targeted("/?as_of=2020") == "5"
    assert targeted("/") == "3"
    assert targeted("/?as_of=2020") == "5"  # served from the cache now
    assert targeted("/?as_of=2020-09") == "4"


def test_page_as_of_names_its_date_at_its_precision(client, world):
    assertContains(client.get("/?as_of=2020-10"), "Counts are as of Oct 2020, counting every fact in force at any")
    assertNotContains(client.get("/?as_of=2020-10-05"), "counting every fact in force at any")
