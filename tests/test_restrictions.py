"""Restrictions and their deadlines: filters, CSV downloads, who missed a deadline, CSV import, the admin,
the quality report and the history."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carriers.models import (
    Country,
    DatePrecision,
    Deadline,
    EquipmentStatus,
    Milestone,
    NetworkSegment,
    Region,
    Restriction,
    RestrictionKind,
    RestrictionStatus,
    Technology,
)
from tests.factories import (
    CarrierFactory,
    CountryFactory,
    DeadlineFactory,
    EquipmentUseFactory,
    RestrictionFactory,
    SourceFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db
DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR
RAN, CORE, TRANSPORT = NetworkSegment.RADIO_ACCESS, NetworkSegment.CORE, NetworkSegment.TRANSPORT
G4, G5 = Technology.G4, Technology.G5


def day(text):
    return datetime.date.fromisoformat(text)


def listed(client, path, params, key):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return [key(row) for row in response.context["page_obj"]]


def csv_rows(client, path, params=None):
    response = client.get(path, params or {})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def vendors():
    return {slug: VendorFactory(name=slug.title(), slug=slug) for slug in ["huawei", "zte", "nokia"]}


@pytest.fixture
def european_union():
    return Country.objects.create(code="EU", name="European Union", region=Region.EUROPE)


def restriction(slug, country, vendors, segments, technologies, **fields):
    made = RestrictionFactory(
        slug=slug,
        title=slug,
        country=CountryFactory(code=country),
        segments=segments,
        technologies=technologies,
        **fields,
    )
    made.vendors.set(vendors)
    return made


@pytest.fixture
def restrictions(vendors, european_union):
    huawei, zte = vendors["huawei"], vendors["zte"]
    return {
        "uk": restriction("uk", "GB", [huawei], [], [G5], decided_on=day("2020-07-14")),
        "de": restriction(
            "de",
            "DE",
            [huawei, zte],
            [CORE, TRANSPORT],
            [],
            kind=RestrictionKind.BAN_NEW,
            decided_on=day("2024-07-01"),
            decided_on_precision=MONTH,
        ),
        "se": restriction(
            "se",
            "SE",
            [huawei, zte],
            [RAN],
            [G4, G5],
            status=RestrictionStatus.SUSPENDED,
            decided_on=day("2020-10-20"),
        ),
        "eu": restriction(
            "eu",
            "EU",
            [],
            [],
            [G5],
            kind=RestrictionKind.EXCLUSION_SENSITIVE,
            status=RestrictionStatus.PROPOSED,
            decided_on=day("2020-01-01"),
            decided_on_precision=MONTH,
        ),
        "pt": restriction(
            "pt",
            "PT",
            [huawei],
            [CORE],
            [G5],
            kind=RestrictionKind.EXCLUSION_SENSITIVE,
            status=RestrictionStatus.REPEALED,
            decided_on=None,
        ),
    }


ALL_RESTRICTIONS = {"uk", "de", "se", "eu", "pt"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL_RESTRICTIONS),
        ("country=GB", {"uk"}),
        ("country=GB&country=DE", {"uk", "de"}),
        ("country=EU", {"eu"}),
        ("vendor=huawei", {"uk", "de", "se", "pt"}),
        ("vendor=zte", {"de", "se"}),
        ("vendor=nokia", set()),
        ("vendor=zte&country=SE", {"se"}),
        ("segment=ran", {"uk", "se", "eu"}),
        ("segment=core", {"uk", "de", "eu", "pt"}),
        ("segment=transport", {"uk", "de", "eu"}),
        ("segment=fixed-access", {"uk", "eu"}),
        ("segment=ran&segment=transport", {"uk", "de", "se", "eu"}),
        ("technology=4g", {"de", "se"}),
        ("technology=5g", ALL_RESTRICTIONS),
        ("technology=2g", {"de"}),
        ("kind=removal", {"uk", "se"}),
        ("kind=exclusion-sensitive&kind=ban-new", {"de", "eu", "pt"}),
        ("status=suspended", {"se"}),
        ("status=in-force&status=proposed", {"uk", "de", "eu"}),
        ("segment=ran&kind=removal&status=in-force", {"uk"}),
    ],
)
def test_restriction_filters_keep_matching_restrictions(client, restrictions, query, expected):
    response = client.get(f"/restrictions/?{query}")
    assert response.status_code == 200
    assert {row.slug for row in response.context["page_obj"]} == expected
    assert {row["slug"] for row in csv_rows(client, f"/restrictions.csv?{query}")} == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2019-12-31", {"pt"}),
        ("2019", {"pt"}),
        ("2020-01-01", {"eu", "pt"}),
        ("2020-07-13", {"eu", "pt"}),
        ("2020-07-14", {"uk", "eu", "pt"}),
        ("2020-07", {"uk", "eu", "pt"}),
        ("2020-10", {"uk", "se", "eu", "pt"}),
        ("2020", {"uk", "se", "eu", "pt"}),
        ("2024-06-30", {"uk", "se", "eu", "pt"}),
        ("2024-06", {"uk", "se", "eu", "pt"}),
        ("2024-07-01", ALL_RESTRICTIONS),
        ("2024", ALL_RESTRICTIONS),
    ],
)
def test_restriction_as_of_keeps_those_decided_by_then_or_undated(client, restrictions, as_of, expected):
    assert set(listed(client, "/restrictions/", {"as_of": as_of}, lambda row: row.slug)) == expected
    assert {row["slug"] for row in csv_rows(client, "/restrictions.csv", {"as_of": as_of})} == expected


@pytest.mark.parametrize(
    ("path", "name"),
    [("/restrictions/", "as_of"), ("/deadlines/", "as_of"), ("/deadlines/", "due_by"), ("/deadlines/", "due_since")],
)
@pytest.mark.parametrize("value", ["2020-13", "2020-00", "2020-02-30", "20201", "July 2020", "-2020"])
def test_a_malformed_date_is_a_bad_request_that_says_why(client, restrictions, path, name, value):
    page = client.get(path, {name: value})
    assert page.status_code == 400
    assert "is not a date like 2020, 2020-08 or 2020-08-05" in page.content.decode()
    download = client.get(path.rstrip("/") + ".csv", {name: value})
    assert download.status_code == 400
    text = download.content.decode()
    assert text.startswith(f"{name}: ")
    assert f"“{value}” is not a date like 2020, 2020-08 or 2020-08-05" in text


def test_an_unknown_segment_is_a_bad_request(client, restrictions):
    assert client.get("/restrictions/", {"segment": "space"}).status_code == 400
    assert client.get("/deadlines.csv", {"segment": "space"}).status_code == 400


# Deadlines


def deadline(restriction, due, precision, description, segments=(), technologies=(), **fields):
    return DeadlineFactory(
        restriction=restriction,
        due=day(due),
        due_precision=precision,
        description=description,
        segments=list(segments),
        technologies=list(technologies),
        **fields,
    )


@pytest.fixture
def deadlines(restrictions):
    """Deadlines with and without their own scope; those without take their restriction's."""
    return {
        "uk-2020": deadline(restrictions["uk"], "2020-12-31", DAY, "uk-2020", milestone=Milestone.NO_NEW),
        "uk-2027": deadline(restrictions["uk"], "2027-01-01", YEAR, "uk-2027", segments=[RAN]),
        "de-core": deadline(restrictions["de"], "2026-01-01", YEAR, "de-core", segments=[CORE], technologies=[G5]),
        "de-management": deadline(restrictions["de"], "2029-01-01", YEAR, "de-management"),
        "se": deadline(restrictions["se"], "2025-01-01", DAY, "se"),
    }


