from django.conf import settings
from django.http import HttpResponse


class LimitQueryStringMiddleware:
    """Refuse absurdly long query strings (414) before Django parses them into a QueryDict."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > settings.MAX_QUERY_STRING_BYTES:
            message = f"The query string is longer than {settings.MAX_QUERY_STRING_BYTES} bytes.\n"
            return HttpResponse(message, status=414, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
