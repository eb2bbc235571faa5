"""Public reads from PostgreSQL streaming replicas; writes, the admin and everything signed-in from the primary.

`DATABASE_REPLICA_URLS` adds databases replica_1, replica_2, ... A public read (GET or HEAD outside
/admin/ and /accounts/, without a session cookie) picks one replica for the whole request, so
everything that request reads, the data version included, comes from one server.

Why no page is ever cached from data older than it claims: pages and counts are cached under the
data version (`carriers.caching`), and the request reads that version first, from the same replica
it then reads the data from. A replica that lags behind the primary answers with the old version,
so its page is filed under the old key; the data read afterwards is at least as new as that version
(replay only moves forward). Old data can never be cached under a new version.
"""

import contextvars
import random
import time

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PRIVATE_PREFIXES = ("/admin/", "/accounts/")
# A replica that refused a connection is skipped for this long, in this process.
REPLICA_RETRY_SECONDS = 10

reading_from = contextvars.ContextVar("reading_from", default=None)
_down_until = {}


def is_public_read(request):
    return (
        request.method in SAFE_METHODS
        and not request.path_info.startswith(PRIVATE_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def pick_replica():
    """A replica that answers, or None (then the primary serves the reads)."""
    now = time.monotonic()
    candidates = [alias for alias in settings.DATABASE_REPLICAS if _down_until.get(alias, 0) <= now]
    random.shuffle(candidates)
    for alias in candidates:
        try:
            connections[alias].close_if_health_check_failed()
            connections[alias].ensure_connection()
        except OperationalError:
            _down_until[alias] = now + REPLICA_RETRY_SECONDS
            continue
        return alias
    return None


class PublicReadsFromReplicaMiddleware:
    """Marks a public read's request so the router sends its reads to one replica.

    The mark lasts until the response is finished, streamed CSVs included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reading_from.set(pick_replica() if settings.DATABASE_REPLICAS and is_public_read(request) else None)
        return self.get_response(request)


def forget_replica(**kwargs):
    reading_from.set(None)


request_finished.connect(forget_replica, dispatch_uid="forget-replica")


class ReplicaRouter:
    """Reads of a marked request go to its replica; every other read, every write and every migration to the primary."""

    def db_for_read(self, model, **hints):
        return reading_from.get() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the primary's rows: a row read from one may be linked to a row of another.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS
