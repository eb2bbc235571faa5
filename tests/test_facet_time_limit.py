"""Facet counts run under a time limit; a facet over it is marked as omitted instead of slowing the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carriers import facets, filters
from carriers.models import EquipmentUse
from tests.factories import EquipmentUseFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's; CI runs this there"
)


def statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@postgresql_only
def test_a_statement_over_the_limit_is_cancelled_and_the_transaction_survives(db):
    def sleep():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    with pytest.raises(facets.TimeLimitExceeded), facets.statement_time_limit(100):
        sleep()
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


def test_a_facet_over_the_time_limit_is_shown_as_omitted(client, db, monkeypatch):
    EquipmentUseFactory(carrier__country__code="KR", carrier__country__name="South Korea")

    def too_slow(filterset):
        raise facets.TimeLimitExceeded

    monkeypatch.setattr(filters.EquipmentUseFilter, "count_facets", too_slow)
    response = client.get("/equipment/?country=KR")
    assert response.status_code == 200
    assert b"Counts omitted" in response.content
    assert response.context["page_obj"].paginator.count == 1
    assert b'value="KR"' in response.content


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_time_limit_ends_with_the_facet_counts_outside_a_transaction():
    # Behind a transaction-pooling PgBouncer the next transaction on this server connection is another client's.
    EquipmentUseFactory(carrier__country__code="KR")
    filterset = filters.EquipmentUseFilter({"country": ["KR"]}, queryset=EquipmentUse.objects.public_list())
    assert filterset.is_valid()
    with facets.statement_time_limit(facets.FACET_TIME_LIMIT_MS):
        assert statement_timeout() == "1s"
    assert filterset.facet_counts().options["country"]
    assert not connection.in_atomic_block
    assert statement_timeout() == "0"


@postgresql_only
def test_an_enclosing_transaction_gets_its_own_time_limit_back(db):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 5000")
    with facets.statement_time_limit(100):
        assert statement_timeout() == "100ms"
    assert statement_timeout() == "5s"


@postgresql_only
def test_a_cancelled_count_omits_every_facet_and_the_transaction_goes_on(db, monkeypatch):
    # One scan counts every facet and the rows: cancelled, it leaves the paginator to count.
    EquipmentUseFactory(carrier__country__code="KR")
    filterset = filters.EquipmentUseFilter({}, queryset=EquipmentUse.objects.public_list())
    assert filterset.is_valid()
    counted = filters.EquipmentUseFilter.count_facets

    def slow(filterset):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")
        return counted(filterset)

    monkeypatch.setattr(facets, "FACET_TIME_LIMIT_MS", 100)
    monkeypatch.setattr(filters.EquipmentUseFilter, "count_facets", slow)
    counts = filterset.facet_counts()
    assert counts.options == dict.fromkeys(filterset.facets)
    assert counts.total is None
    assert EquipmentUse.objects.count() == 1  # the enclosing transaction goes on


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_limit_goes_with_each_statement():
    with pytest.raises(facets.TimeLimitExceeded), facets.statement_time_limit(100), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    with facets.statement_time_limit(100):
        assert statement_timeout() == "100ms"
    assert statement_timeout() == "0"
    assert not connection.in_atomic_block

    EquipmentUseFactory(carrier__country__code="KR")
    filterset = filters.EquipmentUseFilter({"country": ["KR"]}, queryset=EquipmentUse.objects.public_list())
    assert filterset.is_valid()
    with CaptureQueriesContext(connection) as queries:
        assert filterset.facet_counts().total == 1
    assert len(queries) == 1  # the scan, its limit in the same query string
    assert queries[0]["sql"].startswith("SET LOCAL statement_timeout = ")
