"""Nothing lost, nothing unexplained: every change is in the edit history, deleted records can be restored."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from carriers.history import tracked_models
from carriers.management.commands.load_sample_data import ARTICLE_TITLE
from carriers.models import (
    Carrier,
    CleanLabel,
    Country,
    CountryPosition,
    Deadline,
    DeadlineCitation,
    EquipmentStatus,
    EquipmentUse,
    Event,
    Initiative,
    Source,
    Vendor,
)
from tests.conftest import logged_in
from tests.factories import (
    CarrierFactory,
    CountryFactory,
    EquipmentUseFactory,
    EventFactory,
    InitiativeFactory,
    SourceFactory,
    VendorFactory,
)

USERNAME, EMAIL = "jane-staff-4711", "jane.staff@example.org"


def admin_url(model, view, *args):
    return reverse(f"admin:carriers_{model._meta.model_name}_{view}", args=args)


def restore_url(model, history_id):
    return reverse("restore-record", args=[model._meta.model_name, history_id])


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_superuser(username=USERNAME, email=EMAIL, password=None)


@pytest.fixture
def staff_client(staff_user):
    return logged_in(staff_user)


def form_data(response, **overrides):
    """What a browser would post back from the admin form in `response`, with `overrides` typed in."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return {**data, **overrides}


def assert_saved(response):
    """The admin redirects after a save; on a form error, show what the form said."""
    if response.status_code != 302:
        context = response.context or {}
        errors = [context["adminform"].form.errors] if "adminform" in context else []
        errors += [inline.formset.errors for inline in context.get("inline_admin_formsets", [])]
        pytest.fail(f"status {response.status_code}: {errors}")


def history_of(model, pk):
    return list(model.history.filter(**{model._meta.pk.attname: pk}).order_by("history_date", "history_id"))


def deleted_entry(model, pk):
    return model.history.get(**{model._meta.pk.attname: pk}, history_type="-")


# What the admin form of each kind of record gets typed into it, on adding and then on changing.
def add_values(model, refs):
    cite = {"citations-0-source": refs["source"].pk, "citations-0-quote": "As first reported."}
    return {
        Country: {"code": "FR", "name": "France", "region": "europe"},
        Vendor: {"name": "Nokia", "slug": "nokia"},
        Initiative: {
            "name": "Prague Proposals",
            "slug": "prague-proposals",
            "sponsor": "US",
            "kind": "guidance",
            "targeted_vendors": [refs["vendor"].pk],
        },
        Source: {"title": "Network review", "publisher": "Example Press", "url": "https://example.org/review"},
        Carrier: {"name": "Orange", "slug": "orange", "country": "KR"},
        EquipmentUse: {
            "carrier": refs["carrier"].pk,
            "vendor": refs["vendor"].pk,
            "segment": "ran",
            "technology": "5g",
            "status": "in-use",
            "confidence": "reported",
            **cite,
        },
        CleanLabel: {
            "carrier": refs["carrier"].pk,
            "initiative": refs["initiative"].pk,
            "wording": "clean telco",
            **cite,
        },
        CountryPosition: {
            "country": "KR",
            "initiative": refs["initiative"].pk,
            "stance": "declined",
            "stated_on": "2020-10-14",
            **cite,
        },
        Event: {
            "name": "Fifth dialogue",
            "slug": "fifth-dialogue",
            "kind": "meeting",
            "held_on": "2020-10-13",
            "countries": ["KR", "US"],
            "initiatives": [refs["initiative"].pk],
            **cite,
        },
    }[model]


CHANGES = {
    Country: {"name": "French Republic"},
    Vendor: {"aliases": "Nokia Networks"},
    Initiative: {"led_by": "A minister"},
    Source: {"notes": "Read again."},
    Carrier: {"aliases": "Orange S.A."},
}
FACT_CHANGE = {"notes": "Checked again.", "citations-0-quote": "As reported later."}
MODELS = [Country, Vendor, Initiative, Source, Carrier, EquipmentUse, CleanLabel, CountryPosition, Event]


