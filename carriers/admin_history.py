"""Edit history in the admin: every record keeps its versions; reverting is for those who may delete."""

from django.core.exceptions import PermissionDenied
from django.db import models
from simple_history.admin import SimpleHistoryAdmin


class ResearchAdmin(SimpleHistoryAdmin):
    """Every record keeps its edit history; reverting to an old version is for those who may delete."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def revert_disabled(self, request, obj=None):
        return not self.has_delete_permission(request, obj) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
