"""Each regulation rule: a case that fires and one that does not."""

import datetime as dt

from personnel import services as personnel_services
from personnel.choices import Gender, PlanningStatus
from rotation import rules
from rotation.choices import MovementKind
from rotation.models import Movement
from tests.factories import PlanningEntryFactory

D = dt.date
P = rules.RuleParameters()


def movement(official, position, kind=MovementKind.ROTATION, on=D(2025, 8, 1), term=60, **extra):
    return Movement(
        official=official,
        to_position=position,
        kind=kind,
        effective_on=on,
        term_months=term,
        **extra,
    )


def codes(findings):
    return [f.code for f in findings]


class TestWorkingLifeLeft:
    def test_fires_with_the_retirement_date_when_less_than_ten_years(self, world, make_official):
        # A man born 1/1968 retires at 62 on 31/01/2030: under 5 years left in 2025.
        official = make_official(date_of_birth=D(1968, 1, 10), gender=Gender.MALE)
        findings = rules.check_working_life_left(movement(official, world.positions.b_deputy), P)
        assert codes(findings) == ["working_life_left"]
        assert "31/01/2030" in findings[0].message

    def test_quiet_with_more_than_ten_years(self, world, make_official):
        official = make_official(date_of_birth=D(1985, 1, 10))
        assert rules.check_working_life_left(movement(official, world.positions.b_deputy), P) == []

    def test_one_term_suffices_for_non_local_moves(self, world, make_official):
        # A woman born 5/1974 retires 31/01/2034 (59y8m): 8.5 years left on 1/8/2025.
        official = make_official(date_of_birth=D(1974, 5, 1), gender=Gender.FEMALE)
        plain = movement(official, world.positions.b_deputy)
        assert codes(rules.check_working_life_left(plain, P)) == ["working_life_left"]
        non_local = movement(
            official, world.positions.b_deputy, serves_non_local_or_term_limit=True
        )
        assert rules.check_working_life_left(non_local, P) == []

    def test_transfers_are_not_held_to_it(self, world, make_official):
        official = make_official(date_of_birth=D(1968, 1, 10))
        assert (
            rules.check_working_life_left(
                movement(official, world.positions.b_deputy, kind=MovementKind.TRANSFER), P
            )
            == []
        )


class TestPlanning:
    def test_fires_for_a_rotation_of_a_cadre_not_in_planning(self, world, make_official):
        official = make_official(planned=False)
        assert codes(rules.check_in_planning(movement(official, world.positions.b_deputy), P)) == [
            "not_in_planning"
        ]

    def test_quiet_when_planned_for_the_term(self, world, make_official):
        official = make_official()
        assert rules.check_in_planning(movement(official, world.positions.b_deputy), P) == []

    def test_removed_or_past_planning_does_not_count(self, world, make_official):
        official = make_official(planned=False)
        PlanningEntryFactory(
            official=official,
            position=world.positions.b_deputy,
            term="2020-2025",
            status=PlanningStatus.ACTIVE,
        )
        PlanningEntryFactory(
            official=official,
            position=world.positions.a_deputy,
            term="2025-2030",
            status=PlanningStatus.REMOVED,
        )
        on_2026 = movement(official, world.positions.b_deputy, on=D(2026, 1, 1))
        assert codes(rules.check_in_planning(on_2026, P)) == ["not_in_planning"]

    def test_transfers_need_no_planning(self, world, make_official):
        official = make_official(planned=False)
        assert (
            rules.check_in_planning(
                movement(official, world.positions.b_deputy, kind=MovementKind.TRANSFER), P
            )
            == []
        )


class TestDurations:
    def test_rotation_shorter_than_36_months_fires(self, world, make_official):
        official = make_official()
        assert codes(
            rules.check_rotation_term(movement(official, world.positions.b_deputy, term=24), P)
        ) == ["rotation_term_short"]
        assert (
            rules.check_rotation_term(movement(official, world.positions.b_deputy, term=36), P)
            == []
        )

    def test_rotation_without_a_term_fires(self, world, make_official):
        official = make_official()
        assert codes(
            rules.check_rotation_term(movement(official, world.positions.b_deputy, term=None), P)
        ) == ["rotation_term_missing"]

    def test_secondment_longer_than_36_months_fires(self, world, make_official):
        official = make_official()
        long = movement(official, world.positions.b_deputy, kind=MovementKind.SECONDMENT, term=48)
        assert codes(rules.check_secondment_term(long, P)) == ["secondment_too_long"]
        short = movement(official, world.positions.b_deputy, kind=MovementKind.SECONDMENT, term=36)
        assert rules.check_secondment_term(short, P) == []