SOONEST_FIRST = ["uk-2020", "se", "de-core", "uk-2027", "de-management"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", SOONEST_FIRST),
        ("country=DE", ["de-core", "de-management"]),
        ("vendor=zte", ["se", "de-core", "de-management"]),
        ("segment=ran", ["uk-2020", "se", "uk-2027"]),
        ("segment=core", ["uk-2020", "de-core", "de-management"]),
        ("segment=transport", ["uk-2020", "de-management"]),
        ("technology=4g", ["se", "de-management"]),
        ("technology=5g", SOONEST_FIRST),
        ("segment=transport&technology=5g", ["uk-2020", "de-management"]),
        ("kind=ban-new", ["de-core", "de-management"]),
        ("status=suspended", ["se"]),
        ("due_by=2026", ["uk-2020", "se", "de-core"]),
        ("due_by=2026-12-30", ["uk-2020", "se"]),
        ("due_since=2025", ["se", "de-core", "uk-2027", "de-management"]),
        ("due_since=2025-01-02", ["de-core", "uk-2027", "de-management"]),
        ("due_since=2026-12-31", ["de-core", "uk-2027", "de-management"]),
        ("due_since=2027-01", ["uk-2027", "de-management"]),
        ("due_since=2026&due_by=2027", ["de-core", "uk-2027"]),
        ("milestone=no-new", ["uk-2020"]),
        ("milestone=removal", ["se", "de-core", "uk-2027", "de-management"]),
        ("as_of=2020-07", ["uk-2020", "uk-2027"]),
    ],
)
def test_deadline_filters_keep_matching_deadlines_soonest_first(client, deadlines, query, expected):
    assert listed(client, f"/deadlines/?{query}", {}, lambda row: row.description) == expected
    assert [row["description"] for row in csv_rows(client, f"/deadlines.csv?{query}")] == expected


def test_a_deadline_without_its_own_scope_takes_its_restrictions(deadlines):
    assert deadlines["de-management"].scope == "Core, Transport / backhaul · all technologies"
    assert deadlines["se"].scope == "Radio access · 4G, 5G"
    assert deadlines["de-core"].scope == "Core · 5G"
    assert deadlines["uk-2020"].scope == "All segments · 5G"


