"""Facet counts for the public lists: next to each option of a filter, the rows that choosing it would give.

On PostgreSQL every facet of a list and its row count come from one grouped scan (GROUPING SETS, one
set per facet, each counting with FILTER the rows that the other chosen filters keep), rather than one
query per facet and another for the count. SQLite has no GROUPING SETS: there each facet is its own
grouped query, and the paginator counts the rows.
"""

from contextlib import contextmanager
from dataclasses import dataclass

import django_filters as filters
from django import forms
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.models import BooleanField, CharField, Count, ExpressionWrapper, F, Q, Value
from django.db.models.constants import LOOKUP_SEP

FACET_OPTIONS_SHOWN = 30
FACET_TIME_LIMIT_MS = 1000
FACET_OMITTED = "Counts omitted: too many rows to count quickly. Narrow the other filters first."
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by its timeout


@dataclass
class FacetCounts:
    """Per facet filter its options as (value, label, rows), None when omitted; `total`, the rows the
    filters keep, when the same scan counted them (None: the paginator counts)."""

    options: dict
    total: int | None = None


class FacetedFilterSet(filters.FilterSet):
    """A FilterSet whose `facets` are counted next to their options.

    `facets` maps a filter name to the ORM paths of the option's value and of its label (None: the
    label comes from the filter's choices). `separately_counted` names facets whose rows are not the
    list's own (see `grouped_rows`): each is one query of its own. The counting runs under a time
    limit: counts over it are marked as omitted rather than slowing the page.
    """

    facets = {}
    separately_counted = ()

    def facet_counts(self):
        """FacetCounts of this list; all omitted (None) when the counting took too long."""
        if not self.facets:
            return FacetCounts({})
        # The one scan does the work of a count per facet, and gets the time of as many.
        limit = FACET_TIME_LIMIT_MS * len(self.facets)
        try:
            with statement_time_limit(limit, using=self.queryset.db):
                return self.count_facets()
        except TimeLimitExceeded:
            return FacetCounts(dict.fromkeys(self.facets))

    def count_facets(self):
        scanned = [name for name in self.facets if name not in self.separately_counted]
        if not scanned:
            counts = FacetCounts({})
        elif connections[self.queryset.db].vendor == "postgresql":
            counts = GroupedScan(self, scanned).run()
        else:
            counts = FacetCounts(self.united_facet_options(scanned))
        for name in self.separately_counted:
            counts.options[name] = self.facet_options(name)
        counts.options = {name: counts.options[name] for name in self.facets}
        return counts

    def facet_options(self, name):
        """One facet's options, from a grouped query of its own."""
        value_path, label_path = self.facets[name]
        grouped = self.grouped_rows(name, self.filtered_without(name).order_by(), value_path, label_path)
        return [
            (
                row[value_path],
                self.facet_label(name, row[value_path], row[label_path] if label_path else None),
                row["rows"],
            )
            for row in grouped[:FACET_OPTIONS_SHOWN]
            if row[value_path] is not None
        ]

    def united_facet_options(self, names):
        """The facets `names`, each grouped by a query of its own, in one UNION ALL (for SQLite)."""
        parts = []
        for index, name in enumerate(names):
            value_path, label_path = self.facets[name]
            distinct = crosses_to_many(self.queryset.model, value_path)
            label = F(label_path) if label_path else Value(None, output_field=CharField())
            parts.append(
                self.filtered_without(name)
                .order_by()
                .values(facet_value=F(value_path), facet_label=label)
                .annotate(rows=Count("pk", distinct=distinct), facet=Value(index))
                .values_list("facet", "facet_value", "facet_label", "rows")
            )
        options = {name: [] for name in names}
        for index, value, label, rows in sorted(parts[0].union(*parts[1:], all=True), key=lambda row: -row[3]):
            name = names[index]
            options[name].append((value, self.facet_label(name, value, label), rows))
        # As facet_options: the biggest groups, then those with a value.
        return {
            name: [option for option in shown[:FACET_OPTIONS_SHOWN] if option[0] is not None]
            for name, shown in options.items()
        }

    def facet_label(self, name, value, label):
        """The label read with the value, or for a facet without a label path the filter's choice's."""
        if self.facets[name][1] is not None:
            return label
        return dict(self.form.fields[name].choices).get(value)

    def grouped_rows(self, name, rows, value_path, label_path):
        """`rows` grouped by a facet's value (and label), biggest group first, with its row count as `rows`."""
        paths = [value_path, label_path] if label_path else [value_path]
        distinct = crosses_to_many(self.queryset.model, value_path)
        return rows.values(*paths).annotate(rows=Count("pk", distinct=distinct)).order_by("-rows")

    def filtered_without(self, excluded):
        """The queryset with every filter applied but one, from the already validated values."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != excluded:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def show_facet_counts(self, counts):
        """Offer each facet's options with their row counts (from facet_counts), keeping the user's current choices."""
        for name, options in counts.options.items():
            field = self.form.fields[name]
            selected = {str(value) for value in self.data.getlist(name)}
            if options is None:
                field.widget.choices = [(value, value) for value in sorted(selected)]
                self.form[name].help_text = FACET_OMITTED
                continue
            offered = [(value, f"{label} ({count:,})") for value, label, count in options]
            missing = selected - {str(value) for value, _, _ in options}
            field.widget.choices = offered + [(value, f"{value} (0)") for value in sorted(missing)]

    def offer_only_chosen(self):
        """Offer only the submitted values of filters choosing records, so that an error page does not
        list every carrier and source."""
        for name, field in self.form.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                chosen = [(value, value) for value in sorted(set(self.data.getlist(name))) if value]
                empty = [] if field.empty_label is None else [("", field.empty_label)]
                field.widget.choices = empty + chosen


def is_chosen(value):
    """Whether a cleaned filter value narrows the rows (the chosen records are an evaluated queryset)."""
    return value not in (None, "") and not (hasattr(value, "__len__") and not len(value))


class GroupedScan:
    """The facets `names` of a filterset and its row count, from one PostgreSQL query.

    The scanned rows are the list's with every filter applied except the chosen facet filters; each of
    those becomes a boolean column (`pk IN` the rows it keeps), so that a facet counts with FILTER the
    rows the other chosen facet filters keep, and the total those all of them keep.
    """

    def __init__(self, filterset, names):
        self.filterset = filterset
        self.names = names
        cleaned = filterset.form.cleaned_data
        self.chosen = [name for name in filterset.facets if is_chosen(cleaned.get(name))]
        model = filterset.queryset.model
        # A row joined to several values of a to-many facet repeats: count each fact once.
        self.distinct = any(crosses_to_many(model, filterset.facets[name][0]) for name in names)

    def rows(self):
        """The scanned rows: key, each facet's value and label, and whether each chosen facet filter keeps it."""
        filterset = self.filterset
        rows = filterset.queryset.all()
        for name, value in filterset.form.cleaned_data.items():
            if name not in self.chosen:
                rows = filterset.filters[name].filter(rows, value)
        columns = {"row_pk": F("pk")}
        for index, name in enumerate(self.names):
            value_path, label_path = filterset.facets[name]
            columns[f"value_{index}"] = F(value_path)
            if label_path:
                columns[f"label_{index}"] = F(label_path)
        everything = filterset.queryset.model._default_manager.all()
        for index, name in enumerate(self.chosen):
            kept = filterset.filters[name].filter(everything, filterset.form.cleaned_data[name])
            columns[f"kept_{index}"] = ExpressionWrapper(Q(pk__in=kept.values("pk")), output_field=BooleanField())
        return rows.order_by().values(**columns)

    def count(self, without=None):
        """The count of rows every chosen facet filter but `without` keeps."""
        counted = "COUNT(DISTINCT row_pk)" if self.distinct else "COUNT(*)"
        kept = [f"kept_{index}" for index, name in enumerate(self.chosen) if name != without]
        return f"{counted} FILTER (WHERE {' AND '.join(kept)})" if kept else counted

    def sql(self):
        db = self.filterset.queryset.db
        inner, params = self.rows().query.get_compiler(using=db).as_sql()
        sets, facet_cases, count_cases = [], [], []
        for index, name in enumerate(self.names):
            columns = [f"value_{index}"] + ([f"label_{index}"] if self.filterset.facets[name][1] else [])
            sets.append(f"({', '.join(columns)})")
            facet_cases.append(f"WHEN GROUPING(value_{index}) = 0 THEN {index}")
            count_cases.append(f"WHEN GROUPING(value_{index}) = 0 THEN {self.count(without=name)}")
        outputs = [
            f"value_{index}" + (f", label_{index}" if self.filterset.facets[name][1] else "")
            for index, name in enumerate(self.names)
        ]
        # Rows no count can include (two chosen facet filters refuse them) need no grouping.
        refused = " + ".join(f"(NOT kept_{index})::int" for index in range(len(self.chosen)))
        scanned = f"WHERE {refused} <= 1" if len(self.chosen) > 1 else ""
        sql = f"""
            SELECT facet, {", ".join(outputs)}, rows FROM (
                SELECT grouped.*, ROW_NUMBER() OVER (
                    PARTITION BY facet ORDER BY rows DESC, {", ".join(f"value_{i}" for i in range(len(self.names)))}
                ) AS rank
                FROM (
                    SELECT CASE {" ".join(facet_cases)} ELSE -1 END AS facet, {", ".join(outputs)},
                        CASE {" ".join(count_cases)} ELSE {self.count()} END AS rows
                    FROM ({inner}) AS facet_rows {scanned}
                    GROUP BY GROUPING SETS ({", ".join(sets)}, ())
                ) AS grouped
                WHERE rows > 0 OR facet = -1
            ) AS ranked
            WHERE rank <= {FACET_OPTIONS_SHOWN}
        """
        return sql, params

    def run(self):
        sql, params = self.sql()
        with connections[self.filterset.queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        options, total = {name: [] for name in self.names}, 0
        for facet, *columns, rows in found:
            if facet == -1:
                total = rows
                continue
            name = self.names[facet]
            value, label = self.value_and_label(facet, columns)
            if value is not None:  # a group of rows without a value (no headquarters, no initiative)
                options[name].append((value, self.filterset.facet_label(name, value, label), rows))
        for name in self.names:
            options[name].sort(key=lambda option: -option[2])
        return FacetCounts(options, total)

    def value_and_label(self, facet, columns):
        position = 0
        for index, name in enumerate(self.names):
            width = 2 if self.filterset.facets[name][1] else 1
            if index == facet:
                return columns[position], columns[position + 1] if width == 2 else None
            position += width
        raise ValueError(facet)


def crosses_to_many(model, path):
    """Whether an ORM path follows a one-to-many or many-to-many relation (so rows can repeat)."""
    for name in path.split(LOOKUP_SEP):
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


class TimeLimitExceeded(Exception):
    pass


@contextmanager
def statement_time_limit(milliseconds, using=DEFAULT_DB_ALIAS):
    """PostgreSQL cancels any statement of the database `using` running longer, until the block ends;
    a cancelled statement raises TimeLimitExceeded. The block must only read: its work is rolled back.

    The limit is local to a transaction (opened here, or a savepoint in an enclosing one): behind a
    transaction-pooling PgBouncer a session-level SET would stay on the server connection and reach other
    clients' requests. Rolling the block back ends the limit, and leaves an enclosing transaction usable
    after a cancellation, with its own limit.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    try:
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [milliseconds])
            yield
            transaction.set_rollback(True, using=using)
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == QUERY_CANCELED:
            raise TimeLimitExceeded from error
        raise
