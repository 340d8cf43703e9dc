"""Admin support for scoped records: staff who are not superusers see their subtree only."""

from django.db.models import QuerySet


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


class ScopedAdminMixin(ScopedForeignKeyMixin):
    """Changelist and change pages limited to the user's scope; out-of-scope ids are 404."""

    def get_queryset(self, request):
        return scoped_queryset(super().get_queryset(request), request.user)
