"""PostgreSQL keeps the equipment CSV's rows ready (carriers.kept.rows): whatever writes the facts or the
records they show, the kept rows stay byte for byte what the Python writer makes of the facts."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict

from carriers.exports import EQUIPMENT_USES
from carriers.filters import EquipmentUseFilter
from carriers.kept.rows import countries_alone, quote
from carriers.models import Carrier, EquipmentUse, Vendor
from tests.factories import CarrierFactory, CountryFactory, EquipmentUseFactory, SourceFactory, VendorFactory
from tests.test_csv_copy import copy_csv, python_csv

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL keeps them; CI runs this there")

KEPT = EQUIPMENT_USES.kept


def uses():
    return EquipmentUse.objects.public_list()  # as /equipment.csv starts: newest first


def assert_kept_rows_are_the_facts():
    assert KEPT.table in EQUIPMENT_USES.copy_sql(uses())  # the kept rows serve it
    assert copy_csv(uses()) == python_csv(uses())
    assert copy_csv(uses().order_by("id")) == python_csv(uses().order_by("id"))


def table_oid(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)::oid", [table])
        return cursor.fetchone()[0]


def assert_install_rebuilds_only_when_the_definition_changed(table, install):
    """`install()` leaves `table` as it is, then rebuilds it once its comment names another definition
    (its rows, deleted by hand, are found again: the caller checks them)."""
    built = table_oid(table)
    install()
    assert table_oid(table) == built

    with connection.cursor() as cursor:
        cursor.execute(f"COMMENT ON TABLE {table} IS 'an older definition'")
        cursor.execute(f"DELETE FROM {table}")
    install()
    assert table_oid(table) != built


def assert_truncating_empties(model, table):
    """TRUNCATE of `model`'s table empties the kept `table` (a statement trigger)."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
        cursor.execute(f"SELECT count(*) FROM {table}")
        assert cursor.fetchone()[0] == 0


@pytest.fixture
def facts(transactional_db):
    korea, america = CountryFactory(code="KR", name="South Korea"), CountryFactory(code="US", name="United States")
    huawei, ericsson = VendorFactory(name="Huawei", slug="huawei"), VendorFactory(name="Ericsson", slug="ericsson")
    lg = CarrierFactory(name="LG Uplus", slug="lg-uplus", country=korea)
    sk = CarrierFactory(name="=SK Telecom", slug="sk-telecom", country=korea)
    verizon = CarrierFactory(name="Verizon", slug="verizon", country=america)
    for year, (carrier, vendor) in enumerate([(lg, huawei), (lg, ericsson), (sk, ericsson), (verizon, ericsson)]):
        for technology in ("4g", "5g"):
            EquipmentUseFactory(
                carrier=carrier, vendor=vendor, technology=technology, valid_from=datetime.date(2019 + year, 1, 1)
            )
    # Two carriers of one name, in two countries.
    for country in (america, korea):
        EquipmentUseFactory(carrier=CarrierFactory(name="Mobile", country=country), vendor=huawei, technology="5g")
    return {"lg": lg, "sk": sk, "verizon": verizon, "huawei": huawei, "ericsson": ericsson}


QUERIES = ["", "country=KR", "country=KR&country=US", "vendor=huawei", "country=KR&vendor=ericsson", "as_of=2021-06"]


@pytest.mark.parametrize("query", QUERIES)
def test_a_filtered_export_from_the_kept_rows_is_what_the_python_writer_makes(facts, query):
    filterset = EquipmentUseFilter(QueryDict(query), queryset=uses())
    assert filterset.is_valid()
    queryset, countries = filterset.qs, countries_alone(filterset)
    assert KEPT.table in EQUIPMENT_USES.copy_sql(queryset, countries)
    copied = b"".join(c if isinstance(c, bytes) else c.encode() for c in EQUIPMENT_USES.lines(queryset, countries))
    assert copied == python_csv(queryset)
    assert copied.count(b"\n") - 1 == queryset.count()


