"""seed_demo writes rotation demo data: every direction, the whole workflow, alerts."""

import datetime as dt
from collections import Counter, defaultdict
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from personnel.choices import Level, PositionKind, ReorganisationKind
from personnel.models import Official, OrgUnit, Position, Posting, Reorganisation
from reports import services as report_services
from rotation import demo_reform
from rotation.choices import AlertKind, DecisionStatus, MovementKind
from rotation.models import Alert, Consultation, Decision, Movement, RotationReview
from tests.personnel.test_seed_demo import check_seeded_province

# The marker makes pytest-django create the test database the module fixture writes to.
pytestmark = pytest.mark.django_db

DIRECTIONS = {
    "province_to_district",
    "district_to_province",
    "district_to_commune",
    "commune_to_district",
    "province_to_commune",
    "commune_to_province",
    "district_to_district",
    "commune_to_commune",
    "cross_sector",
    "external",
    "central_to_province",
    "province_to_central",
}


def _overlaps(spans) -> bool:
    spans = sorted(spans, key=lambda span: (span[0], span[1] or dt.date.max))
    return any(
        end is None or end >= next_start
        for (_start, end), (next_start, _end) in zip(spans, spans[1:], strict=False)
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed once for the module, read what the tests need, and roll everything back."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", "--seed", "7", stdout=out)
        # The personnel side's checks run on this same seeding (one seeding for the suite).
        try:
            check_seeded_province(out.getvalue())
            personnel_problem = None
        except AssertionError as error:
            personnel_problem = error
        today = timezone.localdate()
        primary = Posting.objects.filter(is_primary=True)
        # The decisions about people, not those carrying out the 2025 reorganisation.
        reform = Q(decision__reorganisation__isnull=False) | Q(
            decision__title=demo_reform.PLACEMENT_TITLE
        )
        personnel_moves = Movement.objects.exclude(reform)
        by_official, by_position = defaultdict(list), defaultdict(list)
        # Posts of one holder (heads); deputies' and staff posts have several.
        heads = set(Position.objects.filter(kind=PositionKind.HEAD).values_list("pk", flat=True))
        for official_id, position_id, start, end in primary.values_list(
            "official_id", "position_id", "start_date", "end_date"
        ):
            by_official[official_id].append((start, end))
            if position_id is not None and position_id in heads:
                by_position[position_id].append((start, end))
        applied = Movement.objects.filter(applied_at__isnull=False).select_related(
            "new_posting", "from_posting"
        )
        facts = SimpleNamespace(
            personnel_problem=personnel_problem,
            output=out.getvalue(),
            directions=Counter(
                personnel_moves.filter(decision__status=DecisionStatus.APPROVED).values_list(
                    "direction", flat=True
                )
            ),
            movements=personnel_moves.count(),
            kinds=Counter(personnel_moves.values_list("kind", flat=True)),
            terms=list(personnel_moves.values_list("kind", "term_months")),
            reorganisations=list(
                Reorganisation.objects.order_by("effective_on", "id").values_list(
                    "kind", "effective_on", "applied_at", "outcome"
                )
            ),
            units_today=Counter(OrgUnit.objects.current().values_list("level", flat=True)),
            placed_by_reform=Movement.objects.filter(reform).count(),
            reform_kinds=set(Movement.objects.filter(reform).values_list("kind", flat=True)),
            rotation_years=Counter(
                personnel_moves.filter(kind=MovementKind.ROTATION).values_list(
                    "effective_on__year", flat=True
                )
            ),
            summaries={
                name: report_services.report_run_now(
                    report="rotation_summary",
                    scope=OrgUnit.objects.get(code="TU"),
                    date_from=start,
                    date_to=end,
                    params={"kind": "all"},
                    today=today,
                ).result
                for name, start, end in (
                    ("2020-2025", dt.date(2020, 10, 1), dt.date(2025, 9, 30)),
                    ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
                )
            },
            to_be_placed=Official.objects.filter(
                status="active", current_unit__valid_to__isnull=False
            ).count(),
            statuses=Counter(Decision.objects.values_list("status", flat=True)),
            fait_accompli=Decision.objects.filter(is_fait_accompli=True).count(),
            fully_answered=Decision.objects.filter(
                status=DecisionStatus.APPROVED, is_fait_accompli=False
            ).count(),
            pending_answers=Consultation.objects.missing()
            .filter(decision__status=DecisionStatus.CONSULTING)
            .count(),
            numbers=list(Decision.objects.values_list("issued_by__code", "number", "signed_on")),
            future=Movement.objects.counted()
            .filter(applied_at__isnull=True, effective_on__gt=today)
            .count(),
            overdue=Movement.objects.serving().filter(expected_end_on__lt=today).count(),
            outcomes=Counter(
                Movement.objects.exclude(outcome="").values_list("outcome", flat=True)
            ),
            alerts=Counter(Alert.objects.open().values_list("kind", flat=True)),
            reviews=RotationReview.objects.count(),
            official_overlaps=[k for k, spans in by_official.items() if _overlaps(spans)],
            position_overlaps=[k for k, spans in by_position.items() if _overlaps(spans)],
            applied=[
                (
                    m.effective_on,
                    m.new_posting.start_date,
                    m.from_posting and m.from_posting.end_date,
                )
                for m in applied
            ],
            unapplied_due=Movement.objects.counted()
            .filter(applied_at__isnull=True, effective_on__lte=today)
            .count(),
        )
        transaction.set_rollback(True)
    return facts


