"""Record scope: a staff user sees the subtree of their scope org unit.

Every queryset that holds scoped records derives from ``ScopedQuerySet`` and names
the lookups that lead to an org unit's ``path``; ``for_user(user)`` keeps the rows
whose unit lies inside the user's scope subtree. Superusers see everything; a user
with no scope sees nothing.
"""

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q


def scope_path_of(user) -> str | None:
    """The materialized path of the user's scope, '' for everything, None for nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    scope = getattr(user, "scope", None)
    if scope is None or not scope.is_active:
        return None
    return scope.path


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be limited to a user's scope subtree."""

    #: lookups (relative to the model) that end at an ``OrgUnit.path``; a row is in
    #: scope when any of them starts with the user's scope path.
    scope_path_lookups: tuple[str, ...] = ()

    def for_user(self, user):
        path = scope_path_of(user)
        if path is None:
            return self.none()
        if path == "":
            return self.all()
        return self.filter(scope_condition(path, self.scope_path_lookups))


def units_under(path: str):
    """The ids of the org units in the subtree at ``path``, as a subquery (one indexed range scan)."""
    from django.apps import apps

    return apps.get_model("personnel", "OrgUnit").objects.filter(path__startswith=path).values("pk")


def scope_condition(path: str, lookups) -> Q:
    """Rows any of whose ``lookups`` (each ending at ``OrgUnit.path``) lies under ``path``.

    A foreign key is compared with the subtree's unit ids (``unit_id IN (…)``), which the
    planner can answer from the foreign-key index, rather than joining every unit to
    compare paths.
    """
    units = units_under(path)
    conditions = []
    for lookup in lookups:
        if lookup == "path":
            conditions.append(Q(path__startswith=path))
        else:
            conditions.append(Q(**{f"{lookup.removesuffix('__path')}__in": units}))
    return reduce(or_, conditions)
