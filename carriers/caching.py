"""Cache what grows with the data (row counts, facets, aggregates) until the next edit."""

import functools
import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property

from .models import DataVersion


class UntilNextEdit:
    """Caches values under the data version, read once per request when the first value is asked for."""

    def __init__(self, request, *scope):
        self.request = request
        self.scope = scope

    @property
    def version(self):
        if not hasattr(self.request, "data_version"):
            self.request.data_version = DataVersion.current()
        return self.request.data_version

    def key(self, name):
        digest = hashlib.sha256(repr((self.scope, name)).encode()).hexdigest()
        return f"until-next-edit:{self.version}:{digest}"

    def get(self, name, compute):
        key = self.key(name)
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout=None)
        return value


class CachedCountPaginator(Paginator):
    def __init__(self, object_list, per_page, cached):
        super().__init__(object_list, per_page)
        self.cached = cached

    @cached_property
    def count(self):
        return self.cached.get("count", self.object_list.count)


def page_cached_until_next_edit(view):
    """Serve a public page from the cache until the next edit: pages are the same for every visitor.

    Only complete 200 pages are kept; CSV downloads stream and are never cached.
    """

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if kwargs.get("as_csv"):
            return view(request, *args, **kwargs)
        # Dated too: "as of today" figures move on at midnight without an edit.
        key = UntilNextEdit(request, "page", request.get_full_path(), timezone.localdate()).key("response")
        if (hit := cache.get(key)) is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), timeout=None)
        return response

    return cached_view
