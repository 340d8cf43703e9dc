"""Who must be consulted on a decision (DOMAIN.md rule 7)."""

from dataclasses import dataclass

from django.conf import settings

from personnel.models import OrgUnit

from .choices import ConsultationRole


@dataclass(frozen=True)
class Required:
    org_unit_id: int
    role: str


def local_committee_for(unit: OrgUnit) -> OrgUnit | None:
    """The territorial Party committee of the unit's locality and level.

    Preference goes to the nearest ancestor (the unit itself included) that is a
    Party committee of the same locality; otherwise any active one of that locality
    and level. A unit along a vertical sector line (tax, police…) gets the committee
    of the place where it sits.
    """
    if unit.locality_id is None:
        return None
    sector_code = getattr(settings, "LOCAL_COMMITTEE_SECTOR_CODE", "party")
    candidates = OrgUnit.objects.filter(
        sector__code=sector_code, locality_id=unit.locality_id, is_active=True
    )
    ancestors = unit.ancestor_ids() + [unit.pk]
    nearest = candidates.filter(pk__in=ancestors).order_by("-path").first()
    return nearest or candidates.filter(level=unit.level).order_by("path").first()


def consulted_units(movement) -> list[tuple[OrgUnit, str]]:
    """The (unit, role) pairs one movement asks: sending side, receiving side, local committee.

    The one definition of why a unit is consulted on a movement; the emails use it too,
    to send a unit only the movements that concern it.
    """
    pairs = []
    if movement.from_posting_id:
        pairs.append((movement.from_posting.org_unit, ConsultationRole.SENDING))
    destination = movement.to_position.org_unit
    pairs.append((destination, ConsultationRole.RECEIVING))
    local = local_committee_for(destination)
    if local is not None and local.pk != destination.pk:
        pairs.append((local, ConsultationRole.LOCAL))
    return pairs


def required_consultations(decision) -> list[Required]:
    """The (unit, role) pairs whose answer the decision needs, in a stable order."""
    seen: dict[tuple[int, str], Required] = {}
    movements = decision.movements.select_related(
        "from_posting__org_unit", "to_position__org_unit"
    ).order_by("id")
    for movement in movements:
        for unit, role in consulted_units(movement):
            seen.setdefault((unit.pk, role), Required(unit.pk, role))
    return list(seen.values())


def missing_answers(decision) -> list[Required]:
    """Required consultations without an answer (never asked counts as missing)."""
    answered = set(
        decision.consultations.filter(answered_on__isnull=False).values_list("org_unit_id", "role")
    )
    return [r for r in required_consultations(decision) if (r.org_unit_id, r.role) not in answered]
