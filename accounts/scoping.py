"""Record scope: a staff user sees the subtree of their scope org unit.

Every queryset that holds scoped records derives from ``ScopedQuerySet`` and names
the lookups that lead to an org unit's ``path``; ``for_user(user)`` keeps the rows
whose unit lies inside the user's scope subtree, or in a unit that subtree continues
(the predecessors of its units through reorganisations: a merged commune reads the old
communes' history). Superusers see everything; a user with no scope (or whose scope
unit has ended) sees nothing.
"""

from contextlib import contextmanager
from contextvars import ContextVar
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
    if scope is None or not scope.is_current:
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


#: Per-request cache of ``readable_paths`` (set by ``ScopePathsCacheMiddleware``); outside a
#: request (jobs, tests calling services) nothing is cached.
_paths_cache: ContextVar[dict | None] = ContextVar("scope_paths_cache", default=None)


@contextmanager
def scope_paths_cache():
    token = _paths_cache.set({})
    try:
        yield
    finally:
        _paths_cache.reset(token)


def readable_paths(path: str) -> list[str]:
    """The scope's path and those of the units its units continue (the predecessors,
    through every reorganisation, transitively): a successor unit reads its
    predecessors' history. ``""`` (everything) stays alone."""
    if path == "":
        return [""]
    cache = _paths_cache.get()
    if cache is not None and path in cache:
        return cache[path]
    from django.apps import apps

    succession = apps.get_model("personnel", "UnitSuccession")
    paths, frontier = [path], [path]
    while frontier:
        found = succession.objects.filter(
            reduce(or_, (Q(successor__path__startswith=p) for p in frontier))
        ).values_list("predecessor__path", flat=True)
        frontier = sorted({p for p in found if not any(p.startswith(q) for q in paths)})
        paths += frontier
    if cache is not None:
        cache[path] = paths
    return paths


def _paths_q(lookup: str, paths: list[str]) -> Q:
    return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in paths))


def units_under(path: str, *, with_predecessors: bool = True):
    """The ids of the org units in the subtree at ``path`` and (``with_predecessors``) of
    the units it continues, as a subquery (indexed range scans)."""
    from django.apps import apps

    paths = readable_paths(path) if with_predecessors else [path]
    return (
        apps.get_model("personnel", "OrgUnit").objects.filter(_paths_q("path", paths)).values("pk")
    )


def scope_condition(path: str, lookups, *, with_predecessors: bool = True) -> Q:
    """Rows any of whose ``lookups`` (each ending at ``OrgUnit.path``) lies under ``path``
    (or under a unit it continues).

    A foreign key is compared with the subtree's unit ids (``unit_id IN (…)``), which the
    planner can answer from the foreign-key index, rather than joining every unit to
    compare paths. Reports counting units "as they were" pass ``with_predecessors=False``.
    """
    units = units_under(path, with_predecessors=with_predecessors)
    paths = readable_paths(path) if with_predecessors else [path]
    conditions = []
    for lookup in lookups:
        if lookup == "path":
            conditions.append(_paths_q("path", paths))
        else:
            conditions.append(Q(**{f"{lookup.removesuffix('__path')}__in": units}))
    return reduce(or_, conditions)
