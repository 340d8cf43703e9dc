"""Admin's "view on site" (``/admin/r/<content type>/<id>/``) under the scope policy.

Django's own shortcut redirects to any object's page for any staff login, telling
whether the id exists; this one redirects only when the object's model admin lets the
user see that object, and answers 404 otherwise.
"""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404


@staff_member_required
def scoped_view_on_site(request, content_type_id, object_id):
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except (ContentType.DoesNotExist, ValueError, OverflowError) as error:
        raise Http404 from error
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404
    try:
        obj = model_admin.get_queryset(request).filter(pk=object_id).first()
    except (ValidationError, ValueError, OverflowError) as error:
        raise Http404 from error
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)
