"""Importing CSV files in the admin: preview, then confirm once; all rows or none, re-checked when written."""

import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from import_export.admin import ImportMixin
from import_export.forms import ImportForm

from .admin_history import ResearchAdmin
from .importing import DatabaseStorage, ImportGone, ResearchCSV, changed_since_preview, row_types
from .models import PendingImport


class SizeLimitedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.MAX_IMPORT_BYTES:
            raise ValidationError(
                f"The file is {upload.size:,} bytes; imports take at most {settings.MAX_IMPORT_BYTES:,}. "
                "Split it into smaller files."
            )
        return upload


class ImportableAdmin(ImportMixin, ResearchAdmin):
    """Accepts a file in the columns of the matching public CSV download, previewed before anything is written."""

    import_form_class = SizeLimitedImportForm
    formats = [ResearchCSV]
    tmp_storage_class = DatabaseStorage
    import_error_display = ("message",)

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, ValueError):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def import_action(self, request, **kwargs):
        started = time.monotonic()
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if "fields_list" in context and not context["fields_list"]:
            # django-import-export leaves the list of columns out when the file could not be read.
            context["fields_list"] = self.columns(request)
        confirm_form, result = context.get("confirm_form"), context.get("result")
        if confirm_form is not None and result is not None:
            # Remember what the preview showed, to tell the researcher what changed by the time they confirm.
            token = confirm_form.initial["import_file_name"]
            PendingImport.objects.filter(token=token).update(preview=row_types(result))
            messages.info(request, f"{lines(result)} checked in {time.monotonic() - started:.1f} s.")
        return response

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return super().process_import(request, **kwargs)
        started = time.monotonic()
        storage = DatabaseStorage(name=confirm_form.cleaned_data["import_file_name"])
        with transaction.atomic():
            # Locked, so that a second confirmation of the same file waits, then finds it gone.
            pending = PendingImport.objects.select_for_update().filter(token=storage.name).first()
            try:
                if pending is None:
                    raise ImportGone
                dataset = ResearchCSV().create_dataset(storage.read())
            except ImportGone:
                messages.error(
                    request,
                    "This file was already imported, or its preview is no longer available: nothing was written. "
                    "Upload the file again to see a new preview.",
                )
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
            result = self.process_dataset(dataset, confirm_form, request, rollback_on_validation_errors=True, **kwargs)
            if result.has_errors() or result.has_validation_errors():
                transaction.set_rollback(True)
                return self.refused(request, result, changed_since_preview(pending.preview, result))
            pending.delete()
        # A large file takes a while: the researcher sees how many lines went in, and how long it took.
        messages.info(request, f"{lines(result)} imported in {time.monotonic() - started:.1f} s.")
        return self.process_result(result, request)

    def refused(self, request, result, changes):
        """The import page again, saying that nothing was written and what changed since the preview."""
        messages.error(request, "Nothing was written: some lines can no longer be imported as the preview showed.")
        resource_classes = self.get_import_resource_classes(request)
        form = self.get_import_form_class(request)(self.get_import_formats(), resource_classes)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import",
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
            "fields_list": self.columns(request),
            "result": result,
            "changed_since_preview": changes,
            "import_error_display": self.import_error_display,
        }
        return TemplateResponse(request, [self.import_template_name], context)

    def columns(self, request):
        """(resource name, its columns) for the import page's list of the columns a file may have."""
        resources = [
            cls(**self.get_import_resource_kwargs(request)) for cls in self.get_import_resource_classes(request)
        ]
        return [
            (resource.get_display_name(), [field.column_name for field in resource.get_user_visible_fields()])
            for resource in resources
        ]


def lines(result):
    return f"{result.total_rows:,} line{'' if result.total_rows == 1 else 's'}"
