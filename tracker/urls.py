from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView, TemplateView

from carriers import admin_views

admin.site.site_header = "Vendor-exposure tracker: research admin"
admin.site.site_title = "Vendor-exposure tracker admin"

urlpatterns = [
    path("admin/quality/", admin_views.quality_report, name="quality-report"),
    path("admin/deleted/", admin_views.deleted_records, name="deleted-records"),
    path(
        "admin/deleted/<str:model_name>/<int:history_id>/restore/",
        admin_views.restore_record,
        name="restore-record",
    ),
    path("admin/", admin.site.urls),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    # Browsers ask for /favicon.ico whatever the page links; not permanent, as the static URL changes with the file.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"))),
    path("api/v1/", include("carriers.api.urls")),
    path("", include("carriers.urls")),
]
