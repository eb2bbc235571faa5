from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from .dates import PartialDateAttribute, PartialDatesModel, precision_field
from .history import ChangeHistory
from .searching import ranked


class SourceQuerySet(models.QuerySet):
    def search(self, text):
        return self.filter(Q(title__icontains=text) | Q(publisher__icontains=text) | Q(url__icontains=text))

    def ranked_search(self, text):
        """Sources by title or publisher, best first."""
        return ranked(self, text, {"title": "A", "publisher": "B"})

    def public_list(self):
        """The public list's rows, related records and order: its page, its CSV and releases start here."""
        return self.order_by("title", "pk")


class Source(PartialDatesModel):
    key = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        help_text="The source's stable identifier in CSV files and imports. Left empty, it is made from the title; "
        "it never changes afterwards.",
    )
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField(
        "URL", max_length=500, blank=True, help_text="Leave empty for offline documents; never guess one."
    )
    offline = models.BooleanField(
        default=False, help_text="A document with no web address (print, a PDF received by mail): no URL expected."
    )
    published_on = models.DateField(null=True, blank=True, help_text="Leave empty when the source gives no date.")
    published_on_precision = precision_field()
    accessed_on = models.DateField(null=True, blank=True, help_text="When a researcher last read it.")
    archive_url = models.URLField("archive URL", max_length=500, blank=True)
    notes = models.TextField(blank=True)

    published = PartialDateAttribute("published_on")

    objects = SourceQuerySet.as_manager()
    history = ChangeHistory()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_url_unique",
                violation_error_message="A source with this URL is already recorded.",
            ),
            models.UniqueConstraint(
                fields=["title", "publisher"],
                name="source_title_unique_per_publisher",
                violation_error_message="This publisher already has a source with this title.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def clean(self):
        super().clean()
        if self.accessed_on and self.published_on and self.accessed_on < self.published_on:
            raise ValidationError({"accessed_on": "A source cannot be read before it was published."})

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = self.free_key(self.title)
        super().save(*args, **kwargs)

    @classmethod
    def free_key(cls, title):
        """A key made from `title` that no source has yet, numbered when needed."""
        base = key = slugify(title)[:90] or "source"
        number = 1
        while cls.objects.filter(key=key).exists():
            number += 1
            key = f"{base}-{number}"
        return key

    def get_absolute_url(self):
        return reverse("carriers:source-detail", args=[self.pk])


class Citation(models.Model):
    """Where a fact comes from. Each kind of fact has a concrete subclass with a `fact` key."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="%(class)ss")
    quote = models.TextField(blank=True, help_text="The words of the source that support the fact.")
    location = models.CharField(max_length=200, blank=True, help_text="Where in the source: page, paragraph, section.")
    note = models.CharField(
        max_length=500,
        blank=True,
        help_text="What the source states, in your words, where no short quote fits (e.g. the date it gives).",
    )

    history = ChangeHistory(inherit=True)

    class Meta:
        abstract = True
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fact", "source", "location"],
                name="%(class)s_unique",
                violation_error_message="This source is already cited at this location for this fact.",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.location}".strip()

    def clean(self):
        super().clean()
        if not self.quote.strip() and not self.note.strip():
            raise ValidationError("Give the source's words as the quote, or say in the note what it states.")
