"""The real dataset (dataset/public-record/): it loads, obeys the rules of evidence, and says what the sources say."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from carriers import quality
from carriers.models import Country

DATASET = Path(__file__).resolve().parent.parent / "dataset" / "public-record"


@pytest.fixture(scope="module")
def public_record(django_db_setup, django_db_blocker):
    """The dataset loaded once for the module, as `make run` loads it, and removed afterwards."""
    with django_db_blocker.unblock():
        call_command("load_dataset", DATASET, verbosity=0)
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def rows(public_record, db, client):
    """The rows of a public CSV download, as dictionaries."""

    def download(path):
        response = client.get(path)
        assert response.status_code == 200, path
        text = b"".join(response.streaming_content).decode("utf-8")
        return list(csv.DictReader(io.StringIO(text)))

    return download


def test_loading_it_again_changes_nothing(public_record, db):
    output = io.StringIO()
    call_command("load_dataset", DATASET, stdout=output)
    lines = output.getvalue().splitlines()
    assert lines[-1] == "Loaded."
    assert all(" new" not in line and " update" not in line for line in lines), lines


def test_a_problem_in_one_file_writes_nothing_and_names_its_line(public_record, db, tmp_path):
    for path in DATASET.glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    # A new country in the first file, a restriction nobody recorded in a later one.
    with (tmp_path / "countries.csv").open("a", encoding="utf-8") as countries:
        countries.write("IS,Iceland,europe\n")
    deadlines = (tmp_path / "deadlines.csv").read_text(encoding="utf-8").splitlines()
    header = deadlines[0].split(",")
    unknown = {"restriction": "no-such-restriction", "due": "2027", "description": "Remove everything"}
    deadlines.append(",".join(unknown.get(column, "") for column in header))
    (tmp_path / "deadlines.csv").write_text("\n".join(deadlines) + "\n", encoding="utf-8")
    errors = io.StringIO()
    with pytest.raises(Exception, match="nothing was written"):
        call_command("load_dataset", tmp_path, stderr=errors, verbosity=0)
    assert f"deadlines.csv, line {len(deadlines)}: restriction: No restriction with slug" in errors.getvalue()
    assert not Country.objects.filter(code="IS").exists()


@pytest.mark.parametrize(
    "title", ["Facts without a citation", "Facts citing a source without its words", "Sources without a URL"]
)
def test_the_quality_report_finds_no_breach_of_the_rules_of_evidence(public_record, db, title):
    (check,) = [check for check in quality.checks(stale_after_years=100) if check.title == title]
    assert check.count == 0


def test_every_citation_has_a_quote_or_a_note_and_every_source_a_url_or_says_it_is_offline(rows):
    citations = list(csv.DictReader((DATASET / "citations.csv").open(encoding="utf-8")))
    assert len(citations) >= 250
    assert all(row["quote"].strip() or row["note"].strip() for row in citations)
    sources = rows("/sources.csv")
    assert len(sources) >= 80
    assert all(row["url"] or row["notes"].startswith("Offline") for row in sources)


def test_coverage_minimums_hold_through_the_public_csvs(rows):
    positions, restrictions = rows("/positions.csv"), rows("/restrictions.csv")
    with_fact = {row["country"] for row in [*rows("/equipment.csv"), *rows("/labels.csv"), *positions, *restrictions]}
    with_fact |= {code for row in rows("/events.csv") for code in row["countries"].split(" | ")}
    with_fact.discard("EU")
    assert len(with_fact) >= 30
    assert len({row["country"] for row in [*positions, *restrictions]} - {"EU"}) >= 25
    assert len(rows("/carriers.csv")) >= 60
    assert len(rows("/equipment.csv")) >= 120
    assert len(restrictions) >= 20
    assert len(rows("/deadlines.csv")) >= 30
    required = {"KR", "JP", "IN", "AU", "NZ", "CA", "US", "GB", "DE", "FR", "IT", "ES", "PT", "SE"}
    required |= {"DK", "NO", "FI", "BE", "NL", "PL", "CZ", "RO", "EE", "LV", "LT", "AT", "IE"}
    assert required <= with_fact


def due_dates(rows, restriction):
    deadlines = rows(f"/deadlines.csv?country={restriction[:2].upper()}")
    return {row["due"] for row in deadlines if row["restriction"] == restriction}


@pytest.mark.parametrize(
    ("restriction", "due"),
    [
        ("de-huawei-zte-5g-removal-2024", "2026"),  # 5G core networks, by the end of 2026
        ("de-huawei-zte-5g-removal-2024", "2029"),  # access and transport management systems, by the end of 2029
        ("gb-huawei-5g-removal-2020", "2027"),  # all Huawei equipment out of 5G networks by the end of 2027
        ("gb-huawei-5g-ban-new-2020", "2020-12-31"),  # no new Huawei 5G equipment after 2020
        ("se-huawei-zte-5g-ban-new-2020", "2025-01-01"),  # the Swedish phase-out
        ("ca-huawei-zte-4g-5g-removal-2022", "2024-06-28"),
        ("ca-huawei-zte-4g-5g-removal-2022", "2027-12-31"),
        ("in-huawei-zte-4g-5g-ban-new-2021", "2021-06-15"),  # only trusted products from then on
    ],
)
def test_landmark_deadlines(rows, restriction, due):
    assert due in due_dates(rows, restriction)


def test_german_deadlines_fall_due_at_the_end_of_their_years(rows):
    german = rows("/deadlines.csv?country=DE")
    assert {"2026-12-31", "2029-12-31"} <= {row["due_by"] for row in german}


def test_sk_telecom_and_kt_were_labelled_clean_in_june_2020(rows):
    labels = rows("/labels.csv?initiative=clean-network&as_of=2020-06-24")
    labelled = {row["carrier"] for row in labels if row["awarded_on"] == "2020-06-24"}
    assert {"sk-telecom", "kt"} <= labelled


def test_lg_uplus_runs_huawei_5g_radio_with_a_share(rows):
    uses = rows("/equipment.csv?carrier=lg-uplus&vendor=huawei&segment=ran&technology=5g")
    assert [row["status"] for row in uses] == ["in-use"]
    assert uses[0]["share_percent"] == "30.00"


def test_south_korea_declined_the_clean_network_at_the_october_2020_dialogue(rows):
    positions = rows("/positions.csv?country=KR&initiative=clean-network")
    assert {(row["stance"], row["stated_on"]) for row in positions} >= {("declined", "2020-10")}
    events = rows("/events.csv?since=2020-10-13&until=2020-10")
    assert "fifth-us-rok-senior-economic-dialogue" in {row["slug"] for row in events}


def test_belgian_operators_swap_huawei_radio_for_nokia(rows):
    for carrier in ("proximus", "orange-belgium"):
        uses = {(row["vendor"], row["status"]) for row in rows(f"/equipment.csv?carrier={carrier}&segment=ran")}
        assert ("huawei", "phasing-out") in uses and ("nokia", "in-use") in uses, carrier


def test_disagreements_are_kept_side_by_side(rows):
    lte = rows("/equipment.csv?carrier=lg-uplus&vendor=huawei&technology=4g")
    assert [row["confidence"] for row in lte] == ["disputed"]
    assert "2013" in lte[0]["notes"] and "2015" in lte[0]["notes"]


def test_the_coverage_page_lists_every_covered_country(public_record, db, client):
    page = client.get("/about/coverage/").content.decode()
    for name in ("South Korea", "Germany", "United Kingdom", "Sweden", "Canada", "Lithuania"):
        assert name in page
