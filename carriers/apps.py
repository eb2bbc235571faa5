from django.apps import AppConfig


class CarriersConfig(AppConfig):
    name = "carriers"
    verbose_name = "Carriers and vendors"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
