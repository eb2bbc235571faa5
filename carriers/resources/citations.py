"""Imports of citations with their quotes: one file for every kind of fact, each row naming its fact by key."""

from django.core.exceptions import ObjectDoesNotExist
from import_export import fields, widgets

from ..exports import KEY_SEPARATOR
from ..models import Source
from .base import TrackerResource
from .cells import natural_key
from .facts import (
    CleanLabelResource,
    CountryPositionResource,
    DeadlineResource,
    EquipmentUseResource,
    EventResource,
    RestrictionResource,
)


class FactKeyWidget(widgets.Widget):
    """A fact named by the cells of its identifying columns, joined by ' | ' (`kt | huawei | ran | 5g | 2019`)."""

    def __init__(self, fact_resource):
        super().__init__()
        self.fact_resource = fact_resource

    def clean(self, value, row=None, **kwargs):
        resource = self.fact_resource()
        columns = resource.get_import_id_fields()
        cells = [cell.strip() for cell in (value or "").split(KEY_SEPARATOR)]
        if len(cells) != len(columns):
            raise ValueError(f"“{value}” does not name a fact: give {KEY_SEPARATOR.join(columns)}.")
        key_row = dict(zip(columns, cells, strict=True))
        lookup = {resource.fields[column].attribute: resource.fields[column].clean(key_row) for column in columns}
        model = resource._meta.model
        try:
            return model.objects.get(**lookup)
        except ObjectDoesNotExist as error:
            raise ValueError(f"No {model._meta.verbose_name} “{value}”: import its file first.") from error


def citation_resource(fact_resource):
    """The import of one kind of fact's citations: matched on fact, source and location."""
    citation_model = fact_resource._meta.model._meta.get_field("citations").related_model

    class CitationResource(TrackerResource):
        fact = fields.Field(attribute="fact", column_name="fact", widget=FactKeyWidget(fact_resource))
        source = natural_key("source", Source, "key")

        class Meta(TrackerResource.Meta):
            model = citation_model
            fields = ["fact", "source", "quote", "location", "note"]
            import_id_fields = ["fact", "source", "location"]

        def get_instance(self, instance_loader, row):
            found = super().get_instance(instance_loader, row)
            if found is not None:
                return found
            # Importing a fact cites each source its `sources` cell names, with no words yet: the first quote fills it.
            try:
                fact, source = self.fields["fact"].clean(row), self.fields["source"].clean(row)
            except ValueError:
                return None
            bare = citation_model.objects.filter(fact=fact, source=source, quote="", note="", location="")
            return bare.first()

    CitationResource.__name__ = f"{citation_model.__name__}Resource"
    return CitationResource


# citations.csv names each row's kind of fact in `fact_type`, by the name of the fact's own file.
CITATION_RESOURCES = {
    "equipment": citation_resource(EquipmentUseResource),
    "labels": citation_resource(CleanLabelResource),
    "positions": citation_resource(CountryPositionResource),
    "events": citation_resource(EventResource),
    "restrictions": citation_resource(RestrictionResource),
    "deadlines": citation_resource(DeadlineResource),
}
