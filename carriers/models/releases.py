"""Numbered, immutable releases of the public CSVs: the row is the ledger, the zip lives in RELEASES_DIR."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Release(models.Model):
    number = models.PositiveIntegerField(
        unique=True, help_text="1, 2, 3…: given once, in the transaction that writes the zip, never reused."
    )
    created_at = models.DateTimeField()
    size = models.PositiveBigIntegerField(help_text="The zip's size in bytes.")
    sha256 = models.CharField("SHA-256", max_length=64, help_text="The zip's SHA-256, hex.")
    tables = models.JSONField(
        default=dict, help_text="Per CSV file: its title, row count, size in bytes and SHA-256, in package order."
    )
    previous = models.PositiveIntegerField(null=True, blank=True, help_text="The release the changelog compares to.")
    changelog = models.JSONField(
        default=dict, help_text="Per table: keys of the rows added and removed, and of changed rows with their columns."
    )

    class Meta:
        ordering = ["-number"]
        constraints = [models.CheckConstraint(condition=models.Q(number__gte=1), name="release_number_positive")]

    def __str__(self):
        return f"Release {self.number}"

    def get_absolute_url(self):
        return reverse("carriers:release-detail", args=[self.number])

    @property
    def file_name(self):
        return f"release-{self.number}.zip"

    @property
    def path(self):
        return settings.RELEASES_DIR / self.file_name

    @property
    def rows(self):
        return sum(table["rows"] for table in self.tables.values())
