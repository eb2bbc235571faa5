"""History that loses nothing: a fact's citations are part of its versions, saving without a change records
none, restores never fail with a 500, and a restore shows in the admin's recent actions."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse

from carriers.models import Carrier, EquipmentUse
from tests.conftest import logged_in
from tests.factories import CarrierFactory, EquipmentUseFactory, SourceFactory
from tests.test_history import THIRD_PARTY_TEMPLATE, admin_url, assert_saved, form_data, history_of, restore_url


@pytest.fixture
def cited_use(db):
    """An equipment use with one citation, quoted "First words."."""
    use = EquipmentUseFactory(cited=None)
    use.citations.all().delete()
    use.citations.create(source=SourceFactory(key="first-report"), quote="First words.", location="p. 1")
    use.save()  # its first version holds the citation
    return use


def edit_citations(client, use, **typed):
    url = admin_url(EquipmentUse, "change", use.pk)
    assert_saved(client.post(url, form_data(client.get(url), **typed)))


def test_editing_a_quote_adds_a_version_whose_history_shows_the_citation_change(editor, cited_use):
    client = logged_in(editor)
    versions = len(history_of(EquipmentUse, cited_use.pk))
    edit_citations(client, cited_use, **{"citations-0-quote": "Second words."})
    assert len(history_of(EquipmentUse, cited_use.pk)) == versions + 1
    assert history_of(EquipmentUse, cited_use.pk)[-1].citations[0]["quote"] == "Second words."
    page = client.get(admin_url(EquipmentUse, "history", cited_use.pk)).content.decode()
    assert "citations" in page
    assert "First words." in page and "Second words." in page


def test_changing_a_field_and_a_citation_in_one_save_records_one_version(editor, cited_use):
    versions = len(history_of(EquipmentUse, cited_use.pk))
    edit_citations(logged_in(editor), cited_use, notes="Now with notes.", **{"citations-0-quote": "Other words."})
    history = history_of(EquipmentUse, cited_use.pk)
    assert len(history) == versions + 1
    assert (history[-1].notes, history[-1].citations[0]["quote"]) == ("Now with notes.", "Other words.")


@THIRD_PARTY_TEMPLATE
def test_reverting_brings_the_citations_back_to_that_version(editor, cited_use):
    client = logged_in(editor)
    first = history_of(EquipmentUse, cited_use.pk)[-1]
    edit_citations(
        client,
        cited_use,
        **{
            "citations-0-quote": "Changed words.",
            "citations-TOTAL_FORMS": "2",
            "citations-1-source": SourceFactory(key="added-later").pk,
            "citations-1-quote": "Added later.",
        },
    )
    assert cited_use.citations.count() == 2
    url = admin_url(EquipmentUse, "simple_history", cited_use.pk, first.history_id)
    response = client.post(url, {**form_data(client.get(url)), "_save": "Revert"})
    assert response.status_code == 302
    assert list(cited_use.citations.values_list("source__key", "quote")) == [("first-report", "First words.")]
    assert history_of(EquipmentUse, cited_use.pk)[-1].citations == first.citations


def test_saving_without_a_change_adds_no_version(editor, cited_use):
    versions = len(history_of(EquipmentUse, cited_use.pk))
    edit_citations(logged_in(editor), cited_use)
    cited_use.refresh_from_db()
    cited_use.save()
    assert len(history_of(EquipmentUse, cited_use.pk)) == versions


# Restoring


def latest_deletion(model, pk):
    return model.history.filter(**{model._meta.pk.attname: pk}, history_type="-").latest("history_id")


def test_a_fact_deleted_restored_and_deleted_again_is_listed_once_and_restores(editor, cited_use):
    client = logged_in(editor)
    pk = cited_use.pk
    cited_use.delete()
    assert client.post(restore_url(EquipmentUse, latest_deletion(EquipmentUse, pk).history_id)).status_code == 302
    EquipmentUse.objects.get(pk=pk).delete()
    page = client.get(reverse("deleted-records")).content.decode()
    assert page.count(f"/equipmentuse/{latest_deletion(EquipmentUse, pk).history_id}/restore/") == 1
    assert page.count("/admin/deleted/equipmentuse/") == 1

    response = client.post(restore_url(EquipmentUse, latest_deletion(EquipmentUse, pk).history_id))

    assert response.status_code == 302
    assert list(EquipmentUse.objects.get(pk=pk).citations.values_list("quote", flat=True)) == ["First words."]


def test_restoring_a_carrier_whose_slug_was_reused_says_how_to_go_on(editor):
    carrier = CarrierFactory(slug="orange-kr", name="Orange Korea")
    pk = carrier.pk
    carrier.delete()
    CarrierFactory(slug="orange-kr", name="Orange Korea Telecom")
    response = logged_in(editor).post(restore_url(Carrier, latest_deletion(Carrier, pk).history_id), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cannot restore this carrier" in page and "slug" in page.lower()
    assert "then restore this one again" in page
    assert not Carrier.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("model_name", ["dataversion", "pendingimport", "user", "nothing"])
def test_only_tracked_kinds_of_record_can_be_restored(editor, model_name):
    response = logged_in(editor).post(reverse("restore-record", args=[model_name, 1]))
    assert response.status_code == 404


def test_a_restore_appears_in_the_recent_actions(editor, cited_use):
    pk = cited_use.pk
    cited_use.delete()
    logged_in(editor).post(restore_url(EquipmentUse, latest_deletion(EquipmentUse, pk).history_id))
    entry = LogEntry.objects.get(user=editor, object_id=str(pk))
    assert (entry.action_flag, entry.change_message) == (ADDITION, "Restored from history")