def test_every_direction_of_rule_one_among_approved_decisions(demo):
    assert set(demo.directions) >= DIRECTIONS, DIRECTIONS - set(demo.directions)
    assert "internal" not in demo.directions


def test_volume_and_kinds(demo):
    assert 80 <= demo.movements <= 120
    assert demo.kinds[MovementKind.ROTATION] > demo.movements / 2
    for kind in (MovementKind.TRANSFER, MovementKind.APPOINTMENT, MovementKind.SECONDMENT):
        assert demo.kinds[kind] > 0
    assert demo.kinds[MovementKind.RETURN] >= 2
    for kind, term in demo.terms:
        if kind == MovementKind.ROTATION:
            assert 36 <= term <= 60
        if kind == MovementKind.SECONDMENT:
            assert term <= 36


def test_workflow_variety(demo):
    assert demo.statuses[DecisionStatus.APPROVED] >= 25
    assert demo.statuses[DecisionStatus.CONSULTING] >= 1
    assert demo.statuses[DecisionStatus.DRAFT] >= 1
    assert demo.statuses[DecisionStatus.CANCELLED] >= 1
    assert demo.fait_accompli >= 3
    assert demo.fully_answered >= 10
    assert demo.pending_answers >= 1
    assert demo.future >= 1  # approved, effective later: not applied yet
    assert demo.unapplied_due == 0  # the daily job applied the rest


def test_numbers_and_dates(demo):
    suffixes = {number.split("/")[1] for _code, number, _signed in demo.numbers}
    assert {"TU", "HU"} <= suffixes
    numbers = [(code, number) for code, number, _signed in demo.numbers]
    assert len(set(numbers)) == len(numbers)  # unique per issuer
    signed = sorted(day for _code, _number, day in demo.numbers if day)
    assert signed[0] >= dt.date(2020, 10, 1)
    assert any(day.year == 2021 for day in signed)
    assert any(day >= dt.date(2025, 7, 1) for day in signed)
    assert "quyết định" in demo.output and "cảnh báo" in demo.output


def test_after_rotation_and_alerts(demo):
    assert demo.overdue >= 3
    assert demo.outcomes["returned"] >= 2
    assert demo.outcomes["retained"] >= 1
    assert demo.outcomes["new_post"] >= 1
    assert demo.reviews > 0
    assert demo.alerts[AlertKind.MISSING_REVIEW] >= 1
    assert demo.alerts[AlertKind.OVERDUE] == demo.overdue


def test_postings_stay_consistent(demo):
    assert demo.official_overlaps == []  # one primary posting at a time
    assert demo.position_overlaps == []  # one holder of a post at a time
    assert len(demo.applied) >= 60
    for effective, new_start, previous_end in demo.applied:
        assert new_start == effective
        assert previous_end in (None, effective - dt.timedelta(days=1))  # None: from outside


def test_the_2025_reorganisation_is_applied_through_the_service(demo):
    kinds = [(kind, day, bool(applied)) for kind, day, applied, _outcome in demo.reorganisations]
    next_year = dt.date(timezone.localdate().year + 1, 1, 1)
    assert kinds == [
        (ReorganisationKind.ABOLISH, dt.date(2025, 3, 1), True),  # district police
        (ReorganisationKind.MERGE, dt.date(2025, 7, 1), True),  # communes
        (ReorganisationKind.ABOLISH, dt.date(2025, 7, 1), True),  # the district level
        (ReorganisationKind.MERGE, next_year, False),  # being prepared: its preview
    ]
    merge = demo.reorganisations[1][3]
    assert len(merge["new_units"]) > 0 and len(merge["placed"]) > 0
    # Today's units: the province and its communes; no district unit is in force.
    assert Level.DISTRICT not in demo.units_today
    assert demo.units_today[Level.COMMUNE] > 0
    # The people whose posts ended are placed (by the reorganisation's own decisions, of
    # its kind: not counted as transfers), but for a few left for a person to decide.
    assert demo.placed_by_reform > 0
    assert demo.reform_kinds == {MovementKind.REORGANISATION}
    assert demo.to_be_placed == demo_reform.LEFT_TO_PLACE
    # Both terms have rotations.
    assert any(year <= 2024 for year in demo.rotation_years)
    assert any(year >= 2026 for year in demo.rotation_years)
    assert "Sắp xếp tổ chức bộ máy" in demo.output


def test_reports_count_the_units_as_they_were(demo):
    term = demo.summaries["2020-2025"]["direction_rows"]
    assert "province_to_district" in term and "district_to_commune" in term
    assert "province_to_commune" in term
    this_year = demo.summaries["2026"]["direction_rows"]
    assert not [code for code in this_year if "district" in code]
    # The placements of the reorganisation are not counted as rotations or transfers.
    assert demo.summaries["2020-2025"]["reorganisation_cadres"] > 0


def test_seed_demo_builds_a_consistent_province_once(demo):
    """The personnel side of the demo (tests/personnel/test_seed_demo.py's checks)."""
    if demo.personnel_problem is not None:
        raise demo.personnel_problem
