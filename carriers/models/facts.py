"""The dated, cited facts: equipment uses, clean labels, country positions and events."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.db.models.lookups import Exact
from django.urls import reverse

from ..kept import in_force as kept_in_force
from ..kept import uses as kept_uses
from .companies import Carrier, Vendor
from .countries import Country
from .dates import (
    PartialDateAttribute,
    PartialDatesModel,
    ends_on_or_after,
    on_first_days,
    overlaps_outer,
    period,
    period_ends_after_start,
    precision_field,
)
from .history import ChangeHistory, CitedVersion
from .initiatives import Initiative
from .sources import Citation

# Stands in for an unknown start date in uniqueness checks, where NULLs would never collide.
UNKNOWN_START = Value(datetime.date(1, 1, 1), output_field=models.DateField())


def unique_fact(name, *fields, start, message):
    return models.UniqueConstraint(
        *[F(field) for field in fields], Coalesce(start, UNKNOWN_START), name=name, violation_error_message=message
    )


class NetworkSegment(models.TextChoices):
    RADIO_ACCESS = "ran", "Radio access"
    CORE = "core", "Core"
    TRANSPORT = "transport", "Transport / backhaul"
    FIXED_ACCESS = "fixed-access", "Fixed access"
    OTHER = "other", "Other / unknown"


class Technology(models.TextChoices):
    G2 = "2g", "2G"
    G3 = "3g", "3G"
    G4 = "4g", "4G"
    G5 = "5g", "5G"
    FIXED = "fixed", "Fixed"
    UNKNOWN = "unknown", "Unknown"


class EquipmentStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_USE = "in-use", "In use"
    PHASING_OUT = "phasing-out", "Being phased out"
    REMOVED = "removed", "Removed"
    UNKNOWN = "unknown", "Unknown"


# The statuses meaning a carrier uses the vendor: every count and list of carriers "using" a vendor reads them.
USING_STATUSES = [EquipmentStatus.IN_USE, EquipmentStatus.PHASING_OUT]


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    REPORTED = "reported", "Reported"
    DISPUTED = "disputed", "Disputed"


class Stance(models.TextChoices):
    JOINED = "joined", "Joined / endorsed"
    SUPPORTS = "supports", "Supports"
    UNDECIDED = "undecided", "Undecided"
    DECLINED = "declined", "Declined / rejected"
    WITHDREW = "withdrew", "Withdrew"


class EventKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    ANNOUNCEMENT = "announcement", "Announcement"
    COURT_RULING = "court-ruling", "Court ruling"
    OTHER = "other", "Other"


class FactQuerySet(models.QuerySet):
    def _citations(self):
        return self.model._meta.get_field("citations").related_model.objects.filter(fact=OuterRef("pk"))

    def with_citations(self):
        """Prefetch each fact's citations with their sources joined in: one query per batch of facts.

        (Prefetching the sources separately makes SQLite parse one OR-term per source, which
        fails past about a thousand sources in a batch.)
        """
        citations = self.model._meta.get_field("citations").related_model.objects.select_related("source")
        return self.prefetch_related(models.Prefetch("citations", queryset=citations))

    def cited_by(self, source):
        return self.filter(Exists(self._citations().filter(source=source)))

    def with_total(self):
        """Annotate each row with `total`, the rows before any slice: a page's first rows and their count in
        one query."""
        return self.annotate(total=Window(Count("pk")))

    def uncited(self):
        return self.filter(~Exists(self._citations()))

    def with_bare_citations(self):
        """Facts with a citation giving neither a quote nor a note (an import cites sources by key only)."""
        return self.filter(Exists(self._citations().filter(quote="", note="")))

    def with_sources_older_than(self, date):
        """Facts citing dated sources, none published on or after `date`; a source dated 2020 spans the year."""
        citations = self._citations().filter(source__published_on__isnull=False)
        recent = citations.filter(ends_on_or_after("source__published_on", period(date)[0]))
        return self.filter(Exists(citations), ~Exists(recent))


# Columns the public equipment list sorts by, each behind an index.
SORTABLE = ["segment", "technology", "status", "valid_from", "valid_to"]


class ValidityQuerySet(FactQuerySet):
    """Facts that hold between a start and an optional end date."""

    start_field = None
    end_field = None

    def valid_on(self, date):
        """Facts in force at any time of `date` (a day, or a PartialDate's whole period); all when None.

        A start or end known only to the month or year counts as its whole period, and an unknown
        start as in force before the end.
        """
        return self.filter(self.in_force_on(date))

    def in_force_on(self, date):
        """Q of valid_on(date), to count by: those facts' condition (none when `date` is None)."""
        if date is None:
            return Q()
        return self.still_in_force(date) & self.already_in_force(date)

    def count_in_force(self, date):
        """(all the facts, those in force on `date`), from one scan."""
        counts = self.aggregate(total=Count("pk"), in_force=Count("pk", filter=self.in_force_on(date)))
        return counts["total"], counts["in_force"]

    def since(self, date):
        """Facts still in force on or after `date` (its first day, for a period)."""
        return self.filter(self.still_in_force(date))

    def until(self, date):
        """Facts already in force on or before `date` (its last day, for a period)."""
        return self.filter(self.already_in_force(date))

    def still_in_force(self, date):
        first, _ = period(date)
        return Q(**{f"{self.end_field}__isnull": True}) | ends_on_or_after(self.end_field, first)

    def already_in_force(self, date):
        _, last = period(date)
        return Q(**{f"{self.start_field}__isnull": True}) | Q(**{f"{self.start_field}__lte": last})


class Fact(PartialDatesModel):
    notes = models.TextField(blank=True, help_text="Caveats, disagreements between sources, context.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = ChangeHistory(inherit=True, bases=[CitedVersion])

    class Meta:
        abstract = True


class EquipmentUseQuerySet(ValidityQuerySet):
    start_field = "valid_from"
    end_field = "valid_to"

    def in_country(self, *codes):
        return self.filter(carrier__country__in=codes)

    def in_use(self, on=None):
        """Facts meaning their carrier uses their vendor on `on` (any date when None): in force and in use.

        Planned and removed equipment is not in use, and an unknown status does not say that it is.
        """
        return self.filter(status__in=USING_STATUSES).valid_on(on)

    def count_in_force(self, date):
        """As every fact's; of all the equipment facts, from the counts PostgreSQL keeps (carriers.kept.in_force)
        rather than a scan of them."""
        if not self.query.where and kept_uses.kept(self.db):
            return kept_in_force.count(self.db, date)
        return super().count_in_force(date)

    def recently_added_first(self):
        """The public list's default order: on the primary key, so its first page is instant at any size."""
        return self.order_by("-id")

    def public_list(self):
        """The public list's rows, related records and order: its page, its CSV and releases start here."""
        return self.select_related("carrier__country", "vendor").with_citations().recently_added_first()

    def of_carrier(self, *carriers):
        return self.filter(carrier__in=carriers)

    def of_vendor(self, *vendors):
        return self.filter(vendor__in=vendors)

    def targeted(self):
        """Uses of a vendor that at least one initiative targets."""
        targeting = Initiative.targeted_vendors.through.objects.filter(vendor=OuterRef("vendor"))
        return self.filter(Exists(targeting))

    def overlapping(self):
        """Facts whose validity overlaps another fact of the same carrier, vendor, segment and technology."""
        others = EquipmentUse.objects.filter(
            overlaps_outer("valid_from", "valid_to", "valid_from", "valid_to"),
            carrier=OuterRef("carrier"),
            vendor=OuterRef("vendor"),
            segment=OuterRef("segment"),
            technology=OuterRef("technology"),
        ).exclude(pk=OuterRef("pk"))
        return self.filter(Exists(others))

    def footprint_by_country(self):
        """Per country: how many carriers and facts these uses cover, biggest first."""
        return (
            self.order_by()
            .values("carrier__country", "carrier__country__name")
            .annotate(carriers=Count("carrier", distinct=True), uses=Count("pk"))
            .order_by("-carriers", "carrier__country__name")
        )


class EquipmentUse(Fact):
    # Indexed by the composite indexes below, which begin with them.
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="equipment_uses", db_index=False)
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="equipment_uses", db_index=False)
    segment = models.CharField(max_length=12, choices=NetworkSegment.choices)
    technology = models.CharField(max_length=7, choices=Technology.choices)
    status = models.CharField(max_length=11, choices=EquipmentStatus.choices)
    valid_from = models.DateField(null=True, blank=True, help_text="When the use began; empty if no source says.")
    valid_from_precision = precision_field()
    valid_to = models.DateField(null=True, blank=True, help_text="When it ended; empty while it goes on.")
    valid_to_precision = precision_field()
    share_percent = models.DecimalField(
        "share (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, "Share must be at least 0 percent."),
            MaxValueValidator(100, "Share must be at most 100 percent."),
        ],
        help_text="The vendor's share of this segment, 0 to 100, if a source states it.",
    )
    confidence = models.CharField(max_length=9, choices=Confidence.choices, default=Confidence.REPORTED)
    # Written by the database alone (triggers of migration 0015, whatever a save sends), so the CSV's
    # COPY reads a column rather than aggregating each row's citations.
    cited_sources = models.TextField(
        default="", editable=False, help_text="The cited sources' keys, each once, in citing order, joined by ' | '."
    )

    valid_from_date = PartialDateAttribute("valid_from")
    valid_to_date = PartialDateAttribute("valid_to")

    objects = EquipmentUseQuerySet.as_manager()

    class Meta:
        ordering = ["carrier__name", "vendor__name", "segment", "technology", "valid_from"]
        indexes = [
            *(models.Index(fields=[field, "id"], name=f"equipment_use_by_{field}") for field in SORTABLE),
            # The list's facets count from these alone (index-only scans), not from the facts' rows: a carrier's
            # or a country's facts by vendor and the other facets, a vendor's by carrier (and so country).
            models.Index(
                fields=["carrier", "vendor", "segment", "technology", "status", "confidence"],
                name="equipment_use_by_carrier",
            ),
            models.Index(fields=["vendor", "carrier"], name="equipment_use_by_vendor"),
        ]
        constraints = [
            *on_first_days("equipment_use", "valid_from", "valid_to"),
            period_ends_after_start(
                "equipment_use_ends_after_start", "valid_from", "valid_to", "Valid to must be on or after valid from."
            ),
            models.CheckConstraint(
                condition=Q(share_percent__isnull=True) | Q(share_percent__gte=0, share_percent__lte=100),
                name="equipment_use_share_is_percentage",
                violation_error_message="Share must be between 0 and 100 percent.",
            ),
            unique_fact(
                "equipment_use_unique",
                "carrier",
                "vendor",
                "segment",
                "technology",
                start="valid_from",
                message="This carrier already has a fact for this vendor, segment and technology from this date.",
            ),
        ]

    def __str__(self):
        return (
            f"{self.carrier} – {self.vendor} ({self.get_segment_display()}, {self.get_technology_display()}): "
            f"{self.get_status_display()}"
        )

    def get_absolute_url(self):
        return self.carrier.get_absolute_url()


