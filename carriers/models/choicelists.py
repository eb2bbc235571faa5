"""Several choices in one column (a restriction's network segments: core and radio access).

Stored as the chosen values joined by commas, in the order of the choices, so a scope reads the
same in the database, the CSV and the admin, and filters on both SQLite and PostgreSQL.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

SEPARATOR = ","


class ChoiceListField(models.CharField):
    """A list of values from `item_choices`; empty means the scope is not narrowed."""

    def __init__(self, *args, item_choices=(), **kwargs):
        self.item_choices = list(item_choices)
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return self.ordered(value)
        return self.ordered(value.split(SEPARATOR)) if value else []

    def ordered(self, values):
        order = [value for value, _ in self.item_choices]
        chosen = {str(value).strip() for value in values if str(value).strip()}
        return sorted(chosen, key=lambda value: order.index(value) if value in order else len(order))

    def get_prep_value(self, value):
        # A plain string is one value being looked up (segments="core"), not a list to join.
        if isinstance(value, str):
            return value
        return SEPARATOR.join(self.to_python(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        known = {choice for choice, _ in self.item_choices}
        unknown = [item for item in value if item not in known]
        if unknown:
            raise ValidationError(
                "Unknown value: %(unknown)s. Choose from %(known)s.",
                params={"unknown": ", ".join(unknown), "known": ", ".join(sorted(known))},
            )
        if not value and not self.blank:
            raise ValidationError(self.error_messages["blank"])

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.item_choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )


def covers(field, value):
    """Q: the list in `field` holds `value`, or is empty (not narrowed, so it covers everything)."""
    return (
        Q(**{field: ""})
        | Q(**{field: value})
        | Q(**{f"{field}__startswith": value + SEPARATOR})
        | Q(**{f"{field}__endswith": SEPARATOR + value})
        | Q(**{f"{field}__contains": SEPARATOR + value + SEPARATOR})
    )
