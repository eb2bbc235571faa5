import logging

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.http import HttpResponse

from .routing import reading_from

logger = logging.getLogger(__name__)


class QueryStringGuardMiddleware:
    """Refuse requests no page needs before a view sees them: a query string too long (414), NUL anywhere
    or more parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS (400).

    PostgreSQL cannot store or compare text with NUL characters, so no lookup could match one. Too many
    parameters would raise TooManyFieldsSent wherever request.GET is first read, even in the debug page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if len(query) > settings.MAX_QUERY_STRING_BYTES:
            return plain_text(f"The query string is longer than {settings.MAX_QUERY_STRING_BYTES} bytes.", 414)
        if "%00" in query or "\x00" in query:
            return plain_text("The query string contains a NUL character.", 400)
        if "\x00" in request.path_info:
            return plain_text("The address contains a NUL character.", 400)
        try:
            request.GET  # noqa: B018  parsed here, where too many parameters can still get a readable answer
        except TooManyFieldsSent:
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            return plain_text(f"The query string has more than {limit} parameters.", 400)
        return self.get_response(request)


class DatabaseBusyMiddleware:
    """A write that waited out the busy timeout (SQLite, while another writer holds the database) gets a
    503 that says to try again, not a 500.

    With the primary database unreachable, the admin and any request that needs the primary get a 503
    saying so; public reads served by a replica go on (carriers/routing.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The admin's login page needs no query, so its failure would only show on submitting the form.
        if request.path_info.startswith("/admin/") and not primary_reachable():
            return primary_unreachable()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and "database is locked" in str(exception):
            response = plain_text("The database is busy with another change. Try again in a few seconds.", 503)
            response["Retry-After"] = "5"
            return response
        if isinstance(exception, OperationalError) and not reading_from.get() and not primary_reachable():
            logger.error(
                "%s %s failed: the primary database is unreachable", request.method, request.path, exc_info=exception
            )
            return primary_unreachable()
        return None


def primary_reachable():
    """Whether the primary database answers: an open connection is checked, a closed one reopened."""
    primary = connections[DEFAULT_DB_ALIAS]
    try:
        if primary.connection is not None and not primary.is_usable():
            primary.close()
        primary.ensure_connection()
    except OperationalError as error:
        logger.warning("The primary database is unreachable: %r", error)
        return False
    return True


def primary_unreachable():
    if settings.DATABASE_REPLICAS:
        message = "The primary database is unreachable: editing is unavailable; public pages are still served."
    else:
        message = "The database is unreachable. Try again in a minute."
    response = plain_text(message, 503)
    response["Retry-After"] = "30"
    return response


def plain_text(message, status):
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
