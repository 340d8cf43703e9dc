from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Hệ thống quản lý luân chuyển cán bộ")
admin.site.site_title = _("Luân chuyển cán bộ")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("personnel.urls")),
    path("", include("rotation.urls")),
    path("", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
