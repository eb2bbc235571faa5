"""The records a file's lines name, found for the whole file at once rather than with one query a line."""

from django.db.models import Model, Q
from import_export.instance_loaders import ModelInstanceLoader

from .. import spreadsheet

# Lines whose records one query looks up: a few hundred values per IN list keep each query short.
LINES_PER_QUERY = 500


class FileInstanceLoader(ModelInstanceLoader):
    """ModelInstanceLoader's answers (the record whose import-id values a line gives, or None), from a few
    queries for the whole file. A line whose import-id cells cannot be read is looked up as before, so its
    problem is reported with the line."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        model_fields = [resource._meta.model._meta.get_field(field.attribute) for field in self.fields]
        self.attnames = [field.attname for field in model_fields]
        # Comparing a line with its record reads the related records it is named by.
        self.related = [field.name for field in model_fields if field.many_to_one]
        self.found = {}
        self.looked_up = set()
        self.keys = [self.key(row) for row in (dataset.dict if dataset else [])]  # each line's, in file order
        keys = list(filter(None, self.keys))
        for start in range(0, len(keys), LINES_PER_QUERY):
            self.load(keys[start : start + LINES_PER_QUERY])

    def names_only_new_records(self):
        """Whether every line's import-id cells could be read, and no line names a record that exists."""
        return None not in self.keys and not self.found

    def key(self, row):
        """A line's import-id values as the records hold them (a related record by its primary key), or None."""
        if any(field.column_name not in row for field in self.fields):
            return None
        row = {field.column_name: spreadsheet.unescape(row[field.column_name]) for field in self.fields}
        try:
            values = [field.clean(row) for field in self.fields]
        except (ValueError, LookupError, TypeError):
            return None
        return tuple(value.pk if isinstance(value, Model) else value for value in values)

    def load(self, keys):
        # Each attribute among the values the lines give: a superset of the records they name, matched exactly below.
        condition = Q()
        for index, attname in enumerate(self.attnames):
            values = {key[index] for key in keys}
            among = Q(**{f"{attname}__in": values - {None}})
            condition &= among | Q(**{f"{attname}__isnull": True}) if None in values else among
        for record in self.get_queryset().filter(condition).select_related(*self.related):
            self.found[tuple(getattr(record, attname) for attname in self.attnames)] = record
        self.looked_up.update(keys)

    def get_instance(self, row):
        key = self.key(row)
        if key is None or key not in self.looked_up:
            return super().get_instance(row)
        return self.found.get(key)


def file_instance_loader(resource, dataset=None):
    """The FileInstanceLoader of a file, built once: a file is looked up once, whether to tell that it only adds
    facts (resources.adding) or to import it line by line."""
    loader = getattr(resource, "file_loader", None)
    if loader is None or loader.dataset is not dataset:
        loader = resource.file_loader = FileInstanceLoader(resource, dataset)
    return loader
