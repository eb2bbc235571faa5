"""The checks of Model.full_clean that ask the database, with each answer remembered for the whole file by the
values it was given: the database answers the same for the same values, and a file names the same carriers and
vendors, and repeats its dates, precisions and shares, line after line."""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import router
from django.db.models import CheckConstraint, Q

from .loading import LINES_PER_QUERY


class FileChecks:
    def __init__(self):
        self.answers = {}

    def full_clean(self, instance, exclude, validate_unique, validate_constraints=True):
        """Model.full_clean(exclude, validate_unique, validate_constraints): the same checks, the same errors."""
        related = {field.name for field in instance._meta.fields if field.many_to_one} - exclude
        errors = {}
        try:
            # Related records and constraints are checked below, with remembered answers.
            instance.full_clean(exclude=exclude | related, validate_unique=validate_unique, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in related:
            try:
                self.related_record(instance, instance._meta.get_field(name))
            except ValidationError as error:
                errors[name] = error.error_list
        try:
            if validate_constraints:
                self.constraints(instance, exclude | {name for name in errors if name != NON_FIELD_ERRORS})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def related_record(self, instance, field):
        """What Model.clean_fields does for a foreign key: it is given, and its record exists."""
        value = getattr(instance, field.attname)
        if field.blank and value in field.empty_values:
            return
        key = (type(instance), field.name, value)
        if key not in self.answers:
            self.answers[key] = self.answer(lambda: field.clean(value, instance))
        self.raise_remembered(key)

    def find_related(self, instances):
        """Tell related_record, in one query per foreign key, which of the instances' related records exist.

        Only a record that exists is answered here: an existing primary key passes every check of the key's
        field.clean, whose query asks no more (with the same limit on choices). A missing one is asked as before,
        for Django's words."""
        model = type(instances[0])
        for field in (field for field in model._meta.fields if field.many_to_one):
            values = sorted({getattr(instance, field.attname) for instance in instances} - {None})
            remote = field.remote_field
            for start in range(0, len(values), LINES_PER_QUERY):
                found = (
                    remote.model._base_manager.filter(
                        **{f"{remote.field_name}__in": values[start : start + LINES_PER_QUERY]}
                    )
                    .complex_filter(field.get_limit_choices_to())
                    .values_list(remote.field_name, flat=True)
                )
                self.answers.update(((model, field.name, value), None) for value in found)

    def constraints(self, instance, exclude):
        """Model.validate_constraints(exclude)."""
        using = router.db_for_write(type(instance), instance=instance)
        errors = {}
        for model, constraints in instance.get_constraints():
            for constraint in constraints:
                try:
                    self.constraint(constraint, model, instance, exclude, using)
                except ValidationError as error:
                    # As Django reports them: a single field's uniqueness under that field.
                    if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def constraint(self, constraint, model, instance, exclude, using):
        key = check_key(constraint, model, instance, exclude)
        if key is None:
            constraint.validate(model, instance, exclude=exclude, using=using)
            return
        if key not in self.answers:
            self.answers[key] = self.answer(lambda: constraint.validate(model, instance, exclude=exclude, using=using))
        self.raise_remembered(key)

    @staticmethod
    def answer(check):
        try:
            check()
        except ValidationError as error:
            return error
        return None

    def raise_remembered(self, key):
        if self.answers[key] is not None:
            raise self.answers[key]


def check_key(constraint, model, instance, exclude):
    """What a check constraint's verdict depends on; None for other constraints, or where it cannot be told."""
    if not isinstance(constraint, CheckConstraint):
        return None
    names = sorted(Q(constraint.condition).referenced_base_fields)
    try:
        values = tuple(getattr(instance, model._meta.get_field(name).attname) for name in names)
        key = (model, constraint.name, frozenset(exclude) & set(names), values)
        hash(key)
    except (FieldDoesNotExist, TypeError):
        return None
    return key
