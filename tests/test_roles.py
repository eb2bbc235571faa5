"""`setup_roles`: Researchers add and change, Editors also delete; no command creates a user."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from carriers.history import tracked_models
from carriers.models import EquipmentUse, Source
from tests.factories import EquipmentUseFactory, SourceFactory

FACTS = ["equipmentuse", "cleanlabel", "countryposition", "event", "restriction", "deadline"]
CITATIONS = [
    "equipmentusecitation",
    "cleanlabelcitation",
    "countrypositioncitation",
    "eventcitation",
    "restrictioncitation",
    "deadlinecitation",
]
REFERENCES = ["country", "vendor", "initiative"]


def setup_roles():
    call_command("setup_roles", stdout=io.StringIO())


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


@pytest.fixture
def roles(db):
    setup_roles()
    setup_roles()


def admin_url(model, view, *args):
    return reverse(f"admin:carriers_{model._meta.model_name}_{view}", args=args)


# The groups


def test_setup_roles_run_twice_gives_the_same_two_groups(db):
    setup_roles()
    first = {name: codenames(name) for name in ("Researcher", "Editor")}
    setup_roles()
    assert Group.objects.count() == 2
    assert {name: codenames(name) for name in ("Researcher", "Editor")} == first


def test_setup_roles_restores_a_permission_taken_from_a_group(roles):
    Group.objects.get(name="Researcher").permissions.clear()
    setup_roles()
    assert "add_equipmentuse" in codenames("Researcher")


def test_researcher_adds_changes_and_views_facts_citations_sources_and_carriers_and_only_views_the_rest(roles):
    editable = [*FACTS, *CITATIONS, "source", "carrier"]
    expected = {f"{action}_{model}" for model in editable for action in ("add", "change", "view")}
    expected |= {f"view_{model}" for model in REFERENCES}
    assert codenames("Researcher") == expected


def test_editor_has_every_permission_on_every_record(roles):
    models = [model._meta.model_name for model in tracked_models()]
    assert set(models) == {*FACTS, *CITATIONS, *REFERENCES, "source", "carrier"}
    expected = {f"{action}_{model}" for model in models for action in ("add", "change", "delete", "view")}
    assert expected <= codenames("Editor")
    assert not any(codename.endswith(("_user", "_group", "_permission")) for codename in codenames("Editor"))


# What a Researcher may do


def test_researcher_opens_the_add_page_of_an_equipment_use(researcher_client):
    assert researcher_client.get(admin_url(EquipmentUse, "add")).status_code == 200


def test_researcher_opens_the_import_page(researcher_client):
    assert researcher_client.get(admin_url(EquipmentUse, "import")).status_code == 200


@pytest.mark.parametrize("factory", [EquipmentUseFactory, SourceFactory], ids=["EquipmentUse", "Source"])
def test_researcher_may_not_open_a_delete_confirmation(researcher_client, factory):
    record = factory()
    assert researcher_client.get(admin_url(type(record), "delete", record.pk)).status_code == 403


def test_researcher_may_not_delete_a_fact(researcher_client):
    use = EquipmentUseFactory()
    response = researcher_client.post(admin_url(EquipmentUse, "delete", use.pk), {"post": "yes"})
    assert response.status_code == 403
    assert EquipmentUse.objects.filter(pk=use.pk).exists()


def test_researcher_may_not_change_a_vendor(researcher_client):
    use = EquipmentUseFactory()
    response = researcher_client.post(
        reverse("admin:carriers_vendor_change", args=[use.vendor.pk]), {"name": "Renamed", "slug": use.vendor.slug}
    )
    assert response.status_code == 403
    use.vendor.refresh_from_db()
    assert use.vendor.name != "Renamed"


def test_researcher_may_not_manage_users(researcher_client):
    assert researcher_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_researcher_does_not_see_users_on_the_admin_index(researcher_client):
    response = researcher_client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Equipment uses" in page
    assert "Users" not in page


# What an Editor may do


def test_editor_deletes_a_fact_and_its_citations(editor_client):
    use = EquipmentUseFactory()
    source = use.citations.get().source
    response = editor_client.post(admin_url(EquipmentUse, "delete", use.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not EquipmentUse.objects.filter(pk=use.pk).exists()
    assert not source.equipmentusecitations.exists()
    assert Source.objects.filter(pk=source.pk).exists()


# No accounts from commands


def test_no_command_creates_a_user_or_password(db, django_user_model):
    call_command("migrate", verbosity=0)
    call_command("load_sample_data", verbosity=0)
    setup_roles()
    assert django_user_model.objects.count() == 0
