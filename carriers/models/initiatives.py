from django.db import models
from django.db.models import Q
from django.urls import reverse

from .companies import Vendor
from .countries import Country
from .dates import (
    PartialDateAttribute,
    PartialDatesModel,
    ends_on_or_after,
    on_first_days,
    period,
    period_ends_after_start,
    precision_field,
)
from .history import ChangeHistory
from .searching import ranked


class InitiativeKind(models.TextChoices):
    PROGRAM = "program", "Alliance or program"
    LAW = "law", "Law"
    REGULATION = "regulation", "Regulation"
    GUIDANCE = "guidance", "Guidance"


class InitiativeQuerySet(models.QuerySet):
    def search(self, text):
        return self.filter(Q(name__icontains=text) | Q(slug__icontains=text))

    def ranked_search(self, text):
        """Initiatives by name or summary, best first."""
        return ranked(self, text, {"name": "A", "summary": "C"}).select_related("sponsor")

    def sponsored_by(self, *codes):
        return self.filter(sponsor__in=codes)

    def active_on(self, date):
        """Initiatives in force at any time of `date` (a day, or a PartialDate's whole period)."""
        first, last = period(date)
        return self.filter(Q(launched_on__isnull=True) | Q(launched_on__lte=last)).filter(
            Q(ended_on__isnull=True) | ends_on_or_after("ended_on", first)
        )

    def public_list(self):
        """The public list's rows, related records and order: its page, its CSV and releases start here."""
        return self.select_related("sponsor").prefetch_related("targeted_vendors")


class Initiative(PartialDatesModel):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in URLs and CSV files, e.g. clean-network.")
    sponsor = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="sponsored_initiatives")
    kind = models.CharField(max_length=10, choices=InitiativeKind.choices)
    launched_on = models.DateField(null=True, blank=True)
    launched_on_precision = precision_field()
    ended_on = models.DateField(null=True, blank=True, help_text="Leave empty while it is still in force.")
    ended_on_precision = precision_field()
    led_by = models.CharField(max_length=200, blank=True, help_text="Who launched or leads it.")
    summary = models.TextField(blank=True)
    official_url = models.URLField("official URL", max_length=500, blank=True)
    targeted_vendors = models.ManyToManyField(
        Vendor, blank=True, related_name="targeting_initiatives", help_text="Vendors the initiative keeps out."
    )

    launched = PartialDateAttribute("launched_on")
    ended = PartialDateAttribute("ended_on")

    objects = InitiativeQuerySet.as_manager()
    history = ChangeHistory(m2m_fields=["targeted_vendors"])

    class Meta:
        ordering = ["name"]
        constraints = [
            *on_first_days("initiative", "launched_on", "ended_on"),
            period_ends_after_start(
                "initiative_ends_after_launch", "launched_on", "ended_on", "Ended on must be on or after launched on."
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("carriers:initiative-detail", args=[self.slug])
