"""The researchers' import workflow holds under real use: two staff members at once, confirming twice,
tampered forms, files in other encodings or delimiters, and the same messages in the admin and import_csv."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from carriers.management.commands.load_sample_data import ARTICLE_TITLE
from carriers.models import Carrier, EquipmentUse, PendingImport, Source
from tests.factories import CarrierFactory, CountryFactory, SourceFactory

HEADER = "carrier,vendor,segment,technology,status,valid_from,sources"
IMPORT_URL = reverse("admin:carriers_equipmentuse_import")
CONFIRM_URL = reverse("admin:carriers_equipmentuse_process_import")


def upload(client, text, encoding="utf-8"):
    """Step one: upload a file for its preview."""
    data = text.encode(encoding) if isinstance(text, str) else text
    upload_file = io.BytesIO(data)
    upload_file.name = "facts.csv"
    return client.post(IMPORT_URL, {"import_file": upload_file, "format": "0", "resource": "0"})


def confirmation(preview):
    return {field.html_name: field.value() for field in preview.context["confirm_form"]}


def page(response):
    return response.content.decode()


@pytest.fixture
def two_rows(sample_data):
    """A file of two new facts, the second citing a source only it uses, on a carrier without facts."""
    SourceFactory(title="A report only row 3 cites", key="only-row-3")
    CarrierFactory(slug="newcomer", name="Newcomer Telecom", country=CountryFactory(code="KR"))
    return "\n".join(
        [HEADER, f"kt,huawei,ran,5g,in-use,2020,{ARTICLE_TITLE}", "newcomer,zte,core,4g,in-use,2021,only-row-3"]
    )


# Confirming re-checks every line and writes all or nothing


@pytest.mark.parametrize("deleted", ["source", "carrier"])
def test_a_record_deleted_between_preview_and_confirm_stops_the_whole_import(
    transactional_db, researcher_client, editor_client, two_rows, deleted
):
    preview = upload(researcher_client, two_rows)
    assert "2 new, 0 changed, 0 unchanged, 0 with errors." in page(preview)
    record = Source.objects.get(key="only-row-3") if deleted == "source" else Carrier.objects.get(slug="newcomer")
    delete_url = reverse(f"admin:carriers_{record._meta.model_name}_delete", args=[record.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302

    response = researcher_client.post(CONFIRM_URL, confirmation(preview))

    assert response.status_code == 200
    assert "Nothing was written" in page(response)
    assert "Line 3: the preview showed “new”, now “invalid”." in page(response)
    assert not EquipmentUse.objects.filter(carrier__slug="kt", vendor__slug="huawei").exists()
    assert PendingImport.objects.count() == 1  # the researcher may fix the data and confirm again


def test_confirming_twice_writes_once_and_then_says_so(transactional_db, researcher_client, two_rows):
    preview = upload(researcher_client, two_rows)
    first = researcher_client.post(CONFIRM_URL, confirmation(preview), follow=True)
    assert "Import finished: 2 new" in page(first)
    again = researcher_client.post(CONFIRM_URL, confirmation(preview), follow=True)
    assert again.status_code == 200
    assert "already imported, or its preview is no longer available: nothing was written" in page(again)
    assert EquipmentUse.objects.filter(carrier__slug="newcomer").count() == 1
    assert not PendingImport.objects.exists()


def test_the_preview_and_the_import_say_how_many_lines_and_how_long_they_took(
    transactional_db, researcher_client, two_rows
):
    preview = upload(researcher_client, two_rows)
    assert re.search(r"2 lines checked in \d+\.\d s\.", page(preview))
    done = researcher_client.post(CONFIRM_URL, confirmation(preview), follow=True)
    assert re.search(r"2 lines imported in \d+\.\d s\.", page(done))


@pytest.mark.parametrize("name", ["../../etc/passwd", "/tmp/tmpabc123", "", "0" * 32])
def test_a_tampered_file_name_gets_a_clear_message(researcher_client, two_rows, name):
    preview = upload(researcher_client, two_rows)
    response = researcher_client.post(CONFIRM_URL, {**confirmation(preview), "import_file_name": name}, follow=True)
    assert response.status_code == 200
    assert "nothing was written" in page(response).lower() or "This field is required" in page(response)
    assert EquipmentUse.objects.filter(carrier__slug="newcomer").count() == 0


def test_the_preview_reveals_no_server_path(researcher_client, two_rows):
    preview = upload(researcher_client, two_rows)
    token = confirmation(preview)["import_file_name"]
    assert len(token) == 32 and "/" not in token
    assert "/tmp" not in page(preview)


# Formats


def test_only_csv_is_offered(researcher_client):
    choices = researcher_client.get(IMPORT_URL).context["form"].fields["format"].choices
    assert [label for value, label in choices if value != ""] == ["csv"]


def test_an_unknown_format_number_is_a_form_error(researcher_client, two_rows):
    upload_file = io.BytesIO(two_rows.encode())
    upload_file.name = "facts.csv"
    response = researcher_client.post(IMPORT_URL, {"import_file": upload_file, "format": "7", "resource": "0"})
    assert response.status_code == 200
    assert response.context["form"].errors["format"]


# Files a spreadsheet saved in another way

ENCODED = {
    "latin-1": ("latin-1", "Café", "not UTF-8 text"),
    "euc-kr": ("euc-kr", "엘지유플러스", "not UTF-8 text"),
    "utf-16": ("utf-16", "LG유플러스", "saved as UTF-16"),
}


@pytest.mark.parametrize("name", ENCODED)
def test_a_file_not_in_utf8_is_told_to_be_saved_as_utf8_in_the_admin_and_the_command(
    researcher_client, sample_data, tmp_path, name
):
    encoding, name_in_file, words = ENCODED[name]
    text = f"{HEADER}\nkt,huawei,ran,5g,in-use,2020,{name_in_file} {ARTICLE_TITLE}\n"
    response = upload(researcher_client, text, encoding)
    assert words in page(response)
    assert "UTF-8 (comma delimited)" in page(response)
    assert "Traceback" not in page(response) and "UnicodeDecodeError" not in page(response)
    path = tmp_path / "facts.csv"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(CommandError, match=words):
        call_command("import_csv", "equipment", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_a_semicolon_delimited_file_is_named_as_such(researcher_client, sample_data):
    response = upload(researcher_client, HEADER.replace(",", ";") + "\nkt;huawei;ran;5g;in-use;2020;x\n")
    assert "separated by semicolons" in page(response)


def test_a_line_with_too_many_cells_is_named(researcher_client, sample_data):
    response = upload(researcher_client, f"{HEADER}\nkt,huawei,ran,5g,in-use,2020,x,extra\n")
    assert "Line 2 has 8 cells where the header names 7 columns." in page(response)


# The same report in the admin and the command


def test_admin_and_command_report_the_same_lines_and_every_problem_of_a_line(researcher_client, sample_data, tmp_path):
    text = "\n".join(
        [
            "carrier,vendor,segment,technology,status,valid_from,valid_to,share_percent,sources",
            f"kt,huawei,ran,5g,in-use,2020,,,{ARTICLE_TITLE}",
            # An unknown carrier, an end before the start and a share over 100 on one line.
            "nobody,huawei,ran,4g,in-use,2020,2019,140,no-such-source",
        ]
    )
    path = tmp_path / "facts.csv"
    path.write_text(text, encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_csv", "equipment", str(path), stdout=io.StringIO(), stderr=stderr)
    command_lines = stderr.getvalue().splitlines()
    assert len(command_lines) >= 3
    assert all(line.startswith("line 3: ") for line in command_lines)
    joined = " ".join(command_lines)
    for words in ["No carrier with slug “nobody”", "Share must be at most 100 percent", "no-such-source"]:
        assert words in joined
    admin_page = page(upload(researcher_client, text))
    for line in command_lines:
        assert f"L{line[1:]}" in admin_page.replace("&quot;", '"').replace("&#x27;", "'")


def test_wrong_columns_are_an_error_that_lists_the_expected_ones(sample_data, tmp_path):
    for text in ["a,b,c\n1,2,3\n", "slug,name,country\nnew-one,New One,KR\n"]:
        path = tmp_path / "wrong.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(CommandError, match="problem"):
            stderr = io.StringIO()
            call_command("import_csv", "equipment", str(path), stdout=io.StringIO(), stderr=stderr)
        assert "The file has no column carrier, vendor, segment, technology, valid_from." in stderr.getvalue()
        assert "has the columns carrier, vendor, segment" in stderr.getvalue()


def test_a_repeated_fact_within_one_file_is_flagged(sample_data, tmp_path):
    row = f"kt,huawei,ran,5g,in-use,2020,{ARTICLE_TITLE}"
    path = tmp_path / "twice.csv"
    path.write_text("\n".join([HEADER, row, "kt,zte,ran,5g,in-use,2020,x", row]), encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_csv", "equipment", str(path), stdout=io.StringIO(), stderr=stderr)
    assert "line 4: Repeats line 2: the same record twice in one file." in stderr.getvalue()


# The preview


def test_the_preview_starts_with_counts_and_names_sources_by_title(researcher_client, two_rows):
    text = page(upload(researcher_client, two_rows))
    assert text.index("2 new, 0 changed, 0 unchanged, 0 with errors.") < text.index("Confirm import")
    assert f"{ARTICLE_TITLE} (south-korea-refuses-to-join-the-us-drive-against-huawei)" in text


def test_no_confirmation_is_offered_when_nothing_would_change(transactional_db, researcher_client, two_rows):
    preview = upload(researcher_client, two_rows)
    researcher_client.post(CONFIRM_URL, confirmation(preview))
    again = upload(researcher_client, two_rows)
    assert "0 new, 0 changed, 2 unchanged, 0 with errors." in page(again)
    assert "Nothing in this file would change the data" in page(again)
    assert 'name="confirm"' not in page(again)


def test_previews_never_confirmed_are_dropped_after_a_day(researcher_client, two_rows):
    upload(researcher_client, two_rows)
    PendingImport.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    upload(researcher_client, two_rows)
    assert PendingImport.objects.count() == 1


def test_a_source_key_cannot_be_changed_in_the_admin(admin_client, sample_data):
    source = Source.objects.first()
    page = admin_client.get(reverse("admin:carriers_source_change", args=[source.pk])).content.decode()
    assert source.key in page
    assert 'name="key"' not in page
