"""One FilterSet per public list; the HTML page and its CSV both use it, so they always agree."""

import django_filters as filters
from django import forms
from django.db.models import Count, F

from .facets import FacetedFilterSet
from .kept import uses as kept_uses
from .kept.counts import KeptCounts
from .models import (
    Carrier,
    CleanLabel,
    Confidence,
    Country,
    CountryPosition,
    Deadline,
    EquipmentStatus,
    EquipmentUse,
    Event,
    Initiative,
    InitiativeKind,
    Instrument,
    Milestone,
    NetworkSegment,
    PartialDate,
    Region,
    Restriction,
    RestrictionKind,
    RestrictionStatus,
    Source,
    Stance,
    Technology,
    Vendor,
)

YES_NO = [("yes", "Yes"), ("no", "No")]
# Parameters a list reads besides its filters: paging (pages, API), the CSV's byte order mark, DRF's
# format, sorting and the date the dashboard's links carry.
NOT_FILTERS = frozenset({"page", "page_size", "cursor", "bom", "format", "ordering", "as_of"})


def unknown_parameter_warnings(filterset_class, query):
    """A warning for each parameter of the query that neither a filter of the list nor the list itself
    reads (`contry=KR`), which would otherwise be ignored without a word."""
    unknown = sorted(set(query) - set(filterset_class.base_filters) - NOT_FILTERS)
    return [f"Unknown parameter “{name}”: not a filter of this list, so not applied." for name in unknown]


def calls(queryset_method, *, each=False):
    """A filter `method` calling that QuerySet method with the filter's value, or with each chosen record."""

    def apply(queryset, name, value):
        if each and not value:  # no record chosen: nothing to narrow
            return queryset
        method = getattr(queryset, queryset_method)
        return method(*value) if each else method(value)

    return apply


def yes_or_no(queryset, matching, value):
    """For a yes/no filter: the `matching` rows, or all the others."""
    return matching if value == "yes" else queryset.exclude(pk__in=matching.values("pk"))


def unchanged(queryset, name, value):
    """For a filter whose value other filters read (as_of, stance)."""
    return queryset


class SortFilter(filters.OrderingFilter):
    """Sorts by the chosen columns, then by primary key, so pages never share or skip a row."""

    def filter(self, queryset, value):
        if not value or not any(value):
            return queryset
        sorted_rows = super().filter(queryset, value)
        return sorted_rows.order_by(*sorted_rows.query.order_by, "pk")


class PartialDateField(forms.CharField):
    """A date as 2020-10-13, or a whole month (2020-10) or year (2020): a PartialDate standing for its period."""

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except ValueError as error:
            raise forms.ValidationError(f"{error} A month or a year stands for the whole period.") from error


class PartialDateFilter(filters.Filter):
    field_class = PartialDateField


def iso_date_filter(label, method, help_text):
    return PartialDateFilter(
        label=label,
        method=method,
        widget=forms.TextInput(attrs={"placeholder": "2020-10-13, 2020-10 or 2020", "size": 12}),
        help_text=f"{help_text} A month (2020-10) or year (2020) means the whole period.",
    )


class CountryCodesWidget(forms.CheckboxSelectMultiple):
    """Country checkboxes reading ISO codes in either case (`country=kr` is KR), so the box stays ticked."""

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        return [value.upper() if isinstance(value, str) else value for value in values or []]


def countries_filter(method=None, field_name="country"):
    return filters.ModelMultipleChoiceFilter(
        queryset=Country.objects.all(),
        field_name=field_name,
        method=method,
        label="Country",
        widget=CountryCodesWidget,
    )


def slugs_filter(model, queryset_method, label):
    """Records named by slug, several allowed (?vendor=huawei&vendor=zte), offered as checkboxes."""
    return filters.ModelMultipleChoiceFilter(
        queryset=model.objects.all(),
        to_field_name="slug",
        method=calls(queryset_method, each=True),
        label=label,
        widget=forms.CheckboxSelectMultiple,
    )


