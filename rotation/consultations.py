"""Who must be consulted on a decision (DOMAIN.md rule 7).

For each movement: the sending side (the unit the cadre leaves), the receiving side
(the unit he joins), and the local Party committee of each of the two places. A move
along a vertical sector line (tax, police…) from district A to district B thus asks
both districts' committees. A committee is asked once when it is the committee of
both places, or already asked as the sending or receiving side of the same movement;
the committee that issues the decision is not asked for its own opinion.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personnel.models import OrgUnit

from .choices import ConsultationRole, MovementKind


class Side(models.TextChoices):
    """The side of a movement an answer speaks for (nơi đi / nơi đến)."""

    SENDING = "sending", _("Nơi đi")
    RECEIVING = "receiving", _("Nơi đến")
    BOTH = "both", _("Nơi đi và nơi đến")


@dataclass(frozen=True)
class Required:
    org_unit_id: int
    role: str
    side: str = Side.RECEIVING


def merge_sides(a: str, b: str) -> str:
    return a if a == b else Side.BOTH


def local_committee_for(unit: OrgUnit, on: dt.date | None = None) -> OrgUnit | None:
    """The territorial Party committee of the unit's locality and level, on ``on``.

    Preference goes to the nearest ancestor (the unit itself included) that is a
    Party committee of the same locality; otherwise any one of that locality and level
    existing on ``on`` (default today). A unit along a vertical sector line (tax,
    police…) gets the committee of the place where it sits.
    """
    if unit.locality_id is None:
        return None
    sector_code = getattr(settings, "LOCAL_COMMITTEE_SECTOR_CODE", "party")
    candidates = OrgUnit.objects.filter(
        sector__code=sector_code, locality_id=unit.locality_id
    ).valid_on(on or timezone.localdate())
    ancestors = unit.ancestor_ids() + [unit.pk]
    nearest = candidates.filter(pk__in=ancestors).order_by("-path").first()
    return nearest or candidates.filter(level=unit.level).order_by("path").first()


def consulted_sides(movement) -> list[tuple[OrgUnit, str, str]]:
    """The (unit, role, side) triples one movement asks, each unit once.

    Sending side, receiving side, then the local committees of the place left and of
    the place joined; a local committee already asked on this movement (as a side, or
    as the committee of the other place) is not asked again, nor is the issuer of the
    decision (it decides; it is not consulted on its own decision).
    """
    issuer_id = movement.decision.issued_by_id
    triples: list[tuple[OrgUnit, str, str]] = []
    origin = movement.from_posting.org_unit if movement.from_posting_id else None
    destination = movement.to_position.org_unit
    if origin is not None:
        triples.append((origin, ConsultationRole.SENDING, Side.SENDING))
    triples.append((destination, ConsultationRole.RECEIVING, Side.RECEIVING))
    locals_: dict[int, tuple[OrgUnit, str]] = {}
    # The place left is asked as it was on the eve of the move; the place joined as it is
    # on the effective date (a unit may end, or begin, with the move).
    eve = movement.effective_on - dt.timedelta(days=1) if movement.effective_on else None
    days = {Side.SENDING: eve, Side.RECEIVING: movement.effective_on}
    for place, side in ((origin, Side.SENDING), (destination, Side.RECEIVING)):
        committee = local_committee_for(place, days[side]) if place is not None else None
        if committee is None or committee.pk == issuer_id:
            continue
        if committee.pk in {unit.pk for unit, _role, _side in triples}:
            continue
        known = locals_.get(committee.pk)
        locals_[committee.pk] = (committee, merge_sides(known[1], side) if known else side)
    triples.extend((unit, ConsultationRole.LOCAL, side) for unit, side in locals_.values())
    return triples


def consulted_units(movement) -> list[tuple[OrgUnit, str]]:
    """The (unit, role) pairs one movement asks (``consulted_sides`` without the side).

    The one definition of why a unit is consulted on a movement; the emails use it too,
    to send a unit only the movements that concern it.
    """
    return [(unit, role) for unit, role, _side in consulted_sides(movement)]


def required_consultations(decision) -> list[Required]:
    """The (unit, role) pairs whose answer the decision needs, in a stable order.

    Each carries the side it speaks for; a committee asked for the place left by one
    movement and the place joined by another speaks for both. A placement carrying out a
    reorganisation asks nobody: the reorganisation itself was decided with its basis.
    """
    seen: dict[tuple[int, str], Required] = {}
    movements = (
        decision.movements.exclude(kind=MovementKind.REORGANISATION)
        .select_related("from_posting__org_unit", "to_position__org_unit")
        .order_by("id")
    )
    for movement in movements:
        for unit, role, side in consulted_sides(movement):
            known = seen.get((unit.pk, role))
            side = merge_sides(known.side, side) if known else side
            seen[(unit.pk, role)] = Required(unit.pk, role, side)
    return list(seen.values())


def missing_answers(decision) -> list[Required]:
    """Required consultations without an answer (never asked counts as missing)."""
    answered = set(
        decision.consultations.filter(answered_on__isnull=False).values_list("org_unit_id", "role")
    )
    return [r for r in required_consultations(decision) if (r.org_unit_id, r.role) not in answered]
