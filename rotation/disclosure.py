"""Need to know inside a decision: which movements, answers and names a viewer may see.

A decision is visible to its issuer's scope and to the units whose cadres it moves
(``Decision.objects.for_user``); visible is not all-seeing. The issuer's staff prepared
the decision and see all of it. A sending or receiving side sees the movements of its
own cadres and its own consultation answers. A rule finding names another official
(the current holder of a post) only for a viewer whose scope reaches that official.
An email to a consulted unit carries only the movements that concern that unit.

The staff pages, Django admin and the emails all ask here, so the answer is the same
through every door.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.scoping import readable_paths, scope_path_of, units_under
from personnel.models import Official, OrgUnit

from . import rules
from .consultations import consulted_units
from .models import Consultation, Decision, Movement

# Shown instead of a finding stored before findings kept other officials' names out
# of their message (rows older than migration 0006 that it could not rewrite).
HELD_WITHOUT_NAME = _("Chức vụ nơi đến đang có người đảm nhiệm.")


def covers(user, unit: OrgUnit | None) -> bool:
    """True when ``unit`` lies in the user's scope subtree (always for a superuser)."""
    path = scope_path_of(user)
    if path is None or unit is None:
        return False
    return any(unit.path.startswith(p) for p in readable_paths(path))


def sees_whole_decision(user, decision: Decision) -> bool:
    """The issuer's staff (and superusers) see every movement and every answer."""
    return covers(user, decision.issued_by)


def movements_visible_to(user, decision: Decision) -> QuerySet[Movement]:
    """The movements of ``decision`` the user may see.

    All of them for the issuer's scope; otherwise those whose origin, destination or
    official's current unit lies in the user's scope (``Movement.objects.for_user``),
    and those a unit of the scope was consulted on (``movements_for_unit``).
    """
    movements = decision.movements.all()
    if sees_whole_decision(user, decision):
        return movements
    visible = Q(pk__in=Movement.objects.for_user(user).values("pk"))
    # A committee consulted on a movement sees that movement (what its email listed).
    for consultation in consultations_visible_to(user, decision).select_related("org_unit"):
        ids = movements_for_unit(decision, consultation.org_unit).values("pk")
        visible |= Q(pk__in=ids)
    return movements.filter(visible)


def consultations_visible_to(user, decision: Decision) -> QuerySet[Consultation]:
    """All the answers for the issuer's scope; otherwise those asked of units in the scope."""
    consultations = decision.consultations.all()
    if sees_whole_decision(user, decision):
        return consultations
    path = scope_path_of(user)
    if path is None:
        return consultations.none()
    return consultations.filter(org_unit__in=units_under(path))


def movements_for_unit(decision: Decision, org_unit: OrgUnit) -> QuerySet[Movement]:
    """The movements of ``decision`` that concern ``org_unit`` (what its emails may list).

    A movement concerns the unit when the official leaves, joins or currently works in a
    unit of its subtree, or when the unit is consulted on it for any other reason (the
    local committee of the destination: ``consultations.consulted_units``).
    """
    units = units_under(org_unit.path)
    movements = decision.movements.all()
    near = Q(from_unit__in=units) | Q(to_unit__in=units) | Q(official__current_unit__in=units)
    ids = set(movements.filter(near).values_list("pk", flat=True))
    others = movements.exclude(pk__in=ids).select_related(
        "from_posting__org_unit", "to_position__org_unit"
    )
    for movement in others:
        if any(unit.pk == org_unit.pk for unit, _role in consulted_units(movement)):
            ids.add(movement.pk)
    return movements.filter(pk__in=ids)


# --- findings -------------------------------------------------------------------


def _as_dict(finding) -> dict:
    return finding.as_dict() if hasattr(finding, "as_dict") else dict(finding)


def _holder_ids(findings) -> set[int]:
    return {f.get("holder_id") for f in map(_as_dict, findings)} - {None}


def _names_visible_to(user, holder_ids: set[int]) -> dict[int, str]:
    """Names of the holders the user's scope reaches (one query, none when no holder)."""
    if not holder_ids:
        return {}
    visible = Official.objects.for_user(user).filter(pk__in=holder_ids)
    return dict(visible.values_list("pk", "full_name"))


def _shown(finding: dict, names: dict[int, str]) -> dict:
    """The finding as displayed: the holder's name only when listed in ``names``."""
    shown = {k: v for k, v in finding.items() if k not in ("holder_id", "params")}
    code, holder_id = finding.get("code"), finding.get("holder_id")
    if code in rules.MESSAGES_WITH_HOLDER and "holder_id" not in finding:
        # Stored before names were kept out of messages: its text may name anyone.
        shown["message"] = str(HELD_WITHOUT_NAME)
    elif holder_id in names:
        shown["message"] = rules.message_with_holder(finding, names[holder_id]) or shown.get(
            "message", ""
        )
    return shown


def redact_findings(user, findings) -> list[dict]:
    """``findings`` (stored dicts or ``rules.Finding``) as ``user`` may read them."""
    findings = [_as_dict(f) for f in findings or []]
    names = _names_visible_to(user, _holder_ids(findings))
    return [_shown(f, names) for f in findings]


def findings_for(user, movement: Movement) -> list[dict]:
    """The movement's stored findings, naming other officials only inside the user's scope."""
    return redact_findings(user, movement.findings)


def attach_findings(user, movements) -> list[Movement]:
    """Set ``shown_findings`` on each movement, with one query for the whole list."""
    movements = list(movements)
    holder_ids = set().union(*(_holder_ids(m.findings or []) for m in movements))
    names = _names_visible_to(user, holder_ids)
    for movement in movements:
        movement.shown_findings = [_shown(_as_dict(f), names) for f in movement.findings or []]
    return movements
