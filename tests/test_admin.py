"""The researchers' admin: every page renders for staff only, facts need citations, bad input is refused."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from carriers.models import (
    Carrier,
    CleanLabel,
    CleanLabelCitation,
    Country,
    CountryPosition,
    CountryPositionCitation,
    Deadline,
    DeadlineCitation,
    EquipmentUse,
    EquipmentUseCitation,
    Event,
    EventCitation,
    Initiative,
    Restriction,
    RestrictionCitation,
    Source,
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
    InitiativeFactory,
    RestrictionFactory,
    SourceFactory,
    VendorFactory,
)

FACTORIES = {
    Carrier: CarrierFactory,
    CleanLabel: CleanLabelFactory,
    Country: CountryFactory,
    CountryPosition: CountryPositionFactory,
    EquipmentUse: EquipmentUseFactory,
    Event: EventFactory,
    Initiative: InitiativeFactory,
    Restriction: RestrictionFactory,
    Deadline: DeadlineFactory,
    Source: SourceFactory,
    Vendor: VendorFactory,
}
REGISTERED = sorted(FACTORIES, key=lambda model: model.__name__)
CITATION_MODELS = [
    EquipmentUseCitation,
    CleanLabelCitation,
    CountryPositionCitation,
    EventCitation,
    RestrictionCitation,
    DeadlineCitation,
]


@pytest.fixture
def admin_user(db, django_user_model):
    """The superuser behind `admin_client`, without a password: hashing one slows every test."""
    return django_user_model.objects.create_superuser(username="admin", email="admin@example.org", password=None)


def admin_url(model, view, *args):
    return reverse(f"admin:carriers_{model._meta.model_name}_{view}", args=args)


def admin_pages(model):
    record = FACTORIES[model]()
    return [admin_url(model, "changelist"), admin_url(model, "add"), admin_url(model, "change", record.pk)]


def counts():
    """Rows of every fact and citation model, to show a refused form saved nothing."""
    return {model.__name__: model.objects.count() for model in [*FACTORIES, *CITATION_MODELS]}


# Access


def test_every_carriers_model_registered_in_the_admin_is_tested():
    registered = {model for model in admin.site._registry if model._meta.app_label == "carriers"}
    assert registered == set(FACTORIES)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_admin_changelist_add_and_change_pages_render_for_staff(admin_client, model):
    for url in admin_pages(model):
        response = admin_client.get(url)
        assert response.status_code == 200, url


def test_admin_changelist_shows_the_record(admin_client):
    CarrierFactory(name="LG Uplus")
    response = admin_client.get(admin_url(Carrier, "changelist"))
    assert "LG Uplus" in response.content.decode()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_admin_pages_redirect_anonymous_users_to_the_login_page(db, client, model):
    for url in admin_pages(model):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_admin_pages_refuse_a_logged_in_user_who_is_not_staff(client, django_user_model, model):
    client.force_login(django_user_model.objects.create_user(username="reader"))
    for url in admin_pages(model):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url


def test_admin_refuses_a_post_from_an_anonymous_user(db, client):
    response = client.post(admin_url(Vendor, "add"), {"name": "Huawei", "slug": "huawei"})
    assert response.status_code == 302
    assert not Vendor.objects.exists()


# Citations are required


def citations(*rows):
    """The citation inline's POST data; with no rows, one blank form as the browser sends it."""
    data = {
        "citations-TOTAL_FORMS": str(max(len(rows), 1)),
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"citations-{index}-{name}": value for name, value in row.items()})
    return data


def equipment_use_form(**overrides):
    carrier, vendor = CarrierFactory(), VendorFactory()
    return {
        "carrier": carrier.pk,
        "vendor": vendor.pk,
        "segment": "ran",
        "technology": "5g",
        "status": "in-use",
        "valid_from": "2019-04-03",
        "valid_from_precision": "day",
        "valid_to": "",
        "valid_to_precision": "day",
        "share_percent": "",
        "confidence": "reported",
        "notes": "",
        **overrides,
    }


