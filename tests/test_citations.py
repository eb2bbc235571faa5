"""The public citations list: every quote behind every fact, one list, in its page, CSV and API."""

import csv
import io

import pytest
from django.apps import apps

from carriers.models import CitationEntry, EquipmentUse, FactType
from carriers.models.citing import FACTS
from carriers.models.sources import Citation
from tests.factories import (
    CleanLabelFactory,
    CountryPositionFactory,
    DeadlineFactory,
    EquipmentUseFactory,
    EventFactory,
    RestrictionFactory,
    SourceFactory,
)


def csv_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"), newline="")))


@pytest.fixture
def one_of_each(db):
    """A fact of every kind, each citing a source of its own with its own words."""
    made = {
        FactType.EQUIPMENT: EquipmentUseFactory(),
        FactType.LABELS: CleanLabelFactory(),
        FactType.POSITIONS: CountryPositionFactory(),
        FactType.EVENTS: EventFactory(),
        FactType.RESTRICTIONS: RestrictionFactory(),
        FactType.DEADLINES: DeadlineFactory(),
    }
    for kind, fact in made.items():
        fact.citations.update(quote=f"The {kind} in the source's words.", location="paragraph 2")
    return made


def citation_models():
    return {model for model in apps.get_app_config("carriers").get_models() if issubclass(model, Citation)}


def test_the_list_holds_every_citation_of_every_kind_of_fact(one_of_each):
    # The database view unites every citation table: a new kind of fact must be added to it.
    assert {type(fact).citations.rel.related_model for fact in one_of_each.values()} == citation_models()
    assert set(FACTS) == set(FactType)
    expected = sum(model.objects.count() for model in citation_models())
    assert CitationEntry.objects.count() == expected >= len(FactType)
    for kind, fact in one_of_each.items():
        entry = CitationEntry.objects.public_list().get(fact_type=kind, fact_id=fact.pk)
        assert entry.fact == fact and entry.quote == f"The {kind} in the source's words."


def test_the_csv_names_each_fact_by_kind_id_and_key_with_the_quote(client, one_of_each):
    rows = csv_rows(client, "/citations.csv")
    assert list(rows[0]) == ["fact_type", "fact_id", "fact", "source", "quote", "location", "note"]
    by_kind = {row["fact_type"]: row for row in rows}
    use = one_of_each[FactType.EQUIPMENT]
    assert by_kind["equipment"]["fact_id"] == str(use.pk)
    assert by_kind["equipment"]["fact"] == f"{use.carrier.slug} | {use.vendor.slug} | ran | 5g | 2019-04-03"
    assert by_kind["events"]["fact"] == one_of_each[FactType.EVENTS].slug
    deadline = one_of_each[FactType.DEADLINES]
    assert by_kind["deadlines"]["fact"] == (
        f"{deadline.restriction.slug} | {deadline.due_date.isoformat()} | {deadline.description}"
    )
    assert by_kind["labels"]["quote"] == "The labels in the source's words."
    assert by_kind["labels"]["location"] == "paragraph 2"


def test_each_fact_rows_id_finds_its_citations(client, one_of_each, transactional_db):
    # On PostgreSQL the equipment CSV streams from COPY on a connection of its own: committed data.
    for kind in FactType:
        for row in csv_rows(client, f"/{kind}.csv"):
            cited = csv_rows(client, f"/citations.csv?fact_type={kind}&fact={row['id']}")
            assert cited and {citation["source"] for citation in cited} == set(row["sources"].split(" | "))


def test_filters_by_kind_source_and_words(client, one_of_each):
    source = one_of_each[FactType.EVENTS].citations.get().source
    assert {row["fact_type"] for row in csv_rows(client, "/citations.csv?fact_type=labels&fact_type=events")} == {
        "labels",
        "events",
    }
    assert [row["fact_type"] for row in csv_rows(client, f"/citations.csv?source={source.key}")] == ["events"]
    assert [row["fact_type"] for row in csv_rows(client, "/citations.csv?q=positions+in+the")] == ["positions"]
    page = client.get("/citations/?fact_type=deadlines")
    assert page.status_code == 200
    assert b"The deadlines in the source" in page.content and b"The labels in the source" not in page.content


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("fact=abc", "fact"), ("fact_type=rumours", "fact_type"), ("source=no-such-key", "source"), ("fact=0", "fact")],
)
def test_malformed_filters_are_a_400_naming_the_parameter(client, one_of_each, query, parameter):
    page, download, api = (
        client.get(f"{path}?{query}") for path in ["/citations/", "/citations.csv", "/api/v1/citations/"]
    )
    assert page.status_code == download.status_code == api.status_code == 400
    assert download.content.decode().startswith(f"{parameter}: ")
    assert parameter in api.json()


def test_a_quote_a_spreadsheet_would_run_is_escaped(client, db):
    EquipmentUseFactory(cited=SourceFactory()).citations.update(quote='=HYPERLINK("http://x")')
    assert csv_rows(client, "/citations.csv")[0]["quote"] == '\'=HYPERLINK("http://x")'


def test_the_api_lists_a_facts_citations_by_its_id(client, one_of_each):
    use = one_of_each[FactType.EQUIPMENT]
    body = client.get(f"/api/v1/citations/?fact_type=equipment&fact={use.pk}", HTTP_HOST="localhost").json()
    assert body["count"] == 1
    [entry] = body["results"]
    assert entry["fact"].startswith(use.carrier.slug) and entry["source"] == use.citations.get().source.key
    record = client.get(f"/api/v1/citations/{entry['id']}/", HTTP_HOST="localhost")
    assert record.status_code == 200 and record.json() == entry
    assert EquipmentUse.objects.filter(pk=entry["fact_id"]).exists()
