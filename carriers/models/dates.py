"""Dates known only to the year or the month ("in August 2020").

A partial date is stored as two columns: the first day of its period (so it sorts and
filters as an ordinary date) and its precision (so it is shown as "Aug 2020", not
"1 Aug 2020").
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


def precision_field():
    return models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the date the source states; the date is stored as the first day of that period.",
    )


@dataclass(frozen=True, order=True)
class PartialDate:
    date: datetime.date
    precision: str = DatePrecision.DAY

    def __str__(self):
        if self.precision == DatePrecision.YEAR:
            return f"{self.date.year}"
        if self.precision == DatePrecision.MONTH:
            return self.date.strftime("%b %Y")
        return f"{self.date.day} {self.date.strftime('%b %Y')}"

    @property
    def first(self):
        """The first day of the period the date stands for."""
        return truncate(self.date, self.precision)

    @property
    def last(self):
        """The last day of the period: "Oct 2020" ends on 31 October, "2027" on 31 December."""
        first = self.first
        if self.precision == DatePrecision.YEAR:
            return first.replace(month=12, day=31)
        if self.precision == DatePrecision.MONTH:
            return first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return first

    def isoformat(self):
        """ISO 8601 reduced to the known precision: 2020, 2020-08 or 2020-08-05."""
        length = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7}.get(self.precision, 10)
        return self.date.isoformat()[:length]

    @classmethod
    def parse(cls, text):
        """Read an ISO 8601 date of any precision (2020, 2020-08, 2020-08-05)."""
        problem = f"“{text}” is not a date like 2020, 2020-08 or 2020-08-05."
        parts = text.strip().split("-")
        precision = {1: DatePrecision.YEAR, 2: DatePrecision.MONTH, 3: DatePrecision.DAY}.get(len(parts))
        if precision is None or not all(part.isdigit() for part in parts):
            raise ValueError(problem)
        numbers = [int(part) for part in parts] + [1] * (3 - len(parts))
        try:
            return cls(datetime.date(*numbers), precision)
        except (ValueError, OverflowError) as error:
            raise ValueError(problem) from error


def truncate(date, precision):
    if date is None:
        return None
    if precision == DatePrecision.YEAR:
        return date.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return date.replace(day=1)
    return date


def period(value):
    """(first day, last day) of a date or a partial date; (None, None) for None."""
    if value is None:
        return None, None
    if isinstance(value, PartialDate):
        return value.first, value.last
    return value, value


def ends_on_or_after(field, date):
    """Q: the period stored in `field` (its first day) and `<field>_precision` ends on or after `date`."""
    precision = f"{field}_precision"
    return (
        Q(**{precision: DatePrecision.DAY, f"{field}__gte": date})
        | Q(**{precision: DatePrecision.MONTH, f"{field}__gte": date.replace(day=1)})
        | Q(**{precision: DatePrecision.YEAR, f"{field}__gte": date.replace(month=1, day=1)})
    )


class PartialDateAttribute:
    """Read a date column and its `<name>_precision` column together as a PartialDate."""

    def __init__(self, field_name):
        self.field_name = field_name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        date = getattr(instance, self.field_name)
        if date is None:
            return None
        return PartialDate(date, getattr(instance, f"{self.field_name}_precision"))


# Dates outside this range are almost always typing slips (2102 for 2021, 1920 for 2020).
EARLIEST_PLAUSIBLE = datetime.date(1980, 1, 1)
YEARS_AHEAD_PLAUSIBLE = 30


def check_plausible_dates(instance):
    """Raise a ValidationError naming every date of `instance` before 1980 or more than 30 years ahead."""
    today = datetime.date.today()
    latest = today.replace(year=today.year + YEARS_AHEAD_PLAUSIBLE)
    errors = {
        field.name: f"{value:%Y-%m-%d} is outside the plausible range {EARLIEST_PLAUSIBLE:%Y} to {latest:%Y}; "
        "check for a typing slip."
        for field in instance._meta.concrete_fields
        if type(field) is models.DateField
        and (value := getattr(instance, field.attname)) is not None
        and not EARLIEST_PLAUSIBLE <= value <= latest
    }
    if errors:
        raise ValidationError(errors)


class PartialDatesModel(models.Model):
    """Stores every `<name>` / `<name>_precision` pair as the first day of its period."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.normalise_partial_dates()
        super().save(*args, **kwargs)

    @classmethod
    def partial_date_fields(cls):
        names = {field.name for field in cls._meta.concrete_fields}
        return [name for name in names if f"{name}_precision" in names]

    def normalise_partial_dates(self):
        for name in self.partial_date_fields():
            setattr(self, name, truncate(getattr(self, name), getattr(self, f"{name}_precision")))

    def clean_fields(self, exclude=None):
        self.normalise_partial_dates()
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        check_plausible_dates(self)