def test_a_deadline_with_its_own_scope_is_not_listed_for_its_restrictions_other_segments(client, deadlines):
    # The German restriction covers core and transport; its 2026 milestone only the core.
    assert "de-core" not in listed(client, "/deadlines/", {"segment": "transport"}, lambda row: row.description)
    assert "de-core" in listed(client, "/deadlines/", {"segment": "core"}, lambda row: row.description)


def test_a_deadline_due_in_a_year_comes_after_one_due_within_that_year(client, restrictions):
    # Created first, so only the period's last day can put it after the others; equal last days go in entry order.
    deadline(restrictions["uk"], "2027-01-01", YEAR, "by end 2027")
    deadline(restrictions["uk"], "2027-12-01", MONTH, "by Dec 2027")
    deadline(restrictions["uk"], "2027-06-30", DAY, "by 30 Jun 2027")
    deadline(restrictions["uk"], "2027-06-01", MONTH, "by Jun 2027")
    deadline(restrictions["uk"], "2028-01-01", DAY, "on 1 Jan 2028")
    expected = ["by 30 Jun 2027", "by Jun 2027", "by end 2027", "by Dec 2027", "on 1 Jan 2028"]
    assert listed(client, "/deadlines/", {}, lambda row: row.description) == expected
    assert [row["description"] for row in csv_rows(client, "/deadlines.csv")] == expected
    assert [d.description for d in Deadline.objects.soonest_first()] == expected


@pytest.mark.parametrize(
    ("today", "remaining"),
    [
        ("2027-01-01", 364),
        ("2027-12-30", 1),
        ("2027-12-31", 0),
        ("2028-01-01", -1),
        ("2029-01-01", -367),
    ],
)
def test_days_remaining_of_a_deadline_due_in_a_year_count_to_its_last_day(restrictions, today, remaining):
    due_2027 = deadline(restrictions["uk"], "2027-01-01", YEAR, "by end 2027")
    assert due_2027.due_by == day("2027-12-31")
    assert due_2027.days_remaining(day(today)) == remaining


def test_days_remaining_of_a_deadline_due_in_a_month_count_to_its_last_day(restrictions):
    due_feb = deadline(restrictions["uk"], "2028-02-01", MONTH, "by Feb 2028")
    assert due_feb.due_by == day("2028-02-29")
    assert due_feb.days_remaining(day("2028-02-01")) == 28


def test_a_deadline_saved_with_a_day_inside_its_year_falls_due_at_the_year_end(restrictions):
    saved = deadline(restrictions["uk"], "2027-06-15", YEAR, "by end 2027")
    saved.refresh_from_db()
    assert (saved.due, saved.due_by) == (day("2027-01-01"), day("2027-12-31"))


def test_a_deadline_moved_to_another_year_falls_due_at_that_year_end(restrictions):
    moved = deadline(restrictions["uk"], "2027-01-01", YEAR, "by end 2027")
    moved.due, moved.due_precision = day("2029-03-01"), MONTH
    moved.save()
    moved.refresh_from_db()
    assert moved.due_by == day("2029-03-31")


# The CSV downloads

RESTRICTION_COLUMNS = {"country", "vendors", "segments", "technologies", "kind", "status", "decided_on"}
DEADLINE_COLUMNS = {"country", "restriction", "due", "due_by", "milestone", "scope", "description", "days_remaining"}


def test_restrictions_csv_names_the_columns_and_writes_each_restriction(client, restrictions):
    rows = {row["slug"]: row for row in csv_rows(client, "/restrictions.csv")}
    assert set(rows["de"]) >= RESTRICTION_COLUMNS
    assert {name: rows["de"][name] for name in RESTRICTION_COLUMNS} == {
        "country": "DE",
        "vendors": "huawei | zte",
        "segments": "core | transport",
        "technologies": "",
        "kind": "ban-new",
        "status": "in-force",
        "decided_on": "2024-07",
    }
    assert (rows["eu"]["country"], rows["eu"]["vendors"], rows["eu"]["segments"]) == ("EU", "", "")
    assert rows["pt"]["decided_on"] == ""


def test_restrictions_csv_header_when_nothing_matches(client, restrictions):
    response = client.get("/restrictions.csv", {"country": "GB", "kind": "share-cap"})
    header = next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert set(header) >= RESTRICTION_COLUMNS


def test_deadlines_csv_names_the_columns_and_counts_days_from_today(client, restrictions):
    passed = deadline(restrictions["uk"], "2020-01-01", YEAR, "by end 2020", segments=[RAN])
    ahead = deadline(restrictions["de"], "2090-01-01", YEAR, "by end 2090")
    today = timezone.localdate()
    rows = {row["description"]: row for row in csv_rows(client, "/deadlines.csv")}
    assert set(rows["by end 2020"]) >= DEADLINE_COLUMNS
    assert {name: rows["by end 2020"][name] for name in DEADLINE_COLUMNS} == {
        "country": "GB",
        "restriction": "uk",
        "due": "2020",
        "due_by": "2020-12-31",
        "milestone": "removal",
        "scope": "Radio access · 5G",
        "description": "by end 2020",
        "days_remaining": str((day("2020-12-31") - today).days),
    }
    assert int(rows["by end 2020"]["days_remaining"]) < 0
    assert int(rows["by end 2090"]["days_remaining"]) == (day("2090-12-31") - today).days > 0
    assert rows["by end 2090"]["scope"] == "Core, Transport / backhaul · all technologies"
    assert [passed.days_remaining(), ahead.days_remaining()] == [
        int(rows["by end 2020"]["days_remaining"]),
        int(rows["by end 2090"]["days_remaining"]),
    ]


