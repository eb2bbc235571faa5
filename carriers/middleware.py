from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import OperationalError
from django.http import HttpResponse


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
    503 that says to try again, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and "database is locked" in str(exception):
            response = plain_text("The database is busy with another change. Try again in a few seconds.", 503)
            response["Retry-After"] = "5"
            return response
        return None


def plain_text(message, status):
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
