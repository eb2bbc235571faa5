"""Every public CSV holds every row of its list on both databases, past the export's batches of
2,000 rows and SQLite's limits on one statement (about 1,000 terms), checked against the database.

`transactional_db`: on PostgreSQL the equipment CSV comes from COPY on a connection of its own,
which sees committed rows only.
"""

import csv
import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count

from carriers.models import (
    Carrier,
    CleanLabel,
    Country,
    CountryPosition,
    EquipmentUse,
    EquipmentUseCitation,
    Event,
    Initiative,
    PartialDate,
    Source,
    Vendor,
)


@pytest.fixture
def batches_world(transactional_db):
    call_command("generate_dataset", scale="batches", seed=3, verbosity=0)


def csv_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))


def iso(date, precision):
    return PartialDate(date, precision).isoformat() if date else ""


def equipment_key(carrier, vendor, segment, technology, valid_from):
    return (carrier, vendor, segment, technology, valid_from)


def equipment_in_database(uses):
    rows = uses.values_list(
        "carrier__slug", "vendor__slug", "segment", "technology", "valid_from", "valid_from_precision"
    )
    return Counter(equipment_key(*row[:4], iso(*row[4:])) for row in rows)


def equipment_in_csv(rows):
    return Counter(
        equipment_key(row["carrier"], row["vendor"], row["segment"], row["technology"], row["valid_from"])
        for row in rows
    )


def test_equipment_csv_holds_every_fact_unfiltered_and_filtered(client, batches_world):
    # The generated world crosses every batch and statement limit.
    assert EquipmentUse.objects.count() > 2 * 2_000
    assert min(model.objects.count() for model in [Carrier, CleanLabel, CountryPosition, Event, Source]) > 2_000
    assert EquipmentUseCitation.objects.values("source").distinct().count() > 1_000
    assert equipment_in_csv(csv_rows(client, "/equipment.csv")) == equipment_in_database(EquipmentUse.objects.all())
    biggest = (
        Carrier.objects.values("country").annotate(uses=Count("equipment_uses")).order_by("-uses").first()["country"]
    )
    filtered = EquipmentUse.objects.filter(carrier__country=biggest)
    assert filtered.count() > 100
    assert equipment_in_csv(csv_rows(client, f"/equipment.csv?country={biggest}")) == equipment_in_database(filtered)

    # A sample of rows names each cited source, in the order first cited.
    rows = {
        equipment_key(*(row[c] for c in ["carrier", "vendor", "segment", "technology", "valid_from"])): row
        for row in csv_rows(client, "/equipment.csv")
    }
    uses = EquipmentUse.objects.select_related("carrier", "vendor").order_by("pk")
    for use in random.Random(7).sample(list(uses), 60):
        key = equipment_key(
            use.carrier.slug,
            use.vendor.slug,
            use.segment,
            use.technology,
            iso(use.valid_from, use.valid_from_precision),
        )
        cited = use.citations.order_by("pk").values_list("source__key", flat=True)
        assert rows[key]["sources"].split(" | ") == list(dict.fromkeys(cited)), key
        assert rows[key]["carrier_name"] == use.carrier.name


KEYED_LISTS = {
    "/carriers.csv": ("slug", lambda: Carrier.objects.values_list("slug", flat=True)),
    "/sources.csv": ("key", lambda: Source.objects.values_list("key", flat=True)),
    "/events.csv": ("slug", lambda: Event.objects.values_list("slug", flat=True)),
    "/countries.csv": ("code", lambda: Country.objects.values_list("code", flat=True)),
    "/vendors.csv": ("slug", lambda: Vendor.objects.values_list("slug", flat=True)),
    "/initiatives.csv": ("slug", lambda: Initiative.objects.values_list("slug", flat=True)),
}


def test_every_other_csv_holds_every_record(client, batches_world, subtests):
    for path, (column, keys) in KEYED_LISTS.items():
        with subtests.test(path=path):
            assert Counter(row[column] for row in csv_rows(client, path)) == Counter(keys())
    labels = Counter((row["carrier"], row["initiative"], row["wording"]) for row in csv_rows(client, "/labels.csv"))
    assert labels == Counter(CleanLabel.objects.values_list("carrier__slug", "initiative__slug", "wording"))
    positions = Counter(
        (row["country"], row["initiative"], row["stance"]) for row in csv_rows(client, "/positions.csv")
    )
    assert positions == Counter(CountryPosition.objects.values_list("country", "initiative__slug", "stance"))