def test_the_download_of_one_country_reads_its_rows_alone_and_in_order(facts, client):
    body = b"".join(client.get("/equipment.csv?country=KR").streaming_content)
    assert body == python_csv(uses().filter(carrier__country="KR"))
    assert b"Verizon" not in body and body.count(b"\n") == 1 + 7


def test_another_order_is_computed_not_read_from_the_kept_rows(facts, client):
    assert KEPT.select_sql(EQUIPMENT_USES, uses().order_by("-valid_from")) is None
    assert KEPT.table not in EQUIPMENT_USES.copy_sql(EquipmentUse.objects.all())  # the model's default order
    body = b"".join(client.get("/equipment.csv?ordering=carrier").streaming_content)
    assert body == python_csv(uses().order_by("carrier__name", "pk"))


def test_countries_alone_only_when_no_other_filter_narrows_the_list(facts):
    def alone(query):
        filterset = EquipmentUseFilter(QueryDict(query), queryset=uses())
        assert filterset.is_valid()
        return countries_alone(filterset)

    assert alone("country=KR") == ["KR"]
    assert sorted(alone("country=KR&country=US")) == ["KR", "US"]
    assert alone("country=KR&vendor=huawei") is None
    assert alone("") is None


@pytest.mark.parametrize("code", ["K'", "KOR", "k r", "", "Ü1"])
def test_only_a_country_code_goes_into_the_sql(code):
    with pytest.raises(ValueError, match="Not a country code"):
        quote(code)


def test_the_kept_rows_follow_every_way_of_writing_facts(facts):
    use = EquipmentUse.objects.filter(carrier=facts["lg"]).first()
    use.notes = "+saved"
    use.save()
    assert_kept_rows_are_the_facts()

    EquipmentUse.objects.filter(vendor=facts["ericsson"]).update(status="removed", notes="-updated")
    assert_kept_rows_are_the_facts()

    template = EquipmentUse.objects.first()
    EquipmentUse.objects.bulk_create(
        [
            EquipmentUse(carrier=facts["verizon"], vendor=facts["huawei"], segment=template.segment, technology=tech)
            for tech in ("2g", "3g", "4g")
        ]
    )
    assert_kept_rows_are_the_facts()

    EquipmentUse.objects.filter(carrier=facts["sk"]).delete()
    assert_kept_rows_are_the_facts()
    assert b"SK Telecom" not in copy_csv(uses())

    assert_truncating_empties(EquipmentUse, KEPT.table)


def test_renaming_a_carrier_or_vendor_rewrites_their_rows(facts):
    facts["lg"].name = "LG U+"
    facts["lg"].save()
    Vendor.objects.filter(slug="ericsson").update(name="@Ericsson")
    assert_kept_rows_are_the_facts()
    text = copy_csv(uses()).decode()
    assert text.count("LG U+") == 4 and text.count("'@Ericsson") == 6 and "LG Uplus" not in text


def test_saving_a_record_unchanged_rewrites_none_of_its_rows(facts):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {KEPT.table} ORDER BY fact_id")
        before = cursor.fetchall()
        Carrier.objects.get(slug="lg-uplus").save()
        cursor.execute(f"SELECT xmin::text FROM {KEPT.table} ORDER BY fact_id")
        assert cursor.fetchall() == before


def test_a_new_citation_and_a_changed_source_key_reach_the_sources_cell(facts):
    use = EquipmentUse.objects.filter(carrier=facts["verizon"]).first()
    source = SourceFactory(key="=fcc-2020")
    use.citations.create(source=source, quote="Verizon", location="p. 1")
    assert_kept_rows_are_the_facts()
    assert b"| =fcc-2020," in copy_csv(uses())

    source.key = "fcc-order-2020"
    source.save()
    assert_kept_rows_are_the_facts()
    assert b"fcc-order-2020" in copy_csv(uses()) and b"=fcc-2020" not in copy_csv(uses())


def test_install_rebuilds_only_when_the_definition_changed(facts):
    assert_install_rebuilds_only_when_the_definition_changed(
        KEPT.table, lambda: KEPT.install(EQUIPMENT_USES, "default")
    )
    assert_kept_rows_are_the_facts()
