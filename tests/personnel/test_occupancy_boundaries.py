"""Who holds which post: counts of a unit, officials in service, planned candidates of
a term, and the timeline of a post with its gaps, at the edges of each rule."""

import datetime as dt

import pytest

from accounts.choices import Role
from personnel import occupancy
from personnel import services as personnel_services
from personnel.choices import OfficialStatus, PlanningStatus
from personnel.models import Official, Posting
from personnel.occupancy import Duration
from tests.factories import (
    OfficialFactory,
    OrgUnitFactory,
    PlanningEntryFactory,
    PositionFactory,
    UserFactory,
)
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 8, 1)


def hold(official, position, start, end=None, primary=True):
    return personnel_services.posting_create(
        official=official,
        position=position,
        title="",
        start_date=start,
        end_date=end,
        is_primary=primary,
    )


class TestUnitCounts:
    @pytest.fixture
    def unit(self):
        parent = OrgUnitFactory(name="Tỉnh ủy")
        unit = OrgUnitFactory(name="Huyện ủy", parent=parent)
        OrgUnitFactory(parent=unit, name="Xã 1")
        OrgUnitFactory(parent=unit, name="Xã 2")
        return unit

    def counts(self, unit, on=TODAY):
        superuser = UserFactory(is_superuser=True)
        (row,) = occupancy.unit_children(superuser, [unit.parent_id], on=on)
        return row.child_count, row.position_count, row.filled_count, row.vacancy_count

    def test_a_post_held_from_its_first_to_its_last_day(self, unit):
        post = PositionFactory(org_unit=unit)
        PositionFactory(org_unit=unit)  # vacant
        PositionFactory(org_unit=unit, is_active=False)  # abolished: neither counted nor vacant
        hold(OfficialFactory(), post, D(2025, 8, 1), D(2025, 12, 31))
        assert self.counts(unit, D(2025, 7, 31)) == (2, 2, 0, 2)
        assert self.counts(unit, D(2025, 8, 1)) == (2, 2, 1, 1)
        assert self.counts(unit, D(2025, 12, 31)) == (2, 2, 1, 1)
        assert self.counts(unit, D(2026, 1, 1)) == (2, 2, 0, 2)

    def test_a_concurrent_holder_does_not_fill_a_post(self, unit):
        post = PositionFactory(org_unit=unit)
        hold(OfficialFactory(), post, D(2020, 1, 1), primary=False)
        assert self.counts(unit) == (2, 1, 0, 1)

    def test_two_holders_fill_one_post_once(self, unit):
        post = PositionFactory(org_unit=unit)
        hold(OfficialFactory(), post, D(2020, 1, 1))
        hold(OfficialFactory(), post, D(2021, 1, 1))
        assert self.counts(unit) == (2, 1, 1, 0)

    def test_the_occupancy_of_a_unit_page(self, unit):
        held, vacant = PositionFactory(org_unit=unit), PositionFactory(org_unit=unit)
        PositionFactory(org_unit=unit, is_active=False)
        holder = OfficialFactory()
        hold(holder, held, D(2020, 1, 1))
        hold(OfficialFactory(), vacant, D(2020, 1, 1), primary=False)
        positions = occupancy.unit_positions(unit, on=TODAY)
        found = occupancy.occupancy_of(positions)
        assert (found.positions, found.filled, found.vacant) == (2, 1, 1)
        by_pk = {p.pk: p for p in positions}
        assert [h.official for h in by_pk[held.pk].holders] == [holder]
        assert by_pk[held.pk].concurrent_holders == []
        assert by_pk[vacant.pk].holders == [] and len(by_pk[vacant.pk].concurrent_holders) == 1
        assert positions[-1].is_active is False  # abolished posts last


