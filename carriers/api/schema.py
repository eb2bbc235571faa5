"""Query parameters in the OpenAPI schema for the filters drf-spectacular cannot type by itself."""

import django_filters as filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_array_type, build_parameter_type
from drf_spectacular.utils import OpenApiParameter

from ..filters import PartialDateFilter
from .fields import ISO_PARTIAL_DATE


class PublicListFilters(DjangoFilterExtension):
    """Dates of any precision, and records named by code, slug or key (the filters call QuerySet methods)."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, PartialDateFilter):
            schema = {"type": "string", "pattern": ISO_PARTIAL_DATE, "example": "2020-10"}
        elif isinstance(filter_field, filters.ModelChoiceFilter | filters.ModelMultipleChoiceFilter):
            schema = {"type": "string"}
        else:
            return super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        several = isinstance(filter_field, filters.ModelMultipleChoiceFilter)
        return [
            build_parameter_type(
                name=field_name,
                required=False,
                location=OpenApiParameter.QUERY,
                description=self._get_field_description(filter_field, None),
                schema=build_array_type(schema) if several else schema,
                explode=True if several else None,
                style="form" if several else None,
            )
        ]
