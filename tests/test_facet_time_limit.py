"""Facet counts run under a time limit; a facet over it is marked as omitted instead of slowing the page."""

import pytest
from django.db import connection

from carriers import filters
from tests.factories import EquipmentUseFactory


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's; CI runs this there")
def test_a_statement_over_the_limit_is_cancelled_and_the_transaction_survives(db):
    def sleep():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    with filters.statement_time_limit(100), pytest.raises(filters.TimeLimitExceeded):
        filters.within_time_limit(sleep)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


def test_a_facet_over_the_time_limit_is_shown_as_omitted(client, db, monkeypatch):
    EquipmentUseFactory(carrier__country__code="KR", carrier__country__name="South Korea")

    def too_slow(compute):
        raise filters.TimeLimitExceeded

    monkeypatch.setattr(filters, "within_time_limit", too_slow)
    response = client.get("/equipment/?country=KR")
    assert response.status_code == 200
    assert b"Counts omitted" in response.content
    assert response.context["page_obj"].paginator.count == 1
    assert b'value="KR"' in response.content
