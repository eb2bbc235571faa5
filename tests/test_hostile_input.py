"""Random and hostile query strings and URLs: every public list, CSV and detail page answers 2xx/4xx, never 500.

Each endpoint gets HYPOTHESIS_EXAMPLES examples (default 200); CI runs the default.
"""

import datetime
import os
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from carriers import filters
from tests.factories import CarrierFactory, SourceFactory

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "200"))
HOSTILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FILTERSETS = {
    "countries": filters.CountryFilter,
    "carriers": filters.CarrierFilter,
    "vendors": filters.VendorFilter,
    "initiatives": filters.InitiativeFilter,
    "equipment": filters.EquipmentUseFilter,
    "labels": filters.CleanLabelFilter,
    "positions": filters.CountryPositionFilter,
    "events": filters.EventFilter,
    "sources": filters.SourceFilter,
}
LIST_PATHS = [path for name in FILTERSETS for path in (f"/{name}/", f"/{name}.csv")]
# Parameters every list reads besides its filters.
COMMON_PARAMETERS = ["page", "page_size", "bom"]
ALL_PARAMETERS = sorted(
    {name for filterset in FILTERSETS.values() for name in filterset.base_filters} | {*COMMON_PARAMETERS}
)

# Values the filters accept, so that random combinations reach past validation into the queries.
SAMPLE_KEYS = ["KR", "US", "CN", "huawei", "zte", "kt", "sk-telecom", "lg-uplus", "clean-network", "yes", "no", "1"]
VALID_VALUES = sorted(
    {
        str(value)
        for filterset in FILTERSETS.values()
        for filter_ in filterset.base_filters.values()
        for value, _ in filter_.extra.get("choices", [])
    }
    | set(SAMPLE_KEYS)
)
HOSTILE_VALUES = [
    "",
    " ",
    "\x00",
    "KR\x00",
    "';drop table x;--",
    "' OR '1'='1",
    '"; SELECT pg_sleep(10); --',
    "%",
    "%%",
    "_",
    "\\",
    "null",
    "None",
    "[]",
    "{'a': 1}",
    "2020-02-30",
    "2020-13-01",
    "9999-12-31",
    "0000-01-01",
    "10000-01-01",
    "-0001-01-01",
    "2020-1-1",
    "20200101",
    "-1",
    "0",
    "-0",
    str(2**31),
    str(2**63),
    str(10**30),
    str(-(10**30)),
    "1e309",
    "NaN",
    "inf",
    "1.5",
    "１２",
    "١٢٣",
    "\u202eevil",
    "𝔥𝔲𝔞𝔴𝔢𝔦",
    "é" * 300,
    "<script>alert(1)</script>",
    "../../etc/passwd",
    ",",
    ",,name",
    "--name",
    "name,-name,name",
    '=HYPERLINK("http://x")',
]

keys_for = {
    name: st.one_of(
        st.sampled_from(sorted({*filterset.base_filters, *COMMON_PARAMETERS})),
        st.sampled_from(ALL_PARAMETERS),
        st.text(max_size=20),
    )
    for name, filterset in FILTERSETS.items()
}
values = st.one_of(
    st.sampled_from(VALID_VALUES),
    st.sampled_from(HOSTILE_VALUES),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    st.text(max_size=50),
    st.lists(st.sampled_from(VALID_VALUES + HOSTILE_VALUES[:20]), min_size=2, max_size=4).map(",".join),
)
# Hand-made query strings: stray %-escapes (some not UTF-8), separators, control characters.
raw_query_strings = st.lists(
    st.sampled_from([*"%&=;+#?/,.-_aZ09\x00\x7f ", "%ff", "%c0%80", "%zz", "%2", "%E2%82", "page=", "q="]), max_size=30
).map("".join)


def query_strings(list_name):
    pairs = st.lists(st.tuples(keys_for[list_name], values), max_size=8)
    # A repeated key is how a multiple-choice filter receives several values.
    repeated = pairs.map(lambda pairs: pairs + pairs[:2])
    return st.one_of(pairs.map(urlencode), repeated.map(urlencode), raw_query_strings)


def content(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def assert_answered(response, expected_type):
    """A 200 of the expected type, or a 400/404/414 whose body a person can read; never a 500."""
    status = response.status_code
    assert status in (200, 400, 404, 414), status
    text = content(response).decode("utf-8")
    if status == 200:
        assert response["Content-Type"].startswith(expected_type)
    else:
        assert response["Content-Type"].startswith(("text/plain", "text/html"))
    assert text.strip()


@pytest.fixture
def hostile_client(client, sample_data):
    # A server error becomes a 500 response to assert on, as a visitor would get it.
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("path", LIST_PATHS)
@HOSTILE
@given(data=st.data())
def test_list_and_csv_answer_any_query_string_without_a_server_error(hostile_client, path, data):
    list_name = path.strip("/").removesuffix(".csv")
    query = data.draw(query_strings(list_name), label="query string")
    response = hostile_client.get(path, QUERY_STRING=query)
    event(f"status {response.status_code}")  # --hypothesis-show-statistics: how many got past validation
    assert_answered(response, "text/csv" if path.endswith(".csv") else "text/html")


slugs = st.one_of(
    st.sampled_from(SAMPLE_KEYS),
    st.from_regex(r"\A[-a-zA-Z0-9_]{1,60}\Z"),
    st.text(min_size=1, max_size=60),
    st.sampled_from(HOSTILE_VALUES[1:]),
)
DETAIL_PREFIXES = {
    "/countries/": slugs,
    "/carriers/": slugs,
    "/vendors/": slugs,
    "/initiatives/": slugs,
    "/sources/": st.one_of(st.integers(min_value=-10, max_value=10**30).map(str), slugs),
}


@pytest.mark.parametrize("prefix", DETAIL_PREFIXES)
@HOSTILE
@given(data=st.data())
def test_detail_page_answers_any_key_with_a_page_or_not_found(hostile_client, prefix, data):
    key = data.draw(DETAIL_PREFIXES[prefix], label="key")
    response = hostile_client.get(prefix + quote(key, safe="") + "/")
    event(f"status {response.status_code}")
    if "\x00" in key:  # refused before any view, as in the query string
        assert response.status_code == 400
        assert_answered(response, "text/plain")
    elif prefix == "/countries/" and response.status_code == 301:  # a code in lower case: the page in capitals
        assert key != key.upper()
        assert response["Location"] == prefix + quote(key.upper(), safe="") + "/"
    else:
        assert response.status_code in (200, 404)
        assert_answered(response, "text/html")


def test_country_code_holding_a_nul_character_is_refused(hostile_client):
    response = hostile_client.get("/countries/%00/")
    assert response.status_code == 400
    assert_answered(response, "text/plain")


@pytest.mark.parametrize("path", [f"/{name}/" for name in FILTERSETS])
def test_list_keeps_a_stable_order_when_ordering_names_no_field(client, sample_data, path):
    response = client.get(path, {"ordering": ","})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.object_list.ordered


def test_a_malformed_filter_gets_a_small_400_not_listing_every_carrier(client, db, django_assert_max_num_queries):
    carriers = CarrierFactory.create_batch(300)
    SourceFactory.create_batch(50)
    with django_assert_max_num_queries(10):
        response = client.get("/equipment/", {"as_of": "2020-13", "carrier": carriers[7].slug})
    assert response.status_code == 400
    page = response.content.decode()
    assert "A month or a year stands for the whole period." in page
    assert f'value="{carriers[7].slug}"' in page  # the user's own choice is kept
    assert sum(carrier.slug in page for carrier in carriers) == 1
    assert len(response.content) < 40_000