class CarrierFilter(FacetedFilterSet):
    q = filters.CharFilter(label="Name or alias", method=calls("search"), max_length=200)
    country = countries_filter(method=calls("in_country", each=True))
    vendor = filters.ModelMultipleChoiceFilter(
        queryset=Vendor.objects.all(),
        to_field_name="slug",
        method="filter_vendor",
        label="Uses equipment from",
        widget=forms.CheckboxSelectMultiple,
    )
    targeted = filters.ChoiceFilter(
        choices=YES_NO, method="filter_targeted", label="Uses a vendor an initiative targets", empty_label="Any"
    )
    label = filters.ChoiceFilter(choices=YES_NO, method="filter_label", label="Has a clean label", empty_label="Any")
    initiative = filters.ModelChoiceFilter(
        queryset=Initiative.objects.all(),
        to_field_name="slug",
        method="filter_initiative",
        label="Labelled clean by",
        empty_label="Any initiative",
    )
    as_of = iso_date_filter("As of", unchanged, "Equipment and labels in force on this date.")
    ordering = SortFilter(fields=(("name", "name"), ("country__name", "country")))

    facets = {
        "country": ("country", "country__name"),
        "vendor": ("vendor_slug", "vendor_name"),
    }
    separately_counted = ("vendor",)

    class Meta:
        model = Carrier
        fields = []

    def grouped_rows(self, name, rows, value_path, label_path):
        if name != "vendor":
            return super().grouped_rows(name, rows, value_path, label_path)
        # Counted over the equipment in use on as_of, as choosing a vendor filters.
        if kept_uses.kept(rows.db):
            return kept_uses.carriers_per_vendor(rows, self.in_force_on)
        uses = EquipmentUse.objects.in_use(self.in_force_on).filter(carrier__in=rows.values("pk"))
        return (
            uses.values(vendor_slug=F("vendor__slug"), vendor_name=F("vendor__name"))
            .annotate(rows=Count("carrier", distinct=True))
            .order_by("-rows")
        )

    @property
    def in_force_on(self):
        return self.form.cleaned_data.get("as_of")

    def filter_vendor(self, queryset, name, value):
        return queryset.using_vendor(*value, on=self.in_force_on) if value else queryset

    def filter_targeted(self, queryset, name, value):
        return yes_or_no(queryset, queryset.using_targeted_vendor(on=self.in_force_on), value)

    def filter_label(self, queryset, name, value):
        return yes_or_no(queryset, queryset.labelled(on=self.in_force_on), value)

    def filter_initiative(self, queryset, name, value):
        return queryset.labelled(value, on=self.in_force_on)


class EquipmentUseFilter(FacetedFilterSet):
    country = countries_filter(method=calls("in_country", each=True))
    carrier = slugs_filter(Carrier, "of_carrier", "Carrier")
    vendor = slugs_filter(Vendor, "of_vendor", "Vendor")
    segment = filters.MultipleChoiceFilter(choices=NetworkSegment.choices, widget=forms.CheckboxSelectMultiple)
    technology = filters.MultipleChoiceFilter(choices=Technology.choices, widget=forms.CheckboxSelectMultiple)
    status = filters.MultipleChoiceFilter(choices=EquipmentStatus.choices, widget=forms.CheckboxSelectMultiple)
    confidence = filters.MultipleChoiceFilter(choices=Confidence.choices, widget=forms.CheckboxSelectMultiple)
    as_of = iso_date_filter("As of", calls("valid_on"), "In force on this date.")
    since = iso_date_filter("In force since", calls("since"), "In force on or after this date.")
    until = iso_date_filter("In force until", calls("until"), "In force on or before this date.")
    source = filters.ModelChoiceFilter(
        queryset=Source.objects.all(),
        to_field_name="key",
        method=calls("cited_by"),
        label="Cites source (key)",
        widget=forms.TextInput,
    )
    ordering = SortFilter(
        fields=(
            ("carrier__name", "carrier"),
            ("vendor__name", "vendor"),
            ("segment", "segment"),
            ("technology", "technology"),
            ("status", "status"),
            ("valid_from", "valid_from"),
            ("valid_to", "valid_to"),
        )
    )

    facets = {
        "country": ("carrier__country", "carrier__country__name"),
        "vendor": ("vendor__slug", "vendor__name"),
        "carrier": ("carrier__slug", "carrier__name"),
        "segment": ("segment", None),
        "technology": ("technology", None),
        "status": ("status", None),
        "confidence": ("confidence", None),
    }
    # A carrier moving country moves its facts' counts.
    # Countries and vendors, each chosen alone, are counted for each other from kept pairs.
    kept_counts = KeptCounts(
        "carriers_equipmentfacetcount", related={"carriers_carrier": "carrier_id"}, pairs=[("country", "vendor")]
    )

    class Meta:
        model = EquipmentUse
        fields = []


class CountryFilterForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("stance") and not cleaned_data.get("initiative"):
            self.add_error("stance", "Choose an initiative to filter by stance.")
        return cleaned_data


class CountryFilter(FacetedFilterSet):
    q = filters.CharFilter(label="Name or ISO code", method=calls("search"), max_length=200)
    region = filters.MultipleChoiceFilter(choices=Region.choices, widget=forms.CheckboxSelectMultiple)
    initiative = filters.ModelChoiceFilter(
        queryset=Initiative.objects.all(),
        to_field_name="slug",
        method="filter_initiative",
        label="Position on",
        empty_label="Any initiative",
    )
    stance = filters.MultipleChoiceFilter(
        choices=Stance.choices, method=unchanged, label="Latest stance", widget=forms.CheckboxSelectMultiple
    )
    ordering = SortFilter(fields=(("name", "name"), ("code", "code"), ("region", "region")))

    facets = {"region": ("region", None)}

    class Meta:
        model = Country
        fields = []
        form = CountryFilterForm

    def filter_initiative(self, queryset, name, value):
        return queryset.with_stance(value, *self.form.cleaned_data.get("stance", []))


class VendorFilter(FacetedFilterSet):
    q = filters.CharFilter(label="Name or alias", method=calls("search"), max_length=200)
    headquarters = countries_filter(field_name="headquarters")
    targeted = filters.ChoiceFilter(
        choices=YES_NO, method="filter_targeted", label="Targeted by an initiative", empty_label="Any"
    )
    ordering = SortFilter(fields=(("name", "name"), ("headquarters__name", "headquarters")))

    facets = {"headquarters": ("headquarters", "headquarters__name")}

    class Meta:
        model = Vendor
        fields = []

    def filter_targeted(self, queryset, name, value):
        return yes_or_no(queryset, queryset.targeted(), value)


class InitiativeFilter(FacetedFilterSet):
    q = filters.CharFilter(label="Name", method=calls("search"), max_length=200)
    sponsor = countries_filter(field_name="sponsor")
    kind = filters.MultipleChoiceFilter(choices=InitiativeKind.choices, widget=forms.CheckboxSelectMultiple)
    active_on = iso_date_filter("Active on", calls("active_on"), "In force on this date.")
    ordering = SortFilter(fields=(("name", "name"), ("launched_on", "launched"), ("sponsor__name", "sponsor")))

    facets = {"sponsor": ("sponsor", "sponsor__name"), "kind": ("kind", None)}

    class Meta:
        model = Initiative
        fields = []


class EventFilter(FacetedFilterSet):
    q = filters.CharFilter(label="Name", method=calls("search"), max_length=200)
    country = countries_filter(field_name="countries")
    initiative = slugs_filter(Initiative, "about", "Initiative")
    since = iso_date_filter("Held since", calls("since"), "On or after this date.")
    until = iso_date_filter("Held until", calls("until"), "On or before this date.")
    ordering = SortFilter(fields=(("held_on", "held_on"), ("name", "name")))

    facets = {"country": ("countries", "countries__name"), "initiative": ("initiatives__slug", "initiatives__name")}

    class Meta:
        model = Event
        fields = []


class CleanLabelFilter(FacetedFilterSet):
    country = countries_filter(method=calls("in_country", each=True))
    initiative = slugs_filter(Initiative, "of_initiative", "Initiative")
    as_of = iso_date_filter("As of", calls("valid_on"), "In force on this date.")
    source = filters.ModelChoiceFilter(
        queryset=Source.objects.all(),
        to_field_name="key",
        method=calls("cited_by"),
        label="Cites source (key)",
        widget=forms.TextInput,
    )
    ordering = SortFilter(
        fields=(("carrier__name", "carrier"), ("initiative__name", "initiative"), ("awarded_on", "awarded_on"))
    )

    facets = {
        "country": ("carrier__country", "carrier__country__name"),
        "initiative": ("initiative__slug", "initiative__name"),
    }

    class Meta:
        model = CleanLabel
        fields = []


