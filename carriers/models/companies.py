from django.db import models
from django.db.models import Exists, OuterRef, Q, TextField, Value
from django.db.models.functions import Concat, Lower
from django.urls import reverse

from ..kept import in_force as kept_in_force
from ..kept import labels as kept_labels
from ..kept import uses as kept_uses
from .aliases import AliasesField, AliasNames, Named
from .counting import subquery_count
from .countries import Country
from .dates import check_plausible_dates
from .history import ChangeHistory
from .searching import ranked


def equipment_in_use(on=None):
    """Equipment facts meaning that their carrier uses their vendor on `on`: see EquipmentUseQuerySet.in_use."""
    from .facts import EquipmentUse

    return EquipmentUse.objects.in_use(on)


def name_or_alias(text):
    """A name or any alias containing `text`, ignoring case."""
    return Q(name__icontains=text) | Q(alias_names__icontains=text)


class NamedQuerySet(models.QuerySet):
    def search(self, text):
        return self.alias(alias_names=AliasNames("aliases")).filter(name_or_alias(text))

    def ranked_search(self, text):
        """Records whose name or an alias matches `text` (on PostgreSQL, also words and near spellings), best first:
        a whole alias counts as much as the whole name."""
        names = AliasNames("aliases")
        annotations = {
            "alias_names": names,
            "alias_lines": Concat(Value("\n"), names, Value("\n"), output_field=TextField()),
        }
        exact = Q(name__iexact=text) | Q(alias_lines__icontains=f"\n{text}\n")
        return ranked(self, text, {"name": "A", "alias_names": "B"}, annotations=annotations, exact=exact)


class VendorQuerySet(NamedQuerySet):
    def targeted(self):
        """Vendors that at least one initiative targets."""
        return self.filter(Exists(self.model.targeting_initiatives.through.objects.filter(vendor=OuterRef("pk"))))

    def public_list(self):
        """The public list's rows, related records and order: its page, its CSV and releases start here."""
        return self.select_related("headquarters").prefetch_related("targeting_initiatives")


class Vendor(Named, models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in URLs and CSV files, e.g. huawei.")
    headquarters = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="headquartered_vendors"
    )
    aliases = AliasesField()

    objects = VendorQuerySet.as_manager()
    history = ChangeHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("carriers:vendor-detail", args=[self.slug])

    def footprint(self, on):
        """Per country, the carriers using this vendor on `on` and the equipment facts that make them so."""
        using = self._state.db or Vendor.objects.db
        if kept_uses.kept(using):
            return kept_uses.footprint(self.pk, on, using)
        return equipment_in_use(on).of_vendor(self).footprint_by_country()

    def count_equipment_in_force(self, on):
        """(this vendor's equipment facts, those in force on `on`): see EquipmentUseQuerySet.count_in_force."""
        using = self._state.db or Vendor.objects.db
        if kept_uses.kept(using):
            return kept_in_force.count(using, on, self.pk)
        return self.equipment_uses.count_in_force(on)


class CarrierQuerySet(NamedQuerySet):
    def in_country(self, *codes):
        return self.filter(country__in=codes)

    def using_vendor(self, *vendors, on=None):
        """Carriers using any of `vendors` (on `on`, when given): see `equipment_in_use`."""
        if kept_uses.kept(self.db):
            return self.filter(
                pk__in=kept_uses.carriers_using(on, vendors=[getattr(vendor, "pk", vendor) for vendor in vendors])
            )
        return self.filter(Exists(equipment_in_use(on).filter(carrier=OuterRef("pk"), vendor__in=vendors)))

    def using_targeted_vendor(self, on=None):
        """Carriers using a vendor that some initiative targets (on `on`, when given): see `equipment_in_use`.
        PostgreSQL keeps the facts in use with their whole periods (carriers.kept.uses)."""
        if kept_uses.kept(self.db):
            return self.filter(pk__in=kept_uses.carriers_using(on))
        return self.filter(Exists(equipment_in_use(on).filter(carrier=OuterRef("pk")).targeted()))

    def labelled(self, initiative=None, on=None):
        """Carriers labelled clean (by `initiative`, when given) on `on`. PostgreSQL keeps the labels with
        their carriers' countries and whole periods (carriers.kept.labels)."""
        from .facts import CleanLabel

        if kept_uses.kept(self.db):
            return self.filter(pk__in=kept_labels.carriers_labelled(on, getattr(initiative, "pk", initiative)))
        labels = CleanLabel.objects.filter(carrier=OuterRef("pk")).valid_on(on)
        if initiative is not None:
            labels = labels.filter(initiative=initiative)
        return self.filter(Exists(labels))

    def without_equipment(self):
        from .facts import EquipmentUse

        return self.filter(~Exists(EquipmentUse.objects.filter(carrier=OuterRef("pk"))))

    def with_summary(self, on=None):
        """Annotate counts of each carrier's equipment facts and clean labels (those in force on `on`, when given)."""
        from .facts import CleanLabel, EquipmentUse

        uses = EquipmentUse.objects.filter(carrier=OuterRef("pk")).valid_on(on)
        labels = CleanLabel.objects.filter(carrier=OuterRef("pk")).valid_on(on)
        return self.select_related("country").annotate(
            equipment_use_count=subquery_count(uses, "carrier"), label_count=subquery_count(labels, "carrier")
        )

    def public_list(self):
        """The public list's rows, related records and order: its page, its CSV and releases start here."""
        return self.with_summary().order_by("name", "pk")


class Carrier(Named, models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True, help_text="Used in URLs and CSV files, e.g. lg-uplus.")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="carriers")
    aliases = AliasesField()
    website = models.URLField(blank=True)
    subscribers = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Subscriber count, if a source states one; give its as-of date."
    )
    subscribers_as_of = models.DateField(null=True, blank=True)

    objects = CarrierQuerySet.as_manager()
    history = ChangeHistory()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="carrier_name")]
        constraints = [
            models.UniqueConstraint(
                "country",
                Lower("name"),
                name="carrier_name_unique_in_country",
                violation_error_message="A carrier with this name (ignoring case) is already recorded in this country.",
            ),
            models.CheckConstraint(
                condition=Q(subscribers__isnull=True, subscribers_as_of__isnull=True)
                | Q(subscribers__isnull=False, subscribers_as_of__isnull=False),
                name="carrier_subscribers_have_as_of_date",
                violation_error_message="Subscribers and subscribers as-of date go together: give both or neither.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("carriers:carrier-detail", args=[self.slug])

    def clean(self):
        super().clean()
        check_plausible_dates(self)
