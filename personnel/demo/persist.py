"""Writes a ``DemoPlan`` to the database: tree nodes one by one, everything else in bulk."""

from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from personnel.models import (
    Evaluation,
    Locality,
    Official,
    OrgUnit,
    PlanningEntry,
    Position,
    Posting,
    PostType,
    Sector,
    TrainingRecord,
)
from personnel.post_types import match_code
from personnel.text import fold_vietnamese

from .geography import PROVINCE_CODE, ROOT_UNIT_CODE
from .people import Person, PostingPlan
from .plan import DemoPlan

BATCH = 1000
CHANGE_REASON = "Tạo dữ liệu mẫu (seed_demo)"


def demo_exists() -> bool:
    """The demo province is there already (its root unit or its locality code)."""
    return (
        OrgUnit.objects.filter(code=ROOT_UNIT_CODE).exists()
        or Locality.objects.filter(code=PROVINCE_CODE).exists()
    )


def current_posting(person: Person, today) -> PostingPlan | None:
    """Same choice as ``selectors.current_primary_posting``: held today, else latest begun."""
    primary = [p for p in person.postings if p.is_primary and p.start <= today]
    active = [p for p in primary if p.end is None or p.end >= today]
    for candidates in (active, primary, person.postings):
        if candidates:
            return max(candidates, key=lambda p: p.start)
    return None


def _sectors(plan: DemoPlan) -> dict[str, Sector]:
    existing = {s.code: s for s in Sector.objects.filter(code__in=[c for c, _ in plan.sectors])}
    missing = [Sector(code=c, name=n) for c, n in plan.sectors if c not in existing]
    Sector.objects.bulk_create(missing)
    return existing | {s.code: s for s in missing}


def _localities(plan: DemoPlan) -> tuple[dict[str, Locality], int]:
    """Neighbouring provinces' localities may exist already: reuse them by code."""
    codes = [spec.code for spec in plan.localities]
    found = {loc.code: loc for loc in Locality.objects.filter(code__in=codes)}
    created = 0
    for spec in plan.localities:  # parents come first; save() computes the path
        if spec.code in found:
            continue
        parent = found[spec.parent_code] if spec.parent_code else None
        found[spec.code] = loc = Locality(
            code=spec.code, name=spec.name, level=spec.level, parent=parent
        )
        loc.save()
        created += 1
    return found, created


@transaction.atomic
def persist_plan(plan: DemoPlan) -> dict[str, int]:
    """Write the plan; returns the number of rows created per kind."""
    sectors = _sectors(plan)
    localities, locality_count = _localities(plan)
    units: dict[str, OrgUnit] = {}
    for spec in plan.units:
        units[spec.code] = unit = OrgUnit(
            code=spec.code,
            name=spec.name,
            level=spec.level,
            sector=sectors[spec.sector],
            locality=localities[spec.locality_code],
            parent=units[spec.parent_code] if spec.parent_code else None,
            # Demo addresses: with `make run` the mail is written to files under var/mail.
            email=f"{slugify(spec.code)}@hatinh.demo.vn",
        )
        unit.save()

    post_types = {t.code: t for t in PostType.objects.all()}  # bulk_create skips Position.save()
    positions = {
        spec.key: Position(
            org_unit=units[spec.unit_code],
            post_type=post_types[match_code(spec.title, units[spec.unit_code].level, spec.kind)],
            title=spec.title,
            kind=spec.kind,
            is_key=spec.is_key,
            requires_non_local=spec.requires_non_local,
            management_tier=spec.management_tier,
            allowance=spec.allowance,
            display_order=spec.display_order,
        )
        for spec in plan.positions
    }
    Position.objects.bulk_create(positions.values(), batch_size=BATCH)

    officials = [
        Official(
            code=p.code,
            personal_id=p.personal_id,
            full_name=p.full_name,
            search_key=fold_vietnamese(p.full_name),  # bulk_create skips Official.save()
            gender=p.gender,
            date_of_birth=p.dob,
            birthplace=localities[p.birthplace],
            hometown=localities[p.hometown],
            ethnicity=p.ethnicity,
            religion=p.religion,
            home_address=p.home_address,
            phone=p.phone,
            party_joined_on=p.party_joined,
            party_confirmed_on=p.party_confirmed,
            education_level=p.education_level,
            major=p.major,
            political_theory=p.political_theory,
            state_management=p.state_management,
            management_tier=p.management_tier,
            status=p.status,
            notes=p.notes,
        )
        for p in plan.people
    ]
    history = {"batch_size": BATCH, "default_change_reason": CHANGE_REASON}
    officials = bulk_create_with_history(officials, Official, **history)

    rows: dict[int, Posting] = {}  # id(PostingPlan) -> Posting
    for person, official in zip(plan.people, officials, strict=True):
        for p in person.postings:
            rows[id(p)] = Posting(
                official=official,
                position=positions[p.position] if p.position else None,
                org_unit=units[p.unit],
                title=p.title,
                start_date=p.start,
                end_date=p.end,
                is_primary=p.is_primary,
                basis=p.basis,
            )
    bulk_create_with_history(list(rows.values()), Posting, **history)

    for person, official in zip(plan.people, officials, strict=True):
        chosen = current_posting(person, plan.today)
        official.current_posting = rows[id(chosen)] if chosen else None
        official.current_unit = official.current_posting.org_unit if chosen else None
    Official.objects.bulk_update(officials, ["current_posting", "current_unit"], batch_size=500)

    TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                official=officials[t.person],
                kind=t.kind,
                programme=t.programme,
                qualification=t.qualification,
                institution=t.institution,
                mode=t.mode,
                start_date=t.start,
                end_date=t.end,
            )
            for t in plan.trainings
        ],
        batch_size=BATCH,
    )
    Evaluation.objects.bulk_create(
        [
            Evaluation(official=officials[e.person], year=e.year, rating=e.rating)
            for e in plan.evaluations
        ],
        batch_size=BATCH,
    )
    PlanningEntry.objects.bulk_create(
        [
            PlanningEntry(
                official=officials[e.person],
                position=positions[e.position],
                term=e.term,
                status=e.status,
                approved_on=e.approved_on,
                basis=e.basis,
            )
            for e in plan.planning
        ],
        batch_size=BATCH,
    )
    return {
        "sectors": len(sectors),
        "localities": locality_count,
        "units": len(units),
        "positions": len(positions),
        "officials": len(officials),
        "postings": len(rows),
        "trainings": len(plan.trainings),
        "evaluations": len(plan.evaluations),
        "planning": len(plan.planning),
    }