class CleanLabelQuerySet(ValidityQuerySet):
    start_field = "awarded_on"
    end_field = "withdrawn_on"

    def public_list(self):
        """The public list's rows, related records and order: its page, its CSV and releases start here."""
        return (
            self.select_related("carrier__country", "initiative")
            .with_citations()
            .order_by("carrier__name", "initiative__name", "awarded_on", "pk")
        )

    def in_country(self, *codes):
        return self.filter(carrier__country__in=codes)

    def of_initiative(self, *initiatives):
        return self.filter(initiative__in=initiatives)

    def contradicted(self):
        """Labels on carriers with an in-use fact of a vendor the initiative targets, in the label's scope and time."""
        in_scope = (Q(Exact(OuterRef("scope_segment"), "")) | Q(segment=OuterRef("scope_segment"))) & (
            Q(Exact(OuterRef("scope_technology"), "")) | Q(technology=OuterRef("scope_technology"))
        )
        uses = EquipmentUse.objects.filter(
            in_scope,
            overlaps_outer("valid_from", "valid_to", "awarded_on", "withdrawn_on"),
            carrier=OuterRef("carrier"),
            status=EquipmentStatus.IN_USE,
            vendor__targeting_initiatives=OuterRef("initiative"),
        )
        return self.filter(Exists(uses))


