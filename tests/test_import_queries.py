"""A large import stays fast without changing what it writes: a few queries per line, whatever its lookups and
validation, and each fact it adds still gets one version holding its citations, each citation a version of its own."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from carriers.models import EquipmentUse, Source
from tests.factories import SourceFactory
from tests.test_import import EQUIPMENT_HEADER, csv_file, equipment_row, import_csv

TECHNOLOGIES = ["2g", "3g", "4g", "5g", "fixed", "unknown"]


def new_rows(count):
    """`count` new facts on the sample's carriers, each citing two sources by key, with repeated dates and shares."""
    segments = ["ran", "core", "transport", "fixed-access", "other"]
    return [
        equipment_row(
            carrier=["kt", "sk-telecom"][number % 2],
            vendor="zte",
            segment=segments[number // len(TECHNOLOGIES) % len(segments)],
            technology=TECHNOLOGIES[number % len(TECHNOLOGIES)],
            valid_from="2019",
            share_percent=str(10 * (number % 3)),
            sources="first-report | second-report",
        )
        for number in range(count)
    ]


def imported_with_queries(tmp_path, rows, reading=None):
    """How many queries importing `rows` took (only the SELECTs from the table `reading`, if given)."""
    path = csv_file(tmp_path, EQUIPMENT_HEADER, *rows)
    with CaptureQueriesContext(connection) as queries:
        stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is None, stderr
    if reading:
        return sum(query["sql"].startswith("SELECT") and f'FROM "{reading}"' in query["sql"] for query in queries)
    return len(queries)


def test_each_further_line_costs_a_few_queries_not_one_per_lookup_check_or_citation(sample_data, tmp_path):
    SourceFactory(key="first-report"), SourceFactory(key="second-report")
    few = imported_with_queries(tmp_path, new_rows(5))
    EquipmentUse.objects.filter(vendor__slug="zte", valid_from__year=2019).delete()
    many = imported_with_queries(tmp_path, new_rows(25))
    # A line: its savepoints, its uniqueness, a new share to check, the fact and its version; its fact is looked
    # up with the whole file's.
    assert (many - few) / 20 <= 7


def test_lines_naming_existing_facts_are_looked_up_together_not_one_query_a_line(sample_data, tmp_path):
    SourceFactory(key="first-report"), SourceFactory(key="second-report")
    imported_with_queries(tmp_path, new_rows(25))
    # The same lines again: every fact exists, found with the whole file's in one query.
    few = imported_with_queries(tmp_path, new_rows(5), reading="carriers_equipmentuse")
    many = imported_with_queries(tmp_path, new_rows(25), reading="carriers_equipmentuse")
    assert EquipmentUse.objects.filter(vendor__slug="zte", valid_from__year=2019).count() == 25
    assert few == many == 1


def test_a_fact_an_import_adds_has_one_version_holding_its_citations_each_with_its_own(sample_data, tmp_path):
    SourceFactory(key="first-report"), SourceFactory(key="second-report")
    imported_with_queries(tmp_path, new_rows(2))
    for use in EquipmentUse.objects.filter(vendor__slug="zte", valid_from__year=2019):
        (version,) = use.history.all()
        assert version.history_user.username == "importer"
        assert [citation["source"] for citation in version.citations] == ["first-report", "second-report"]
        for citation in use.citations.all():
            (citation_version,) = citation.history.all()
            assert (citation_version.history_type, citation_version.history_user.username) == ("+", "importer")
            assert citation_version.history_change_reason is None


def test_a_new_fact_naming_a_source_twice_is_a_line_numbered_error_and_nothing_is_written(sample_data, tmp_path):
    SourceFactory(key="first-report"), SourceFactory(key="second-report")
    key = Source.objects.first().key
    path = csv_file(tmp_path, EQUIPMENT_HEADER, *new_rows(1), equipment_row(technology="3g", sources=f"{key} | {key}"))
    before = EquipmentUse.objects.count()
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert "line 3: The sources column names the same source twice." in stderr
    assert EquipmentUse.objects.count() == before
