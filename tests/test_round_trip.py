"""Export every public CSV, import the files into a database that holds only the reference records
(countries, vendors, initiatives), export again: the same bytes, whatever the text holds.

The data is a generated world (tiny by default; `--round-trip-scale world` for the full size)
plus records whose text is built to break a naive CSV: separators, quotes, line breaks, formula
triggers and genuine leading apostrophes.
"""

import datetime

import pytest
from django.core.management import call_command

from carriers.models import (
    Carrier,
    CleanLabel,
    CountryPosition,
    EquipmentUse,
    Event,
    Initiative,
    Source,
    Vendor,
)
from tests.factories import (
    CarrierFactory,
    CleanLabelFactory,
    CountryPositionFactory,
    EquipmentUseFactory,
    EventFactory,
    SourceFactory,
)

HOSTILE = [
    "A | B",
    "'quoted",
    "'=1+1",
    "=SUM(A1)",
    " -2",
    "line one\nline two",
    'say "hi", twice',
    "＠home",
    "SK텔레콤",
]
# Files are imported in this order, so that whatever a row names exists before it.
IMPORT_ORDER = ["sources", "carriers", "events", "equipment", "labels", "positions"]
# Facts come back under their public ids and with their last change, so every list, in its
# default order, is the same bytes.
EXPORTS = {
    "sources": "/sources.csv",
    "carriers": "/carriers.csv",
    "events": "/events.csv",
    "equipment": "/equipment.csv",
    "labels": "/labels.csv",
    "positions": "/positions.csv",
    "countries": "/countries.csv",
    "vendors": "/vendors.csv",
    "initiatives": "/initiatives.csv",
}


@pytest.fixture
def world(transactional_db, request):
    call_command("generate_dataset", scale=request.config.getoption("round_trip_scale"), seed=5, verbosity=0)
    vendor, initiative = Vendor.objects.first(), Initiative.objects.first()
    for number, text in enumerate(HOSTILE):
        source = SourceFactory(title=text, publisher=text, notes=text, url="")
        carrier = CarrierFactory(name=f"{text} {number}", slug=f"hostile-{number}", aliases=f"{text}\nalias {number}")
        EquipmentUseFactory(carrier=carrier, vendor=vendor, notes=text, cited=source)
        CleanLabelFactory(carrier=carrier, initiative=initiative, wording=text, notes=text, cited=source)
        event = EventFactory(slug=f"hostile-event-{number}", name=text, summary=text, participants=text, cited=source)
        event.countries.set([carrier.country])
        CountryPositionFactory(
            country=carrier.country,
            initiative=initiative,
            stated_on=datetime.date(2001, 1, 1 + number),
            stated_by=text,
            statement=text,
            event=event,
            cited=source,
        )


def download(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return b"".join(response.streaming_content)


def test_exported_csvs_import_back_to_the_same_bytes(client, world, tmp_path, subtests, admin_user):
    before = {name: download(client, path) for name, path in EXPORTS.items()}
    for model in [EquipmentUse, CleanLabel, CountryPosition, Event, Carrier, Source]:
        model.objects.all().delete()
    for kind in IMPORT_ORDER:
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(before[kind])
        call_command("import_csv", kind, str(path), commit=True, user=admin_user.username, verbosity=0)
    for name, path in EXPORTS.items():
        with subtests.test(csv=name):
            after = download(client, path)
            assert after == before[name]
