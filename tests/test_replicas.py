"""Public reads from replicas, everything else from the primary (carriers/routing.py); the primary down."""

from unittest import mock

import pytest
from django.db import OperationalError, connections, router
from django.test import RequestFactory

from carriers import routing
from carriers.middleware import DatabaseBusyMiddleware
from carriers.models import Carrier, DataVersion
from carriers.routing import PublicReadsFromReplicaMiddleware, ReplicaRouter, reading_from

PRIMARY_DOWN = "The primary database is unreachable: editing is unavailable; public pages are still served."


@pytest.fixture
def replica(db, settings):
    """replica_1, served in tests by the default database's connection (so inside the test's transaction)."""
    settings.DATABASE_REPLICAS = ["replica_1"]
    routing._down_until.clear()
    connections._connections.replica_1 = connections["default"]
    yield "replica_1"
    del connections._connections.replica_1
    routing._down_until.clear()
    reading_from.set(None)


@pytest.fixture
def decisions(monkeypatch):
    """Every read the router places during the test, as (model label, database alias)."""
    placed = []
    db_for_read = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        alias = db_for_read(self, model, **hints)
        placed.append((model._meta.label_lower, alias))
        return alias

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    return placed


def marked(request):
    return PublicReadsFromReplicaMiddleware(lambda request: reading_from.get())(request)


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/carriers/", "replica_1"),
        ("head", "/carriers.csv", "replica_1"),
        ("get", "/api/v1/carriers/", "replica_1"),
        ("post", "/carriers/", None),
        ("get", "/admin/carriers/carrier/", None),
        ("get", "/accounts/login/", None),
    ],
)
def test_only_public_reads_are_marked_for_a_replica(db, replica, method, path, expected):
    assert marked(getattr(RequestFactory(), method)(path)) == expected


def test_a_signed_in_visitor_reads_from_the_primary_and_sees_their_own_edits(db, replica, settings):
    request = RequestFactory().get("/carriers/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    assert marked(request) is None


def test_without_replicas_every_request_reads_from_the_primary(db, settings):
    settings.DATABASE_REPLICAS = []
    assert marked(RequestFactory().get("/carriers/")) is None


def test_a_public_page_reads_everything_from_the_replica_the_data_version_first(client, replica, decisions):
    assert client.get("/carriers/").status_code == 200
    assert decisions
    assert {alias for _, alias in decisions} == {"replica_1"}
    # The version the page is cached under comes from the database the page's rows come from.
    assert ("carriers.dataversion", "replica_1") in decisions


def test_healthz_checks_the_database_a_public_read_uses(client, replica, decisions):
    assert client.get("/healthz").status_code == 200
    assert ("carriers.dataversion", "replica_1") in decisions


def test_the_admin_reads_from_the_primary(admin_client, replica, decisions):
    assert admin_client.get("/admin/carriers/carrier/").status_code == 200
    assert decisions
    assert {alias for _, alias in decisions} == {"default"}


def test_the_mark_ends_with_the_response(client, replica):
    client.get("/carriers.csv").getvalue()
    assert reading_from.get() is None
    assert router.db_for_read(Carrier) == "default"


def test_writes_and_migrations_go_to_the_primary(replica):
    reading_from.set("replica_1")
    assert router.db_for_write(DataVersion) == "default"
    assert router.db_for_read(DataVersion) == "replica_1"
    assert router.allow_migrate("default", "carriers")
    assert not router.allow_migrate("replica_1", "carriers")


class RefusingConnection:
    def close_if_health_check_failed(self):
        pass

    def ensure_connection(self):
        raise OperationalError("connection refused")


def test_a_replica_that_refuses_connections_is_skipped_and_reads_fall_back_to_the_primary(db, replica):
    connections._connections.replica_1 = RefusingConnection()
    assert marked(RequestFactory().get("/carriers/")) is None
    assert "replica_1" in routing._down_until


@pytest.fixture
def primary_down(db):
    """The primary's connection no longer answers and cannot be reopened (the test's transaction stays open).

    Undone before the test's transaction is rolled back, which needs the connection.
    """
    primary = connections["default"]
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    with (
        mock.patch.object(primary, "is_usable", return_value=False),
        mock.patch.object(primary, "close"),
        mock.patch.object(primary, "ensure_connection", side_effect=refused),
    ):
        yield


def test_the_admin_answers_503_saying_the_primary_is_unreachable(client, replica, primary_down):
    for path in ("/admin/", "/admin/login/", "/admin/carriers/carrier/"):
        response = client.get(path)
        assert response.status_code == 503
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode().strip() == PRIMARY_DOWN


def test_without_replicas_the_503_does_not_promise_public_pages(client, db, primary_down):
    response = client.get("/admin/")
    assert response.status_code == 503
    assert response.content.decode().strip() == "The database is unreachable. Try again in a minute."


def test_a_write_failing_on_the_unreachable_primary_answers_503(db, replica, primary_down):
    middleware = DatabaseBusyMiddleware(lambda request: None)
    response = middleware.process_exception(RequestFactory().post("/carriers/"), OperationalError("server closed"))
    assert response.status_code == 503
    assert response.content.decode().strip() == PRIMARY_DOWN


def test_other_database_errors_with_the_primary_up_are_left_alone(db, replica):
    middleware = DatabaseBusyMiddleware(lambda request: None)
    assert middleware.process_exception(RequestFactory().post("/carriers/"), OperationalError("boom")) is None