def test_the_deadlines_page_says_how_many_days_overdue(client, restrictions):
    deadline(restrictions["uk"], "2020-01-01", YEAR, "by end 2020")
    overdue = (timezone.localdate() - day("2020-12-31")).days
    assert f"{overdue} overdue" in client.get("/deadlines/").content.decode()


# Who missed the deadline


@pytest.fixture
def exposure_world(vendors):
    """A British restriction naming Huawei with a RAN/5G deadline "by end 2020", and uses around it."""
    huawei, zte = vendors["huawei"], vendors["zte"]
    uk = restriction("uk-ran", "GB", [huawei], [RAN], [G5])
    deadline(uk, "2020-01-01", YEAR, "Huawei out of 5G RAN by end 2020")
    britain, germany = CountryFactory(code="GB"), CountryFactory(code="DE")

    def use(slug, country=britain, vendor=huawei, **fields):
        fields = {"segment": RAN, "technology": G5, "valid_from": day("2019-01-01"), **fields}
        return EquipmentUseFactory(carrier=CarrierFactory(slug=slug, country=country), vendor=vendor, **fields)

    use("in-use")
    use("phasing-out", status=EquipmentStatus.PHASING_OUT)
    use("ended-in-2021", valid_to=day("2021-01-01"), valid_to_precision=YEAR)
    use("removed", status=EquipmentStatus.REMOVED)
    use("planned", status=EquipmentStatus.PLANNED)
    use("unknown-status", status=EquipmentStatus.UNKNOWN)
    use("ended-dec-2020", valid_to=day("2020-12-01"), valid_to_precision=MONTH)
    use("ended-may-2021", valid_to=day("2021-05-31"))
    use("core-only", segment=CORE)
    use("4g-only", technology=G4)
    use("in-germany", country=germany)
    use("zte-only", vendor=zte)
    use("starts-2022", valid_from=day("2022-01-01"), valid_from_precision=YEAR)
    return uk


def exposed(client, **params):
    response = client.get(reverse("carriers:deadline-exposure"), params)
    assert response.status_code == 200, response.content
    return {exposure.use.carrier.slug for exposure in response.context["exposures"]}


def test_exposure_lists_carriers_using_a_named_vendor_in_the_deadlines_scope_after_it_passed(client, exposure_world):
    assert exposed(client, on="2021-06-01") == {"in-use", "phasing-out", "ended-in-2021"}


def test_exposure_tells_the_days_past_the_deadline(client, exposure_world):
    response = client.get(reverse("carriers:deadline-exposure"), {"on": "2021-06-01"})
    days = {exposure.use.carrier.slug: exposure.days_remaining for exposure in response.context["exposures"]}
    assert days["in-use"] == (day("2020-12-31") - day("2021-06-01")).days == -152
    assert "152" in response.content.decode()


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2020-12-31", set()),  # the deadline's last day: not passed yet
        ("2020-12", set()),
        ("2020", set()),
        ("2021-01-01", {"in-use", "phasing-out", "ended-in-2021", "ended-may-2021"}),
        ("2021-01", {"in-use", "phasing-out", "ended-in-2021", "ended-may-2021"}),
        ("2021-05-31", {"in-use", "phasing-out", "ended-in-2021", "ended-may-2021"}),
        ("2021-06-01", {"in-use", "phasing-out", "ended-in-2021"}),
        ("2021", {"in-use", "phasing-out", "ended-in-2021", "ended-may-2021"}),
        ("2022", {"in-use", "phasing-out", "starts-2022"}),
    ],
)
def test_exposure_judges_the_facts_in_force_on_the_chosen_date(client, exposure_world, on, expected):
    assert exposed(client, on=on) == expected


def test_exposure_without_a_date_judges_by_today(client, exposure_world):
    assert exposed(client) == {"in-use", "phasing-out", "starts-2022"}


@pytest.fixture
def core_deadline(exposure_world):
    """A second restriction: Huawei out of the core by Jan 2023."""
    core = restriction("uk-core", "GB", list(exposure_world.vendors.all()), [CORE], [])
    return deadline(core, "2023-01-01", MONTH, "Huawei out of the core by Jan 2023")


