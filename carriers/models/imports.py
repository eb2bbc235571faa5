from django.db import models


class PendingImport(models.Model):
    """An uploaded file between its preview and its confirmation, kept in the database so that any app
    server can confirm it, and confirmed at most once (the row goes when the import is written)."""

    token = models.CharField(max_length=32, unique=True)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    # What the preview showed, row by row, to tell the researcher what changed by the time they confirm.
    preview = models.JSONField(default=dict)

    def __str__(self):
        return f"Import {self.token} ({self.created_at:%Y-%m-%d %H:%M})"
