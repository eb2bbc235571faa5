"""History signals: a version records its citations, and links and citations saved with an edit join its version.

The data version needs no signal: database triggers bump it (carriers.models.versions).
"""

from django.db.models.signals import post_save
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from .models.history import fold_citation_into_edit, record_citations, remember_version_of_edit
from .models.sources import Citation


def connect():
    pre_create_historical_record.connect(record_citations, dispatch_uid="record-citations")
    post_create_historical_record.connect(remember_version_of_edit, dispatch_uid="remember-version-of-edit")
    for citation_model in Citation.__subclasses__():
        post_save.connect(fold_citation_into_edit, sender=citation_model, dispatch_uid=f"fold-{citation_model}")
