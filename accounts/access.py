"""Access for the staff pages: login, scope (``for_user``) and role.

Every page fetches records through ``Model.objects.for_user(user)``: a record
outside the user's scope subtree answers 404. Actions check the role: viewers
read, officers prepare, approvers approve (403 otherwise).
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .choices import Role


class RoleRequired(PermissionDenied):
    """Refused for want of a role: the 403 page names the role needed."""

    def __init__(self, role: str):
        self.role = Role(role)
        super().__init__(_("Cần vai trò: %(role)s") % {"role": self.role.label})


def require_role(user, role: str) -> None:
    """The one role check, for pages and services alike; ``user`` None is the system itself
    (the daily job, data loading, migrations), which may do what the rules allow."""
    if user is None:
        return
    if not user.is_authenticated or not user.has_role(role):
        raise RoleRequired(role)


def get_scoped_or_404(queryset: QuerySet, user, **lookup):
    """The object if the user's scope reaches it; 404 otherwise (the record's existence is not revealed)."""
    return get_object_or_404(queryset.for_user(user), **lookup)


class StaffRequiredMixin(LoginRequiredMixin):
    """Logged-in users only; ``required_role`` (if set) checked for every method."""

    required_role: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_role is not None:
            require_role(request.user, self.required_role)
        return super().dispatch(request, *args, **kwargs)


class OfficerRequiredMixin(StaffRequiredMixin):
    required_role = Role.OFFICER


class ApproverRequiredMixin(StaffRequiredMixin):
    required_role = Role.APPROVER


class AdministratorRequiredMixin(StaffRequiredMixin):
    required_role = Role.ADMINISTRATOR


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: no unbounded COUNT(*) on large tables.

    The count runs as ``SELECT COUNT(*) FROM (SELECT id ... LIMIT cap + 1)`` without the
    list's order (which rows are counted does not change how many); past the cap the
    page shows "more than N" and the last pages are reached by narrowing the filters.
    """

    cap = 10_000

    @cached_property
    def count(self):
        rows = self.object_list
        if isinstance(rows, QuerySet):
            # How many, not which: no ORDER BY to walk, no annotated columns to compute.
            rows = rows.order_by().values("pk")
        counted = rows[: self.cap + 1].count()
        self.is_capped = counted > self.cap
        return min(counted, self.cap)

    is_capped = False


class ClampedPaginationMixin:
    """For ListViews: a page number past the end or not a number shows the nearest page, not 404."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