def clean_label_form(**overrides):
    carrier, initiative = CarrierFactory(), InitiativeFactory()
    return {
        "carrier": carrier.pk,
        "initiative": initiative.pk,
        "wording": "clean telco",
        "scope_segment": "",
        "scope_technology": "",
        "awarded_on": "2020-06-24",
        "awarded_on_precision": "day",
        "withdrawn_on": "",
        "withdrawn_on_precision": "day",
        "notes": "",
        **overrides,
    }


def country_position_form(**overrides):
    country, initiative = CountryFactory(), InitiativeFactory()
    return {
        "country": country.pk,
        "initiative": initiative.pk,
        "stance": "declined",
        "stated_on": "2020-10-01",
        "stated_on_precision": "month",
        "stated_by": "Lee Tae-ho",
        "statement": "Up to the company to decide.",
        "event": "",
        "notes": "",
        **overrides,
    }


def event_form(**overrides):
    countries = [CountryFactory(code="KR"), CountryFactory(code="US")]
    return {
        "name": "Fifth Senior Economic Dialogue",
        "slug": "fifth-sed",
        "kind": "meeting",
        "held_on": "2020-10-01",
        "held_on_precision": "month",
        "countries": [country.pk for country in countries],
        "initiatives": [InitiativeFactory().pk],
        "participants": "",
        "summary": "",
        "notes": "",
        **overrides,
    }


FACT_FORMS = [
    (EquipmentUse, equipment_use_form),
    (CleanLabel, clean_label_form),
    (CountryPosition, country_position_form),
    (Event, event_form),
]


@pytest.mark.parametrize(("model", "form"), FACT_FORMS, ids=lambda value: getattr(value, "__name__", ""))
def test_admin_refuses_a_fact_without_a_citation(admin_client, model, form):
    data = {**form(), **citations()}
    before = counts()
    response = admin_client.post(admin_url(model, "add"), data)
    assert response.status_code == 200
    assert "Every fact needs at least one citation" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(("model", "form"), FACT_FORMS, ids=lambda value: getattr(value, "__name__", ""))
def test_admin_refuses_a_fact_whose_only_citation_is_deleted(admin_client, model, form):
    source = SourceFactory()
    data = {**form(), **citations({"source": source.pk, "quote": "As reported.", "DELETE": "on"})}
    before = counts()
    response = admin_client.post(admin_url(model, "add"), data)
    assert response.status_code == 200
    assert "Every fact needs at least one citation" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(("model", "form"), FACT_FORMS, ids=lambda value: getattr(value, "__name__", ""))
