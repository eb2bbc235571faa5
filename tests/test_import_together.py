"""A file whose every line adds a fact is checked line by line and written together (resources.adding): it leaves
the same facts, citations and versions as a line-by-line import, and reports the same line-numbered problems,
those only the database's constraints find included, with nothing written."""

import datetime

import pytest

from carriers.models import EquipmentUse, EquipmentUseCitation
from carriers.resources import adding, base
from tests.factories import SourceFactory
from tests.test_import import (
    EQUIPMENT_HEADER,
    IDENTITY_HEADER,
    csv_file,
    equipment_row,
    import_csv,
    row_counts,
    with_identity,
)

# What differs between two imports of one file: the moment of the import, and the numbers the database hands out.
VOLATILE = {"id", "fact_id", "created_at", "updated_at", "history_id", "history_date"}


@pytest.fixture
def ways(monkeypatch):
    """How each import went: "together", or "line by line" once the file was found not to go together."""
    taken = []

    def import_new_facts(*args, **kwargs):
        result = adding.import_new_facts(*args, **kwargs)
        taken.append("line by line" if result is None else "together")
        return result

    monkeypatch.setattr(base, "import_new_facts", import_new_facts)
    return taken


def line_by_line(monkeypatch):
    """From now on, files are imported line by line, as before they could go together."""
    monkeypatch.setattr(base, "import_new_facts", lambda *args, **kwargs: None)


def zte_use(technology, **columns):
    return equipment_row(carrier="kt", vendor="zte", segment="core", technology=technology, **columns)


def added_uses():
    return EquipmentUse.objects.filter(vendor__slug="zte", segment="core", carrier__slug="kt")


def added_data():
    """The facts a file added, their citations and the versions of both, but for what is VOLATILE."""
    names = {use.pk: use.technology for use in added_uses()}

    def described(queryset, fact):
        return sorted(
            [names[row[fact]], *(value for column, value in row.items() if column not in VOLATILE)]
            for row in queryset.values()
        )

    citations = EquipmentUseCitation.objects.filter(fact__in=names)
    return {
        "facts": described(added_uses(), "id"),
        "kept ids and moments": sorted(added_uses().filter(updated_at__year=2021).values_list("pk", "updated_at")),
        "versions": described(EquipmentUse.history.filter(id__in=names), "id"),
        "citations": described(citations, "fact_id"),
        "citing order": [(names[fact], source) for fact, source in citations.values_list("fact", "source__key")],
        "citation versions": described(EquipmentUseCitation.history.filter(fact_id__in=names), "fact_id"),
    }


def forget_added_facts():
    """Delete the facts a file added, their citations and the versions of both, so that it can add them again."""
    ids = list(added_uses().values_list("pk", flat=True))
    added_uses().delete()
    EquipmentUse.history.filter(id__in=ids).delete()
    EquipmentUseCitation.history.filter(fact_id__in=ids).delete()


def test_a_file_of_new_facts_leaves_what_a_line_by_line_import_leaves(sample_data, tmp_path, ways, monkeypatch):
    SourceFactory(key="first-report"), SourceFactory(key="second-report")
    free_id = EquipmentUse.objects.order_by("-pk").first().pk + 100
    path = csv_file(
        tmp_path,
        IDENTITY_HEADER,
        with_identity(zte_use("2g", sources="first-report")),
        # A fact brought back keeps its id and last change; the next line's is numbered as the database goes on.
        with_identity(zte_use("3g", sources="second-report | first-report"), free_id, "2021-05-06T07:08:09Z"),
        with_identity(zte_use("4g", valid_from="2019-03", share_percent="40", notes="Tab\there, a\\ too.")),
    )
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert (error, ways) == (None, ["together"]), stderr
    together = added_data()
    forget_added_facts()
    line_by_line(monkeypatch)
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is None, stderr
    assert added_data() == together
    assert together["kept ids and moments"] == [(free_id, datetime.datetime(2021, 5, 6, 7, 8, 9, tzinfo=datetime.UTC))]
    assert len(together["facts"]) == len(together["versions"]) == 3
    assert len(together["citations"]) == len(together["citation versions"]) == 4
    assert together["citing order"][1:3] == [("3g", "second-report"), ("3g", "first-report")]
    cited = {use.technology: use.cited_sources for use in added_uses()}
    assert cited["3g"] == "second-report | first-report"
    (version,) = EquipmentUse.history.filter(id=free_id)
    assert [citation["source"] for citation in version.citations] == ["first-report", "second-report"]


def test_a_file_adding_and_changing_facts_is_imported_line_by_line(sample_data, tmp_path, ways):
    use = EquipmentUse.objects.select_related("carrier", "vendor").first()
    versions = use.history.count()
    changed = equipment_row(
        carrier=use.carrier.slug,
        vendor=use.vendor.slug,
        segment=use.segment,
        technology=use.technology,
        valid_from=use.valid_from_date.isoformat() if use.valid_from_date else "",
        notes="A new note.",
    )
    path = csv_file(tmp_path, EQUIPMENT_HEADER, zte_use("2g"), changed)
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is None, stderr
    assert ways == ["line by line"]
    use.refresh_from_db()
    assert use.notes == "A new note." and use.history.count() == versions + 1
    (added,) = added_uses()
    (version,) = added.history.all()
    assert len(version.citations) == added.citations.count() == 1


# A problem on line 4 of a file that would otherwise go together, found by the line's checks or by the database.
PROBLEMS = {
    "a field": (zte_use("4g", status="in use"), "line 4: status: Value 'in use' is not a valid choice."),
    "a check constraint": (
        zte_use("4g", valid_from="2020", valid_to="2019"),
        "line 4: Valid to must be on or after valid from.",
    ),
    "uniqueness within the file": (
        zte_use("2g", valid_from="2020-01"),
        "line 4: This carrier already has a fact for this vendor, segment and technology from this date.",
    ),
    "a source named twice": (
        zte_use("4g", sources="first-report | first-report"),
        "line 4: The sources column names the same source twice.",
    ),
}


@pytest.mark.parametrize("problem", PROBLEMS)
def test_a_problem_is_reported_on_its_line_as_line_by_line_and_nothing_is_written(
    sample_data, tmp_path, ways, monkeypatch, problem
):
    SourceFactory(key="first-report")
    line, expected = PROBLEMS[problem]
    path = csv_file(tmp_path, EQUIPMENT_HEADER, zte_use("2g", valid_from="2020"), zte_use("3g"), line, zte_use("5g"))
    before = row_counts()
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is not None and expected in stderr.splitlines(), stderr
    assert row_counts() == before
    assert ways == ["line by line"]
    line_by_line(monkeypatch)
    assert import_csv("equipment", path, commit=True)[1] == stderr
    assert row_counts() == before
