"""Files that only add facts, imported together: each line checked as on its own, then the facts, their citations
and the versions of both inserted together (resources.writing), rather than with a savepoint, a few checks and a
few inserts a line.

The checks that would ask the database about each line (a fact's uniqueness and its check constraints) are left
to the database's own constraints, which are the same conditions. Should any line have a problem, or the database
refuse an insert, nothing is kept and the file is imported line by line (FactResource), which reports every
problem with its line as it always has.
"""

from collections import OrderedDict

from django.db import transaction
from import_export.results import RowResult

from .citing import check_cited_once
from .writing import write_new_facts


def import_new_facts(resource, dataset, dry_run, **kwargs):
    """The import's result, or None if the file is not all new facts without a problem (nothing is then written)."""
    kwargs.update(dry_run=dry_run, using_transactions=True)  # as import-export tells each line
    try:
        with transaction.atomic():
            facts = new_facts(resource, dataset, **kwargs)
            if facts is None:
                return None
            write_new_facts(facts)
    except Exception:  # a problem, or a constraint, that the line-by-line import reports with its line
        if kwargs.get("progress") is not None:
            kwargs["progress"].reset()
        return None
    result = resource.get_result_class()()
    result.diff_headers = resource.get_diff_headers()
    result.total_rows = len(dataset)
    for fact in facts:
        row_result = resource.get_row_result_class()()
        row_result.import_type = RowResult.IMPORT_TYPE_NEW
        row_result.object_id = fact.pk  # (import-export's object_repr only serves admin logs before Django 5.1)
        if resource._meta.store_instance or kwargs.get("retain_instance_in_row_result"):
            row_result.instance = fact
        if dry_run:  # the preview shows each line's values
            diff = resource.get_diff_class()(resource, resource.init_instance(), True)
            diff.compare_with(resource, fact)
            row_result.diff = diff.as_html()
        result.increment_row_result_total(row_result)
        result.append_row_result(row_result)
    resource.after_import(dataset, result, **kwargs)
    return result


def new_facts(resource, dataset, progress=None, **kwargs):
    """Every line's fact, not saved; None unless every line adds a fact and passes the checks made line by line."""
    resource.before_import(dataset, progress=progress, **kwargs)
    loader = resource._meta.instance_loader_class(resource, dataset)
    if not len(dataset) or resource.repeats or not loader.names_only_new_records():
        return None
    facts = []
    for number, cells in enumerate(dataset, start=1):
        row = OrderedDict(zip(dataset.headers, cells, strict=True))
        resource.before_import_row(row, row_number=number, **kwargs)
        fact = resource.init_instance(row)
        resource.import_instance(fact, row, **kwargs)
        resource.before_save_instance(fact, row, **kwargs)
        facts.append(fact)
    resource.checks.find_related(facts)
    for fact in facts:
        resource.checks.full_clean(fact, set(), validate_unique=False, validate_constraints=False)
        check_cited_once(fact)
        if progress is not None:
            progress.update()
    return facts
