"""Ranked text search over a few fields of a model: full text and trigram similarity on PostgreSQL, names
containing the text elsewhere. The records' QuerySets expose it as `ranked_search(text)`."""

import functools
import operator

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramStrictWordSimilarity
from django.db import connections
from django.db.models import Case, FloatField, Q, Value, When
from django.db.models.functions import Greatest

# Below this trigram similarity a spelling is too far off to be the same word ("Hauwei" to "Huawei" is 0.27,
# "Reuters" to "Rogers" 0.25).
SIMILAR = 0.26


def ranked(queryset, text, weights, annotations=None, exact=None):
    """`queryset`'s records matching `text` in any of the `weights` fields (field: "A" to "D"), best first.

    `exact` (a whole name by default) ranks above everything else; then names starting with the text, then
    the text found anywhere; PostgreSQL adds the full-text rank and the trigram similarity of the text.
    """
    fields = list(weights)
    queryset = queryset.alias(**(annotations or {}))
    contains = functools.reduce(operator.or_, (Q(**{f"{field}__icontains": text}) for field in fields))
    score = Case(
        When(exact or Q(**{f"{fields[0]}__iexact": text}), then=Value(3.0)),
        When(**{f"{fields[0]}__istartswith": text}, then=Value(2.0)),
        When(contains, then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    if connections[queryset.db].vendor != "postgresql":
        matches = queryset.filter(contains)
    else:
        document = functools.reduce(
            operator.add, (SearchVector(field, weight=weight, config="simple") for field, weight in weights.items())
        )
        query = SearchQuery(text, search_type="websearch", config="simple")
        # The closest whole word or words: a short word's first letters alone ("Re" of "Reuters") are not enough.
        similarity = Greatest(*(TrigramStrictWordSimilarity(text, field) for field in fields), Value(0.0))
        matches = queryset.alias(search_document=document, search_similarity=similarity).filter(
            Q(search_document=query) | contains | Q(search_similarity__gte=SIMILAR)
        )
        score = score + SearchRank(document, query) + similarity
    return matches.annotate(search_rank=score).order_by("-search_rank", fields[0], "pk")