class TestTree:
    def test_roots_are_the_top_units_for_a_superuser_and_the_scope_otherwise(self):
        top = OrgUnitFactory(name="Tỉnh ủy")
        district = OrgUnitFactory(name="Huyện ủy", parent=top)
        superuser = UserFactory(is_superuser=True)
        officer = UserFactory(role=Role.OFFICER, scope=district)
        assert list(occupancy.tree_roots(superuser, on=TODAY)) == [top]
        assert list(occupancy.tree_roots(officer, on=TODAY)) == [district]

    def test_children_are_the_units_existing_on_the_day_those_in_force_first(self):
        top = OrgUnitFactory()
        closed = OrgUnitFactory(parent=top, valid_to=TODAY - dt.timedelta(days=1))
        open_ = OrgUnitFactory(parent=top)
        later = OrgUnitFactory(parent=top, valid_from=TODAY + dt.timedelta(days=1))
        superuser = UserFactory(is_superuser=True)
        assert list(occupancy.unit_children(superuser, [top.pk], on=TODAY)) == [open_]
        before = TODAY - dt.timedelta(days=1)
        assert list(occupancy.unit_children(superuser, [top.pk], on=before)) == [open_, closed]
        after = TODAY + dt.timedelta(days=1)
        assert list(occupancy.unit_children(superuser, [top.pk], on=after)) == [open_, later]

    def test_ancestors_shown_are_those_in_scope(self):
        top = OrgUnitFactory()
        district = OrgUnitFactory(parent=top)
        commune = OrgUnitFactory(parent=district)
        officer = UserFactory(role=Role.OFFICER, scope=district)
        superuser = UserFactory(is_superuser=True)
        assert occupancy.ancestors_in_scope(superuser, [commune]) == {commune.pk: [top, district]}
        assert occupancy.ancestors_in_scope(officer, [commune, top]) == {
            commune.pk: [district],
            top.pk: [],
        }
        assert occupancy.ancestors_in_scope(officer, [top]) == {top.pk: []}


class TestOfficialsInService:
    def test_retired_officials_are_not_counted(self, world, make_official):  # noqa: F811
        make_official(unit=world.units.hu_a)
        make_official(unit=world.units.xa_a1)
        retired = make_official(unit=world.units.hu_a)
        Official.objects.filter(pk=retired.pk).update(status=OfficialStatus.RETIRED)
        left = make_official(unit=world.units.xa_a1)
        Official.objects.filter(pk=left.pk).update(status=OfficialStatus.LEFT)
        superuser = UserFactory(is_superuser=True)
        assert occupancy.officials_in_unit(superuser, world.units.hu_a) == {"here": 1, "subtree": 2}

    def test_visible_officials_are_those_in_scope(self, world, make_official):  # noqa: F811
        inside = make_official(unit=world.units.hu_a)
        outside = make_official(unit=world.units.hu_b)
        officer = UserFactory(role=Role.OFFICER, scope=world.units.hu_a)
        make_official(unit=world.units.hu_a)  # visible too, but not asked about
        assert occupancy.visible_official_ids(officer, [inside.pk, outside.pk]) == {inside.pk}
        assert occupancy.visible_official_ids(officer, []) == set()


class TestPlannedCandidates:
    def test_only_the_terms_candidates_in_scope_active_first(self, world, make_official):  # noqa: F811
        post = world.positions.a_secretary
        superuser = UserFactory(is_superuser=True)
        appointed = make_official(full_name="Ba", planned=False)
        PlanningEntryFactory(
            official=appointed, position=post, term="2025-2030", status=PlanningStatus.APPOINTED
        )
        removed = make_official(full_name="An", planned=False)
        PlanningEntryFactory(
            official=removed, position=post, term="2025-2030", status=PlanningStatus.REMOVED
        )
        active = make_official(full_name="Cường")  # planned for a_secretary, 2025-2030
        earlier = make_official(full_name="Dũng", planned=False)
        PlanningEntryFactory(official=earlier, position=post, term="2020-2025")
        other_post = make_official(full_name="Em", planned=False)
        PlanningEntryFactory(official=other_post, position=world.positions.b_secretary)
        found = occupancy.planned_candidates(superuser, post, term="2025-2030")
        assert [entry.official for entry in found] == [active, appointed, removed]
        earlier_term = occupancy.planned_candidates(superuser, post, term="2020-2025")
        assert [entry.official for entry in earlier_term] == [earlier]


