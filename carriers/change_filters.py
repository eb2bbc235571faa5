"""The filters of /changes/ and /changes.atom: which kinds of record, in which countries, about which vendors, when."""

import django_filters as filters
from django import forms

from .change_kinds import KIND, KIND_OF_MODEL, KINDS
from .changes import change_log, made_between
from .filters import countries_filter, iso_date_filter, unchanged
from .models import Vendor


class ChangeFilter(filters.FilterSet):
    """Filters the versions of one kind of record at a time; `changes()` unites those of the chosen kinds.

    The change log spans several models, so it is no single queryset: each kind's versions go through
    the same validated filters.
    """

    kind = filters.MultipleChoiceFilter(
        choices=[(kind.name, kind.label) for kind in KINDS],
        method=unchanged,
        label="Kind of record",
        widget=forms.CheckboxSelectMultiple,
    )
    country = countries_filter(method="filter_country")
    vendor = filters.ModelMultipleChoiceFilter(
        queryset=Vendor.objects.all(),
        to_field_name="slug",
        method="filter_vendor",
        label="Vendor",
        widget=forms.CheckboxSelectMultiple,
    )
    since = iso_date_filter("Since", "filter_since", "Changes made on or after this date.")
    until = iso_date_filter("Until", "filter_until", "Changes made on or before this date.")

    def __init__(self, data=None, request=None):
        # django-filter wants a queryset; changes() hands it each chosen kind's versions in turn.
        super().__init__(data, queryset=KINDS[0].versions(), request=request)

    def changes(self):
        """The change log's rows for the validated filters, newest first."""
        chosen = self.form.cleaned_data.get("kind") or KIND.keys()
        return change_log(self.filter_queryset(KIND[name].versions()) for name in chosen)

    def filter_country(self, versions, name, value):
        return KIND_OF_MODEL[versions.model].in_countries(versions, [country.pk for country in value])

    def filter_vendor(self, versions, name, value):
        return KIND_OF_MODEL[versions.model].of_vendors(versions, [vendor.pk for vendor in value])

    def filter_since(self, versions, name, value):
        return made_between(versions, since=value)

    def filter_until(self, versions, name, value):
        return made_between(versions, until=value)
