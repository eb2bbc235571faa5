"""Cache what grows with the data (row counts, facets, aggregates, whole pages) until the next edit.

With several workers or servers the cache is Redis (REDIS_URL); there too a result is computed
once per edit: concurrent misses wait for the first request's result rather than repeat its work.
"""

import functools
import hashlib
import secrets
import time

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django_filters import OrderingFilter

from .models import DataVersion

# Longer than a page takes to compute; a lock left by a worker that died expires after it.
COMPUTE_LOCK_SECONDS = 30
WAIT_STEP_SECONDS = 0.02


def computed_once(key, compute):
    """The value cached under `key`, else `compute()`'s, kept unless None.

    Of concurrent misses one computes, under a short lock in the cache; the others wait for its
    value, and compute it themselves only when the lock goes without one (none kept, or the holder died).
    """
    if (value := cache.get(key)) is not None:
        return value
    lock, token = f"{key}:computing", secrets.token_hex(8)
    if not cache.add(lock, token, timeout=COMPUTE_LOCK_SECONDS):
        deadline = time.monotonic() + COMPUTE_LOCK_SECONDS
        while cache.get(lock) is not None and time.monotonic() < deadline:
            time.sleep(WAIT_STEP_SECONDS)
            if (value := cache.get(key)) is not None:
                return value
        if (value := cache.get(key)) is not None:
            return value
        token = None
    elif (value := cache.get(key)) is not None:
        # Computed and stored between our first look and taking the lock.
        cache.delete(lock)
        return value
    try:
        value = compute()
        if value is not None:
            cache.set(key, value, timeout=None)
        return value
    finally:
        # Only our own lock: after COMPUTE_LOCK_SECONDS it may be another request's.
        if token and cache.get(lock) == token:
            cache.delete(lock)


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
        return computed_once(self.key(name), compute)


class CachedCountPaginator(Paginator):
    """Counts the rows once per edit, or not at all when the facets' scan `counted` them."""

    def __init__(self, object_list, per_page, cached, counted=None):
        super().__init__(object_list, per_page)
        self.cached = cached
        self.counted = counted

    @cached_property
    def count(self):
        if self.counted is not None:
            return self.counted
        return self.cached.get("count", self.object_list.count)


def chosen_filters(filterset):
    """A valid FilterSet's cleaned values, canonical: queries that differ only in parameter order,
    empty parameters or the spelling of a record's key choose the same values."""
    chosen = []
    for name, filter_ in filterset.filters.items():
        value = filterset.form.cleaned_data.get(name)
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, list | tuple) or hasattr(value, "model"):  # a list, or the chosen records
            value = [item.pk if isinstance(item, Model) else item for item in value if item not in (None, "")]
            # Sort columns keep their order; any other set of choices is a set.
            value = tuple(value if isinstance(filter_, OrderingFilter) else sorted(value, key=str))
        if value not in (None, "", ()):
            chosen.append((name, str(value)))
    return tuple(chosen)


def page_key(request, *scope):
    # Dated too: "as of today" figures move on at midnight without an edit.
    return UntilNextEdit(request, "page", *scope, timezone.localdate()).key("response")


def cached_page(request, scope, render_page):
    """The page cached under `scope` (and today's date), else `render_page()`, computed once and kept
    if it is a complete 200 page. The request's own URL then points at that entry (`cached_by_url`)."""
    key = page_key(request, *scope)
    rendered = None

    def compute():
        nonlocal rendered
        rendered = render_page()
        if rendered.status_code == 200 and not rendered.streaming:
            return rendered.content, rendered["Content-Type"]
        return None

    entry = computed_once(key, compute)
    if entry is not None:
        cache.set(page_key(request, "url", request.get_full_path()), key, timeout=None)
    # The request that computed the page answers with the response itself (its context, in tests).
    if rendered is not None:
        return rendered
    content, content_type = entry
    return HttpResponse(content, content_type=content_type)


def cached_by_url(request):
    """The page an earlier request for this very URL was served since the last edit, else None."""
    key = cache.get(page_key(request, "url", request.get_full_path()))
    if key is None or (entry := cache.get(key)) is None:
        return None
    content, content_type = entry
    return HttpResponse(content, content_type=content_type)


def list_cached_until_next_edit(view):
    """A list is cached under its cleaned filters (`filtered_list`); a URL asked for before since the last
    edit is answered from that entry before the queryset and FilterSet are built, nearly as cheaply as a
    health check."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if not kwargs.get("as_csv") and (response := cached_by_url(request)) is not None:
            return response
        return view(request, *args, **kwargs)

    return cached_view


def page_cached_until_next_edit(view):
    """Serve a public page from the cache until the next edit: pages are the same for every visitor.

    Only complete 200 pages are kept; CSV downloads stream and are never cached. Filtered lists
    cache themselves, keyed by their cleaned filters (`cached_page` in `filtered_list`).
    """

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if kwargs.get("as_csv"):
            return view(request, *args, **kwargs)
        return cached_page(request, (request.get_full_path(),), lambda: view(request, *args, **kwargs))

    return cached_view
