"""seed_demo writes rotation demo data: every direction, the whole workflow, alerts."""

import datetime as dt
from collections import Counter, defaultdict
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from personnel.models import Posting
from rotation.choices import AlertKind, DecisionStatus, MovementKind
from rotation.models import Alert, Consultation, Decision, Movement, RotationReview

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
    spans = sorted(spans)
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
        today = timezone.localdate()
        primary = Posting.objects.filter(is_primary=True)
        by_official, by_position = defaultdict(list), defaultdict(list)
        for official_id, position_id, start, end in primary.values_list(
            "official_id", "position_id", "start_date", "end_date"
        ):
            by_official[official_id].append((start, end))
            if position_id is not None:
                by_position[position_id].append((start, end))
        applied = Movement.objects.filter(applied_at__isnull=False).select_related(
            "new_posting", "from_posting"
        )
        facts = SimpleNamespace(
            output=out.getvalue(),
            directions=Counter(Movement.objects.counted().values_list("direction", flat=True)),
            movements=Movement.objects.count(),
            kinds=Counter(Movement.objects.values_list("kind", flat=True)),
            terms=list(Movement.objects.values_list("kind", "term_months")),
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
