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
from django.db.models import F, Func, OuterRef, Q
from django.db.models.lookups import Exact, GreaterThanOrEqual, IsNull


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


def add_months(date, months):
    """The same day `months` later, or the month's last day when it has no such day (31 Jan + 1 = 28/29 Feb)."""
    year, month = divmod(date.month - 1 + months, 12)
    year, month = date.year + year, month + 1
    return date.replace(year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1]))


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


class DatePart(Func):
    """One part of a date as an integer, in SQL each database evaluates natively.

    Django's Extract functions call a Python function on SQLite, which a CHECK constraint in
    the schema must not depend on (other tools open the file too).
    """

    output_field = models.IntegerField()
    sqlite_format = None  # doubled twice: once for the template, once for the query's parameters
    postgresql_part = None

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template=f"CAST(strftime('{self.sqlite_format}', %(expressions)s) AS INTEGER)"
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template=f"EXTRACT({self.postgresql_part} FROM %(expressions)s)::integer"
        )


class YearOf(DatePart):
    sqlite_format, postgresql_part = "%%%%Y", "YEAR"


class MonthOf(DatePart):
    sqlite_format, postgresql_part = "%%%%m", "MONTH"


class DayOf(DatePart):
    sqlite_format, postgresql_part = "%%%%d", "DAY"


def on_first_days(model_name, *fields):
    """CHECKs: each partial date known to the month is stored on the 1st, one known to the year on 1 January."""
    return [on_first_day_of_period(f"{model_name}_{field}_on_first_day", field) for field in fields]


def on_first_day_of_period(name, field):
    precision = f"{field}_precision"
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{precision: DatePrecision.DAY})
        | Q(Exact(DayOf(field), 1), **{precision: DatePrecision.MONTH})
        | Q(Exact(DayOf(field), 1), Exact(MonthOf(field), 1), **{precision: DatePrecision.YEAR}),
        name=name,
        violation_error_message=f"{field.replace('_', ' ').capitalize()} must be the first day of its month or year.",
    )


def month_number(field):
    return YearOf(field) * 12 + MonthOf(field)


def reaches(end, precision, start):
    """Q: the period beginning `end` at `precision` ends on or after `start` (all three expressions).

    Both dates are stored as their periods' first days, so the end's period reaches the start
    when the start, cut to the end's precision, is not after the end.
    """
    return (
        Q(Exact(precision, DatePrecision.DAY), GreaterThanOrEqual(end, start))
        | Q(Exact(precision, DatePrecision.MONTH), GreaterThanOrEqual(month_number(end), month_number(start)))
        | Q(Exact(precision, DatePrecision.YEAR), GreaterThanOrEqual(YearOf(end), YearOf(start)))
    )


def period_ends_after_start(name, start, end, message):
    """CHECK: the end's period finishes on or after the start's begins ("5 Aug 2020 to sometime in 2020" holds)."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | reaches(F(end), F(f"{end}_precision"), F(start)),
        name=name,
        violation_error_message=message,
    )


def overlaps_outer(start, end, outer_start, outer_end):
    """Q for a subquery: its row's period (start, end) and the outer row's share at least one day.

    A missing start reaches back indefinitely and a missing end forward; periods count whole.
    """
    return (
        Q(IsNull(OuterRef(outer_end), True))
        | Q(**{f"{start}__isnull": True})
        | reaches(OuterRef(outer_end), OuterRef(f"{outer_end}_precision"), F(start))
    ) & (
        Q(IsNull(OuterRef(outer_start), True))
        | Q(**{f"{end}__isnull": True})
        | reaches(F(end), F(f"{end}_precision"), OuterRef(outer_start))
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
