"""The public citations list: the quote behind every row of every fact list, filtered like the other lists."""

import django_filters as filters
from django import forms
from django.views.decorators.http import require_safe

from . import exports
from .caching import list_cached_until_next_edit
from .filters import FacetedFilterSet, calls
from .models import CitationEntry, FactType, Source
from .views import filtered_list


class CitationFilter(FacetedFilterSet):
    fact_type = filters.MultipleChoiceFilter(
        choices=FactType.choices,
        method=calls("of_fact_types", each=True),
        label="Kind of fact",
        widget=forms.CheckboxSelectMultiple,
    )
    fact = filters.NumberFilter(
        field_name="fact_id",
        label="Fact id",
        min_value=1,
        help_text="The id column of the fact's CSV; with its kind of fact, that fact's citations.",
    )
    source = filters.ModelChoiceFilter(
        queryset=Source.objects.all(),
        to_field_name="key",
        label="Source (key)",
        widget=forms.TextInput,
    )
    q = filters.CharFilter(label="Words in the quote or note", method=calls("search"), max_length=200)

    facets = {"fact_type": ("fact_type", None)}

    class Meta:
        model = CitationEntry
        fields = []


@require_safe
@list_cached_until_next_edit
def citation_list(request, as_csv=False):
    citations = CitationEntry.objects.public_list()
    template = "carriers/citation_list.html"
    return filtered_list(request, CitationFilter, citations, template, exports.CITATIONS, as_csv)