@pytest.mark.parametrize(
    ("within", "core_listed"),
    [("", False), ("0", False), ("19", False), ("20", True), ("120", True)],
)
def test_exposure_within_months_includes_deadlines_falling_due_that_soon(client, core_deadline, within, core_listed):
    found = exposed(client, on="2021-06-01", within=within)
    assert ("core-only" in found) is core_listed
    assert {"in-use", "phasing-out"} <= found


def test_exposure_within_months_marks_a_deadline_not_yet_due(client, core_deadline):
    response = client.get(reverse("carriers:deadline-exposure"), {"on": "2021-06-01", "within": "24"})
    (core,) = [exposure for exposure in response.context["exposures"] if exposure.deadline == core_deadline]
    assert core.days_remaining == (day("2023-01-31") - day("2021-06-01")).days > 0
    assert f"due in {core.days_remaining}" in response.content.decode()


def test_exposure_respects_the_country_and_vendor_filters(client, exposure_world, vendors):
    assert exposed(client, on="2021-06-01", country="DE") == set()
    assert exposed(client, on="2021-06-01", vendor="zte") == set()
    assert exposed(client, on="2021-06-01", vendor="huawei", country="GB") == {"in-use", "phasing-out", "ended-in-2021"}


def test_a_removal_deadline_of_a_restriction_in_force_exposes_carriers(client, exposure_world):
    assert exposure_world.status == RestrictionStatus.IN_FORCE
    assert list(exposure_world.deadlines.values_list("milestone", flat=True)) == [Milestone.REMOVAL]
    assert exposed(client, on="2021-06-01") == {"in-use", "phasing-out", "ended-in-2021"}


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"status": RestrictionStatus.REPEALED}, id="repealed"),
        pytest.param({"status": RestrictionStatus.SUSPENDED}, id="suspended-by-a-court"),
        pytest.param({"status": RestrictionStatus.PROPOSED}, id="proposed"),
    ],
)
def test_a_deadline_of_a_restriction_not_in_force_exposes_no_one(client, exposure_world, fields):
    Restriction.objects.filter(pk=exposure_world.pk).update(**fields)
    assert exposed(client, on="2021-06-01") == set()


@pytest.mark.parametrize("milestone", [Milestone.NO_NEW, Milestone.SHARE_CAP, Milestone.OTHER])
def test_a_deadline_that_asks_for_no_removal_exposes_no_one(client, exposure_world, milestone):
    # The UK's "no new Huawei 5G equipment after 2020" leaves installed equipment in place until 2027.
    exposure_world.deadlines.update(milestone=milestone)
    assert exposed(client, on="2021-06-01") == set()


@pytest.mark.parametrize("kind", [RestrictionKind.BAN_NEW, RestrictionKind.EXCLUSION_SENSITIVE])
def test_a_removal_deadline_counts_whatever_its_restrictions_kind(client, exposure_world, kind):
    Restriction.objects.filter(pk=exposure_world.pk).update(kind=kind)
    assert exposed(client, on="2021-06-01") == {"in-use", "phasing-out", "ended-in-2021"}


def test_a_restriction_naming_no_vendor_exposes_no_one(client, exposure_world):
    exposure_world.vendors.clear()
    assert exposed(client, on="2021-06-01") == set()


@pytest.mark.parametrize(
    "params",
    [{"on": "2021-13"}, {"on": "June 2021"}, {"on": "2021-02-29"}, {"within": "-1"}, {"within": "a year"}],
)
def test_exposure_with_a_malformed_date_or_span_is_a_bad_request(client, exposure_world, params):
    response = client.get(reverse("carriers:deadline-exposure"), params)
    assert response.status_code == 400
    assert "Some filters are not valid" in response.content.decode()


@pytest.mark.parametrize("params", [{"on": "9999", "within": "120"}, {"on": "9999-12-31", "within": "1"}])
def test_exposure_near_the_end_of_the_calendar_is_not_a_server_error(client, exposure_world, params):
    response = client.get(reverse("carriers:deadline-exposure"), params)
    assert response.status_code in {200, 400}


# CSV import

RESTRICTIONS_HEADER = (
    "slug,country,title,instrument,vendors,segments,technologies,kind,status,decided_on,effective_on,notes,sources"
)
DEADLINES_HEADER = "restriction,due,milestone,segments,technologies,description,notes,sources"