@pytest.fixture
def refs(db):
    CountryFactory(code="US")
    return {
        "source": SourceFactory(),
        "vendor": VendorFactory(),
        "carrier": CarrierFactory(country=CountryFactory(code="KR")),
        "initiative": InitiativeFactory(),
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_adding_changing_and_deleting_in_the_admin_is_recorded_with_the_staff_user(
    staff_client, staff_user, refs, model
):
    existing = set(model.objects.values_list("pk", flat=True))
    page = staff_client.get(admin_url(model, "add"))
    assert_saved(staff_client.post(admin_url(model, "add"), form_data(page, **add_values(model, refs))))
    (record,) = model.objects.exclude(pk__in=existing)
    citation = record.citations.get() if hasattr(record, "citations") else None

    page = staff_client.get(admin_url(model, "change", record.pk))
    assert_saved(
        staff_client.post(admin_url(model, "change", record.pk), form_data(page, **CHANGES.get(model, FACT_CHANGE)))
    )
    response = staff_client.post(admin_url(model, "delete", record.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()

    entries = history_of(model, record.pk)
    assert entries[0].history_type == "+"
    assert "~" in [entry.history_type for entry in entries]
    assert entries[-1].history_type == "-"
    assert {entry.history_user for entry in entries} == {staff_user}
    if citation is not None:
        citation_entries = history_of(type(citation), citation.pk)
        assert [entry.history_type for entry in citation_entries] == ["+", "~", "-"]
        assert [entry.quote for entry in citation_entries] == [
            "As first reported.",
            "As reported later.",
            "As reported later.",
        ]
        assert {entry.history_user for entry in citation_entries} == {staff_user}


# Commands


def test_loading_the_sample_data_records_an_addition_for_every_record(sample_data):
    # The seed article states no deadline, so the sample data has none.
    for model in set(tracked_models()) - {Deadline, DeadlineCitation}:
        pk = model._meta.pk.attname
        records = set(model.objects.values_list("pk", flat=True))
        added = set(model.history.filter(history_type="+").values_list(pk, flat=True))
        assert records, model
        assert added == records, model
        assert not model.history.exclude(history_user=None).exists(), model


def test_loading_the_sample_data_again_adds_no_history(sample_data):
    before = {model: model.history.count() for model in tracked_models()}
    call_command("load_sample_data", verbosity=0)
    assert {model: model.history.count() for model in tracked_models()} == before


def test_a_committed_import_is_recorded_in_the_history_under_the_named_user(sample_data, tmp_path, admin_user):
    path = tmp_path / "equipment.csv"
    path.write_text(
        "carrier,vendor,segment,technology,status,valid_from,valid_to,share_percent,confidence,notes,sources\n"
        f"kt,zte,core,4g,in-use,2019,,,reported,,{ARTICLE_TITLE}\n"
        f"lg-uplus,huawei,other,unknown,removed,,,,reported,Imported.,{ARTICLE_TITLE}\n",
        encoding="utf-8",
    )
    call_command("import_csv", "equipment", str(path), commit=True, user=admin_user.username, stdout=io.StringIO())
    added = EquipmentUse.objects.get(carrier__slug="kt", vendor__slug="zte")
    changed = EquipmentUse.objects.get(carrier__slug="lg-uplus")
    assert [entry.history_type for entry in history_of(EquipmentUse, added.pk)] == ["+"]
    assert {entry.history_user for entry in history_of(EquipmentUse, added.pk)} == {admin_user}
    assert [entry.history_type for entry in history_of(type(added.citations.get()), added.citations.get().pk)] == ["+"]
    assert [(entry.history_type, entry.status) for entry in history_of(EquipmentUse, changed.pk)][-2:] == [
        ("+", EquipmentStatus.IN_USE),
        ("~", EquipmentStatus.REMOVED),
    ]


def test_a_committed_carriers_import_is_recorded_in_the_history(sample_data, tmp_path, admin_user):
    path = tmp_path / "carriers.csv"
    path.write_text("slug,name,country\norange-kr,Orange Korea,KR\n", encoding="utf-8")
    call_command("import_csv", "carriers", str(path), commit=True, user=admin_user.username, stdout=io.StringIO())
    assert Carrier.history.get(slug="orange-kr", history_type="+").history_user == admin_user


def test_a_dry_run_import_leaves_no_history(sample_data, tmp_path):
    path = tmp_path / "carriers.csv"
    path.write_text("slug,name,country\norange-kr,Orange Korea,KR\n", encoding="utf-8")
    call_command("import_csv", "carriers", str(path), stdout=io.StringIO())
    assert not Carrier.history.filter(slug="orange-kr").exists()


# The history page


def test_history_page_shows_the_changed_field_with_old_and_new_values(staff_client):
    use = EquipmentUseFactory(notes="Before the check")
    page = staff_client.get(admin_url(EquipmentUse, "change", use.pk))
    data = form_data(page, notes="After the check", status=EquipmentStatus.REMOVED)
    assert_saved(staff_client.post(admin_url(EquipmentUse, "change", use.pk), data))
    response = staff_client.get(admin_url(EquipmentUse, "history", use.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"Notes:</strong>\s*Before the check\s*&nbsp;&rarr;&nbsp;&nbsp;After the check", page)
    # Choices show as stored (simple-history's diff does not use display labels).
    assert re.search(r"Status:</strong>\s*in-use\s*&nbsp;&rarr;&nbsp;&nbsp;removed", page)
    assert USERNAME in page


# Deleted records


def test_deleted_records_page_sends_anonymous_visitors_to_the_login_page(db, client):
    response = client.get(reverse("deleted-records"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_deleted_records_page_lists_a_deleted_fact(editor):
    use = EquipmentUseFactory(notes="Gone for now")
    label = str(use)
    use.delete()
    response = logged_in(editor).get(reverse("deleted-records"))
    assert response.status_code == 200
    assert label in response.content.decode()


def test_researcher_sees_deleted_records_without_a_restore_button(researcher):
    use = EquipmentUseFactory()
    pk, label = use.pk, str(use)
    use.delete()
    response = logged_in(researcher).get(reverse("deleted-records"))
    assert response.status_code == 200
    assert label in response.content.decode()
    assert restore_url(EquipmentUse, deleted_entry(EquipmentUse, pk).history_id) not in response.content.decode()


def test_editor_restores_a_deleted_equipment_use_with_its_citations(editor):
    use = EquipmentUseFactory(notes="Worth keeping", share_percent=40)
    use.citations.create(source=SourceFactory(), location="p. 4", quote="Second source.")
    before = list(use.citations.order_by("pk").values("pk", "source", "location", "quote"))
    client = logged_in(editor)
    assert client.post(admin_url(EquipmentUse, "delete", use.pk), {"post": "yes"}).status_code == 302
    assert not EquipmentUse.objects.filter(pk=use.pk).exists()

    deleted = deleted_entry(EquipmentUse, use.pk)
    assert restore_url(EquipmentUse, deleted.history_id) in client.get(reverse("deleted-records")).content.decode()

    response = client.post(restore_url(EquipmentUse, deleted.history_id))

    assert response.status_code == 302
    assert response.url == admin_url(EquipmentUse, "change", use.pk)
    restored = EquipmentUse.objects.get(pk=use.pk)
    assert (restored.notes, restored.share_percent, restored.carrier_id) == ("Worth keeping", 40, use.carrier_id)
    assert list(restored.citations.order_by("pk").values("pk", "source", "location", "quote")) == before
    assert restore_url(EquipmentUse, deleted.history_id) not in client.get(reverse("deleted-records")).content.decode()


def test_editor_restores_a_deleted_event_with_its_countries_and_initiatives(editor):
    event = EventFactory()
    event.countries.set([CountryFactory(code="KR"), CountryFactory(code="US")])
    initiatives = [InitiativeFactory(), InitiativeFactory()]
    event.initiatives.set(initiatives)
    client = logged_in(editor)
    assert client.post(admin_url(Event, "delete", event.pk), {"post": "yes"}).status_code == 302

    response = client.post(restore_url(Event, deleted_entry(Event, event.pk).history_id))

    assert response.status_code == 302
    restored = Event.objects.get(pk=event.pk)
    assert sorted(restored.countries.values_list("code", flat=True)) == ["KR", "US"]
    assert set(restored.initiatives.all()) == set(initiatives)
    assert restored.citations.count() == 1


def test_researcher_may_not_restore_a_deleted_record(researcher):
    use = EquipmentUseFactory()
    pk = use.pk
    use.delete()
    response = logged_in(researcher).post(restore_url(EquipmentUse, deleted_entry(EquipmentUse, pk).history_id))
    assert response.status_code == 403
    assert not EquipmentUse.objects.filter(pk=pk).exists()


def test_restoring_a_fact_recorded_again_since_is_refused_with_a_message(editor):
    use = EquipmentUseFactory()
    pk, carrier, vendor = use.pk, use.carrier, use.vendor
    use.delete()
    EquipmentUseFactory(carrier=carrier, vendor=vendor)
    response = logged_in(editor).post(restore_url(EquipmentUse, deleted_entry(EquipmentUse, pk).history_id))
    assert response.status_code in (302, 400, 409)
    assert not EquipmentUse.objects.filter(pk=pk).exists()
    assert EquipmentUse.objects.filter(carrier=carrier, vendor=vendor).count() == 1


def test_restoring_a_record_that_is_not_deleted_is_not_found(editor):
    use = EquipmentUseFactory()
    response = logged_in(editor).post(restore_url(EquipmentUse, history_of(EquipmentUse, use.pk)[0].history_id))
    assert response.status_code == 404


def test_restore_refuses_a_get(editor):
    use = EquipmentUseFactory()
    pk = use.pk
    use.delete()
    response = logged_in(editor).get(restore_url(EquipmentUse, deleted_entry(EquipmentUse, pk).history_id))
    assert response.status_code == 405
    assert not EquipmentUse.objects.filter(pk=pk).exists()


# Reverting to an earlier version. simple-history's submit_line.html uses {{ onclick_attrib }}, which its view never
# sets, so its version page fails under --fail-on-template-vars; the failure is that template's, not the app's.
THIRD_PARTY_TEMPLATE = pytest.mark.ignore_template_errors


@pytest.fixture
def changed_use(db):
    """An equipment use whose notes were changed after it was recorded; its first version says "First notes"."""
    use = EquipmentUseFactory(notes="First notes")
    use.notes = "Second notes"
    use.save()
    first = history_of(EquipmentUse, use.pk)[0]
    return use, admin_url(EquipmentUse, "simple_history", use.pk, first.history_id)


@THIRD_PARTY_TEMPLATE
def test_researcher_may_not_revert_to_an_earlier_version(researcher, editor, changed_use):
    use, url = changed_use
    data = form_data(logged_in(editor).get(url))
    response = logged_in(researcher).post(url, data)
    assert response.status_code == 403
    use.refresh_from_db()
    assert use.notes == "Second notes"


@THIRD_PARTY_TEMPLATE
def test_editor_reverts_to_an_earlier_version(editor, changed_use):
    use, url = changed_use
    client = logged_in(editor)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' in page.content.decode()
    response = client.post(url, {**form_data(page), "_save": "Revert"})
    assert response.status_code == 302
    use.refresh_from_db()
    assert use.notes == "First notes"
    assert history_of(EquipmentUse, use.pk)[-1].history_user == editor


@THIRD_PARTY_TEMPLATE
def test_researcher_sees_an_earlier_version_without_a_revert_button(researcher, changed_use):
    use, url = changed_use
    response = logged_in(researcher).get(url)
    assert response.status_code == 200
    assert "First notes" in response.content.decode()
    assert 'name="_save"' not in response.content.decode()


# Public pages


def test_public_carrier_page_shows_when_a_fact_last_changed_but_not_who_changed_it(client, staff_client, staff_user):
    use = EquipmentUseFactory()
    page = staff_client.get(admin_url(EquipmentUse, "change", use.pk))
    assert_saved(staff_client.post(admin_url(EquipmentUse, "change", use.pk), form_data(page, notes="Checked.")))
    assert EquipmentUse.history.filter(id=use.pk, history_user=staff_user).exists()
    response = client.get(use.carrier.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Last changed" in page
    use.refresh_from_db()
    assert f"{use.updated_at:%-d %b %Y}" in page
    assert USERNAME not in page
    assert EMAIL not in page
    assert "jane" not in page.lower()
