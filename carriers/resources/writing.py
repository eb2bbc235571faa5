"""Writing a file of new facts (resources.adding) as the line-by-line import leaves them: each fact with a
version holding its citations, each citation with a version of its own; a fact given its last change keeps that
moment, and its version the moment of the import. By COPY on PostgreSQL, by bulk_create elsewhere."""

from itertools import groupby

from django.db import connection
from django.utils import timezone

from ..copying import copy_rows, new_ids
from .citing import BATCH_SIZE, bare_snapshot, citations_of, insert_citations

# What django-simple-history records of a new record, after the record's own fields.
VERSION_FIELDS = ["history_date", "history_type", "history_user_id", "history_change_reason"]


def write_new_facts(facts):
    for fact in facts:
        fact.normalise_partial_dates()  # as saving one does
        fact.cited_on_adding = True  # its citations are its line's sources (CitedSourcesField.get_value)
    (copy_new_facts if connection.vendor == "postgresql" else create_new_facts)(facts)


def copy_new_facts(facts):
    model = type(facts[0])
    numbers = iter(new_ids(model, sum(fact.pk is None for fact in facts)))
    for fact in facts:
        if fact.pk is None:
            fact.pk = next(numbers)
    fields = model._meta.concrete_fields
    copy_rows(model, [field.attname for field in fields], map(fact_row(fields), facts))
    versions = model.history.model  # the history manager is built anew each time it is read
    tracked = [field.attname for field in versions.tracked_fields]
    copy_rows(
        versions,
        [*tracked, *VERSION_FIELDS, "citations"],
        ([*(getattr(fact, name) for name in tracked), *recorded(fact), bare_snapshot(fact)] for fact in facts),
    )
    # Bare citations (no location, quote or note), one of each source a line names.
    citations = model.citations.field.model
    cited = [(fact, source) for fact in facts for source in fact.sources]
    numbers = new_ids(citations, len(cited))
    rows = [(number, fact.pk, source.pk, "", "", "") for number, (fact, source) in zip(numbers, cited, strict=True)]
    columns = ["id", "fact_id", "source_id", "location", "quote", "note"]
    copy_rows(citations, columns, rows)
    copy_rows(
        citations.history.model,
        [*columns, *VERSION_FIELDS],
        ([*row, *recorded(fact)] for row, (fact, _) in zip(rows, cited, strict=True)),
    )


def fact_row(fields):
    def row(fact):
        values = {field.attname: field.pre_save(fact, True) for field in fields}  # as saving it would set them
        values["updated_at"] = getattr(fact, "_last_changed", None) or values["updated_at"]
        return values.values()

    return row


def recorded(record):
    """What django-simple-history records with a version of a record it adds (the VERSION_FIELDS)."""
    return [timezone.now(), "+", getattr(getattr(record, "_history_user", None), "pk", None), None]


def create_new_facts(facts):
    model = type(facts[0])
    versions = model.history.model  # the history manager is built anew each time it is read
    for start in range(0, len(facts), BATCH_SIZE):
        batch = facts[start : start + BATCH_SIZE]
        # Lines giving an id and lines without, in file order: new ids are handed out as line by line.
        for _, run in groupby(batch, key=lambda fact: fact.pk is None):
            model.objects.bulk_create(list(run))
        versions.objects.bulk_create(
            [
                versions(
                    **{field.attname: getattr(fact, field.attname) for field in versions.tracked_fields},
                    **dict(zip(VERSION_FIELDS, recorded(fact), strict=True)),
                    citations=bare_snapshot(fact),
                )
                for fact in batch
            ]
        )
    kept = [fact for fact in facts if getattr(fact, "_last_changed", None)]
    for fact in kept:
        fact.updated_at = fact._last_changed
    model.objects.bulk_update(kept, ["updated_at"], batch_size=BATCH_SIZE)
    citations = [citation for fact in facts for citation in citations_of(fact, getattr(fact, "_history_user", None))]
    for start in range(0, len(citations), BATCH_SIZE):
        insert_citations(citations[start : start + BATCH_SIZE])