def csv_file(tmp_path, name, *lines):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def import_csv(kind, path):
    """Commit the file as user “importer”: (stdout, stderr, the CommandError or None)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    get_user_model().objects.get_or_create(username="importer")
    try:
        call_command("import_csv", kind, str(path), commit=True, user="importer", stdout=stdout, stderr=stderr)
    except CommandError as error:
        return stdout.getvalue(), stderr.getvalue(), error
    return stdout.getvalue(), stderr.getvalue(), None


@pytest.fixture
def german_sources(vendors):
    CountryFactory(code="DE")
    return SourceFactory(key="bmi-2024", published_on=day("2024-07-11"))


def test_restrictions_and_their_deadlines_import_from_csv(tmp_path, german_sources):
    restrictions_file = csv_file(
        tmp_path,
        "restrictions.csv",
        RESTRICTIONS_HEADER,
        "de-5g,DE,Operators' agreement,agreement,huawei | zte,core | transport,,removal,in-force,2024-07,,,bmi-2024",
    )
    stdout, stderr, error = import_csv("restrictions", restrictions_file)
    assert error is None, stderr
    agreement = Restriction.objects.get(slug="de-5g")
    assert sorted(agreement.vendors.values_list("slug", flat=True)) == ["huawei", "zte"]
    assert (agreement.segments, agreement.technologies) == ([CORE, TRANSPORT], [])
    assert (agreement.decided_on, agreement.decided_on_precision) == (day("2024-07-01"), MONTH)
    assert agreement.citations.get().source == german_sources

    deadlines_file = csv_file(
        tmp_path,
        "deadlines.csv",
        DEADLINES_HEADER,
        "de-5g,2026,removal,core,5g,No Huawei or ZTE in 5G core networks,,bmi-2024",
        "de-5g,2029,removal,,,Management systems replaced,,bmi-2024",
        "de-5g,2024-10,other,,,Operators file their replacement plans,,bmi-2024",
    )
    stdout, stderr, error = import_csv("deadlines", deadlines_file)
    assert error is None, stderr
    plans, core, management = agreement.deadlines.order_by("due_by")
    assert (plans.due, plans.due_precision, plans.due_by) == (day("2024-10-01"), MONTH, day("2024-10-31"))
    assert [plans.milestone, core.milestone, management.milestone] == ["other", "removal", "removal"]
    assert (core.due, core.due_precision, core.due_by) == (day("2026-01-01"), YEAR, day("2026-12-31"))
    assert (core.segments, core.technologies, core.scope) == ([CORE], [G5], "Core · 5G")
    assert (management.segments, management.scope_segments) == ([], [CORE, TRANSPORT])
    assert management.due_by == day("2029-12-31")
    assert management.citations.get().source == german_sources


def row_counts():
    return (Restriction.objects.count(), Deadline.objects.count(), Restriction.vendors.through.objects.count())


def test_a_restriction_with_an_unknown_segment_is_a_line_numbered_error_and_nothing_is_written(
    tmp_path, german_sources
):
    path = csv_file(
        tmp_path,
        "restrictions.csv",
        RESTRICTIONS_HEADER,
        "de-core,DE,Core agreement,agreement,huawei,core,,removal,in-force,2024-07,,,bmi-2024",
        "de-space,DE,Space agreement,agreement,huawei,core | space,,removal,in-force,2024-07,,,bmi-2024",
    )
    _, stderr, error = import_csv("restrictions", path)
    assert error is not None
    assert "line 3: " in stderr and "space" in stderr
    assert "line 2" not in stderr
    assert row_counts() == (0, 0, 0)


def test_a_deadline_with_an_unknown_segment_is_a_line_numbered_error_and_nothing_is_written(
    tmp_path, german_sources, vendors
):
    RestrictionFactory(slug="de-5g", country=CountryFactory(code="DE"))
    before = row_counts()
    path = csv_file(
        tmp_path,
        "deadlines.csv",
        DEADLINES_HEADER,
        "de-5g,2026,removal,core,5g,Core,,bmi-2024",
        "de-5g,2029,removal,core,6g,Management,,bmi-2024",
        "de-5g,2029,removal,ran | satellite,,Satellites,,bmi-2024",
    )
    _, stderr, error = import_csv("deadlines", path)
    assert error is not None
    assert "line 3: " in stderr and "6g" in stderr
    assert "line 4: " in stderr and "satellite" in stderr
    assert row_counts() == before


def test_a_deadline_naming_an_unknown_restriction_is_a_line_numbered_error(tmp_path, german_sources):
    path = csv_file(tmp_path, "deadlines.csv", DEADLINES_HEADER, "no-such-restriction,2026,removal,,,Core,,bmi-2024")
    _, stderr, error = import_csv("deadlines", path)
    assert error is not None
    assert "line 2: " in stderr and "no-such-restriction" in stderr
    assert not Deadline.objects.exists()


# The admin


def admin_url(model, view, *args):
    return reverse(f"admin:carriers_{model._meta.model_name}_{view}", args=args)


def form_data(response, **overrides):
    """What a browser posts back from the admin form in `response`, with `overrides` typed in."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is not None and value is not False and value != []:
                data[field.html_name] = "on" if value is True else value
    return {**data, **overrides}


def assert_saved(response):
    if response.status_code != 302:
        errors = [response.context["adminform"].form.errors]
        errors += [inline.formset.errors for inline in response.context["inline_admin_formsets"]]
        errors += [inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]]
        pytest.fail(f"status {response.status_code}: {errors}")


