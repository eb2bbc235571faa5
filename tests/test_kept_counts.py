"""PostgreSQL keeps the unfiltered equipment list's facet counts (carriers.kept.counts): whatever writes the
facts or moves a carrier, the kept counts are the ones a scan of the facts finds."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.http import QueryDict

from carriers.facets import GroupedScan
from carriers.filters import EquipmentUseFilter
from carriers.models import Carrier, EquipmentUse
from tests.factories import CarrierFactory, CountryFactory, EquipmentUseFactory, VendorFactory
from tests.test_kept_rows import assert_install_rebuilds_only_when_the_definition_changed

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL keeps them; CI runs this there")

KEPT = EquipmentUseFilter.kept_counts


# Lists whose chosen facets read kept counts: alone (the facet's own), or country and vendor (a kept pair).
KEPT_QUERIES = ["", "country=KR", "vendor=huawei", "country=KR&vendor=huawei", "country=KR&country=US&vendor=ericsson"]


def unfiltered(query=""):
    filterset = EquipmentUseFilter(QueryDict(query), queryset=EquipmentUse.objects.public_list())
    assert filterset.is_valid()
    return filterset


def facet_counts(filterset):
    counts = filterset.count_facets()
    return counts.total, counts.options


def assert_kept_counts_are_the_facts(monkeypatch):
    for query in KEPT_QUERIES:
        kept = facet_counts(unfiltered(query))
        with monkeypatch.context() as patched:
            patched.setattr(EquipmentUseFilter, "kept_counts", None)
            scanned = facet_counts(unfiltered(query))
        assert kept == scanned, query
    assert facet_counts(unfiltered())[0] == EquipmentUse.objects.count()


def kept_rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {KEPT.table}")
        return cursor.fetchone()[0]


@pytest.fixture
def facts(transactional_db):
    korea, america = CountryFactory(code="KR", name="South Korea"), CountryFactory(code="US", name="United States")
    huawei, ericsson = VendorFactory(name="Huawei", slug="huawei"), VendorFactory(name="Ericsson", slug="ericsson")
    lg = CarrierFactory(name="LG Uplus", slug="lg-uplus", country=korea)
    sk = CarrierFactory(name="SK Telecom", slug="sk-telecom", country=korea)
    verizon = CarrierFactory(name="Verizon", slug="verizon", country=america)
    for year, (carrier, vendor) in enumerate([(lg, huawei), (lg, ericsson), (sk, ericsson), (verizon, ericsson)]):
        for technology in ("4g", "5g"):
            EquipmentUseFactory(
                carrier=carrier, vendor=vendor, technology=technology, valid_from=datetime.date(2019 + year, 1, 1)
            )
    return {"lg": lg, "sk": sk, "verizon": verizon, "huawei": huawei, "ericsson": ericsson, "america": america}


def test_the_unfiltered_list_reads_the_kept_counts_and_a_filtered_one_scans(facts):
    names = [name for name in EquipmentUseFilter.facets if name not in EquipmentUseFilter.separately_counted]
    assert KEPT.table in GroupedScan(unfiltered(), names).sql()[0]
    assert KEPT.table in GroupedScan(unfiltered("ordering=-vendor"), names).sql()[0]  # a sort narrows nothing
    for query in ("as_of=2020", "vendor=huawei&status=in-use", "country=KR&vendor=huawei&status=in-use"):
        assert KEPT.table not in GroupedScan(unfiltered(query), names).sql()[0]
    for query in KEPT_QUERIES[1:]:
        assert KEPT.table in GroupedScan(unfiltered(query), names).sql()[0], query
    # The kept pair answers for the chosen values: KR's vendors, and huawei's countries.
    options = unfiltered("country=KR&vendor=huawei").count_facets().options
    assert [(value, rows) for value, _, rows in options["vendor"]] == [("ericsson", 4), ("huawei", 2)]
    assert [(value, rows) for value, _, rows in options["country"]] == [("KR", 2)]


def test_the_kept_counts_follow_every_way_of_writing_facts(facts, monkeypatch):
    assert_kept_counts_are_the_facts(monkeypatch)

    use = EquipmentUse.objects.filter(carrier=facts["lg"]).first()
    use.technology, use.confidence = "3g", "disputed"
    use.save()
    assert_kept_counts_are_the_facts(monkeypatch)

    EquipmentUse.objects.filter(vendor=facts["ericsson"]).update(status="removed", vendor=facts["huawei"])
    assert_kept_counts_are_the_facts(monkeypatch)

    template = EquipmentUse.objects.first()
    EquipmentUse.objects.bulk_create(
        [
            EquipmentUse(carrier=facts["verizon"], vendor=facts["huawei"], segment=template.segment, technology=tech)
            for tech in ("2g", "3g", "4g")
        ]
    )
    assert_kept_counts_are_the_facts(monkeypatch)

    EquipmentUse.objects.filter(carrier=facts["sk"]).delete()
    assert_kept_counts_are_the_facts(monkeypatch)
    assert "sk-telecom" not in [value for value, _, _ in facet_counts(unfiltered())[1]["carrier"]]

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {EquipmentUse._meta.db_table} CASCADE")
    assert kept_rows() == 0
    assert facet_counts(unfiltered())[0] == 0


def test_a_carrier_moving_country_moves_its_facts_counts(facts, monkeypatch):
    facts["lg"].country = facts["america"]
    facts["lg"].save()
    assert_kept_counts_are_the_facts(monkeypatch)
    countries = {value: rows for value, _, rows in facet_counts(unfiltered())[1]["country"]}
    assert countries == {"US": 6, "KR": 2}

    Carrier.objects.filter(country="KR").update(country=facts["america"])
    assert_kept_counts_are_the_facts(monkeypatch)
    assert [value for value, _, _ in facet_counts(unfiltered())[1]["country"]] == ["US"]


def test_many_edits_leave_about_one_kept_row_per_value(facts, monkeypatch):
    before = kept_rows()
    for use in EquipmentUse.objects.all():
        for notes in ("one", "two"):
            use.notes = notes
            use.save()
        use.status = "removed"
        use.save()
    assert kept_rows() <= before + 1  # the values "removed" took over from "in use"
    assert_kept_counts_are_the_facts(monkeypatch)


def test_a_writer_appends_without_waiting_for_one_folding(facts, monkeypatch):
    """While one transaction holds the right to fold the counts, another writer's counts are appended."""
    finished, before = [], kept_rows()

    def second_writer():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
                EquipmentUseFactory(carrier=facts["verizon"], vendor=facts["huawei"], technology="5g")
            finished.append(True)
        finally:
            connections.close_all()

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s::regclass::oid::bigint)", [KEPT.table])
        writer = threading.Thread(target=second_writer)
        writer.start()
        writer.join(timeout=10)
    assert finished == [True]
    assert kept_rows() > before  # appended, not folded
    assert_kept_counts_are_the_facts(monkeypatch)

    EquipmentUseFactory(carrier=facts["verizon"], vendor=facts["huawei"], technology="4g")
    assert_kept_counts_are_the_facts(monkeypatch)


def test_install_rebuilds_only_when_the_definition_changed(facts, monkeypatch):
    assert_install_rebuilds_only_when_the_definition_changed(
        KEPT.table, lambda: KEPT.install(EquipmentUseFilter, "default")
    )
    assert_kept_counts_are_the_facts(monkeypatch)


def test_the_kept_counts_offer_the_first_options_a_scan_offers_among_ties(facts, monkeypatch):
    from carriers.facets import FACET_OPTIONS_SHOWN

    for _ in range(FACET_OPTIONS_SHOWN + 5):  # more carriers than are offered, with one fact each
        EquipmentUseFactory(carrier=CarrierFactory(), vendor=facts["ericsson"])
    assert_kept_counts_are_the_facts(monkeypatch)
    carriers = facet_counts(unfiltered())[1]["carrier"]
    assert len(carriers) == FACET_OPTIONS_SHOWN
    assert carriers[0][0] == "lg-uplus" and carriers[-1][2] == 1
