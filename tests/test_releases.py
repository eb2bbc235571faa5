"""Versioned releases: a valid Frictionless Data Package of the public CSVs, numbered, immutable, compared, cited."""

import csv
import hashlib
import io
import json
import zipfile

import frictionless
import pytest
import yaml
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from carriers.models import CountryPosition, EquipmentUse, Release, Vendor
from carriers.releases import changelog
from tests.factories import CarrierFactory, EquipmentUseFactory

NATURAL_ORDER = {"ordering": "carrier,vendor,segment,technology,valid_from"}


@pytest.fixture(autouse=True)
def releases_dir(settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "releases"
    return settings.RELEASES_DIR


def release(**kwargs):
    call_command("release", stdout=io.StringIO(), **kwargs)
    return Release.objects.order_by("-number").first()


def members(release):
    with zipfile.ZipFile(release.path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def download(client, name, query=None):
    response = client.get(f"/{name}.csv", query or {})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# On PostgreSQL /equipment.csv is read by COPY on a connection of its own, so releases need committed data.
pytestmark = pytest.mark.usefixtures("transactional_db")


def test_a_release_validates_as_a_frictionless_data_package(sample_data):
    made = release()
    report = frictionless.validate(str(made.path))
    assert report.valid, report.flatten(["type", "note"])
    assert report.stats["tasks"] == len(made.tables) == 12


def test_checksums_and_row_counts_match_the_files(sample_data):
    made = release()
    files = members(made)
    package = json.loads(files["datapackage.json"])
    assert package["version"] == "1" and package["licenses"][0]["name"] == "CC-BY-4.0"
    assert timezone.datetime.fromisoformat(package["created"]).tzinfo is not None
    for resource in package["resources"]:
        data = files[resource["path"]]
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["bytes"] == len(data) and resource["rows"] == len(rows)
        header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert [field["name"] for field in resource["schema"]["fields"]] == header
        assert made.tables[resource["name"]]["rows"] == len(rows)
    assert made.tables["equipment"]["rows"] == EquipmentUse.objects.count() >= 1
    assert made.sha256 == hashlib.sha256(made.path.read_bytes()).hexdigest()
    assert made.size == made.path.stat().st_size


def test_the_csvs_are_the_public_downloads_of_the_full_lists(sample_data, client):
    files = members(release())
    for name in Release.objects.get().tables:
        assert files[f"{name}.csv"] == download(client, name), name


def test_numbers_increase_and_a_zip_on_disk_is_never_overwritten(sample_data, releases_dir):
    assert [release().number, release().number] == [1, 2]
    stray = releases_dir / "release-3.zip"
    stray.write_bytes(b"made elsewhere")
    assert release().number == 4
    assert stray.read_bytes() == b"made elsewhere"
    assert sorted(path.name for path in releases_dir.iterdir()) == [
        "release-1.zip",
        "release-2.zip",
        "release-3.zip",
        "release-4.zip",
    ]


def test_the_database_refuses_a_second_release_with_the_same_number(sample_data):
    first = release()
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(number=first.number, created_at=timezone.now(), size=0, sha256="")


def test_the_changelog_lists_added_removed_and_changed_rows_with_links(sample_data, client):
    release()
    EquipmentUseFactory(carrier=CarrierFactory(slug="new-carrier"), vendor=Vendor.objects.get(slug="huawei"))
    removed = CountryPosition.objects.select_related("initiative").first()
    removed.delete()
    Vendor.objects.filter(slug="huawei").update(name="Huawei Technologies")
    second = release()

    changes = second.changelog
    assert second.previous == 1
    assert {"key": ["new-carrier", "huawei", "ran", "5g", "2019-04-03"], "link": "/carriers/new-carrier/"} in changes[
        "equipment"
    ]["added"]
    assert [row["key"] for row in changes["positions"]["removed"]] == [
        [removed.country_id, removed.initiative.slug, removed.stance, removed.stated.isoformat()]
    ]
    assert changes["vendors"]["changed"] == [{"key": ["huawei"], "link": "/vendors/huawei/", "columns": ["name"]}]
    assert changes["carriers"] == {
        "added": [{"key": ["new-carrier"], "link": "/carriers/new-carrier/"}],
        "removed": [],
        "changed": [],
    }

    page = client.get(second.get_absolute_url())
    assert page.status_code == 200
    assert b'href="/carriers/new-carrier/"' in page.content and b'href="/vendors/huawei/"' in page.content


def test_days_remaining_and_counts_from_other_tables_are_not_changes():
    before = {"deadlines": [{"restriction": "r", "due": "2027", "description": "d", "days_remaining": "900"}]}
    after = {"deadlines": [{"restriction": "r", "due": "2027", "description": "d", "days_remaining": "899"}]}
    assert changelog.compare(before, after) == {}
    count = {"carriers": [{"slug": "kt", "equipment_uses": "2"}]}
    assert changelog.compare(count, {"carriers": [{"slug": "kt", "equipment_uses": "3"}]}) == {}


def test_release_pages_list_and_stream_the_releases(sample_data, client):
    made = release()
    listing = client.get("/releases/")
    assert listing.status_code == 200
    for shown in [made.sha256, "release-1.zip", "first release", "CITATION.cff", "Cite the latest release"]:
        assert shown.encode() in listing.content
    zipped = client.get(f"/releases/{made.number}/download/")
    assert zipped.status_code == 200 and zipped.streaming
    assert zipped["Content-Type"] == "application/zip"
    assert b"".join(zipped.streaming_content) == made.path.read_bytes()
    assert client.get(f"/releases/{made.number}/").status_code == 200
    assert client.get("/releases/9/").status_code == 404
    assert client.get("/releases/9/download/").status_code == 404


def test_citation_cff_is_valid_citation_file_format(sample_data, client):
    made = release()
    response = client.get(f"/releases/{made.number}/CITATION.cff")
    assert response.status_code == 200
    cff = yaml.safe_load(response.content)
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == "1" and cff["license"] == "CC-BY-4.0"
    assert cff["date-released"] == made.created_at.date().isoformat()
    assert cff["authors"][0]["name"] and cff["message"] and cff["title"].endswith("release 1")
    assert cff["url"] == "http://testserver/releases/1/"


def test_the_admin_button_makes_a_release_for_an_editor(sample_data, editor_client):
    assert b"Make a release" in editor_client.get("/admin/").content
    response = editor_client.post("/releases/make/")
    assert response.status_code == 302 and response["Location"] == "/releases/1/"
    assert Release.objects.get().path.exists()


def test_a_researcher_may_not_make_a_release(sample_data, researcher_client, client, releases_dir):
    assert b"Make a release" not in researcher_client.get("/admin/").content
    assert researcher_client.post("/releases/make/").status_code == 403
    assert client.post("/releases/make/").status_code == 302  # to the login page
    assert researcher_client.get("/releases/make/").status_code == 405
    assert not Release.objects.exists() and not releases_dir.exists()


@pytest.fixture
def public_record(settings):
    """The real dataset: every kind of row and value the public CSVs carry."""
    call_command("load_dataset", str(settings.BASE_DIR / "dataset" / "public-record"), verbosity=0)


def reimport(made, tmp_path):
    """Unzip a release into a folder and load it into an emptied database through load_dataset."""
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(made.path) as archive:
        archive.extractall(folder)
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_dataset", str(folder), verbosity=0)
    cache.clear()
    return members(made)


def test_reimporting_a_release_reproduces_the_public_csvs_byte_for_byte(public_record, client, tmp_path):
    made = release()
    in_natural_order = download(client, "equipment", NATURAL_ORDER)
    files = reimport(made, tmp_path)
    assert EquipmentUse.objects.count() == made.tables["equipment"]["rows"] > 100
    differing = [name for name in made.tables if name != "equipment" and download(client, name) != files[f"{name}.csv"]]
    assert differing == []
    # The equipment list holds the same bytes in any explicit order; its default order is the next test's.
    assert download(client, "equipment", NATURAL_ORDER) == in_natural_order


def test_reimporting_a_release_reproduces_the_equipment_csv_in_its_default_order(public_record, client, tmp_path):
    # Newest first is by id: the import keeps each fact's public id, so the order comes back too.
    made = release()
    files = reimport(made, tmp_path)
    assert download(client, "equipment") == files["equipment.csv"]