class TestNonLocal:
    def test_fires_when_hometown_lies_in_the_unit_locality(self, world, make_official):
        official = make_official(hometown=world.localities.a1)  # a commune of district A
        findings = rules.check_non_local(movement(official, world.positions.a_chair), P)
        assert codes(findings) == ["non_local_required"]

    def test_birthplace_counts_too(self, world, make_official):
        official = make_official(birthplace=world.localities.a)
        assert codes(rules.check_non_local(movement(official, world.positions.a_secretary), P)) == [
            "non_local_required"
        ]

    def test_quiet_for_someone_from_elsewhere_or_a_post_without_the_requirement(
        self, world, make_official
    ):
        outsider = make_official(hometown=world.localities.b)
        assert rules.check_non_local(movement(outsider, world.positions.a_chair), P) == []
        local = make_official(hometown=world.localities.a1)
        assert rules.check_non_local(movement(local, world.positions.a_deputy), P) == []

    def test_local_test_is_configurable(self, world, make_official, settings):
        settings.ROTATION_LOCAL_TEST = "tests.rotation.test_rules.nobody_is_local"
        official = make_official(hometown=world.localities.a1)
        assert rules.check_non_local(movement(official, world.positions.a_chair), P) == []


def nobody_is_local(official, unit):
    return False


class TestPositionHeld:
    def test_fires_when_someone_holds_the_post_on_the_effective_date(self, world, make_official):
        holder = make_official(position=world.positions.b_secretary, full_name="Trần Văn Giữ")
        official = make_official()
        findings = rules.check_position_vacant(movement(official, world.positions.b_secretary), P)
        assert codes(findings) == ["position_held"]
        assert findings[0].holder_id == holder.pk

    def test_stored_message_does_not_name_the_holder(self, world, make_official):
        holder = make_official(position=world.positions.b_secretary, full_name="Trần Văn Giữ")
        official = make_official()
        (finding,) = rules.check_position_vacant(movement(official, world.positions.b_secretary), P)
        stored = finding.as_dict()
        assert "Trần Văn Giữ" not in str(stored)
        assert "đang có người đảm nhiệm" in stored["message"]
        named = rules.message_with_holder(stored, holder.full_name)
        assert "đang do Trần Văn Giữ đảm nhiệm" in named and "Bí thư Huyện ủy B" in named

    def test_quiet_when_the_holder_left_before(self, world, make_official):
        holder = make_official(position=world.positions.b_secretary)
        personnel_services.posting_close(posting=holder.current_posting, end_date=D(2025, 7, 31))
        official = make_official()
        assert rules.check_position_vacant(movement(official, world.positions.b_secretary), P) == []


class TestTwoTermLimit:
    def test_fires_for_a_head_reappointed_after_eight_years(self, world, make_official):
        official = make_official(position=world.positions.b_secretary, since=D(2017, 1, 1))
        reappoint = movement(
            official, world.positions.b_secretary, kind=MovementKind.REAPPOINTMENT, on=D(2025, 1, 1)
        )
        assert codes(rules.check_two_term_limit(reappoint, P)) == ["two_term_limit"]

    def test_consecutive_postings_at_the_same_post_are_one_tenure(self, world, make_official):
        official = make_official(position=world.positions.b_secretary, since=D(2016, 6, 1))
        personnel_services.posting_close(posting=official.current_posting, end_date=D(2021, 5, 31))
        personnel_services.posting_create(
            official=official,
            position=world.positions.b_secretary,
            title="",
            start_date=D(2021, 6, 1),
        )
        reappoint = movement(
            official, world.positions.b_secretary, kind=MovementKind.REAPPOINTMENT, on=D(2024, 7, 1)
        )
        assert codes(rules.check_two_term_limit(reappoint, P)) == ["two_term_limit"]

    def test_quiet_under_eight_years_or_for_deputies(self, world, make_official):
        official = make_official(position=world.positions.b_secretary, since=D(2019, 1, 1))
        reappoint = movement(
            official, world.positions.b_secretary, kind=MovementKind.REAPPOINTMENT, on=D(2025, 1, 1)
        )
        assert rules.check_two_term_limit(reappoint, P) == []
        deputy = make_official(position=world.positions.b_deputy, since=D(2010, 1, 1))
        assert (
            rules.check_two_term_limit(
                movement(deputy, world.positions.b_deputy, on=D(2025, 1, 1)), P
            )
            == []
        )


def test_parameters_come_from_settings(settings):
    settings.ROTATION_RULES = {"min_rotation_months": 24}
    assert rules.parameters().min_rotation_months == 24
