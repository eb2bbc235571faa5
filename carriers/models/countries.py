import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.urls import reverse


def validate_iso_code(value):
    if pycountry.countries.get(alpha_2=value) is None or value != value.upper():
        raise ValidationError("%(value)s is not an ISO 3166-1 alpha-2 country code.", params={"value": value})


class Region(models.TextChoices):
    AFRICA = "africa", "Africa"
    AMERICAS = "americas", "Americas"
    ASIA = "asia", "Asia"
    EUROPE = "europe", "Europe"
    OCEANIA = "oceania", "Oceania"
    ANTARCTICA = "antarctica", "Antarctica"


class CountryQuerySet(models.QuerySet):
    def in_region(self, *regions):
        return self.filter(region__in=regions)


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
