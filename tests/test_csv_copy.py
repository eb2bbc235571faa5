"""On PostgreSQL the equipment CSV comes from COPY; it must be byte for byte what the Python writer makes."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from carriers.exports import EQUIPMENT_USES, csv_line
from carriers.models import DatePrecision, EquipmentUse
from carriers.spreadsheet import escape, escape_sql
from tests.factories import CarrierFactory, EquipmentUseFactory, SourceFactory, VendorFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's; CI runs this there")

DANGEROUS = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "\nx", "plain, with comma", 'say "hi"']


def python_csv(queryset):
    header = csv_line([column.header for column in EQUIPMENT_USES.columns])
    return (header + "".join(csv_line(row) for row in EQUIPMENT_USES.rows(queryset))).encode()


def copy_csv(queryset):
    return b"".join(chunk if isinstance(chunk, bytes) else chunk.encode() for chunk in EQUIPMENT_USES.lines(queryset))


@pytest.fixture
def tricky_uses(transactional_db):
    carrier = CarrierFactory(name="=cmd|' /C calc'!A0", slug="evil")
    vendor = VendorFactory(name="@vendor", slug="at-vendor")
    untitled = SourceFactory(title="-minus first", key="-minus-first", url="")
    for index, note in enumerate(DANGEROUS):
        use = EquipmentUseFactory(
            carrier=carrier,
            vendor=vendor,
            valid_from=datetime.date(2010 + index, 5, 17),
            valid_from_precision=[DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR][index % 3],
            valid_to=datetime.date(2024, 2, 29) if index % 2 else None,
            share_percent=Decimal("12.50") if index % 2 else None,
            notes=note,
            cited=untitled,
        )
        use.citations.create(source=SourceFactory(), location="p. 2")
    EquipmentUseFactory(valid_from=None, notes="", cited=SourceFactory(title="Ünïcode — “quotes”"))


def test_copy_and_python_write_the_same_bytes(tricky_uses):
    uses = EquipmentUse.objects.select_related("carrier", "vendor").order_by("valid_from", "id")
    copied, written = copy_csv(uses), python_csv(uses)
    assert copied == written, (copied[900:1100], written[900:1100])


def test_copy_csv_escapes_every_dangerous_cell(tricky_uses):
    uses = EquipmentUse.objects.select_related("carrier", "vendor").order_by("id")
    rows = list(csv.DictReader(io.StringIO(copy_csv(uses).decode())))
    assert {row["notes"] for row in rows} >= {"'" + note if note[0] in "=+-@\t\r\n" else note for note in DANGEROUS}
    assert {row["carrier_name"] for row in rows if row["carrier"] == "evil"} == {"'=cmd|' /C calc'!A0"}
    assert all(row["sources"].startswith("'-minus-first | ") for row in rows if row["carrier"] == "evil")


def test_copy_keeps_the_filter_and_order_of_the_query(tricky_uses):
    uses = EquipmentUse.objects.filter(carrier__slug="evil").order_by("-valid_from")
    rows = list(csv.DictReader(io.StringIO(copy_csv(uses).decode())))
    assert [row["valid_from"] for row in rows] == [use.valid_from_date.isoformat() for use in uses]
    assert len(rows) == len(DANGEROUS)


@pytest.mark.django_db
@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00")))
def test_the_sql_escaping_agrees_with_the_python_escaping(text):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {escape_sql('%s')}", [text] * escape_sql("%s").count("%s"))
        [escaped] = cursor.fetchone()
    assert (escaped or "") == escape(text)
