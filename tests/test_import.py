"""Bulk CSV import (`import_csv` and the admin): the public downloads' columns, checked before anything is written."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from carriers.management.commands.load_sample_data import ARTICLE_TITLE
from carriers.models import (
    Carrier,
    CleanLabel,
    CountryPosition,
    DatePrecision,
    Deadline,
    EquipmentStatus,
    EquipmentUse,
    EquipmentUseCitation,
    Event,
    EventCitation,
    Initiative,
    Instrument,
    NetworkSegment,
    PendingImport,
    Restriction,
    Source,
    Stance,
    Technology,
    Vendor,
)
from tests.factories import (
    CarrierFactory,
    CleanLabelFactory,
    CountryFactory,
    CountryPositionFactory,
    DeadlineFactory,
    EquipmentUseFactory,
    EventFactory,
    RestrictionFactory,
    SourceFactory,
)

EQUIPMENT_HEADER = "carrier,vendor,segment,technology,status,valid_from,valid_to,share_percent,confidence,notes,sources"
# In the order files must be imported: whatever a row names must exist before the row.
KINDS = ["sources", "carriers", "restrictions", "deadlines", "equipment", "labels", "positions"]


def row_counts():
    """Rows of every model of the app, history tables and many-to-many tables included (not files awaiting import)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("carriers").get_models(include_auto_created=True)
        if model is not PendingImport
    }


