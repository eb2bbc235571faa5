"""The citations of the facts an import adds, written together once every line is through: one insert of
citations, one of their versions and one update of the facts' versions per batch, instead of a few queries per
line. Each fact's new version holds its citations, as saving them one by one within its line would leave it."""

from ..models.history import CitedVersion, snapshot_of, version_of_this_edit

BATCH_SIZE = 1000


class NewCitations:
    def __init__(self):
        self.facts = []  # (fact, the version its line recorded, the user)
        self.pending = None  # the fact of the line being imported, until that line is through

    def cite(self, fact, user):
        """Cite a fact's sources when its line is through (a line that fails leaves nothing to cite)."""
        keys = [source.pk for source in fact.sources]
        if len(set(keys)) < len(keys):
            raise ValueError("The sources column names the same source twice.")
        self.pending = (fact, version_of_this_edit(fact), user)
        fact.cited_on_adding = True

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
        model = facts[0][0].citations.model
        cited = [[model(fact=fact, source=source) for source in fact.sources] for fact, _, _ in facts]
        for (_, _, user), citations in zip(facts, cited, strict=True):
            for citation in citations:
                citation._history_user = user
        created = model.objects.bulk_create([citation for citations in cited for citation in citations])
        model.history.bulk_history_create(created, default_change_reason=None)
        versions = []
        for (_, version, _), citations in zip(facts, cited, strict=True):
            if isinstance(version, CitedVersion):
                version.citations = snapshot_of(citations)
                versions.append(version)
        if versions:
            type(versions[0]).objects.bulk_update(versions, ["citations"])