def test_admin_saves_a_fact_with_one_citation(admin_client, model, form):
    source = SourceFactory()
    data = {**form(), **citations({"source": source.pk, "quote": "As reported.", "location": "paragraph 2"})}
    response = admin_client.post(admin_url(model, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    fact = model.objects.get()
    citation = fact.citations.get()
    assert citation.source == source
    assert citation.quote == "As reported."
    assert citation.location == "paragraph 2"


def test_admin_edits_a_fact_keeping_its_citation(admin_client):
    use = EquipmentUseFactory(status="in-use")
    citation = use.citations.get()
    data = {
        **equipment_use_form(status="removed", carrier=use.carrier.pk, vendor=use.vendor.pk),
        **citations({"id": citation.pk, "fact": use.pk, "source": citation.source.pk, "quote": "Updated."}),
        "citations-INITIAL_FORMS": "1",
    }
    response = admin_client.post(admin_url(EquipmentUse, "change", use.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    use.refresh_from_db()
    assert use.status == "removed"
    assert use.citations.get().quote == "Updated."


# Bad input is refused with a message, and nothing is half-saved


def post_refused(admin_client, url, data):
    """POST bad data; the form comes back with errors and no row of any fact or citation is saved."""
    before = counts()
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert counts() == before
    return response, response.context["adminform"].form.errors


def one_citation():
    return citations({"source": SourceFactory().pk, "quote": "As reported."})


def test_admin_refuses_an_equipment_use_ending_before_it_starts(admin_client):
    data = {**equipment_use_form(valid_from="2020-08-01", valid_to="2020-07-31"), **one_citation()}
    response, errors = post_refused(admin_client, admin_url(EquipmentUse, "add"), data)
    assert "Valid to must be on or after valid from." in errors["__all__"]
    assert "Valid to must be on or after valid from." in response.content.decode()


def test_admin_refuses_a_clean_label_withdrawn_before_it_was_awarded(admin_client):
    data = {**clean_label_form(awarded_on="2020-08-01", withdrawn_on="2020-07-31"), **one_citation()}
    _, errors = post_refused(admin_client, admin_url(CleanLabel, "add"), data)
    assert "Withdrawn on must be on or after awarded on." in errors["__all__"]


def test_admin_refuses_an_initiative_ending_before_its_launch(admin_client):
    sponsor = CountryFactory(code="US")
    data = {
        "name": "Clean Network",
        "slug": "clean-network",
        "sponsor": sponsor.pk,
        "kind": "program",
        "launched_on": "2020-08-05",
        "launched_on_precision": "day",
        "ended_on": "2020-08-04",
        "ended_on_precision": "day",
    }
    _, errors = post_refused(admin_client, admin_url(Initiative, "add"), data)
    assert "Ended on must be on or after launched on." in errors["__all__"]


@pytest.mark.parametrize("share", ["140", "-1"])
def test_admin_refuses_a_share_outside_0_to_100(admin_client, share):
    data = {**equipment_use_form(share_percent=share), **one_citation()}
    response, errors = post_refused(admin_client, admin_url(EquipmentUse, "add"), data)
    assert "share_percent" in errors
    # The message sits in the Share row of the form, so the researcher sees which field is wrong.
    assert "form-row errors field-share_percent" in response.content.decode()


def country_form(**fields):
    """The country add form, with the empty management forms of its read-only inlines."""
    management = ("TOTAL_FORMS", "INITIAL_FORMS")
    inlines = {f"{prefix}-{name}": "0" for prefix in ("positions", "carriers") for name in management}
    return {"region": "asia", **fields, **inlines}


def test_admin_refuses_an_unknown_iso_code(admin_client):
    data = country_form(code="ZZ", name="Nowhere")
    response, errors = post_refused(admin_client, admin_url(Country, "add"), data)
    assert any("ISO" in message for message in errors["code"])
    assert "ZZ is not an ISO 3166-1 alpha-2 country code (or EU)." in response.content.decode()


def test_admin_adds_a_country_with_a_real_iso_code(admin_client):
    data = country_form(code="KR", name="South Korea")
    response = admin_client.post(admin_url(Country, "add"), data)
    assert response.status_code == 302
    assert Country.objects.get().name == "South Korea"


@pytest.mark.parametrize("valid_from", [datetime.date(2019, 4, 3), None], ids=["dated", "unknown-start"])
def test_admin_refuses_a_duplicate_equipment_use(admin_client, valid_from):
    use = EquipmentUseFactory(valid_from=valid_from)
    data = {
        **equipment_use_form(
            carrier=use.carrier.pk,
            vendor=use.vendor.pk,
            segment=use.segment,
            technology=use.technology,
            valid_from=valid_from.isoformat() if valid_from else "",
        ),
        **one_citation(),
    }
    _, errors = post_refused(admin_client, admin_url(EquipmentUse, "add"), data)
    assert any("already has a fact for this vendor, segment and technology" in message for message in errors["__all__"])


def test_admin_refuses_the_same_citation_twice_in_one_form(admin_client):
    source = SourceFactory()
    row = {"source": source.pk, "quote": "As reported.", "location": "paragraph 2"}
    data = {**equipment_use_form(), **citations(row, row)}
    before = counts()
    response = admin_client.post(admin_url(EquipmentUse, "add"), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()
    assert counts() == before


def test_admin_refuses_to_delete_a_cited_source(admin_client):
    source = SourceFactory(title="Fact sheet")
    EquipmentUseFactory(cited=source)
    response = admin_client.post(admin_url(Source, "delete", source.pk), {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Source.objects.filter(pk=source.pk).exists()
    assert EquipmentUseCitation.objects.filter(source=source).exists()


# The seed article states no deadline, so the sample data has none to render.
@pytest.mark.parametrize("model", [m for m in REGISTERED if m is not Deadline], ids=lambda model: model.__name__)
def test_admin_pages_render_the_sample_data(admin_client, sample_data, model):
    assert model.objects.exists()
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    for record in model.objects.all():
        assert admin_client.get(admin_url(model, "change", record.pk)).status_code == 200
