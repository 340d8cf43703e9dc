"""The decisions each scope holds (``DecisionScope``), kept with the decision.

A decision is in a scope when its issuer, a movement's destination or origin, or a unit
consulted on it lies in the scope's subtree. Asking that of every decision with four
subqueries costs hundreds of milliseconds for a province at national size; this table
answers with one index lookup. Every service that changes one of those units calls
``decision_scope_refresh``; a change of the unit tree makes the table stale (as the
movement summary: ``rotation.summary``), and the decisions list then asks the four
subqueries until the rebuild.
"""

from django.db import connection

from personnel.models import OrgUnit

from .models import Consultation, DecisionScope, Movement


def _ancestors(paths) -> set[int]:
    return {int(part) for path in paths for part in (path or "").split("/") if part}


def _unit_ids(decision_ids=None) -> dict[int, set[int]]:
    """decision id -> the ids of its own units (issuer, destinations, origins, consulted)."""
    from .models import Decision

    units: dict[int, set[int]] = {}
    sources = [
        Decision.objects.values_list("pk", "issued_by_id"),
        Movement.objects.values_list("decision_id", "to_unit_id"),
        Movement.objects.values_list("decision_id", "from_unit_id"),
        Consultation.objects.values_list("decision_id", "org_unit_id"),
    ]
    for i, source in enumerate(sources):
        if decision_ids is not None:
            source = source.filter(**{"pk__in" if i == 0 else "decision_id__in": decision_ids})
        for decision_id, unit_id in source.order_by().iterator(chunk_size=10_000):
            if unit_id is not None:
                units.setdefault(decision_id, set()).add(unit_id)
    return units


def _rows(units_of: dict[int, set[int]]) -> set[tuple[int, int]]:
    needed = set().union(*units_of.values()) if units_of else set()
    paths = dict(OrgUnit.objects.filter(pk__in=needed).values_list("pk", "path"))
    return {
        (unit, decision_id)
        for decision_id, units in units_of.items()
        for unit in _ancestors(paths.get(u) for u in units)
    }


def decision_scope_refresh(decision_id: int) -> None:
    """Make the decision's rows what its units say (inside the caller's transaction)."""
    wanted = _rows(_unit_ids([decision_id]))
    stored = set(
        DecisionScope.objects.filter(decision_id=decision_id).values_list("unit_id", "decision_id")
    )
    gone = {unit for unit, _decision in stored - wanted}
    if gone:
        DecisionScope.objects.filter(decision_id=decision_id, unit_id__in=gone).delete()
    DecisionScope.objects.bulk_create(
        [DecisionScope(unit_id=u, decision_id=d) for u, d in wanted - stored],
        ignore_conflicts=True,
    )


def decision_scopes_rebuild() -> int:
    """Every decision's rows from its units; returns the rows that differed."""
    wanted = _rows(_unit_ids())
    stored = set(DecisionScope.objects.values_list("unit_id", "decision_id").iterator(50_000))
    differing = len(wanted ^ stored)
    if differing:
        DecisionScope.objects.all().delete()
        if connection.vendor == "postgresql":
            from personnel.imports.copy import copy_rows

            copy_rows(DecisionScope._meta.db_table, ["unit_id", "decision_id"], wanted)
        else:
            DecisionScope.objects.bulk_create(
                (DecisionScope(unit_id=u, decision_id=d) for u, d in wanted), batch_size=5000
            )
    return differing


def decision_scopes_refresh_under(unit: OrgUnit) -> int:
    """After ``unit`` moved in the tree: the rows of every decision touching its subtree
    (those held by the unit's own scope) computed again; returns the decisions."""
    ids = list(DecisionScope.objects.filter(unit=unit).values_list("decision_id", flat=True))
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        wanted = _rows(_unit_ids(chunk))
        DecisionScope.objects.filter(decision_id__in=chunk).delete()
        DecisionScope.objects.bulk_create(
            [DecisionScope(unit_id=u, decision_id=d) for u, d in wanted], batch_size=5000
        )
    return len(ids)
