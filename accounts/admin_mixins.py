"""Admin support for scoped records: staff who are not superusers see their subtree only.

Every door of Django admin goes through the model admin's ``get_queryset``: the
changelist, the change, delete and history pages, actions and autocompletes. The
history pages of django-simple-history do not by themselves (they read the history
table directly and revert without a change-permission check), so ``ScopedHistoryAdmin``
puts them behind the same scope and permissions as the change page.
"""

import copy

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from config.admin_display import WordsHistoryContextHelper
from config.forms import add_service_error
from config.ids import is_id

from .audit import audit_record
from .models import AuditEvent


def scoped_queryset(queryset: QuerySet, user) -> QuerySet:
    """``queryset.for_user(user)`` when the model is scoped, else the queryset unchanged."""
    for_user = getattr(queryset, "for_user", None)
    return for_user(user) if for_user is not None else queryset


class ScopedForeignKeyMixin:
    """Foreign-key choices (selects and autocompletes) limited to the user's scope."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            related = db_field.remote_field.model._default_manager.all()
            if hasattr(related, "for_user"):
                kwargs["queryset"] = related.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NotFoundAdminMixin:
    """An id the user cannot reach answers 404, as on the staff pages (Django admin would
    redirect to its index with "perhaps it was deleted")."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404


class ScopedAdminMixin(NotFoundAdminMixin, ScopedForeignKeyMixin):
    """Changelist and change pages limited to the user's scope; out-of-scope ids are 404."""

    def get_queryset(self, request):
        return scoped_queryset(super().get_queryset(request), request.user)


class AuditedChangeViewMixin:
    """Opening a record's admin page is a read of personal data: it leaves an audit row."""

    audit_action = AuditEvent.Action.VIEW_PROFILE

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            audit_record(
                user=request.user,
                action=self.audit_action,
                object_type=self.model._meta.label,
                object_id=unquote(object_id),
                detail="admin",
            )
        return response


class ScopedHistoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """History pages under the change page's rules.

    - The object must be reachable through ``get_queryset`` (the user's scope): 404
      otherwise, whether or not it exists. The history of a deleted record is for
      superusers only, since its scope can no longer be told.
    - Reading history needs view permission on that object; reverting needs change
      permission on it, and is saved through ``save_model`` like any change.
    - Each page shown leaves an audit row.
    - The changes are listed in words (``WordsHistoryContextHelper``), an empty value as
      "—", and a version's breadcrumbs name the application as other admin pages do.
    """

    object_history_list_template = "admin/simple_history/object_history_list.html"
    object_history_form_template = "admin/simple_history/object_history_form.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return WordsHistoryContextHelper(self.model, historical_record)

    def _scoped_object_or_404(self, request, object_id):
        object_id = unquote(object_id)
        try:
            return self.get_queryset(request).get(pk=object_id)
        except (self.model.DoesNotExist, ValidationError, ValueError, TypeError) as error:
            raise Http404 from error

    def has_view_history_permission(self, request, obj=None):
        return self.has_view_or_change_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        if not request.user.is_superuser:
            obj = self._scoped_object_or_404(request, object_id)
            if not self.has_view_history_permission(request, obj):
                raise PermissionDenied
        response = super().history_view(request, object_id, extra_context)
        self._audit_history(request, object_id, "history")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._scoped_object_or_404(request, object_id)
        if not self.has_view_history_permission(request, obj):
            raise PermissionDenied
        pk_name = self.model._meta.pk.attname
        if not (
            is_id(version_id)
            and self.model.history.filter(**{pk_name: obj.pk, "history_id": version_id}).exists()
        ):
            raise Http404
        if request.method == "POST" and not self.has_change_history_permission(request, obj):
            raise PermissionDenied
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "GET":
            self._audit_history(request, object_id, f"history version {version_id}")
        return response

    def _audit_history(self, request, object_id, detail):
        audit_record(
            user=request.user,
            action=AuditEvent.Action.VIEW_HISTORY,
            object_type=self.model._meta.label,
            object_id=unquote(object_id),
            detail=f"admin {detail}",
        )


class _DryRun(Exception):
    """Rolls back a service run made only to validate an admin form."""


class ServiceWriteAdminMixin:
    """Admin writes go through the app's services, like every other door.

    A model admin names its write in ``service_save(request, obj, form, change)`` (and its
    deletion in ``service_delete``). The form is validated by running that same service
    in a transaction rolled back at once (nothing is written, no email leaves: on-commit
    work is discarded), so a refusal shows on the form with the service's own message;
    saving then runs it for real. Nothing in admin writes a row the services would refuse.
    """

    def service_save(self, request, obj, form, change):
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceCheckedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self._errors:
                    return  # the form's own errors first
                _dry_run(
                    self,
                    lambda: model_admin.service_save(
                        request, copy.copy(self.instance), self, self.instance.pk is not None
                    ),
                )

        ServiceCheckedForm.__name__ = form_class.__name__
        return ServiceCheckedForm

    def save_model(self, request, obj, form, change):
        saved = self.service_save(request, obj, form, change)
        if saved is not None and saved is not obj:
            obj.pk, obj._state.adding = saved.pk, False

    def save_formset(self, request, form, formset, change):
        inline = getattr(formset, "service_inline", None)
        if inline is not None:
            return inline.save_rows(request, formset)
        return super().save_formset(request, form, formset, change)


def _dry_run(form, write) -> None:
    """Run ``write`` in a transaction rolled back at once; its refusal goes on ``form``."""
    try:
        with transaction.atomic():
            write()
            raise _DryRun
    except _DryRun:
        pass
    except (ValidationError, PermissionDenied) as error:
        add_service_error(form, error)


class ServiceWriteInlineMixin:
    """The rows of an inline written through a service, one row at a time.

    The inline names the write of one row in ``service_save_row(request, form)``; each
    changed row's form dry-runs it, so a refusal shows on that row with the service's
    message, and the parent's ``save_formset`` (``ServiceWriteAdminMixin``) writes them.
    For rows that are independent of one another (answers to consultations, say).
    """

    def service_save_row(self, request, form):
        raise NotImplementedError

    def get_formset(self, request, obj=None, **kwargs):
        formset_class = super().get_formset(request, obj, **kwargs)
        inline = self

        class ServiceCheckedRow(formset_class.form):
            def _post_clean(self):
                super()._post_clean()
                if not self._errors and self.has_changed():
                    _dry_run(self, lambda: inline.service_save_row(request, self))

        formset_class.form = ServiceCheckedRow
        formset_class.service_inline = inline
        return formset_class

    def save_rows(self, request, formset) -> None:
        formset.save(commit=False)
        for form in formset.forms:
            if form.has_changed():
                self.service_save_row(request, form)
