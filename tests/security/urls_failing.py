"""The site's URLs plus one view that fails, to see the 500 page."""

from django.urls import path

from config.urls import handler403  # noqa: F401 - the site's 403 page here too
from config.urls import urlpatterns as site_urlpatterns


def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("failing/", failing_view), *site_urlpatterns]
