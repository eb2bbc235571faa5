"""The public list of citations: every quote behind every fact, whatever its kind, as one list."""

from django.db import models
from django.db.models import Q

from .facts import CleanLabel, CountryPosition, EquipmentUse, Event
from .restrictions import Deadline, Restriction
from .sources import Source

# Lists in a CSV cell, and a fact's identifying cells in citations.csv (`kt | huawei | ran | 5g | 2019`), are
# joined with this. Identifiers (codes, slugs, source keys) never contain it, so a cell splits back exactly.
KEY_SEPARATOR = " | "


class FactType(models.TextChoices):
    """Each kind of fact, by the name of its public list (and CSV file)."""

    EQUIPMENT = "equipment", "Equipment use"
    LABELS = "labels", "Clean label"
    POSITIONS = "positions", "Country position"
    EVENTS = "events", "Event"
    RESTRICTIONS = "restrictions", "Restriction"
    DEADLINES = "deadlines", "Deadline"


def iso(partial_date):
    return partial_date.isoformat() if partial_date else ""


# Per kind of fact: the entry's field holding it, the related records its key reads, and its identifying cells
# (the import's `import_id_fields`, in their order).
FACTS = {
    FactType.EQUIPMENT: (
        "equipment_use",
        ["carrier", "vendor"],
        lambda use: [use.carrier.slug, use.vendor.slug, use.segment, use.technology, iso(use.valid_from_date)],
    ),
    FactType.LABELS: (
        "clean_label",
        ["carrier", "initiative"],
        lambda label: [
            label.carrier.slug,
            label.initiative.slug,
            label.scope_segment,
            label.scope_technology,
            iso(label.awarded),
        ],
    ),
    FactType.POSITIONS: (
        "position",
        ["country", "initiative"],
        lambda position: [position.country_id, position.initiative.slug, position.stance, iso(position.stated)],
    ),
    FactType.EVENTS: ("event", [], lambda event: [event.slug]),
    FactType.RESTRICTIONS: ("restriction", [], lambda restriction: [restriction.slug]),
    FactType.DEADLINES: (
        "deadline",
        ["restriction"],
        lambda deadline: [deadline.restriction.slug, iso(deadline.due_date), deadline.description],
    ),
}


class CitationEntryQuerySet(models.QuerySet):
    def public_list(self):
        """Every citation with its fact and source, by kind of fact, fact and source: an order a re-import keeps."""
        related = [f"{field}__{path}" for field, paths, _ in FACTS.values() for path in paths]
        return self.select_related("source", *[field for field, _, _ in FACTS.values()], *related).order_by(
            "fact_type", "fact_id", "source__key", "location"
        )

    def of_fact_types(self, *fact_types):
        return self.filter(fact_type__in=fact_types)

    def search(self, text):
        return self.filter(Q(quote__icontains=text) | Q(note__icontains=text))


def fact_link(fact_type, model):
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        help_text=f"The {FactType(fact_type).label.lower()} cited, when it is one.",
    )


class CitationEntry(models.Model):
    """A citation of a fact of any kind, read from the database view `carriers_citationentry`.

    The view (migration 0014) is the union of the six citation tables; a change to their columns, or a new
    kind of fact, needs the view re-created in the same migration.
    """

    uid = models.CharField(primary_key=True, max_length=40, help_text="Kind of fact and citation id: equipment-17.")
    fact_type = models.CharField(max_length=20, choices=FactType.choices)
    fact_id = models.IntegerField()
    source = models.ForeignKey(Source, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    quote = models.TextField()
    location = models.CharField(max_length=200)
    note = models.CharField(max_length=500)
    equipment_use = fact_link(FactType.EQUIPMENT, EquipmentUse)
    clean_label = fact_link(FactType.LABELS, CleanLabel)
    position = fact_link(FactType.POSITIONS, CountryPosition)
    event = fact_link(FactType.EVENTS, Event)
    restriction = fact_link(FactType.RESTRICTIONS, Restriction)
    deadline = fact_link(FactType.DEADLINES, Deadline)

    objects = CitationEntryQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "carriers_citationentry"
        verbose_name = "citation"
        verbose_name_plural = "citations"

    def __str__(self):
        return f"{self.get_fact_type_display()} {self.fact_id}: {self.source} {self.location}".strip()

    @property
    def fact(self):
        return getattr(self, FACTS[self.fact_type][0])

    @property
    def fact_key(self):
        """The fact's identifying cells joined by ' | ', as citations.csv and its import name the fact."""
        return KEY_SEPARATOR.join(FACTS[self.fact_type][2](self.fact))
