"""Facet counts for the public lists: next to each option of a filter, the rows that choosing it would give.

On PostgreSQL every facet of a list and its row count come from one query (GroupedScan) rather than
one query per facet and another for the count. SQLite has no GROUPING SETS: there the facets' grouped
queries go as one UNION ALL, and the paginator counts the rows.
"""

from contextlib import contextmanager
from dataclasses import dataclass

import django_filters as filters
from django import forms
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.models import CharField, Count, F, Value
from django.db.models.constants import LOOKUP_SEP
from django.utils.html import format_html

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
    # KeptCounts: PostgreSQL keeps the unfiltered list's facet counts (carriers.kept.counts).
    kept_counts = None

    @classmethod
    def get_filters(cls):
        # The class's own filters know their model: the API schema builds their form fields from the class,
        # and a field built without the model has no label, which the lists' copies would then keep.
        found = super().get_filters()
        for filter_ in found.values():
            filter_.model = cls._meta.model
        return found

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
        """The queryset with every filter applied but `excluded`'s (None: every one), from the validated values."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != excluded:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def show_facet_counts(self, counts):
        """Offer each facet's options with their row counts (from facet_counts), keeping the user's current choices."""
        for name, options in counts.options.items():
            field = self.form.fields[name]
            selected = {str(value) for value in self.form[name].value() or []}  # as the widget reads them (kr: KR)
            if options is None:
                field.widget.choices = [(value, value) for value in sorted(selected)]
                self.form[name].help_text = FACET_OMITTED
                continue
            # The label is data: isolated, so a stray direction mark in it cannot reorder its count.
            offered = [
                (value, format_html("<bdi>{}</bdi> ({})", label, f"{count:,}")) for value, label, count in options
            ]
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


class FacetKey:
    """What a facet's scan groups by: the id its value path reaches (vendor__slug: the vendor's id), or a
    column of the row itself (segment). The value and label are read for the shown groups only."""

    def __init__(self, model, value_path, label_path):
        parts = value_path.split(LOOKUP_SEP)
        related, through = None, 0
        for depth, part in enumerate(parts, start=1):
            field = model._meta.get_field(part)
            if field.is_relation:
                model, related, through = field.related_model, field.related_model, depth
        if through < len(parts) and not field.unique:  # a value many records share (a restriction's kind)
            related, through = None, len(parts)
        self.path = LOOKUP_SEP.join(parts[:through] if related else parts)
        self.field = related._meta.pk if related else field
        self.table = None
        if related is not None:
            self.table = related._meta.db_table
            self.id_column = related._meta.pk.column
            self.value_column = related._meta.get_field(parts[through]).column if through < len(parts) else None
            self.label_column = related._meta.get_field(label_path.split(LOOKUP_SEP)[-1]).column if label_path else None
            if label_path and label_path.rsplit(LOOKUP_SEP, 1)[0] != self.path:
                raise ValueError(f"The label {label_path} is not a field of what {value_path} reaches.")
        elif label_path:
            raise ValueError(f"A facet of the row's own column {value_path} takes its labels from the choices.")


class GroupedScan:
    """The facets `names` of a filterset and its row count, from one PostgreSQL query.

    A facet whose filter is not chosen counts the rows every filter keeps: those rows are scanned once,
    grouped by each such facet (GROUPING SETS) and counted in all (the total). A chosen facet counts the
    rows every other filter keeps: a scan of its own, in the same query (UNION ALL), or the list's kept
    counts when they answer it (carriers.kept.counts). Each scan is an ordinary filtered query, so
    indexes serve the filters. Groups are by id (FacetKey); the shown ones get their value and label by a
    join after ranking.
    """

    def __init__(self, filterset, names):
        self.filterset = filterset
        self.names = names
        cleaned = filterset.form.cleaned_data
        self.chosen = {name for name in names if is_chosen(cleaned.get(name))}
        model = filterset.queryset.model
        self.keys = [FacetKey(model, *filterset.facets[name]) for name in names]
        # A row joined to several values of a to-many facet repeats: count each fact once.
        self.distinct = any(crosses_to_many(model, filterset.facets[name][0]) for name in names)

    def grouped(self, rows, indexes, total=False):
        """SQL and parameters grouping `rows` by the keys of the facets `indexes` (and in all, with `total`)."""
        db = self.filterset.queryset.db
        columns = {"row_pk": F("pk"), **{f"key_{index}": F(self.keys[index].path) for index in indexes}}
        inner, params = rows.values(**columns).query.get_compiler(using=db).as_sql()
        counted = "COUNT(DISTINCT row_pk)" if self.distinct else "COUNT(*)"
        connection = connections[db]
        keys = [
            f"key_{index}" if index in indexes else f"CAST(NULL AS {key.field.rel_db_type(connection)}) AS key_{index}"
            for index, key in enumerate(self.keys)
        ]
        if not total:
            facet, grouping = str(indexes[0]), f"GROUP BY key_{indexes[0]}"
        else:
            cases = " ".join(f"WHEN GROUPING(key_{index}) = 0 THEN {index}" for index in indexes)
            facet = f"CASE {cases} ELSE -1 END" if indexes else "-1"
            grouping = f"GROUP BY GROUPING SETS ({''.join(f'key_{index}, ' for index in indexes)}())"
        sql = f"SELECT {facet} AS facet, {', '.join(keys)}, {counted} AS rows FROM ({inner}) AS facet_rows {grouping}"
        return sql, params

    def sql(self):
        connection = connections[self.filterset.queryset.db]
        quote = connection.ops.quote_name
        unchosen = [index for index, name in enumerate(self.names) if name not in self.chosen]
        filterset = self.filterset
        kept = filterset.kept_counts
        if kept and not narrowing(filterset):
            scans = [(kept.grouped_sql(self.keys, connection), [])]
        else:
            scans = [self.grouped(filterset.filtered_without(None).order_by(), unchosen, total=True)]
        # A chosen facet counts the rows the other filters keep: kept counts when those are none, or one
        # filter whose pair with it is kept (KeptCounts.chosen_sql).
        scans += [
            (kept and kept.chosen_sql(filterset, name, self.names, self.keys, connection))
            or self.grouped(filterset.filtered_without(name).order_by(), [self.names.index(name)])
            for name in self.chosen
        ]
        keys = [f"key_{index}" for index in range(len(self.keys))]
        outputs, joins = [], []
        for index, key in enumerate(self.keys):
            if key.table is None:
                outputs += [f"key_{index}", "NULL"]
                continue
            alias = f"group_{index}"
            joins.append(
                f"LEFT JOIN {quote(key.table)} AS {alias} ON {alias}.{quote(key.id_column)} = ranked.key_{index}"
            )
            outputs.append(f"{alias}.{quote(key.value_column)}" if key.value_column else f"key_{index}")
            outputs.append(f"{alias}.{quote(key.label_column)}" if key.label_column else "NULL")
        sql = f"""
            SELECT facet, {", ".join(outputs)}, rows FROM (
                SELECT grouped.*, ROW_NUMBER() OVER (PARTITION BY facet ORDER BY rows DESC, {", ".join(keys)}) AS rank
                FROM ({" UNION ALL ".join(f"({scan})" for scan, _ in scans)}) AS grouped
            ) AS ranked
            {" ".join(joins)}
            WHERE rank <= {FACET_OPTIONS_SHOWN}
            ORDER BY facet, rank
        """
        return sql, [param for _, params in scans for param in params]

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
            value, label = columns[2 * facet], columns[2 * facet + 1]
            if value is not None:  # a group of rows without a value (no headquarters, no initiative)
                options[name].append((value, self.filterset.facet_label(name, value, label), rows))
        for name in self.names:
            options[name].sort(key=lambda option: -option[2])
        return FacetCounts(options, total)


def narrowing(filterset):
    """The names of the filters of the valid `filterset` that narrow its rows (a sort does not)."""
    return [
        name
        for name, value in filterset.form.cleaned_data.items()
        if is_chosen(value) and not isinstance(filterset.filters[name], filters.OrderingFilter)
    ]


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
    a cancelled statement raises TimeLimitExceeded. The block must only read.

    The limit is local to a transaction: behind a transaction-pooling PgBouncer a session-level SET would
    stay on the server connection and reach other clients' requests. Outside a transaction each statement
    goes with its own `SET LOCAL` in one query string, which PostgreSQL runs as one transaction: the limit
    costs no round trip and ends with the statement. Inside one, the block is a savepoint rolled back at
    its end, which ends the limit and leaves the enclosing transaction usable after a cancellation.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    setting = f"SET LOCAL statement_timeout = {int(milliseconds)}"
    try:
        if connection.in_atomic_block:
            with transaction.atomic(using=using):
                with connection.cursor() as cursor:
                    cursor.execute(setting)
                yield
                transaction.set_rollback(True, using=using)
        else:
            with connection.execute_wrapper(lambda execute, sql, *args: execute(f"{setting}; {sql}", *args)):
                yield
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == QUERY_CANCELED:
            raise TimeLimitExceeded from error
        raise