def test_a_researcher_adds_a_restriction_with_a_deadline_and_a_citation(researcher_client, researcher, vendors):
    CountryFactory(code="DE")
    source = SourceFactory()
    page = researcher_client.get(admin_url(Restriction, "add"))
    assert page.status_code == 200
    data = form_data(
        page,
        country="DE",
        title="Agreement with operators on 5G core",
        slug="de-5g-core",
        instrument="agreement",
        vendors=[vendors["huawei"].pk, vendors["zte"].pk],
        segments=["core", "transport"],
        kind="removal",
        status="in-force",
        decided_on="2024-07-01",
        decided_on_precision="month",
        **{
            "citations-0-source": source.pk,
            "citations-0-quote": "Huawei and ZTE components out of 5G core networks by the end of 2026.",
            "deadlines-TOTAL_FORMS": "2",
            "deadlines-0-due": "2026-06-15",
            "deadlines-0-due_precision": "year",
            "deadlines-0-milestone": "removal",
            "deadlines-0-segments": ["core"],
            "deadlines-0-technologies": ["5g"],
            "deadlines-0-description": "No Huawei or ZTE in 5G core networks by end 2026.",
            "deadlines-1-due": "2029-01-01",
            "deadlines-1-due_precision": "year",
            "deadlines-1-milestone": "removal",
            "deadlines-1-description": "Management systems replaced by end 2029.",
        },
    )
    assert_saved(researcher_client.post(admin_url(Restriction, "add"), data))

    agreement = Restriction.objects.get(slug="de-5g-core")
    assert agreement.country_id == "DE"
    assert sorted(agreement.vendors.values_list("slug", flat=True)) == ["huawei", "zte"]
    assert (agreement.segments, agreement.technologies) == ([CORE, TRANSPORT], [])
    assert agreement.citations.get().source == source
    core, management = agreement.deadlines.order_by("due_by")
    assert (core.due, core.due_by, core.segments, core.technologies) == (
        day("2026-01-01"),
        day("2026-12-31"),
        [CORE],
        [G5],
    )
    assert (management.due_by, management.segments, management.scope_segments) == (
        day("2029-12-31"),
        [],
        [CORE, TRANSPORT],
    )
    assert {version.history_user for version in agreement.history.all()} == {researcher}


def test_the_admin_refuses_a_restriction_without_a_citation(researcher_client, vendors):
    CountryFactory(code="DE")
    page = researcher_client.get(admin_url(Restriction, "add"))
    data = form_data(page, country="DE", title="Uncited", slug="uncited", instrument="law", kind="removal")
    data["status"] = "in-force"
    response = researcher_client.post(admin_url(Restriction, "add"), data)
    assert response.status_code == 200
    assert "Every fact needs at least one citation" in response.content.decode()
    assert not Restriction.objects.exists()


def test_a_researcher_edits_a_restriction_with_its_deadlines(researcher_client, deadlines):
    uk = Restriction.objects.get(slug="uk")
    page = researcher_client.get(admin_url(Restriction, "change", uk.pk))
    assert page.status_code == 200
    assert_saved(researcher_client.post(admin_url(Restriction, "change", uk.pk), form_data(page)))
    assert sorted(uk.deadlines.values_list("description", "segments", "due_by")) == [
        ("uk-2020", [], day("2020-12-31")),
        ("uk-2027", [RAN], day("2027-12-31")),
    ]
    uk.refresh_from_db()
    assert (uk.segments, uk.technologies) == ([], [G5])


