"""`generate_dataset` fills an empty database with deterministic synthetic data that keeps every rule.

The tests run the real command at its `tiny` scale, which differs from `world` and `stress` only
in the numbers of rows.
"""

import hashlib

import pycountry
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models.functions import Lower

from carriers.management.commands.generate_dataset import SHAPES
from carriers.models import (
    Carrier,
    CleanLabel,
    Country,
    CountryPosition,
    DataVersion,
    DatePrecision,
    EquipmentUse,
    EquipmentUseCitation,
    Event,
    Initiative,
    Source,
    Vendor,
)
from tests.factories import CarrierFactory, EquipmentUseFactory

TINY = SHAPES["tiny"]
FACT_MODELS = [EquipmentUse, CleanLabel, CountryPosition, Event]
GENERATED = [*FACT_MODELS, Carrier, Source, Initiative, Vendor, Country]
pytestmark = pytest.mark.django_db


def generate(seed=1):
    call_command("generate_dataset", scale="tiny", seed=seed, verbosity=0)


def equipment_digest(seed):
    """A hash of the equipment facts and citations generated from `seed`, all columns but the load timestamps."""
    with transaction.atomic():
        generate(seed)
        fields = [field.attname for field in EquipmentUse._meta.concrete_fields]
        fields = [name for name in fields if name not in {"created_at", "updated_at"}]
        facts = list(EquipmentUse.objects.order_by("pk").values_list(*fields))
        citations = list(EquipmentUseCitation.objects.order_by("pk").values_list("fact", "source", "quote", "location"))
        transaction.set_rollback(True)  # empty again for the next run
    return hashlib.sha256(repr((facts, citations)).encode()).hexdigest()


def test_the_same_seed_generates_the_same_data():
    assert equipment_digest(seed=7) == equipment_digest(seed=7)


def test_another_seed_generates_other_data():
    assert equipment_digest(seed=7) != equipment_digest(seed=8)


def test_tiny_scale_has_the_requested_shape():
    generate()
    assert Country.objects.count() == len(pycountry.countries)
    assert Vendor.objects.count() == 60
    assert Initiative.objects.count() == 100
    assert Carrier.objects.count() == TINY.carriers
    assert Source.objects.count() == TINY.sources
    assert EquipmentUse.objects.count() == TINY.facts
    assert CleanLabel.objects.count() == TINY.labels
    assert CountryPosition.objects.count() == TINY.positions
    assert Event.objects.count() == TINY.events
    assert TINY.facts < EquipmentUseCitation.objects.count() < 3 * TINY.facts


def test_generated_data_mixes_known_and_unknown_dates_of_every_precision():
    generate()
    facts = EquipmentUse.objects.all()
    assert facts.filter(valid_from__isnull=True).exists()
    assert facts.filter(valid_to__isnull=True).exists()
    assert facts.filter(valid_to__isnull=False).exists()
    assert {precision for precision in facts.values_list("valid_from_precision", flat=True)} == set(DatePrecision)
    assert Source.objects.filter(url="").exists()
    assert Source.objects.filter(published_on__isnull=True).exists()


def test_big_vendors_hold_most_equipment():
    generate()
    top_six = EquipmentUse.objects.filter(vendor__pk__lte=6).count()
    assert top_six > TINY.facts / 2
    assert EquipmentUse.objects.filter(vendor__name="Huawei").count() > TINY.facts / 5


def test_generated_rows_keep_every_constraint():
    generate()
    connection.check_constraints()  # foreign keys, which PostgreSQL and SQLite check only at commit
    for model in FACT_MODELS:
        assert not model.objects.uncited().exists(), model
    for model in [*GENERATED, EquipmentUseCitation]:
        for record in list(model.objects.order_by("pk"))[::7]:
            record.full_clean()


def test_partial_dates_are_stored_as_the_first_day_of_their_period():
    generate()
    for model in [EquipmentUse, CleanLabel, CountryPosition, Event, Initiative, Source]:
        for name in model.partial_date_fields():
            precision = f"{name}_precision"
            rows = model.objects.exclude(**{f"{name}__isnull": True})
            assert not rows.filter(**{precision: DatePrecision.MONTH}).exclude(**{f"{name}__day": 1}).exists()
            assert (
                not rows.filter(**{precision: DatePrecision.YEAR})
                .exclude(**{f"{name}__day": 1, f"{name}__month": 1})
                .exists()
            )


def test_records_added_after_generation_get_fresh_ids():
    generate()
    fact = EquipmentUseFactory(carrier=Carrier.objects.first(), vendor=Vendor.objects.first())
    assert fact.pk == TINY.facts + 1


def test_generation_moves_the_data_version_on_so_cached_results_expire():
    before = DataVersion.current()
    generate()
    assert DataVersion.current() > before


def test_refuses_a_database_that_has_carriers():
    CarrierFactory()
    with pytest.raises(CommandError, match="already has countries, carriers"):
        generate()
    assert not Vendor.objects.exists()


def test_no_two_generated_events_share_a_name_and_a_date(db):
    call_command("generate_dataset", scale="batches", seed=2, verbosity=0)
    names = list(Event.objects.values_list(Lower("name"), "held_on"))
    assert len(names) == len(set(names)) > 2_000
