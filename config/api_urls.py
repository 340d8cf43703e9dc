"""The REST API: /api/v1/ (one router over the apps' ``api.ROUTES``), the OpenAPI schema
at /api/schema/ and its interactive documentation at /api/docs/ (Swagger UI served from
static/vendor/, its script from our own origin: no CDN, no inline script)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from personnel import api as personnel_api
from reports import api as reports_api
from rotation import api as rotation_api


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
for prefix, viewset, basename in (*personnel_api.ROUTES, *rotation_api.ROUTES, *reports_api.ROUTES):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("api/v1/", include((router.urls, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema"),
        name="api_docs",
    ),
]
