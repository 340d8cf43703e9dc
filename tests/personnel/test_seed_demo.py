"""seed_demo: a realistic demo province, written once, consistent with the posting rules."""

import datetime as dt
from collections import Counter, defaultdict
from io import StringIO

from django.core.management import call_command
from django.db.models import F

from personnel.choices import Level, PlanningStatus
from personnel.demo.plan import build_plan
from personnel.models import (
    Evaluation,
    Locality,
    Official,
    OrgUnit,
    PlanningEntry,
    Position,
    Posting,
    Sector,
    TrainingRecord,
)

MODELS = [
    Sector,
    Locality,
    OrgUnit,
    Position,
    Official,
    Posting,
    TrainingRecord,
    Evaluation,
    PlanningEntry,
    Official.history.model,
    Posting.history.model,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


def check_province_of_about_two_thousand_officials(seeded):
    assert "cán bộ" in seeded
    assert 1800 <= Official.objects.count() <= 2300
    province = Locality.objects.get(code="42")
    # 13 district-level localities until 30/6/2025; the merged communes since 1/7/2025.
    assert province.children.valid_on(dt.date(2025, 6, 30)).count() == 13
    assert province.children.filter(valid_to=dt.date(2025, 6, 30)).count() == 13
    assert province.children.current().filter(level="commune").count() > 0
    assert OrgUnit.objects.get(code="TU").locality == province
    assert not OrgUnit.objects.filter(path="").exists()
    assert not Official.objects.filter(current_unit__isnull=True).exists()
    assert not Official.objects.filter(current_posting__isnull=True).exists()
    assert Official.objects.exclude(birthplace__path__startswith=province.path).exists()
    assert Official.objects.filter(search_key="").count() == 0
    for level in (Level.PROVINCE, Level.DISTRICT):
        assert Position.objects.filter(requires_non_local=True, org_unit__level=level).exists()
    # Every official has an initial history row, so the admin history page is not empty.
    assert Official.history.filter(history_type="+").count() == Official.objects.count()
    # Applied movements add a history row to the posting they close.
    assert Posting.history.values("id").distinct().count() == Posting.objects.count()


def check_postings_keep_the_posting_rules():
    by_official = defaultdict(list)
    by_position = defaultdict(list)
    # Posts of one holder (heads); deputies' and staff posts may have several.
    heads = set(Position.objects.filter(kind="head").values_list("pk", flat=True))
    for start, end, official_id, position_id in Posting.objects.filter(is_primary=True).values_list(
        "start_date", "end_date", "official_id", "position_id"
    ):
        by_official[official_id].append((start, end))
        if position_id is not None and position_id in heads:
            by_position[position_id].append((start, end))
    assert not Posting.objects.filter(
        end_date__isnull=False, end_date__lte=F("start_date")
    ).exists()
    for spans in (*by_official.values(), *by_position.values()):
        spans.sort()
        for (_start, end), (next_start, _next_end) in zip(spans, spans[1:], strict=False):
            assert end is not None and end < next_start  # no overlap, one holder at a time
    # Primary postings of an official are contiguous: each ends the day before the next.
    for spans in by_official.values():
        for (_start, end), (next_start, _next_end) in zip(spans, spans[1:], strict=False):
            assert next_start - end == dt.timedelta(days=1)
    assert Posting.objects.filter(is_primary=False).exists()


def check_planning_limits():
    active = Counter(
        PlanningEntry.objects.filter(status=PlanningStatus.ACTIVE).values_list(
            "position_id", "term"
        )
    )
    assert active and max(active.values()) <= 3
    per_position = Counter(PlanningEntry.objects.values_list("position_id", "term"))
    assert max(per_position.values()) <= 3
    per_official = Counter(PlanningEntry.objects.values_list("official_id", "term"))
    assert max(per_official.values()) <= 3
    assert {"2020-2025", "2025-2030"} <= set(PlanningEntry.objects.values_list("term", flat=True))


def check_second_run_changes_nothing():
    before = _counts()
    out = StringIO()
    call_command("seed_demo", "--seed", "8", stdout=out)
    assert "Dữ liệu mẫu đã có" in out.getvalue()
    assert _counts() == before


def check_seeded_province(output: str) -> None:
    """Every check of a seeded demo, run by the one seeding of tests/rotation/test_demo.py
    (the demo takes about a minute to write: it is written once for the whole suite)."""
    check_province_of_about_two_thousand_officials(output)
    check_postings_keep_the_posting_rules()
    check_planning_limits()
    check_second_run_changes_nothing()


def test_plan_is_deterministic_for_a_seed():
    today = dt.date(2026, 1, 15)
    first, again, other = build_plan(7, today), build_plan(7, today), build_plan(8, today)
    names = [person.full_name for person in first.people[:20]]
    assert names == [person.full_name for person in again.people[:20]]
    assert names != [person.full_name for person in other.people[:20]]

    def postings(plan):
        return [
            (p.person, p.unit, p.position, p.start, p.end) for x in plan.people for p in x.postings
        ]

    assert postings(first) == postings(again)