class TestDurations:
    @pytest.mark.parametrize(
        ("first", "last", "years", "months", "text"),
        [
            (D(2020, 1, 1), D(2020, 12, 31), 1, 0, "1 năm"),
            (D(2020, 1, 15), D(2020, 2, 13), 0, 0, "dưới 1 tháng"),
            (D(2020, 1, 15), D(2020, 2, 14), 0, 1, "1 tháng"),
            (D(2020, 1, 1), D(2022, 3, 31), 2, 3, "2 năm 3 tháng"),
            (D(2020, 1, 1), D(2020, 1, 1), 0, 0, "dưới 1 tháng"),
        ],
    )
    def test_a_span_counts_both_ends(self, first, last, years, months, text):
        duration = Duration.between(first, last)
        assert (duration.years, duration.months, str(duration)) == (years, months, text)

    def test_the_end_of_the_calendar_does_not_overflow(self):
        assert Duration.between(D(9998, 12, 31), dt.date.max).years == 1

    def test_an_open_span_counts_up_to_today_and_a_reversed_one_is_empty(self):
        assert occupancy.span(D(2024, 8, 1), None, TODAY) == Duration(1, 0)
        assert occupancy.span(D(2024, 8, 1), D(2024, 10, 31), TODAY) == Duration(0, 3)
        assert occupancy.span(D(2025, 9, 1), None, TODAY) == Duration(0, 0)
        assert occupancy.span(D(2025, 8, 1), D(2025, 8, 1), TODAY) == Duration(0, 0)

    @pytest.mark.parametrize(
        ("day", "active"),
        [
            (D(2019, 12, 31), False),
            (D(2020, 1, 1), True),
            (D(2020, 6, 30), True),
            (D(2020, 7, 1), False),
        ],
    )
    def test_a_posting_is_active_from_its_first_to_its_last_day(self, day, active):
        closed = Posting(start_date=D(2020, 1, 1), end_date=D(2020, 6, 30))
        assert occupancy.is_active_on(closed, day) is active
        open_ = Posting(start_date=D(2020, 1, 1), end_date=None)
        assert occupancy.is_active_on(open_, day) is (day >= D(2020, 1, 1))


class TestTimeline:
    @pytest.fixture
    def post(self):
        return PositionFactory()

    def rows(self, post, today=TODAY):
        superuser = UserFactory(is_superuser=True)
        primary, _concurrent = occupancy.position_postings(superuser, post)
        return [
            (row.start, row.end, row.is_gap, row.is_current)
            for row in occupancy.position_timeline(primary, today=today)
        ]

    def test_adjacent_holders_leave_no_gap_and_a_one_day_break_is_one(self, post):
        hold(OfficialFactory(), post, D(2010, 1, 1), D(2012, 12, 31))
        hold(OfficialFactory(), post, D(2013, 1, 1), D(2014, 6, 30))
        hold(OfficialFactory(), post, D(2014, 7, 2))
        assert self.rows(post) == [
            (D(2014, 7, 2), None, False, True),
            (D(2014, 7, 1), D(2014, 7, 1), True, False),
            (D(2013, 1, 1), D(2014, 6, 30), False, False),
            (D(2010, 1, 1), D(2012, 12, 31), False, False),
        ]

    def test_overlapping_holders_cover_up_to_the_latest_end(self, post):
        hold(OfficialFactory(), post, D(2015, 1, 1), D(2016, 12, 31))
        hold(OfficialFactory(), post, D(2015, 6, 1), D(2015, 12, 31))  # a deputy's short stint
        hold(OfficialFactory(), post, D(2017, 3, 1), D(2025, 7, 31))
        assert self.rows(post) == [
            (D(2025, 8, 1), None, True, True),  # vacant from the day after, up to now
            (D(2017, 3, 1), D(2025, 7, 31), False, False),
            (D(2017, 1, 1), D(2017, 2, 28), True, False),
            (D(2015, 6, 1), D(2015, 12, 31), False, False),
            (D(2015, 1, 1), D(2016, 12, 31), False, False),
        ]

    def test_a_holder_without_an_end_covers_every_later_day(self, post):
        hold(OfficialFactory(), post, D(2015, 1, 1))
        hold(OfficialFactory(), post, D(2020, 1, 1), D(2020, 12, 31))
        assert [row[2] for row in self.rows(post)] == [False, False]

    def test_a_post_left_today_is_not_yet_vacant(self, post):
        hold(OfficialFactory(), post, D(2015, 1, 1), TODAY)
        assert self.rows(post) == [(D(2015, 1, 1), TODAY, False, False)]

    def test_concurrent_holders_are_listed_apart_without_gaps(self, post):
        primary = hold(OfficialFactory(), post, D(2015, 1, 1))
        concurrent = hold(OfficialFactory(), post, D(2016, 1, 1), D(2017, 12, 31), primary=False)
        superuser = UserFactory(is_superuser=True)
        held, beside = occupancy.position_postings(superuser, post)
        assert (held, beside) == ([primary], [concurrent])
        (row,) = occupancy.posting_entries(beside, today=TODAY)
        assert (row.start, row.end, row.posting, row.duration) == (
            D(2016, 1, 1),
            D(2017, 12, 31),
            concurrent,
            Duration(2, 0),
        )
