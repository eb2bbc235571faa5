from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CarriersConfig(AppConfig):
    name = "carriers"
    verbose_name = "Carriers and vendors"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
        post_migrate.connect(keep_equipment_list, sender=self)


def keep_equipment_list(using, **kwargs):
    """What PostgreSQL keeps for the equipment list (carriers.kept) follows the code's definitions: the
    export's columns, the FilterSet's facets."""
    from .exports import EQUIPMENT_USES
    from .filters import EquipmentUseFilter

    EQUIPMENT_USES.kept.install(EQUIPMENT_USES, using)
    EquipmentUseFilter.kept_counts.install(EquipmentUseFilter, using)