@pytest.mark.parametrize(
    ("field_name", "term", "expected"),
    [("vendors", "hua", "Huawei"), ("country", "Country G", "Country GB"), ("country", "Europ", "European Union")],
)
def test_restriction_autocompletes_vendors_and_countries_for_a_researcher(
    researcher_client, restrictions, field_name, term, expected
):
    response = researcher_client.get(
        "/admin/autocomplete/",
        {"app_label": "carriers", "model_name": "restriction", "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert expected in [result["text"] for result in response.json()["results"]]


def test_deadline_autocompletes_restrictions_for_a_researcher(researcher_client, restrictions):
    response = researcher_client.get(
        "/admin/autocomplete/",
        {"app_label": "carriers", "model_name": "deadline", "field_name": "restriction", "term": "de"},
    )
    assert response.status_code == 200
    assert "DE: de" in [result["text"] for result in response.json()["results"]]


# The quality report, the European Union, the history


def uncited_findings(admin_client):
    response = admin_client.get(reverse("quality-report"))
    assert response.status_code == 200
    (check,) = [check for check in response.context["checks"] if check.title == "Facts without a citation"]
    return [record for record, _ in check.rows], response.content.decode()


def test_the_quality_report_lists_an_uncited_deadline_and_restriction(admin_client, deadlines):
    assert uncited_findings(admin_client)[0] == []
    uncited_deadline = Deadline.objects.create(
        restriction=deadlines["se"].restriction, due=day("2030-01-01"), due_precision=YEAR, description="Uncited"
    )
    uncited_restriction = Restriction.objects.create(
        country=CountryFactory(code="FR"),
        title="Uncited restriction",
        slug="fr-uncited",
        instrument="law",
        kind="removal",
        status="in-force",
    )
    records, html = uncited_findings(admin_client)
    assert set(records) == {uncited_deadline, uncited_restriction}
    assert admin_url(Deadline, "change", uncited_deadline.pk) in html
    assert admin_url(Restriction, "change", uncited_restriction.pk) in html


def test_the_european_union_can_be_a_restrictions_government(client, european_union):
    european_union.full_clean()
    toolbox = RestrictionFactory(country=european_union, slug="eu-toolbox", title="5G toolbox")
    toolbox.full_clean()
    assert listed(client, "/restrictions/", {"country": "EU"}, lambda row: row.slug) == ["eu-toolbox"]
    assert [row["country"] for row in csv_rows(client, "/restrictions.csv", {"country": "EU"})] == ["EU"]


def vendor_slugs(version):
    return sorted(link.vendor.slug for link in version.vendors.all())


def test_a_restrictions_history_records_its_vendor_changes(researcher_client, vendors):
    uk = restriction("uk-history", "GB", [vendors["huawei"]], [RAN], [G5])
    page = researcher_client.get(admin_url(Restriction, "change", uk.pk))
    data = form_data(page, vendors=[vendors["huawei"].pk, vendors["zte"].pk])
    assert_saved(researcher_client.post(admin_url(Restriction, "change", uk.pk), data))

    versions = list(uk.history.order_by("history_date", "history_id"))
    assert vendor_slugs(versions[-1]) == ["huawei", "zte"]
    assert ["huawei"] in [vendor_slugs(version) for version in versions[:-1]]
    history_page = researcher_client.get(admin_url(Restriction, "history", uk.pk))
    assert history_page.status_code == 200


def test_a_restrictions_history_records_a_vendor_removed_outside_the_admin(vendors):
    uk = restriction("uk-history", "GB", [vendors["huawei"], vendors["zte"]], [RAN], [G5])
    uk.vendors.remove(vendors["zte"])
    newest = uk.history.order_by("-history_date", "-history_id").first()
    assert vendor_slugs(newest) == ["huawei"]


# Facet counts


@pytest.mark.parametrize(
    ("url", "shown", "not_shown"),
    [
        (
            "/restrictions/",
            [
                "<bdi>Huawei</bdi> (4)",
                "<bdi>Zte</bdi> (2)",
                "<bdi>European Union</bdi> (1)",
                "<bdi>Removal of existing equipment</bdi> (2)",
            ],
            [],
        ),
        (
            "/restrictions/?segment=ran",
            ["<bdi>Huawei</bdi> (2)", "<bdi>Zte</bdi> (1)", "<bdi>In force</bdi> (1)", "<bdi>Proposed</bdi> (1)"],
            ["<bdi>Huawei</bdi> (4)"],
        ),
        (
            "/restrictions/?vendor=huawei",
            ["<bdi>Huawei</bdi> (4)", "<bdi>Zte</bdi> (2)", "<bdi>Country PT</bdi> (1)"],
            ["<bdi>European Union</bdi> ("],
        ),
        (
            "/deadlines/",
            [
                "<bdi>Huawei</bdi> (5)",
                "<bdi>Zte</bdi> (3)",
                "<bdi>Country GB</bdi> (2)",
                "<bdi>Ban on new equipment</bdi> (2)",
                "<bdi>In force</bdi> (4)",
            ],
            [],
        ),
        (
            "/deadlines/?milestone=removal",
            ["<bdi>Huawei</bdi> (4)", "<bdi>Country GB</bdi> (1)", "<bdi>No new covered equipment</bdi> (1)"],
            [],
        ),
        (
            "/deadlines/?segment=ran",
            ["<bdi>Huawei</bdi> (3)", "<bdi>Zte</bdi> (1)", "<bdi>Country GB</bdi> (2)", "<bdi>Country SE</bdi> (1)"],
            ["<bdi>Country DE</bdi> ("],
        ),
    ],
)
def test_restriction_and_deadline_facets_count_rows_with_the_other_filters_applied(
    client, deadlines, url, shown, not_shown
):
    content = client.get(url).content.decode()
    for label in shown:
        assert label in content
    for label in not_shown:
        assert label not in content


# Bounded queries: a page costs the same with one row or many


def query_count(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/restrictions/",
        "/restrictions.csv",
        "/deadlines/",
        "/deadlines.csv",
        "/deadlines/exposure/?on=2031",
    ],
)
def test_restriction_pages_run_as_many_queries_for_many_rows_as_for_one(client, vendors, url):
    def add_restriction_with_deadline_and_exposed_use(number):
        made = restriction(f"r-{number}", "GB", [vendors["huawei"]], [RAN], [G5])
        deadline(made, "2030-01-01", YEAR, f"d-{number}")
        EquipmentUseFactory(carrier=CarrierFactory(country=made.country), vendor=vendors["huawei"])

    add_restriction_with_deadline_and_exposed_use(0)
    few = query_count(client, url)
    for number in range(1, 8):
        add_restriction_with_deadline_and_exposed_use(number)
    assert query_count(client, url) == few