def csv_file(tmp_path, *lines, name="import.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def equipment_row(carrier="kt", vendor="huawei", segment="ran", technology="5g", **columns):
    values = {
        "status": "in-use",
        "valid_from": "2020",
        "valid_to": "",
        "share_percent": "",
        "confidence": "reported",
        "notes": "",
        "sources": ARTICLE_TITLE,
        **columns,
    }
    cells = [carrier, vendor, segment, technology, *(values[name] for name in EQUIPMENT_HEADER.split(",")[4:])]
    return ",".join(f'"{cell}"' if "," in cell else cell for cell in cells)


def import_csv(kind, path, commit=False):
    """Run the command (committing as user “importer”); (stdout, stderr, the CommandError or None)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    user = get_user_model().objects.get_or_create(username="importer")[0].username if commit else None
    try:
        call_command("import_csv", kind, str(path), commit=commit, user=user, stdout=stdout, stderr=stderr)
    except CommandError as error:
        return stdout.getvalue(), stderr.getvalue(), error
    return stdout.getvalue(), stderr.getvalue(), None


def good_rows():
    return [
        equipment_row(carrier="kt", technology="5g"),
        equipment_row(carrier="kt", technology="4g", valid_from="2019-03", share_percent="40"),
        equipment_row(carrier="sk-telecom", vendor="zte", segment="core", technology="4g"),
    ]


# Dry run


def test_dry_run_writes_nothing_and_reports_the_counts(sample_data, tmp_path):
    path = csv_file(tmp_path, EQUIPMENT_HEADER, *good_rows())
    before = row_counts()
    stdout, stderr, error = import_csv("equipment", path)
    assert error is None, stderr
    assert "Dry run: 3 new." in stdout
    assert row_counts() == before


def test_admin_import_step_one_writes_nothing_and_shows_the_counts(admin_client, sample_data, tmp_path):
    path = csv_file(tmp_path, EQUIPMENT_HEADER, *good_rows())
    before = row_counts()
    response = post_import_file(admin_client, path)
    assert response.status_code == 200
    assert response.context["result"].totals["new"] == 3
    assert response.content.decode().count('<tr class="new">') == 3
    assert row_counts() == before


# Bad rows

BAD_ROWS = {
    "unknown carrier slug": ("equipment", equipment_row(carrier="no-such-carrier"), "No carrier with slug"),
    "unknown ISO code": ("carriers", "unknown-telecom,Unknown Telecom,ZZ", "No country with code “ZZ”"),
    "end before start": (
        "equipment",
        equipment_row(valid_from="2020-05", valid_to="2019"),
        "Valid to must be on or after valid from.",
    ),
    "share over 100": ("equipment", equipment_row(share_percent="120"), "Share must be at most 100 percent."),
    "missing source": ("equipment", equipment_row(sources=""), "Every fact needs at least one source"),
    "unknown source": ("equipment", equipment_row(sources="A report nobody filed"), "No source has the key"),
}
GOOD_ROW = {"equipment": equipment_row(carrier="lg-uplus", technology="5g"), "carriers": "new-telecom,New Telecom,KR"}
HEADER = {"equipment": EQUIPMENT_HEADER, "carriers": "slug,name,country"}


def test_every_bad_row_is_listed_with_its_line_number_and_reason(sample_data, tmp_path):
    rows = [row for kind, row, _ in BAD_ROWS.values() if kind == "equipment"]
    # Line 1 is the header; a good row first shows that lines are counted in the file, not among errors.
    path = csv_file(tmp_path, EQUIPMENT_HEADER, GOOD_ROW["equipment"], *rows)
    stdout, stderr, error = import_csv("equipment", path)
    assert error is not None
    problems = stderr.splitlines()
    expected = [reason for kind, _, reason in BAD_ROWS.values() if kind == "equipment"]
    for line, reason in enumerate(expected, start=3):
        assert any(problem.startswith(f"line {line}:") and reason in problem for problem in problems), (line, stderr)
    # The bad rows also repeat each other's identifying cells, which is reported besides.
    assert len([problem for problem in problems if "Repeats line" not in problem]) == len(expected)
    assert f"{len(problems)} problem(s)" in str(error)


def test_unknown_country_code_in_a_carriers_file_is_listed_with_its_line(sample_data, tmp_path):
    path = csv_file(tmp_path, HEADER["carriers"], GOOD_ROW["carriers"], BAD_ROWS["unknown ISO code"][1])
    stdout, stderr, error = import_csv("carriers", path)
    assert error is not None
    assert stderr.splitlines() == ["line 3: country: No country with code “ZZ”."]


@pytest.mark.parametrize(
    "problem",
    [
        "unknown carrier slug",
        "unknown ISO code",
        "end before start",
        "share over 100",
        "missing source",
        "unknown source",
    ],
)
def test_commit_with_one_bad_row_writes_nothing_and_fails(sample_data, tmp_path, problem):
    kind, bad_row, reason = BAD_ROWS[problem]
    path = csv_file(tmp_path, HEADER[kind], GOOD_ROW[kind], bad_row)
    before = row_counts()
    stdout, stderr, error = import_csv(kind, path, commit=True)
    assert error is not None
    assert reason in stderr
    assert row_counts() == before


# Clean files


def test_clean_file_commits_every_row_with_its_citation(sample_data, tmp_path):
    path = csv_file(tmp_path, EQUIPMENT_HEADER, *good_rows())
    uses, citations = EquipmentUse.objects.count(), EquipmentUseCitation.objects.count()
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is None, stderr
    assert "Imported: 3 new." in stdout
    assert EquipmentUse.objects.count() == uses + 3
    assert EquipmentUseCitation.objects.count() == citations + 3
    use = EquipmentUse.objects.get(carrier__slug="kt", technology=Technology.G4)
    assert use.valid_from_date.isoformat() == "2019-03"
    assert use.share_percent == Decimal("40")
    assert [citation.source.title for citation in use.citations.all()] == [ARTICLE_TITLE]


def test_reimporting_the_same_file_skips_every_row_and_changes_nothing(sample_data, tmp_path):
    path = csv_file(tmp_path, EQUIPMENT_HEADER, *good_rows())
    import_csv("equipment", path, commit=True)
    before = row_counts()
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is None, stderr
    assert "Imported: 3 skip." in stdout
    assert row_counts() == before


# Committed data for the equipment file: see download().
@pytest.mark.parametrize(
    "kind",
    [pytest.param(kind, marks=[pytest.mark.django_db(transaction=True)] * (kind == "equipment")) for kind in KINDS],
)
def test_importing_a_download_of_the_same_data_skips_every_row(client, rich_dataset, tmp_path, kind):
    path = download(client, kind, tmp_path)
    rows = len(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))) - 1
    before = row_counts()
    stdout, stderr, error = import_csv(kind, path, commit=True)
    assert error is None, stderr
    assert f"Imported: {rows} skip." in stdout
    assert row_counts() == before


def test_spreadsheet_escaped_cells_import_unescaped(sample_data, tmp_path):
    path = csv_file(tmp_path, EQUIPMENT_HEADER, equipment_row(notes="'=cmd|' /C calc'!A0"))
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is None, stderr
    assert EquipmentUse.objects.get(carrier__slug="kt").notes == "=cmd|' /C calc'!A0"


def test_an_apostrophe_before_ordinary_text_is_kept(sample_data, tmp_path):
    path = csv_file(tmp_path, EQUIPMENT_HEADER, equipment_row(notes="'Tis reported"))
    import_csv("equipment", path, commit=True)
    assert EquipmentUse.objects.get(carrier__slug="kt").notes == "'Tis reported"


# The admin import


def post_import_file(client, path):
    url = reverse("admin:carriers_equipmentuse_import")
    formats = client.get(url).context["form"].fields["format"].choices
    csv_index = next(value for value, label in formats if label.lower() == "csv")
    with path.open("rb") as upload:
        return client.post(url, {"import_file": upload, "format": csv_index, "resource": "0"})


def test_admin_import_previews_new_updated_and_skipped_rows_then_writes_them_on_confirm(
    admin_client, sample_data, tmp_path
):
    lg_uplus = EquipmentUse.objects.get(carrier__slug="lg-uplus")
    unchanged = equipment_row(
        carrier="lg-uplus", segment="other", technology="unknown", valid_from="", notes=lg_uplus.notes
    )
    updated = equipment_row(carrier="kt", notes="Updated by the import.")
    EquipmentUseFactory(
        carrier=Carrier.objects.get(slug="kt"),
        vendor=Vendor.objects.get(slug="huawei"),
        technology=Technology.G5,
        valid_from=datetime.date(2020, 1, 1),
        valid_from_precision=DatePrecision.YEAR,
        status=EquipmentStatus.IN_USE,
        cited=Source.objects.get(title=ARTICLE_TITLE),
    )
    new = equipment_row(carrier="sk-telecom", vendor="zte", technology="4g")
    path = csv_file(tmp_path, EQUIPMENT_HEADER, unchanged, updated, new)
    before = row_counts()

    preview = post_import_file(admin_client, path)

    assert preview.status_code == 200
    page = preview.content.decode()
    assert [page.count(f'<tr class="{kind}">') for kind in ("new", "update", "skip")] == [1, 1, 1]
    assert row_counts() == before
    confirm_form = preview.context["confirm_form"]
    data = {field.html_name: field.value() for field in confirm_form}
    assert data["import_file_name"]
    response = admin_client.post(reverse("admin:carriers_equipmentuse_process_import"), data)
    assert response.status_code == 302
    assert EquipmentUse.objects.get(carrier__slug="kt").notes == "Updated by the import."
    added = EquipmentUse.objects.get(carrier__slug="sk-telecom", vendor__slug="zte")
    assert added.citations.get().source.title == ARTICLE_TITLE
    assert EquipmentUse.objects.get(carrier__slug="lg-uplus").notes == lg_uplus.notes


def test_admin_import_lists_bad_rows_and_offers_no_confirmation(admin_client, sample_data, tmp_path):
    path = csv_file(tmp_path, EQUIPMENT_HEADER, GOOD_ROW["equipment"], BAD_ROWS["share over 100"][1])
    before = row_counts()
    response = post_import_file(admin_client, path)
    assert response.status_code == 200
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "Share must be at most 100 percent." in response.content.decode()
    assert row_counts() == before


# Round trip


# The equipment list shows the most recently added facts first; ids are new after a re-import, so
# the round trip sorts by the facts' natural key instead.
NATURAL_ORDER = {"equipment": {"ordering": "carrier,vendor,segment,technology,valid_from"}}


def download(client, kind, tmp_path, suffix=""):
    """The public CSV as a file. On PostgreSQL /equipment.csv is read by COPY on a connection of its own,
    so tests that download it need committed data: `transactional_db`."""
    response = client.get(f"/{kind}.csv", NATURAL_ORDER.get(kind, {}))
    assert response.status_code == 200
    path = tmp_path / f"{kind}{suffix}.csv"
    path.write_bytes(b"".join(response.streaming_content))
    return path


@pytest.fixture
def rich_dataset(sample_data):
    """Sample data plus facts in a second country with every kind of value the files carry."""
    korea, germany = CountryFactory(code="KR"), CountryFactory(code="DE", name="Germany")
    huawei, zte = Vendor.objects.get(slug="huawei"), Vendor.objects.get(slug="zte")
    clean_network = Initiative.objects.get(slug="clean-network")
    dialogue = Event.objects.get(slug="fifth-us-rok-senior-economic-dialogue")

    offline = SourceFactory(title="Annual report, print edition", publisher="Deutsche Telekom", url="")
    yearly = SourceFactory(
        title="Network review",
        publisher="",
        published_on=datetime.date(2019, 1, 1),
        published_on_precision=DatePrecision.YEAR,
        accessed_on=datetime.date(2024, 2, 29),
        archive_url="https://archive.example.org/network-review",
        notes="Quoted in two places;\nsee page 4.",
    )
    monthly = SourceFactory(
        title="=Formula-looking title",
        published_on=datetime.date(2021, 8, 1),
        published_on_precision=DatePrecision.MONTH,
    )

    telekom = CarrierFactory(
        name="Deutsche Telekom",
        slug="deutsche-telekom",
        country=germany,
        aliases="Telekom\nDT",
        website="https://www.telekom.de",
        subscribers=52_000_000,
        subscribers_as_of=datetime.date(2023, 12, 31),
    )
    vodafone = CarrierFactory(name="Vodafone Germany", slug="vodafone-de", country=germany)
    kt = Carrier.objects.get(slug="kt")

    EquipmentUseFactory(
        carrier=telekom,
        vendor=huawei,
        segment=NetworkSegment.RADIO_ACCESS,
        technology=Technology.G4,
        valid_from=datetime.date(2015, 3, 1),
        valid_from_precision=DatePrecision.MONTH,
        valid_to=datetime.date(2023, 1, 1),
        valid_to_precision=DatePrecision.YEAR,
        share_percent=Decimal("59.50"),
        status=EquipmentStatus.PHASING_OUT,
        notes='Said "most of it", per the report, in 2019.',
        cited=yearly,
    )
    two_sources = EquipmentUseFactory(
        carrier=telekom,
        vendor=huawei,
        segment=NetworkSegment.CORE,
        technology=Technology.G5,
        valid_from=None,
        notes="-5% on the year",
        cited=offline,
    )
    two_sources.citations.create(source=monthly, location="p. 2")
    EquipmentUseFactory(carrier=vodafone, vendor=zte, technology=Technology.G3, cited=monthly)
    EquipmentUseFactory(carrier=kt, vendor=zte, segment=NetworkSegment.TRANSPORT, technology=Technology.FIXED)

    CleanLabelFactory(
        carrier=vodafone,
        initiative=clean_network,
        wording="clean 5G path",
        scope_segment=NetworkSegment.CORE,
        scope_technology=Technology.G5,
        awarded_on=datetime.date(2020, 11, 1),
        awarded_on_precision=DatePrecision.MONTH,
        withdrawn_on=datetime.date(2022, 1, 1),
        withdrawn_on_precision=DatePrecision.YEAR,
        cited=offline,
    )
    summit = EventFactory(name="Prague 5G Security Conference", slug="prague-5g")
    summit.countries.set([germany, korea])
    CountryPositionFactory(
        country=germany,
        initiative=clean_network,
        stance=Stance.UNDECIDED,
        stated_on=datetime.date(2020, 9, 1),
        stated_on_precision=DatePrecision.MONTH,
        stated_by="A government spokesperson",
        statement="We decide on the basis of our own security catalogue.",
        event=summit,
        cited=yearly,
    )
    CountryPositionFactory(
        country=korea,
        initiative=clean_network,
        stance=Stance.UNDECIDED,
        event=dialogue,
        stated_on=datetime.date(2020, 8, 7),
    )

    agreement = RestrictionFactory(
        country=germany,
        title="Agreement with operators: Huawei | ZTE out of 5G core and management systems",
        slug="de-5g-agreement-2024",
        instrument=Instrument.AGREEMENT,
        segments=[NetworkSegment.CORE, NetworkSegment.TRANSPORT],
        technologies=[],
        decided_on=datetime.date(2024, 7, 1),
        decided_on_precision=DatePrecision.MONTH,
        effective_on=None,
        notes="=Critical components only",
        cited=monthly,
    )
    agreement.vendors.set([huawei, zte])
    DeadlineFactory(
        restriction=agreement,
        due=datetime.date(2026, 1, 1),
        due_precision=DatePrecision.YEAR,
        segments=[NetworkSegment.CORE],
        technologies=[Technology.G5],
        description="No Huawei or ZTE components in 5G core networks.",
        cited=monthly,
    )
    DeadlineFactory(
        restriction=agreement,
        due=datetime.date(2029, 1, 1),
        due_precision=DatePrecision.YEAR,
        description="Management systems of access and transport networks replaced.",
        cited=offline,
    )


def delete_facts_citations_carriers_and_sources():
    for model in [EquipmentUse, CleanLabel, CountryPosition, EventCitation, Deadline, Restriction, Carrier, Source]:
        model.objects.all().delete()


def test_exported_files_import_back_into_byte_identical_exports(
    transactional_db, client, rich_dataset, tmp_path, admin_user
):
    first = {kind: download(client, kind, tmp_path, "-first") for kind in KINDS}
    assert all(len(path.read_text(encoding="utf-8").splitlines()) > 2 for path in first.values())

    delete_facts_citations_carriers_and_sources()
    assert not EquipmentUse.objects.exists() and not Source.objects.exists()
    for kind in KINDS:
        call_command("import_csv", kind, str(first[kind]), commit=True, user="admin", stdout=io.StringIO())

    for kind in KINDS:
        again = download(client, kind, tmp_path, "-again")
        assert again.read_bytes() == first[kind].read_bytes(), kind


# Naming sources


def test_a_title_several_sources_share_is_a_line_numbered_error_that_lists_their_keys(sample_data, tmp_path):
    SourceFactory(title="Annual report", publisher="KT", key="kt-annual-report-2019")
    SourceFactory(title="Annual report", publisher="SK Telecom", key="skt-annual-report-2019")
    path = csv_file(
        tmp_path, EQUIPMENT_HEADER, equipment_row(), equipment_row(technology="4g", sources="Annual report")
    )
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is not None
    assert "line 3: sources: More than one source matches “Annual report”" in stderr
    assert "(kt-annual-report-2019, skt-annual-report-2019): name it by its key." in stderr


@pytest.mark.parametrize("name", ["skt-annual-report-2019", "https://example.org/skt-2019", "Annual report"])
def test_a_source_is_named_by_key_url_or_unique_title(sample_data, tmp_path, name):
    source = SourceFactory(
        title="Annual report", publisher="SK Telecom", key="skt-annual-report-2019", url="https://example.org/skt-2019"
    )
    path = csv_file(tmp_path, EQUIPMENT_HEADER, equipment_row(sources=f"{name} | {ARTICLE_TITLE}"))
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is None, stderr
    use = EquipmentUse.objects.get(carrier__slug="kt", vendor__slug="huawei", technology="5g")
    assert {citation.source for citation in use.citations.all()} == {source, Source.objects.get(title=ARTICLE_TITLE)}


def test_a_sources_file_without_keys_updates_the_source_with_the_same_title_and_publisher(sample_data, tmp_path):
    existing = Source.objects.get(title=ARTICLE_TITLE)
    path = csv_file(tmp_path, "title,publisher,notes", f"{ARTICLE_TITLE},{existing.publisher},Read again.")
    stdout, stderr, error = import_csv("sources", path, commit=True)
    assert error is None, stderr
    existing.refresh_from_db()
    assert existing.notes == "Read again."
    assert Source.objects.filter(title=ARTICLE_TITLE).count() == 1


# Public ids and last changes


def with_identity(row, public_id="", changed=""):
    return f"{public_id},{row},{changed}"


IDENTITY_HEADER = f"id,{EQUIPMENT_HEADER},changed"


def test_a_row_that_adds_a_fact_keeps_its_public_id_and_last_change(sample_data, tmp_path):
    free_id = EquipmentUse.objects.order_by("-pk").first().pk + 100
    path = csv_file(
        tmp_path, IDENTITY_HEADER, with_identity(equipment_row(carrier="kt"), free_id, "2021-05-06T07:08:09.123456Z")
    )
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is None, stderr
    use = EquipmentUse.objects.get(pk=free_id)
    assert use.updated_at == datetime.datetime(2021, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)
    # The database goes on numbering after it: the next fact does not collide.
    assert EquipmentUseFactory().pk > free_id


def test_a_row_that_changes_a_fact_keeps_the_facts_id_and_changes_it_now(sample_data, tmp_path):
    use = EquipmentUse.objects.select_related("carrier", "vendor").first()
    before = use.updated_at
    row = equipment_row(
        carrier=use.carrier.slug,
        vendor=use.vendor.slug,
        segment=use.segment,
        technology=use.technology,
        valid_from=use.valid_from_date.isoformat() if use.valid_from_date else "",
        notes="A new note.",
    )
    path = csv_file(tmp_path, IDENTITY_HEADER, with_identity(row, use.pk + 1000, "2001-01-01T00:00:00Z"))
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is None, stderr
    use.refresh_from_db()
    assert use.notes == "A new note." and use.updated_at > before
    assert not EquipmentUse.objects.filter(pk=use.pk + 1000).exists()


@pytest.mark.parametrize(
    ("public_id", "changed", "reason"),
    [
        ("abc", "", "id: “abc” is not a fact's id"),
        ("TAKEN", "", "is another fact's: leave it empty to add this row as a new fact."),
        ("", "2021-05-06T07:08:09", "changed: “2021-05-06T07:08:09” is not a moment with its time zone"),
        ("", "yesterday", "changed: “yesterday” is not a moment"),
    ],
)
def test_a_bad_id_or_last_change_is_a_line_numbered_error(sample_data, tmp_path, public_id, changed, reason):
    if public_id == "TAKEN":
        public_id = EquipmentUse.objects.first().pk
    path = csv_file(tmp_path, IDENTITY_HEADER, with_identity(equipment_row(carrier="kt"), public_id, changed))
    before = row_counts()
    stdout, stderr, error = import_csv("equipment", path, commit=True)
    assert error is not None
    assert stderr.startswith("line 2: ") and reason in stderr, stderr
    assert row_counts() == before
