from django.db import models
from django.db.models import F


class DataVersion(models.Model):
    """A counter bumped by every edit, in the edit's own transaction.

    Results that are costly at scale are cached under the current number, so no process
    ever serves a result computed before the latest committed edit.
    """

    number = models.BigIntegerField(default=0)

    def __str__(self):
        return f"data version {self.number}"

    @classmethod
    def current(cls):
        return cls.objects.values_list("number", flat=True).first() or 0

    @classmethod
    def bump(cls):
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.update_or_create(pk=1, defaults={"number": 1})
