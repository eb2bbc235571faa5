"""What governments decided about vendors: restrictions and their dated removal deadlines."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from .choicelists import ChoiceListField, covers
from .companies import Vendor
from .countries import Country
from .dates import PartialDate, PartialDateAttribute, on_first_days, period, precision_field
from .facts import Event, Fact, FactQuerySet, NetworkSegment, Technology
from .searching import ranked
from .sources import Citation


class Instrument(models.TextChoices):
    LAW = "law", "Law"
    REGULATION = "regulation", "Regulation"
    LICENCE_CONDITION = "licence-condition", "Licence condition"
    AGREEMENT = "agreement", "Agreement with operators"
    GUIDANCE = "guidance", "Guidance"
    COURT_RULING = "court-ruling", "Court ruling"
    STATEMENT = "statement", "Government statement"


class RestrictionKind(models.TextChoices):
    BAN_NEW = "ban-new", "Ban on new equipment"
    REMOVAL = "removal", "Removal of existing equipment"
    SHARE_CAP = "share-cap", "Cap on share"
    EXCLUSION_SENSITIVE = "exclusion-sensitive", "Exclusion from sensitive parts"
    NO_RESTRICTION = "no-restriction", "No restriction"


class Milestone(models.TextChoices):
    """What a deadline asks for by its date; only a removal can be missed by equipment still in use."""

    REMOVAL = "removal", "Covered equipment removed"
    NO_NEW = "no-new", "No new covered equipment"
    SHARE_CAP = "share-cap", "Share brought under a cap"
    OTHER = "other", "Other (a procedure, a filing window)"


# Strongest first: removing what is installed outdoes banning what is new, which outdoes capping
# a share, which outdoes keeping out of the sensitive parts only.
STRONGEST_FIRST = [
    RestrictionKind.REMOVAL,
    RestrictionKind.BAN_NEW,
    RestrictionKind.SHARE_CAP,
    RestrictionKind.EXCLUSION_SENSITIVE,
    RestrictionKind.NO_RESTRICTION,
]


class RestrictionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_FORCE = "in-force", "In force"
    SUSPENDED = "suspended", "Suspended by a court"
    REPEALED = "repealed", "Repealed"


def segments_field(help_text):
    return ChoiceListField("network segments", item_choices=NetworkSegment.choices, help_text=help_text)


def technologies_field(help_text):
    return ChoiceListField(item_choices=Technology.choices, help_text=help_text)


def scope_text(segments, technologies):
    """The parts of the network concerned, in words: "Core, Radio access · 5G"."""
    segment_words = ", ".join(NetworkSegment(value).label for value in segments) or "All segments"
    technology_words = ", ".join(Technology(value).label for value in technologies) or "all technologies"
    return f"{segment_words} · {technology_words}"


class RestrictionQuerySet(FactQuerySet):
    def in_country(self, *codes):
        return self.filter(country__in=codes)

    def ranked_search(self, text):
        """Restrictions by title, best first."""
        return ranked(self, text, {"title": "A"}).select_related("country")

    def naming_vendor(self, *vendors):
        return self.filter(
            Exists(self.model.vendors.through.objects.filter(restriction=OuterRef("pk"), vendor__in=vendors))
        )

    def covering_segment(self, *segments):
        return self.filter(any_of(covers("segments", segment) for segment in segments))

    def covering_technology(self, *technologies):
        return self.filter(any_of(covers("technologies", technology) for technology in technologies))

    def decided_by(self, date):
        """Restrictions decided by `date` (any time of its period), or with no decision date known."""
        return self.filter(Q(decided_on__isnull=True) | Q(decided_on__lte=period(date)[1]))

    def in_force_on(self, date):
        """Restrictions in force at any time of `date`: decided and taking effect by then (or on dates
        no source gives) and still in force; a suspension or repeal carries no date, so counts for every date."""
        last = period(date)[1]
        return self.decided_by(date).filter(
            Q(effective_on__isnull=True) | Q(effective_on__lte=last), status=RestrictionStatus.IN_FORCE
        )

    def public_list(self):
        """The public list's rows, related records and order: its page, its CSV and releases start here."""
        return (
            self.select_related("country")
            .with_citations()
            .prefetch_related(
                "vendors",
                models.Prefetch("deadlines", Deadline.objects.order_by("due_by", "pk")),
                models.Prefetch("events", Event.objects.order_by("held_on", "pk")),
            )
            .order_by("country__name", "-decided_on", "title", "pk")
        )


def any_of(conditions):
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined


