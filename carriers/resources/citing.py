"""The citations of the facts an import adds, written together once every line is through: one insert of
citations, one of their versions and one update of the facts' versions per batch, instead of a few queries per
line. Each fact's new version holds its citations, as saving them one by one within its line would leave it."""

from ..models.history import CitedVersion, snapshot_of, version_of_this_edit

BATCH_SIZE = 1000


class NewCitations:
    def __init__(self):
        self.facts = []  # (fact, the version its line recorded, its citations)
        self.pending = None  # the fact of the line being imported, until that line is through

    def cite(self, fact, user):
        """Cite a fact's sources when its line is through (a line that fails leaves nothing to cite)."""
        self.pending = (fact, version_of_this_edit(fact), citations_of(fact, user))

    def line_through(self):
        if self.pending:
            self.facts.append(self.pending)
        self.pending = None

    def write(self):
        for start in range(0, len(self.facts), BATCH_SIZE):
            self.write_batch(self.facts[start : start + BATCH_SIZE])
        self.facts = []

    @staticmethod
    def write_batch(facts):
        insert_citations([citation for _, _, citations in facts for citation in citations])
        versions = []
        for _, version, citations in facts:
            if isinstance(version, CitedVersion):
                version.citations = snapshot_of(citations)
                versions.append(version)
        if versions:
            type(versions[0]).objects.bulk_update(versions, ["citations"])


def check_cited_once(fact):
    keys = [source.pk for source in fact.sources]
    if len(set(keys)) < len(keys):
        raise ValueError("The sources column names the same source twice.")


def citations_of(fact, user):
    """A new fact's citations, not yet saved: one of each source its line names, recorded under `user`."""
    check_cited_once(fact)
    citations = [type(fact).citations.field.model(fact=fact, source=source) for source in fact.sources]
    for citation in citations:
        citation._history_user = user
    fact.cited_on_adding = True
    return citations


def bare_snapshot(fact):
    """snapshot_of the citations a new fact's line gives it (each source, no location, quote or note), unmade."""
    return snapshot_of(BareCitation(source) for source in fact.sources)


class BareCitation:
    location = quote = note = ""

    def __init__(self, source):
        self.source = source


def insert_citations(citations):
    """Insert citations, and a version of each: two queries, whatever their number."""
    if citations:
        model = type(citations[0])
        created = model.objects.bulk_create(citations)
        model.history.bulk_history_create(created, default_change_reason=None)
