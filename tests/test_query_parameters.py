"""What a list makes of its query string: filters named on the page, ISO codes in either case, parameters
it does not read named rather than silently ignored (pages and API alike), the two CSV downloads."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from carriers.api.views import ALL as API_LISTS

HOST = {"HTTP_HOST": "localhost"}
# Every public list's FilterSet, the page's and the API's alike.
LIST_FILTERS = [endpoint.filterset_class for endpoint in API_LISTS.values()]
LIST_PAGES = [f"/{prefix}/" for prefix in API_LISTS]
MISSPELT = "Unknown parameter “contry”: not a filter of this list, so not applied."


@pytest.mark.parametrize("filterset_class", LIST_FILTERS, ids=lambda cls: cls.__name__)
def test_every_filter_of_every_list_has_a_readable_heading(db, filterset_class):
    assert_readable_headings(filterset_class)


def assert_readable_headings(filterset_class):
    form = filterset_class({}, queryset=filterset_class._meta.model.objects.none()).form
    labels = {name: field.label for name, field in form.fields.items()}
    assert all(label and "invalid" not in label for label in labels.values()), labels


@pytest.mark.parametrize("filterset_class", LIST_FILTERS, ids=lambda cls: cls.__name__)
def test_filters_keep_their_headings_after_the_api_schema_read_them(client, db, filterset_class):
    assert client.get("/api/v1/schema/").status_code == 200  # builds form fields from the classes' filters
    assert_readable_headings(filterset_class)


def test_events_initiative_filter_is_headed_initiative(client, sample_data):
    response = client.get("/events/")
    assertContains(response, '<fieldset class="filter filter-initiative"><legend>Initiative</legend>', html=False)
    assertNotContains(response, "[invalid name]")


def test_a_lower_case_country_address_redirects_permanently_to_the_iso_code(client, sample_data):
    response = client.get("/countries/kr/?as_of=2020")
    assert response.status_code == 301
    assert response["Location"] == "/countries/KR/?as_of=2020"
    assert client.get("/countries/KR/").status_code == 200


def test_a_lower_case_address_no_country_has_is_not_found_rather_than_redirected(client, sample_data):
    assert client.get("/countries/zz/").status_code == 404
    assert client.get("/countries/huawei/").status_code == 404


def test_a_lower_case_country_filter_is_read_as_the_iso_code_on_the_page(client, sample_data):
    response = client.get("/carriers/?country=kr")
    assert response.status_code == 200
    assert [carrier.country_id for carrier in response.context["page_obj"]] == ["KR"] * 3
    assertContains(response, 'value="KR" id="id_country_0" checked', html=False)
    assertNotContains(response, 'value="kr"')


def test_a_lower_case_country_filter_is_read_as_the_iso_code_in_csv_and_api(client, sample_data):
    lower = client.get("/equipment.csv?country=kr")
    upper = client.get("/equipment.csv?country=KR")
    assert lower.status_code == 200
    assert b"".join(lower.streaming_content) == b"".join(upper.streaming_content)
    assert "equipment-KR-" in lower["Content-Disposition"]
    body = client.get("/api/v1/equipment/?country=kr", **HOST).json()
    assert body["count"] == client.get("/api/v1/equipment/?country=KR", **HOST).json()["count"] > 0


@pytest.mark.parametrize("path", LIST_PAGES)
def test_a_list_page_names_a_parameter_it_does_not_read(client, sample_data, path):
    response = client.get(f"{path}?contry=KR")
    assert response.status_code == 200
    assertContains(response, f'<div class="notice" role="status"><ul><li>{MISSPELT}</li></ul></div>', html=True)


def test_the_notice_is_not_served_from_the_cache_of_the_same_list_without_it(client, sample_data):
    assertNotContains(client.get("/carriers/"), MISSPELT)
    assertContains(client.get("/carriers/?contry=KR"), MISSPELT)
    assertNotContains(client.get("/carriers/"), MISSPELT)


@pytest.mark.parametrize(
    "query", ["page=1&page_size=10", "bom=1", "ordering=name", "as_of=2020", "format=json", "country=KR&q=kt"]
)
def test_paging_sorting_and_the_lists_own_parameters_are_not_unknown(client, sample_data, query):
    response = client.get(f"/carriers/?{query}")
    assert response.status_code == 200
    assert response.context["warnings"] == []
    assertNotContains(response, "Unknown parameter")


def test_a_bad_filter_page_still_names_the_unknown_parameter(client, sample_data):
    response = client.get("/carriers/?country=ZZ&contry=KR")
    assert response.status_code == 400
    assertContains(response, MISSPELT, status_code=400)


@pytest.mark.parametrize("prefix", list(API_LISTS))
def test_the_api_carries_the_same_warning(client, sample_data, prefix):
    body = client.get(f"/api/v1/{prefix}/?contry=KR&page_size=1", **HOST).json()
    assert body["warnings"] == [MISSPELT]


def test_the_api_warns_of_each_unknown_parameter_and_not_of_its_own(client, sample_data):
    body = client.get("/api/v1/events/?zzz=1&contry=KR&cursor=&page_size=2&format=json", **HOST).json()
    assert body["warnings"] == [MISSPELT, "Unknown parameter “zzz”: not a filter of this list, so not applied."]
    assert "warnings" not in client.get("/api/v1/events/?country=KR&page_size=2", **HOST).json()


def test_the_schema_documents_the_warnings(client, db):
    schema = client.get("/api/v1/schema/?format=json", **HOST).json()
    page = schema["components"]["schemas"]["PaginatedCarrierList"]
    assert page["properties"]["warnings"]["items"] == {"type": "string"}
    assert "warnings" not in page["required"]


def test_every_list_offers_the_plain_and_the_excel_friendly_csv_of_its_filters(client, sample_data):
    response = client.get("/carriers/?country=KR&page=1&bom=1")
    assertContains(response, '<a class="download" href="/carriers.csv?country=KR" download>', html=False)
    assertContains(response, 'href="/carriers.csv?country=KR&amp;bom=1" download', html=False)
    unfiltered = client.get("/events/")
    assertContains(unfiltered, 'href="/events.csv?bom=1" download', html=False)
    assertContains(unfiltered, ">CSV for Excel</a>", html=False)
