"""Every path that changes public data moves the data version on: the database's triggers see them all."""

import threading

import pytest
from django.apps import apps
from django.db import connection, transaction

from carriers.models import Carrier, DataVersion, EquipmentUse, PendingImport, Vendor
from carriers.models.versions import TRIGGER, defer_data_version_bump, versioned_tables
from tests.factories import CarrierFactory, EquipmentUseFactory, InitiativeFactory, VendorFactory

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's; CI runs it there")


def tables_with_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
            return {table.strip('"') for (table,) in cursor.fetchall()}
        cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"%{TRIGGER}%"])
        return {table for (table,) in cursor.fetchall()}


def test_every_table_of_public_data_has_the_trigger_and_no_other_table(db):
    tables = versioned_tables(apps)
    assert {"carriers_carrier", "carriers_equipmentuse", "carriers_equipmentusecitation"} <= set(tables)
    assert "carriers_initiative_targeted_vendors" in tables  # links between records count too
    assert tables_with_triggers() == set(tables)


def moves_the_version_on(edit):
    before = DataVersion.current()
    edit()
    return DataVersion.current() > before


def raw_update():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE carriers_carrier SET name = name || ' (raw)'")


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda: CarrierFactory(), id="save"),
        pytest.param(lambda: Carrier.objects.update(name="Renamed"), id="queryset update"),
        pytest.param(
            lambda: Carrier.objects.bulk_update([Carrier(pk=Carrier.objects.get().pk, name="B")], ["name"]),
            id="bulk_update",
        ),  # fmt: skip
        pytest.param(lambda: Vendor.objects.bulk_create([Vendor(name="Nokia", slug="nokia")]), id="bulk_create"),
        pytest.param(lambda: EquipmentUse.objects.all().delete(), id="queryset delete"),
        pytest.param(lambda: InitiativeFactory().targeted_vendors.add(VendorFactory()), id="link added"),
        pytest.param(raw_update, id="raw SQL"),
    ],
)
def test_each_way_of_writing_moves_the_version_on(db, edit):
    EquipmentUseFactory()
    assert moves_the_version_on(edit)


def test_a_preview_of_an_import_is_not_an_edit(db):
    assert not moves_the_version_on(lambda: PendingImport.objects.create(token="t", data=b"a"))


def test_two_statements_of_one_transaction_move_it_on_twice(db):
    # A page read between them (as a test does inside its one transaction) must not be served again after the second.
    with transaction.atomic():
        first = DataVersion.current()
        CarrierFactory()
        second = DataVersion.current()
        Carrier.objects.update(name="Renamed")
        assert first < second < DataVersion.current()


@postgresql_only
def test_truncate_moves_the_version_on(db):
    EquipmentUseFactory()

    def truncate():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's foreign key checks, pending till now
            cursor.execute("TRUNCATE carriers_equipmentusecitation")

    assert moves_the_version_on(truncate)


def save_elsewhere(pk, outcome):
    """A researcher's save on a connection of its own, giving up after a second's wait for a lock."""
    from django.db import connections

    try:
        with transaction.atomic():
            with connections["default"].cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            Carrier.objects.filter(pk=pk).update(name="Saved meanwhile")
        outcome.append("saved")
    except Exception as error:  # noqa: BLE001 - the test reports what stopped the save
        outcome.append(type(error).__name__)
    finally:
        connections.close_all()


def save_during_an_open_import(defer):
    carrier = CarrierFactory()
    outcome = []
    with transaction.atomic():
        if defer:
            defer_data_version_bump()
        before = DataVersion.current()
        CarrierFactory()  # the import's first row; it goes on writing
        bumped_before_commit = DataVersion.current() > before
        saver = threading.Thread(target=save_elsewhere, args=(carrier.pk, outcome))
        saver.start()
        saver.join()
    return outcome, bumped_before_commit, DataVersion.current() > before


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_deferred_bump_lets_other_saves_through_during_a_long_transaction():
    outcome, bumped_before_commit, bumped = save_during_an_open_import(defer=True)
    assert outcome == ["saved"]
    assert not bumped_before_commit
    assert bumped
    assert Carrier.objects.filter(name="Saved meanwhile").exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_without_deferring_another_save_waits_for_the_transaction():
    outcome, bumped_before_commit, _ = save_during_an_open_import(defer=False)
    assert outcome == ["OperationalError"]
    assert bumped_before_commit


@postgresql_only
def test_an_import_bumps_the_version_at_its_commit(sample_data, tmp_path):
    from tests.test_import import EQUIPMENT_HEADER, csv_file, equipment_row, import_csv

    before = DataVersion.current()
    *_, error = import_csv("equipment", csv_file(tmp_path, EQUIPMENT_HEADER, equipment_row()), commit=True)
    assert error is None
    # The test's own transaction holds the import's: its bump is pending until that commits.
    assert DataVersion.current() == before
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {TRIGGER} IMMEDIATE")
    assert DataVersion.current() > before
