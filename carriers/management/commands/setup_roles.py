"""Create or update the two staff roles. Safe to run again: it sets each group's permissions anew."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from carriers.history import tracked_models

# Reference records researchers may look at but not change; everything else in the app they add and change.
REFERENCE_MODELS = {"country", "vendor", "initiative"}


def carriers_permissions():
    names = {model._meta.model_name for model in tracked_models()}
    return Permission.objects.filter(content_type__app_label="carriers", content_type__model__in=names)


def researcher_permissions():
    permissions = carriers_permissions()
    may_edit = permissions.exclude(content_type__model__in=REFERENCE_MODELS).filter(
        codename__regex=r"^(add|change|view)_"
    )
    may_view = permissions.filter(content_type__model__in=REFERENCE_MODELS, codename__startswith="view_")
    return may_edit | may_view


def release_permissions():
    """Editors make the numbered releases that papers cite."""
    return Permission.objects.filter(content_type__app_label="carriers", codename="add_release")


class Command(BaseCommand):
    help = "Create the Researcher (add and change, no deletes) and Editor (everything, incl. deletes) groups."

    def handle(self, *args, **options):
        roles = {"Researcher": researcher_permissions(), "Editor": carriers_permissions() | release_permissions()}
        for name, permissions in roles.items():
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.set(permissions)
            self.stdout.write(f"{name}: {permissions.count()} permissions.")
