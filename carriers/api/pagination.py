"""Keyset cursor pagination: a page starts after the last row of the previous one, by every ordering column.

DRF's own CursorPagination positions on the first ordering column and an offset among its ties,
so rows added between two pages can repeat or be skipped when the list sorts by a column with
ties (carrier name, date). Here the cursor holds the last row's value of each ordering column,
primary key included, so a page starts exactly after it whatever was added or removed meanwhile.
"""

import json
from collections import OrderedDict

from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ..caching import UntilNextEdit
from ..filters import unknown_parameter_warnings

CURSOR_SALT = "carriers.api.cursor"
PRIMARY_KEY_NAMES = {"pk", "-pk"}


class KeysetCursorPagination(CursorPagination):
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    cursor_query_description = "The `next` link of the previous page holds it; absent: the first page."
    page_size_query_description = (
        f"Rows per page, {page_size} when absent; more than {max_page_size} gives {max_page_size}."
    )

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        # The pages' own check, so a misspelt filter (`contry=KR`) is named here as on the page.
        filterset_class = getattr(view, "filterset_class", None)
        self.warnings = unknown_parameter_warnings(filterset_class, request.query_params) if filterset_class else []
        self.page_size = self.get_page_size(request)
        self.ordering = list_ordering(queryset)
        self.count = self.total_rows(queryset, request)
        after = self.decode_cursor(request)
        if after is not None:
            queryset = queryset.filter(after_row(self.ordering, after))
        rows = list(queryset.order_by(*self.ordering)[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        self.next_position = self.position_of(queryset, self.page[-1]) if self.has_next else None
        return self.page

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None or text == "":
            return self.page_size
        try:
            size = int(text)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({self.page_size_query_param: ["Give a whole number of rows, 1 or more."]})
        return min(size, self.max_page_size)

    def total_rows(self, queryset, request):
        """The filtered list's row count, cached until the next edit like the pages' counts."""
        query = request.query_params.copy()
        query.pop(self.cursor_query_param, None)
        query.pop(self.page_size_query_param, None)
        return UntilNextEdit(request, "api", request.path, query.urlencode()).get("count", queryset.count)

    def position_of(self, queryset, row):
        """The ordering columns' values of `row`, read back from the database (related names included)."""
        names = [name.lstrip("-") for name in self.ordering]
        return list(queryset.order_by().filter(pk=row.pk).values_list(*names)[0])

    def decode_cursor(self, request):
        text = request.query_params.get(self.cursor_query_param)
        if not text:
            return None
        try:
            cursor = signing.loads(text, salt=CURSOR_SALT)
        except signing.BadSignature:
            cursor = None
        if not isinstance(cursor, dict) or cursor.get("ordering") != self.ordering:
            raise ValidationError(
                {self.cursor_query_param: ["Not a cursor of this list and ordering: follow the `next` link."]}
            )
        return cursor["after"]

    def encode_cursor(self, position):
        # Round-tripped through JSON so dates and decimals come back as the text the database compares.
        after = json.loads(json.dumps(position, cls=DjangoJSONEncoder))
        cursor = signing.dumps({"ordering": self.ordering, "after": after}, salt=CURSOR_SALT, compress=True)
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def get_next_link(self):
        return self.encode_cursor(self.next_position) if self.has_next else None

    def get_previous_link(self):
        return None

    def get_paginated_response(self, data):
        first = remove_query_param(self.base_url, self.cursor_query_param)
        body = OrderedDict([("count", self.count), ("next", self.get_next_link()), ("first", first)])
        if self.warnings:
            body["warnings"] = self.warnings
        body["results"] = data
        return Response(body)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "first", "results"],
            "properties": {
                "count": {"type": "integer", "description": "Rows of the whole filtered list."},
                "next": {"type": "string", "format": "uri", "nullable": True, "description": "The next page."},
                "first": {"type": "string", "format": "uri", "description": "The first page."},
                "warnings": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Present when the query has parameters the list does not read, each named.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": self.cursor_query_description,
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": self.page_size_query_description,
                "schema": {"type": "integer", "minimum": 1},
            },
        ]


def list_ordering(queryset):
    """The list's order (its own, its `ordering=` choice or the model's), ended by the primary key so it is total."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if not all(isinstance(name, str) for name in ordering):
        raise TypeError(f"Keyset pagination needs orderings by name, not {ordering!r}.")
    pk_names = PRIMARY_KEY_NAMES | {queryset.model._meta.pk.name, f"-{queryset.model._meta.pk.name}"}
    if not pk_names & set(ordering):
        ordering.append("pk")
    return ordering


def after_row(ordering, values):
    """Rows strictly after the row whose ordering columns hold `values`, in the database's own NULL order."""
    condition = Q(pk__in=[])
    ties = Q()
    for name, value in zip(ordering, values, strict=True):
        column, descending = name.lstrip("-"), name.startswith("-")
        condition |= ties & beyond(column, value, descending)
        ties &= Q(**{f"{column}__isnull": True}) if value is None else Q(**{column: value})
    return condition


def beyond(column, value, descending):
    # PostgreSQL sorts NULL as the largest value (last going up); SQLite as the smallest.
    nulls_last = connection.features.nulls_order_largest != descending
    if value is None:
        return Q(**{f"{column}__isnull": False}) if not nulls_last else Q(pk__in=[])
    condition = Q(**{f"{column}__lt" if descending else f"{column}__gt": value})
    return condition | Q(**{f"{column}__isnull": True}) if nulls_last else condition
