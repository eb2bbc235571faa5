from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CarriersConfig(AppConfig):
    name = "carriers"
    verbose_name = "Carriers and vendors"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
        post_migrate.connect(install_kept_tables, sender=self)


def install_kept_tables(using, **kwargs):
    """What PostgreSQL keeps ready (carriers.kept) follows the code's definitions: the export's columns,
    the FilterSet's facets, and what makes a carrier use a targeted vendor, a fact in force and a carrier
    labelled clean."""
    from .exports import EQUIPMENT_USES
    from .filters import EquipmentUseFilter
    from .kept import in_force, labels, uses

    EQUIPMENT_USES.kept.install(EQUIPMENT_USES, using)
    EquipmentUseFilter.kept_counts.install(EquipmentUseFilter, using)
    uses.keep(using)
    in_force.keep(using)
    labels.keep(using)
