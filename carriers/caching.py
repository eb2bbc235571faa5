"""Cache what grows with the data (row counts, facets, aggregates) until the next edit."""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .models import DataVersion


class UntilNextEdit:
    """Caches values under the data version read once, when the first value is asked for."""

    def __init__(self, *scope):
        self.scope = scope

    @cached_property
    def version(self):
        return DataVersion.current()

    def get(self, name, compute):
        digest = hashlib.sha256(repr((self.scope, name)).encode()).hexdigest()
        key = f"until-next-edit:{self.version}:{digest}"
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