class CountryPositionFilter(FacetedFilterSet):
    country = countries_filter(method=calls("in_country", each=True))
    initiative = slugs_filter(Initiative, "of_initiative", "Initiative")
    stance = filters.MultipleChoiceFilter(choices=Stance.choices, widget=forms.CheckboxSelectMultiple)
    since = iso_date_filter("Stated since", calls("since"), "On or after this date.")
    until = iso_date_filter("Stated until", calls("until"), "On or before this date.")
    ordering = SortFilter(
        fields=(("country__name", "country"), ("initiative__name", "initiative"), ("stated_on", "stated_on"))
    )

    facets = {
        "country": ("country", "country__name"),
        "initiative": ("initiative__slug", "initiative__name"),
        "stance": ("stance", None),
    }

    class Meta:
        model = CountryPosition
        fields = []


class SourceFilter(FacetedFilterSet):
    q = filters.CharFilter(label="Title, publisher or URL", method=calls("search"), max_length=200)
    ordering = SortFilter(fields=(("title", "title"), ("publisher", "publisher"), ("published_on", "published_on")))

    class Meta:
        model = Source
        fields = []


class RestrictionScopeFilterSet(FacetedFilterSet):
    """The filters restrictions and their deadlines share: who decided, about whom, on what part of the network."""

    country = countries_filter(method=calls("in_country", each=True))
    vendor = slugs_filter(Vendor, "naming_vendor", "Vendor")
    segment = filters.MultipleChoiceFilter(
        choices=NetworkSegment.choices,
        method=calls("covering_segment", each=True),
        label="Segment",
        widget=forms.CheckboxSelectMultiple,
        help_text="Also lists those not narrowed to any segment.",
    )
    technology = filters.MultipleChoiceFilter(
        choices=Technology.choices,
        method=calls("covering_technology", each=True),
        label="Technology",
        widget=forms.CheckboxSelectMultiple,
        help_text="Also lists those not narrowed to any technology.",
    )
    as_of = iso_date_filter("As of", calls("decided_by"), "Decided by this date.")


class RestrictionFilter(RestrictionScopeFilterSet):
    kind = filters.MultipleChoiceFilter(choices=RestrictionKind.choices, widget=forms.CheckboxSelectMultiple)
    status = filters.MultipleChoiceFilter(choices=RestrictionStatus.choices, widget=forms.CheckboxSelectMultiple)
    instrument = filters.MultipleChoiceFilter(choices=Instrument.choices, widget=forms.CheckboxSelectMultiple)
    ordering = SortFilter(fields=(("country__name", "country"), ("decided_on", "decided_on"), ("title", "title")))

    facets = {
        "country": ("country", "country__name"),
        "vendor": ("vendors__slug", "vendors__name"),
        "kind": ("kind", None),
        "status": ("status", None),
        "instrument": ("instrument", None),
    }

    class Meta:
        model = Restriction
        fields = []


class DeadlineFilter(RestrictionScopeFilterSet):
    kind = filters.MultipleChoiceFilter(
        choices=RestrictionKind.choices, field_name="restriction__kind", widget=forms.CheckboxSelectMultiple
    )
    status = filters.MultipleChoiceFilter(
        choices=RestrictionStatus.choices,
        field_name="restriction__status",
        label="Restriction status",
        widget=forms.CheckboxSelectMultiple,
    )
    milestone = filters.MultipleChoiceFilter(choices=Milestone.choices, widget=forms.CheckboxSelectMultiple)
    due_since = iso_date_filter("Due since", calls("due_since"), "Falling due on or after this date.")
    due_by = iso_date_filter("Due by", calls("due_by_period"), "Falling due on or before this date.")
    ordering = SortFilter(fields=(("due_by", "due"), ("restriction__country__name", "country")))

    facets = {
        "country": ("restriction__country", "restriction__country__name"),
        "vendor": ("restriction__vendors__slug", "restriction__vendors__name"),
        "kind": ("restriction__kind", None),
        "status": ("restriction__status", None),
        "milestone": ("milestone", None),
    }

    class Meta:
        model = Deadline
        fields = []