class Restriction(Fact):
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="restrictions", help_text="The government deciding: or EU."
    )
    title = models.CharField(max_length=300, help_text="What the decision is, as researchers will look for it.")
    slug = models.SlugField(
        max_length=150, unique=True, help_text="Used in URLs and CSV files, e.g. uk-huawei-5g-removal."
    )
    instrument = models.CharField(max_length=17, choices=Instrument.choices)
    vendors = models.ManyToManyField(
        Vendor, blank=True, related_name="restrictions", help_text="Empty when it names no vendor (“high-risk”)."
    )
    segments = segments_field("Network segments it covers; none ticked: not narrowed by segment.")
    technologies = technologies_field("Technologies it covers; none ticked: not narrowed by technology.")
    kind = models.CharField(max_length=19, choices=RestrictionKind.choices)
    status = models.CharField(max_length=9, choices=RestrictionStatus.choices)
    decided_on = models.DateField(null=True, blank=True, help_text="When it was decided; empty if no source says.")
    decided_on_precision = precision_field()
    effective_on = models.DateField(null=True, blank=True, help_text="When it took or takes effect.")
    effective_on_precision = precision_field()

    decided = PartialDateAttribute("decided_on")
    effective = PartialDateAttribute("effective_on")

    objects = RestrictionQuerySet.as_manager()
    _history_m2m_fields = ["vendors"]

    class Meta:
        ordering = ["country__name", "-decided_on", "title"]
        constraints = [
            *on_first_days("restriction", "decided_on", "effective_on"),
            models.UniqueConstraint(
                fields=["country", "title"],
                name="restriction_unique_title",
                violation_error_message="This country already has a restriction with this title.",
            ),
        ]

    def __str__(self):
        return f"{self.country_id}: {self.title}"

    @property
    def scope(self):
        return scope_text(self.segments, self.technologies)

    def get_absolute_url(self):
        return reverse("carriers:restriction-list") + f"?country={self.country_id}#{self.slug}"


class DeadlineQuerySet(FactQuerySet):
    def in_country(self, *codes):
        return self.filter(restriction__country__in=codes)

    def naming_vendor(self, *vendors):
        return self.filter(restriction__in=Restriction.objects.naming_vendor(*vendors).values("pk"))

    def covering_segment(self, *segments):
        return self.filter(any_of(inherited_cover("segments", segment) for segment in segments))

    def covering_technology(self, *technologies):
        return self.filter(any_of(inherited_cover("technologies", technology) for technology in technologies))

    def decided_by(self, date):
        return self.filter(restriction__in=Restriction.objects.decided_by(date).values("pk"))

    def due_by_period(self, date):
        """Deadlines falling due by `date` (a day, or the last day of a PartialDate's period)."""
        return self.filter(due_by__lte=period(date)[1])

    def due_since(self, date):
        """Deadlines not yet passed on `date` (its first day, for a period): those still ahead then."""
        return self.filter(due_by__gte=period(date)[0])

    def requiring_removal(self):
        """Removal deadlines of restrictions in force: the ones equipment still in use can miss.

        A ban on new equipment leaves what is installed in place, so using it later misses nothing.
        """
        return self.filter(milestone=Milestone.REMOVAL, restriction__status=RestrictionStatus.IN_FORCE)

    def soonest_first(self):
        return self.order_by("due_by", "pk")

    def public_list(self):
        """The public list's rows, related records and order: its page, its CSV and releases start here."""
        return (
            self.select_related("restriction__country")
            .prefetch_related("restriction__vendors")
            .with_citations()
            .soonest_first()
        )


def inherited_cover(field, value):
    """A deadline covers `value` in its own scope, or, when it has none, in its restriction's."""
    return (~Q(**{field: ""}) & covers(field, value)) | (Q(**{field: ""}) & covers(f"restriction__{field}", value))


class Deadline(Fact):
    restriction = models.ForeignKey(Restriction, on_delete=models.CASCADE, related_name="deadlines")
    due = models.DateField(help_text="The milestone's date; “by the end of 2027” is 2027 with precision year.")
    due_precision = precision_field()
    # The period's last day, kept for ordering and for "days remaining": "by 2027" falls due on 31 Dec 2027.
    due_by = models.DateField(editable=False)
    segments = segments_field("Segments this milestone concerns; none ticked: those of the restriction.")
    technologies = technologies_field("Technologies it concerns; none ticked: those of the restriction.")
    description = models.TextField(help_text="In plain words, e.g. “remove all Huawei 5G equipment by end 2027”.")
    milestone = models.CharField(
        max_length=9,
        choices=Milestone.choices,
        default=Milestone.OTHER,
        help_text="What must be done by then; a carrier still using covered equipment misses only a removal.",
    )

    due_date = PartialDateAttribute("due")

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_by", "pk"]
        indexes = [models.Index(fields=["due_by", "id"], name="deadline_by_due")]
        constraints = [*on_first_days("deadline", "due")]

    def __str__(self):
        return f"{self.restriction.country_id}, due {self.due_date}: {self.description[:80]}"

    def save(self, *args, **kwargs):
        self.normalise_partial_dates()
        self.due_by = PartialDate(self.due, self.due_precision).last
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("carriers:deadline-list") + f"?country={self.restriction.country_id}#deadline-{self.pk}"

    @property
    def scope_segments(self):
        return self.segments or self.restriction.segments

    @property
    def scope_technologies(self):
        return self.technologies or self.restriction.technologies

    @property
    def scope(self):
        return scope_text(self.scope_segments, self.scope_technologies)

    def days_remaining(self, today=None):
        """Days from `today` to the deadline's last day; negative once it has passed."""
        return (self.due_by - (today or timezone.localdate())).days

    def covers(self, use):
        """Whether an equipment use falls under this deadline: its country, a vendor named, within its scope.

        Reads the restriction's vendors through `restriction.vendors.all()`, so prefetch them for many.
        """
        restriction = self.restriction
        return (
            use.carrier.country_id == restriction.country_id
            and use.vendor_id in {vendor.pk for vendor in restriction.vendors.all()}
            and (not self.scope_segments or use.segment in self.scope_segments)
            and (not self.scope_technologies or use.technology in self.scope_technologies)
        )


class RestrictionCitation(Citation):
    fact = models.ForeignKey(Restriction, on_delete=models.CASCADE, related_name="citations")


class DeadlineCitation(Citation):
    fact = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="citations")
