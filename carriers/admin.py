from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from .admin_history import ResearchAdmin
from .admin_import import ImportableAdmin
from .models import (
    Carrier,
    CleanLabel,
    CleanLabelCitation,
    Country,
    CountryPosition,
    CountryPositionCitation,
    Deadline,
    DeadlineCitation,
    EquipmentUse,
    EquipmentUseCitation,
    Event,
    EventCitation,
    Initiative,
    Restriction,
    RestrictionCitation,
    Source,
    Vendor,
)
from .resources import (
    CarrierResource,
    CleanLabelResource,
    CountryPositionResource,
    DeadlineResource,
    EquipmentUseResource,
    EventResource,
    RestrictionResource,
    SourceResource,
)


class RequiredCitationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("source")
        ]
        if not kept:
            raise ValidationError("Every fact needs at least one citation: add the source it comes from.")


class CitationInline(admin.TabularInline):
    formset = RequiredCitationFormSet
    autocomplete_fields = ["source"]
    fields = ["source", "quote", "location", "note"]
    extra = 1


class EquipmentUseCitationInline(CitationInline):
    model = EquipmentUseCitation


class CleanLabelCitationInline(CitationInline):
    model = CleanLabelCitation


class EventCitationInline(CitationInline):
    model = EventCitation


class CountryPositionCitationInline(CitationInline):
    model = CountryPositionCitation


class RestrictionCitationInline(CitationInline):
    model = RestrictionCitation


class DeadlineCitationInline(CitationInline):
    model = DeadlineCitation


class FactSummaryInline(admin.TabularInline):
    """A record's facts, read-only: each is edited on its own page, with its citations."""

    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CarrierEquipmentUseInline(FactSummaryInline):
    model = EquipmentUse
    fields = ["vendor", "segment", "technology", "status", "valid_from", "valid_to", "confidence"]


class CarrierCleanLabelInline(FactSummaryInline):
    model = CleanLabel
    fields = ["initiative", "wording", "scope_segment", "scope_technology", "awarded_on", "withdrawn_on"]


class CountryPositionSummaryInline(FactSummaryInline):
    model = CountryPosition
    fields = ["initiative", "stance", "stated_on", "stated_by", "event"]


class CountryCarrierInline(FactSummaryInline):
    model = Carrier
    fields = ["name", "slug"]


@admin.register(Country)
class CountryAdmin(ResearchAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    inlines = [CountryPositionSummaryInline, CountryCarrierInline]


class AliasSearchMixin:
    """The admin's search also finds a record by any of its aliases (kept as a JSON list, which it cannot read)."""

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            results |= queryset.filter(pk__in=queryset.search(search_term).values("pk"))
        return results, duplicates


@admin.register(Vendor)
class VendorAdmin(AliasSearchMixin, ResearchAdmin):
    list_display = ["name", "slug", "headquarters"]
    list_filter = ["headquarters"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["headquarters"]


@admin.register(Carrier)
class CarrierAdmin(AliasSearchMixin, ImportableAdmin):
    resource_classes = [CarrierResource]
    list_display = ["name", "country", "slug", "subscribers", "subscribers_as_of"]
    list_filter = ["country__region", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "slug", "country__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    inlines = [CarrierEquipmentUseInline, CarrierCleanLabelInline]


@admin.register(Initiative)
class InitiativeAdmin(ResearchAdmin):
    list_display = ["name", "sponsor", "kind", "launched_on", "ended_on", "led_by"]
    list_filter = ["kind", "sponsor"]
    list_select_related = ["sponsor"]
    search_fields = ["name", "slug", "led_by", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sponsor", "targeted_vendors"]


@admin.register(Source)
class SourceAdmin(ImportableAdmin):
    resource_classes = [SourceResource]
    list_display = ["title", "key", "publisher", "published_on", "url", "offline", "accessed_on"]
    list_filter = ["offline", "publisher"]
    search_fields = ["key", "title", "publisher", "url"]
    date_hierarchy = "published_on"

    def get_readonly_fields(self, request, obj=None):
        # CSV files cite sources by key: once given, it never changes.
        return ["key"] if obj else []


@admin.register(EquipmentUse)
class EquipmentUseAdmin(ImportableAdmin):
    resource_classes = [EquipmentUseResource]
    list_display = ["carrier", "vendor", "segment", "technology", "status", "valid_from", "valid_to", "confidence"]
    list_filter = ["status", "segment", "technology", "confidence", "vendor", "carrier__country"]
    list_select_related = ["carrier", "vendor"]
    search_fields = ["carrier__name", "vendor__name", "notes"]
    autocomplete_fields = ["carrier", "vendor"]
    date_hierarchy = "valid_from"
    inlines = [EquipmentUseCitationInline]


@admin.register(CleanLabel)
class CleanLabelAdmin(ImportableAdmin):
    resource_classes = [CleanLabelResource]
    list_display = [
        "carrier",
        "initiative",
        "wording",
        "scope_segment",
        "scope_technology",
        "awarded_on",
        "withdrawn_on",
    ]
    list_filter = ["initiative", "carrier__country"]
    list_select_related = ["carrier", "initiative"]
    search_fields = ["carrier__name", "initiative__name", "wording"]
    autocomplete_fields = ["carrier", "initiative"]
    inlines = [CleanLabelCitationInline]


@admin.register(CountryPosition)
class CountryPositionAdmin(ImportableAdmin):
    resource_classes = [CountryPositionResource]
    list_display = ["country", "initiative", "stance", "stated_on", "stated_by"]
    list_filter = ["stance", "initiative", "country__region"]
    list_select_related = ["country", "initiative"]
    search_fields = ["country__name", "initiative__name", "stated_by", "statement"]
    autocomplete_fields = ["country", "initiative", "event"]
    inlines = [CountryPositionCitationInline]


@admin.register(Event)
class EventAdmin(ImportableAdmin):
    resource_classes = [EventResource]
    list_display = ["name", "kind", "held_on"]
    list_filter = ["kind", "countries"]
    search_fields = ["name", "slug", "participants", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["countries", "initiatives", "restrictions"]
    date_hierarchy = "held_on"
    inlines = [EventCitationInline]


class DeadlineInline(admin.StackedInline):
    """A restriction's milestones, entered with it; each is cited on its own page (the link beside it)."""

    model = Deadline
    fields = ["due", "due_precision", "milestone", "segments", "technologies", "description", "notes"]
    extra = 0
    show_change_link = True


@admin.register(Restriction)
class RestrictionAdmin(ImportableAdmin):
    resource_classes = [RestrictionResource]
    list_display = ["title", "country", "kind", "status", "instrument", "decided_on", "effective_on"]
    list_filter = ["status", "kind", "instrument", "vendors", "country"]
    list_select_related = ["country"]
    search_fields = ["title", "slug", "country__name", "notes"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["country", "vendors"]
    date_hierarchy = "decided_on"
    inlines = [RestrictionCitationInline, DeadlineInline]


@admin.register(Deadline)
class DeadlineAdmin(ImportableAdmin):
    resource_classes = [DeadlineResource]
    list_display = ["restriction", "due", "due_precision", "milestone", "description"]
    list_filter = ["milestone", "due_precision", "restriction__country"]
    list_select_related = ["restriction__country"]
    search_fields = ["description", "restriction__title", "restriction__country__name"]
    autocomplete_fields = ["restriction"]
    date_hierarchy = "due"
    inlines = [DeadlineCitationInline]
