from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.admin_views import scoped_view_on_site
from accounts.views import set_language

admin.site.site_header = _("Hệ thống quản lý luân chuyển cán bộ")
admin.site.site_title = _("Luân chuyển cán bộ")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("personnel.urls")),
    path("", include("rotation.urls")),
    path("", include("reports.urls")),
    path("", include("config.api_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    # Ahead of admin's own "view on site", which ignores the scope.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        scoped_view_on_site,
        name="admin_view_on_site_scoped",
    ),
    path("admin/", admin.site.urls),
]

# 400, 404 and 500 are Django's own views rendering templates/<code>.html; 403 names the
# role a refused action needs.
handler403 = "accounts.views.permission_denied"