class CleanLabel(Fact):
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="clean_labels")
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="clean_labels")
    wording = models.CharField(max_length=200, help_text='The label as the source words it, e.g. "clean telco".')
    scope_segment = models.CharField(
        max_length=12,
        choices=NetworkSegment.choices,
        blank=True,
        help_text="Empty when the label covers the whole network.",
    )
    scope_technology = models.CharField(
        max_length=7, choices=Technology.choices, blank=True, help_text="E.g. 5G when only the 5G network is clean."
    )
    awarded_on = models.DateField(null=True, blank=True, help_text="Empty when no source dates the label.")
    awarded_on_precision = precision_field()
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_on_precision = precision_field()

    awarded = PartialDateAttribute("awarded_on")
    withdrawn = PartialDateAttribute("withdrawn_on")

    objects = CleanLabelQuerySet.as_manager()

    class Meta:
        ordering = ["carrier__name", "initiative__name", "awarded_on"]
        constraints = [
            *on_first_days("clean_label", "awarded_on", "withdrawn_on"),
            period_ends_after_start(
                "clean_label_withdrawn_after_award",
                "awarded_on",
                "withdrawn_on",
                "Withdrawn on must be on or after awarded on.",
            ),
            unique_fact(
                "clean_label_unique",
                "carrier",
                "initiative",
                "scope_segment",
                "scope_technology",
                start="awarded_on",
                message="This carrier already has this initiative's label for this scope from this date.",
            ),
        ]

    def __str__(self):
        return f"{self.carrier}: “{self.wording}” ({self.initiative})"

    def get_absolute_url(self):
        return self.carrier.get_absolute_url()


