import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Length, Upper
from django.db.models.lookups import Exact
from django.urls import reverse

from ..kept import labels as kept_labels
from ..kept import uses as kept_uses
from .counting import subquery_count
from .history import ChangeHistory
from .searching import ranked

# ISO 3166 reserves EU for the European Union, which decides and sponsors like a country here.
EUROPEAN_UNION = "EU"


def validate_iso_code(value):
    if value == EUROPEAN_UNION:
        return
    if pycountry.countries.get(alpha_2=value) is None or value != value.upper():
        raise ValidationError("%(value)s is not an ISO 3166-1 alpha-2 country code (or EU).", params={"value": value})


class Region(models.TextChoices):
    AFRICA = "africa", "Africa"
    AMERICAS = "americas", "Americas"
    ASIA = "asia", "Asia"
    EUROPE = "europe", "Europe"
    OCEANIA = "oceania", "Oceania"
    ANTARCTICA = "antarctica", "Antarctica"


class CountryQuerySet(models.QuerySet):
    def search(self, text):
        return self.filter(models.Q(name__icontains=text) | models.Q(code__iexact=text))

    def ranked_search(self, text):
        """Countries by name or ISO code, best first: the code itself ranks first."""
        exact = models.Q(code__iexact=text) | models.Q(name__iexact=text)
        return ranked(self, text, {"name": "A", "code": "A"}, exact=exact)

    def with_exposure(self, on=None):
        """Annotate counts of carriers tracked, using a targeted vendor, and labelled clean (on `on`)."""
        from .companies import Carrier

        carriers = Carrier.objects.filter(country=OuterRef("pk"))
        if kept_uses.kept(self.db):
            # One scan of the country's kept periods of use and labels rather than a search of every carrier's.
            column = f"{self.model._meta.db_table}.{self.model._meta.pk.column}"
            targeted = Coalesce(kept_uses.carriers_using_in_country(column, on), 0)
            labelled = Coalesce(kept_labels.carriers_labelled_in_country(column, on), 0)
        else:
            targeted = subquery_count(carriers.using_targeted_vendor(on=on), "country")
            labelled = subquery_count(carriers.labelled(on=on), "country")
        return self.with_carrier_count().annotate(targeted_carrier_count=targeted, labelled_carrier_count=labelled)

    def with_carrier_count(self):
        from .companies import Carrier

        return self.annotate(carrier_count=subquery_count(Carrier.objects.filter(country=OuterRef("pk")), "country"))

    def public_list(self):
        """The public list's rows, related records and order: its page, its CSV and releases start here."""
        return self.with_carrier_count().order_by("name")

    def with_latest_stance(self, initiative):
        """Annotate `stance`: the country's most recently stated stance on `initiative`."""
        from .facts import CountryPosition

        latest = CountryPosition.objects.filter(country=OuterRef("pk"), initiative=initiative).order_by(
            "-stated_on", "-pk"
        )
        return self.annotate(stance=Subquery(latest.values("stance")[:1]))

    def with_stance(self, initiative, *stances):
        """Countries whose latest stance on `initiative` is one of `stances` (any stance when none given)."""
        countries = self.with_latest_stance(initiative)
        return countries.filter(stance__in=stances) if stances else countries.filter(stance__isnull=False)


class Country(models.Model):
    code = models.CharField(
        "ISO code",
        primary_key=True,
        max_length=2,
        validators=[validate_iso_code],
        help_text="ISO 3166-1 alpha-2 code in capitals, e.g. KR for South Korea.",
    )
    name = models.CharField(max_length=100, unique=True)
    region = models.CharField(max_length=10, choices=Region.choices, help_text="UN geoscheme continent.")

    objects = CountryQuerySet.as_manager()
    history = ChangeHistory()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(Exact(Length("code"), 2), code=Upper("code")),
                name="country_code_is_two_capitals",
                violation_error_message="The ISO code must be two capital letters.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("carriers:country-detail", args=[self.code])
