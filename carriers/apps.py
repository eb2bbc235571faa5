from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CarriersConfig(AppConfig):
    name = "carriers"
    verbose_name = "Carriers and vendors"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
        post_migrate.connect(keep_export_rows, sender=self)


def keep_export_rows(using, **kwargs):
    """PostgreSQL's kept CSV rows follow the export's columns as the code defines them (carriers.keptrows)."""
    from .exports import EQUIPMENT_USES

    EQUIPMENT_USES.kept.install(EQUIPMENT_USES, using)
