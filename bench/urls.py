"""The project's URLs and ``/bench/minimal/``: 25 officials of the user's scope, with their
unit, through the same middleware (session, login, scope) and nothing else: what any list
page costs at least on this server."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from personnel.models import Official

TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>25</title><table>{% for o in officials %}"
    "<tr><td>{{ o.code }}</td><td>{{ o.full_name }}</td><td>{{ o.date_of_birth|date:'d/m/Y' }}"
    "</td><td>{{ o.current_unit.name }}</td></tr>{% endfor %}</table>"
)


@login_required
def minimal_list(request):
    officials = (
        Official.objects.for_user(request.user)
        .select_related("current_unit")
        .order_by("search_key", "id")[:25]  # the list's own order
    )
    return HttpResponse(TEMPLATE.render({"officials": officials}, request))


urlpatterns = [path("bench/minimal/", minimal_list), *project_urlpatterns]