class EventQuerySet(FactQuerySet):
    def search(self, text):
        return self.filter(Q(name__icontains=text) | Q(summary__icontains=text))

    def about(self, *initiatives):
        return self.filter(
            Exists(self.model.initiatives.through.objects.filter(event=OuterRef("pk"), initiative__in=initiatives))
        )

    def since(self, date):
        """Events held on or after `date`; an event dated only to a month or year counts as its whole period."""
        return self.filter(ends_on_or_after("held_on", period(date)[0]))

    def until(self, date):
        return self.filter(held_on__lte=period(date)[1])

    def public_list(self):
        """The public list's rows, related records and order: its page, its CSV and releases start here."""
        return (
            self.order_by("-held_on", "name", "pk")
            .with_citations()
            .prefetch_related(
                "countries",
                "initiatives",
                "restrictions",
                models.Prefetch("positions", CountryPosition.objects.select_related("country")),
            )
        )


class Event(Fact):
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(max_length=12, choices=EventKind.choices, default=EventKind.MEETING)
    held_on = models.DateField(help_text="Where sources disagree on the day, give the month and explain in notes.")
    held_on_precision = precision_field()
    countries = models.ManyToManyField(Country, related_name="events", help_text="At least one.")
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="events")
    restrictions = models.ManyToManyField(
        "Restriction",
        blank=True,
        related_name="events",
        help_text="Restrictions it concerns: a court ruling suspending one, an amendment, an announcement.",
    )
    participants = models.TextField(blank=True, help_text="One per line: name, role.")
    summary = models.TextField(blank=True)

    held = PartialDateAttribute("held_on")

    objects = EventQuerySet.as_manager()
    _history_m2m_fields = ["countries", "initiatives", "restrictions"]

    def clean(self):
        super().clean()
        namesakes = Event.objects.filter(name__iexact=self.name, held_on=self.held_on).exclude(pk=self.pk)
        if self.held_on and namesakes.exists():
            raise ValidationError({"name": "An event with this name and date is already recorded."})

    class Meta:
        ordering = ["-held_on", "name"]
        constraints = on_first_days("event", "held_on")

    def __str__(self):
        return f"{self.name} ({self.held})"

    def get_absolute_url(self):
        return reverse("carriers:event-list") + f"#{self.slug}"


class CountryPositionQuerySet(FactQuerySet):
    def in_country(self, *codes):
        return self.filter(country__in=codes)

    def of_initiative(self, *initiatives):
        return self.filter(initiative__in=initiatives)

    def since(self, date):
        """Positions stated on or after `date`; one dated only to a month or year counts as its whole period."""
        return self.filter(ends_on_or_after("stated_on", period(date)[0]))

    def until(self, date):
        return self.filter(stated_on__lte=period(date)[1])

    def public_list(self):
        """The public list's rows, related records and order: its page, its CSV and releases start here."""
        return (
            self.select_related("country", "initiative", "event")
            .with_citations()
            .order_by("country__name", "initiative__name", "-stated_on", "pk")
        )

    def latest_stances(self, initiatives):
        """{(country code, initiative id): the latest position} for the given initiatives."""
        # The database keeps each pair's latest (at 20,000 positions, reading them all took a quarter second).
        recency = Window(
            RowNumber(),
            partition_by=[F("country_id"), F("initiative_id")],
            order_by=[F("stated_on").desc(), F("pk").desc()],
        )
        positions = self.filter(initiative__in=initiatives).annotate(recency=recency).filter(recency=1)
        return {(position.country_id, position.initiative_id): position for position in positions}


class CountryPosition(Fact):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="positions")
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="positions")
    stance = models.CharField(max_length=9, choices=Stance.choices)
    stated_on = models.DateField()
    stated_on_precision = precision_field()
    stated_by = models.CharField(max_length=300, blank=True, help_text="Who stated it: name and role.")
    statement = models.TextField(blank=True, help_text="The statement, quoted.")
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        help_text="The meeting or announcement where it was stated.",
    )

    stated = PartialDateAttribute("stated_on")

    objects = CountryPositionQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "initiative__name", "-stated_on"]
        constraints = [
            *on_first_days("country_position", "stated_on"),
            models.UniqueConstraint(
                fields=["country", "initiative", "stance", "stated_on"],
                name="country_position_unique",
                violation_error_message="This country's stance on this initiative is already recorded on this date.",
            ),
        ]

    def __str__(self):
        return f"{self.country} – {self.initiative}: {self.get_stance_display()} ({self.stated})"

    def get_absolute_url(self):
        return self.country.get_absolute_url()


class EquipmentUseCitation(Citation):
    fact = models.ForeignKey(EquipmentUse, on_delete=models.CASCADE, related_name="citations")


class CleanLabelCitation(Citation):
    fact = models.ForeignKey(CleanLabel, on_delete=models.CASCADE, related_name="citations")


class EventCitation(Citation):
    fact = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="citations")


class CountryPositionCitation(Citation):
    fact = models.ForeignKey(CountryPosition, on_delete=models.CASCADE, related_name="citations")
