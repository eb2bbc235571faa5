"""Counts, facets and the dashboard are cached until the next edit: an edit must show at once."""

from django.db import transaction

from carriers.models import Carrier, DataVersion
from tests.factories import CarrierFactory, CountryFactory, EquipmentUseFactory


def empty_inline(prefix):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


def carrier_count(client):
    return client.get("/carriers/").context["page_obj"].paginator.count


def test_an_admin_edit_shows_at_once_on_cached_lists_and_dashboard(admin_client, client, db):
    korea = CountryFactory(code="KR", name="South Korea")
    CarrierFactory(country=korea, name="KT", slug="kt")
    assert carrier_count(client) == 1
    assert b"<bdi>South Korea</bdi> (1)" in client.get("/carriers/").content
    assert client.get("/").context["headline"]["carriers"] == 1

    response = admin_client.post(
        "/admin/carriers/carrier/add/",
        {
            "name": "LG Uplus",
            "slug": "lg-uplus",
            "country": "KR",
            **empty_inline("equipment_uses"),
            **empty_inline("clean_labels"),
        },
    )
    assert response.status_code == 302

    assert carrier_count(client) == 2
    assert b"<bdi>South Korea</bdi> (2)" in client.get("/carriers/").content
    assert client.get("/").context["headline"]["carriers"] == 2


def test_a_deletion_and_an_m2m_change_also_refresh_cached_results(client, db):
    use = EquipmentUseFactory()
    assert client.get("/equipment/").context["page_obj"].paginator.count == 1
    use.delete()
    assert client.get("/equipment/").context["page_obj"].paginator.count == 0

    version = DataVersion.current()
    use = EquipmentUseFactory()
    initiative = use.carrier.clean_labels.model._meta.get_field("initiative").related_model.objects.create(
        name="Clean", slug="clean", sponsor=CountryFactory(code="US"), kind="program"
    )
    initiative.targeted_vendors.add(use.vendor)
    assert DataVersion.current() > version
    assert client.get("/carriers/?targeted=yes").context["page_obj"].paginator.count == 1


def test_an_edit_rolled_back_leaves_the_data_version_as_it_was(db):
    CarrierFactory()
    before = DataVersion.current()
    try:
        with transaction.atomic():
            CarrierFactory()
            assert DataVersion.current() > before
            raise RuntimeError("abandon the edit")
    except RuntimeError:
        pass
    assert DataVersion.current() == before
    assert Carrier.objects.count() == 1


def test_a_list_url_asked_again_since_the_last_edit_is_answered_with_one_query(client, db, django_assert_num_queries):
    korea = CountryFactory(code="KR", name="South Korea")
    CarrierFactory(country=korea, name="KT", slug="kt")
    first = client.get("/carriers/?country=KR")
    assert first.status_code == 200

    with django_assert_num_queries(1):  # the data version; no FilterSet, no count, no facets
        again = client.get("/carriers/?country=KR")

    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_a_list_url_asked_again_after_an_edit_shows_the_edit(client, db):
    korea = CountryFactory(code="KR", name="South Korea")
    CarrierFactory(country=korea, name="KT", slug="kt")
    assert b"LG Uplus" not in client.get("/carriers/?country=KR").content

    CarrierFactory(country=korea, name="LG Uplus", slug="lg-uplus")

    assert b"LG Uplus" in client.get("/carriers/?country=KR").content


def test_a_malformed_list_url_is_refused_every_time_not_served_from_the_cache(client, db):
    CountryFactory(code="KR", name="South Korea")
    assert client.get("/carriers/?country=ZZ").status_code == 400
    assert client.get("/carriers/?country=ZZ").status_code == 400
