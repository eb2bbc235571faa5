from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from .models import DataVersion, PendingImport
from .models.history import fold_citation_into_edit, record_citations, remember_version_of_edit
from .models.sources import Citation

# Neither is public data: a new version would empty the caches for nothing.
UNVERSIONED = (DataVersion, PendingImport)


def bump_data_version(sender, **kwargs):
    # History rows only accompany an edit of a record, which bumps the version itself.
    if sender._meta.app_label == "carriers" and sender not in UNVERSIONED and not issubclass(sender, HistoricalChanges):
        DataVersion.bump()


def connect():
    pre_create_historical_record.connect(record_citations, dispatch_uid="record-citations")
    post_create_historical_record.connect(remember_version_of_edit, dispatch_uid="remember-version-of-edit")
    for citation_model in Citation.__subclasses__():
        post_save.connect(fold_citation_into_edit, sender=citation_model, dispatch_uid=f"fold-{citation_model}")
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(bump_data_version, dispatch_uid=f"bump-data-version-{signal}")
