from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Vendor-exposure tracker: research admin"
admin.site.site_title = "Vendor-exposure tracker admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("carriers.urls")),
]
