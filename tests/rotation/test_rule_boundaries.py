"""Each rule at its boundary: the last day it is quiet and the first day it fires.

The cases pin what the regulation says, not how the rule is written: a threshold moved
by one month, ``>=`` written ``>``, or a filter losing its ``official_id=`` changes an
answer here.
"""

import datetime as dt

import pytest

from personnel import services as personnel_services
from personnel.choices import Gender
from rotation import rules, services
from rotation.choices import MovementKind
from rotation.models import Movement
from tests.factories import OfficialFactory, OrgUnitFactory, PlanningEntryFactory, PositionFactory

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


# A man born 10/01/1985 reaches 62 in 2047 and retires on 31/01/2047.
BORN = D(1985, 1, 10)


class TestWorkingLifeThresholds:
    @pytest.mark.parametrize(
        ("on", "fires", "left"),
        [
            (D(2037, 1, 31), False, None),  # exactly 10 years (120 months) left
            (D(2037, 2, 1), True, "9 năm 11 tháng"),
            (D(2036, 12, 1), False, None),
        ],
    )
    def test_ten_years_for_a_rotation(self, world, make_official, on, fires, left):
        official = make_official(date_of_birth=BORN, gender=Gender.MALE)
        findings = rules.check_working_life_left(
            movement(official, world.positions.b_deputy, on=on), P
        )
        assert codes(findings) == (["working_life_left"] if fires else [])
        if fires:
            message = findings[0].message
            assert left in message and "31/01/2047" in message and "ít nhất 10 năm" in message

    @pytest.mark.parametrize(
        ("on", "fires"),
        [(D(2042, 1, 31), False), (D(2042, 2, 1), True)],  # 60 months left, then 59
    )
    @pytest.mark.parametrize("kind", [MovementKind.ROTATION, MovementKind.TRANSFER])
    def test_five_years_when_the_move_serves_the_non_local_or_two_term_rules(
        self, world, make_official, on, fires, kind
    ):
        official = make_official(date_of_birth=BORN, gender=Gender.MALE)
        serving = movement(
            official,
            world.positions.b_deputy,
            kind=kind,
            on=on,
            serves_non_local_or_term_limit=True,
        )
        findings = rules.check_working_life_left(serving, P)
        assert codes(findings) == (["working_life_left"] if fires else [])
        if fires:
            assert (
                "4 năm 11 tháng" in findings[0].message and "ít nhất 5 năm" in findings[0].message
            )

    def test_a_plain_transfer_is_not_held_to_any_threshold(self, world, make_official):
        official = make_official(date_of_birth=BORN, gender=Gender.MALE)
        transfer = movement(official, world.positions.b_deputy, kind=MovementKind.TRANSFER)
        transfer.effective_on = D(2046, 1, 1)
        assert rules.check_working_life_left(transfer, P) == []

    def test_thresholds_come_from_the_parameters(self, world, make_official):
        official = make_official(date_of_birth=BORN, gender=Gender.MALE)
        move = movement(official, world.positions.b_deputy, on=D(2040, 1, 1))
        assert codes(rules.check_working_life_left(move, P)) == ["working_life_left"]
        assert rules.check_working_life_left(move, rules.RuleParameters(min_working_years=7)) == []


class TestPlanningTerm:
    @pytest.mark.parametrize(
        ("on", "fires"),
        [
            (D(2024, 12, 31), True),
            (D(2025, 1, 1), False),  # the first year of the term 2025-2030
            (D(2030, 12, 31), False),  # its last year
            (D(2031, 1, 1), True),
        ],
    )
    def test_a_planning_entry_covers_every_year_of_its_term(self, world, make_official, on, fires):
        official = make_official()  # planned for 2025-2030
        findings = rules.check_in_planning(movement(official, world.positions.b_deputy, on=on), P)
        assert codes(findings) == (["not_in_planning"] if fires else [])
        if fires:
            assert str(on.year) in findings[0].message

    def test_someone_elses_planning_does_not_count(self, world, make_official):
        make_official()  # planned for 2025-2030
        official = make_official(planned=False)
        assert codes(rules.check_in_planning(movement(official, world.positions.b_deputy), P)) == [
            "not_in_planning"
        ]

    def test_any_of_several_terms_counts(self, world, make_official):
        official = make_official()
        PlanningEntryFactory(official=official, position=world.positions.b_deputy, term="2020-2025")
        on = movement(official, world.positions.b_deputy, on=D(2022, 6, 1))
        assert rules.check_in_planning(on, P) == []


class TestTerms:
    @pytest.mark.parametrize(("months", "fires"), [(35, True), (36, False), (37, False)])
    def test_a_rotation_lasts_at_least_36_months(self, world, make_official, months, fires):
        official = make_official()
        findings = rules.check_rotation_term(
            movement(official, world.positions.b_deputy, term=months), P
        )
        assert codes(findings) == (["rotation_term_short"] if fires else [])
        if fires:
            assert "35 tháng" in findings[0].message and "36 tháng" in findings[0].message

    @pytest.mark.parametrize(
        ("months", "expected"),
        [(35, []), (36, []), (37, ["secondment_too_long"]), (None, ["secondment_term_missing"])],
    )
    def test_a_secondment_lasts_at_most_36_months(self, world, make_official, months, expected):
        official = make_official()
        secondment = movement(
            official, world.positions.b_deputy, kind=MovementKind.SECONDMENT, term=months
        )
        findings = rules.check_secondment_term(secondment, P)
        assert codes(findings) == expected
        if expected:
            assert "36 tháng" in findings[0].message

    def test_other_kinds_have_no_term_rule(self, world, make_official):
        official = make_official()
        transfer = movement(official, world.positions.b_deputy, kind=MovementKind.TRANSFER, term=1)
        assert rules.check_rotation_term(transfer, P) == []
        assert rules.check_secondment_term(transfer, P) == []
        rotation = movement(official, world.positions.b_deputy, term=None)
        assert rules.check_secondment_term(rotation, P) == []


class TestNonLocalPlaces:
    def test_an_unknown_hometown_with_a_birthplace_elsewhere_is_not_local(
        self, world, make_official
    ):
        official = make_official(hometown=None, birthplace=world.localities.b)
        assert rules.check_non_local(movement(official, world.positions.a_chair), P) == []

    def test_local_by_hometown_alone_with_a_birthplace_elsewhere(self, world, make_official):
        official = make_official(hometown=world.localities.a, birthplace=world.localities.b)
        findings = rules.check_non_local(movement(official, world.positions.a_chair), P)
        assert codes(findings) == ["non_local_required"]
        assert "Chủ tịch UBND huyện A" in findings[0].message

    def test_a_unit_that_governs_no_locality_has_no_local_cadres(self, world, make_official):
        unit = OrgUnitFactory(locality=None, sector=world.sectors.party)
        post = PositionFactory(org_unit=unit, title="Chánh Thanh tra", requires_non_local=True)
        official = make_official(hometown=world.localities.a, birthplace=world.localities.a)
        assert rules.check_non_local(movement(official, post), P) == []


class TestPostHeld:
    def test_a_holder_of_another_post_does_not_fill_this_one(self, world, make_official):
        make_official(position=world.positions.b_deputy)
        official = make_official()
        assert rules.check_position_vacant(movement(official, world.positions.b_secretary), P) == []

    def test_a_concurrent_holder_does_not_fill_the_post(self, world, make_official):
        other = make_official()
        personnel_services.posting_create(
            official=other,
            position=world.positions.b_secretary,
            title="",
            start_date=D(2020, 1, 1),
            is_primary=False,
        )
        official = make_official()
        assert rules.check_position_vacant(movement(official, world.positions.b_secretary), P) == []

    @pytest.mark.parametrize(
        ("since", "until", "fires"),
        [
            (D(2025, 8, 1), None, True),  # starts on the effective date
            (D(2025, 8, 2), None, False),  # starts the day after
            (D(2020, 1, 1), D(2025, 8, 1), True),  # leaves on the effective date (its last day)
            (D(2020, 1, 1), D(2025, 7, 31), False),
        ],
    )
    def test_the_holder_on_the_effective_date(self, world, make_official, since, until, fires):
        holder = make_official(position=world.positions.b_secretary, since=since)
        if until:
            personnel_services.posting_close(posting=holder.current_posting, end_date=until)
        official = make_official()
        findings = rules.check_position_vacant(movement(official, world.positions.b_secretary), P)
        assert codes(findings) == (["position_held"] if fires else [])
        if fires:
            assert findings[0].holder_id == holder.pk
            assert findings[0].params["since"] == since.strftime("%d/%m/%Y")

    def test_the_official_already_in_the_post_does_not_block_himself(self, world, make_official):
        holder = make_official(position=world.positions.b_secretary)
        reappointment = movement(holder, world.positions.b_secretary, kind=MovementKind.TRANSFER)
        assert rules.check_position_vacant(reappointment, P) == []


class TestPostLeftBySameDecision:
    @pytest.fixture
    def decision(self, world):
        return services.decision_create(
            number="9-QĐ/TU", issued_by=world.units.province, title="Điều động", created_by=None
        )

    def add(self, decision, official, position, on):
        return services.movement_add(
            decision=decision,
            official=official,
            kind=MovementKind.TRANSFER,
            to_position=position,
            effective_on=on,
            term_months=None,
        )

    def test_a_holder_leaving_on_the_same_day_frees_the_post(self, world, make_official, decision):
        holder = make_official(position=world.positions.b_secretary)
        self.add(decision, holder, world.positions.b_deputy, D(2025, 8, 1))
        incoming = self.add(decision, make_official(), world.positions.b_secretary, D(2025, 8, 1))
        assert rules.check_position_vacant(incoming, P) == []

    def test_a_holder_leaving_later_still_holds_it(self, world, make_official, decision):
        holder = make_official(position=world.positions.b_secretary)
        self.add(decision, holder, world.positions.b_deputy, D(2025, 9, 1))
        incoming = self.add(decision, make_official(), world.positions.b_secretary, D(2025, 8, 1))
        assert codes(rules.check_position_vacant(incoming, P)) == ["position_held"]

    def test_a_movement_with_no_posting_to_leave_frees_nothing(
        self, world, make_official, decision
    ):
        make_official(position=world.positions.b_secretary)
        newcomer = OfficialFactory(hometown=world.localities.outside)  # no posting yet
        self.add(decision, newcomer, world.positions.b_deputy, D(2025, 7, 1))
        incoming = self.add(decision, make_official(), world.positions.b_secretary, D(2025, 8, 1))
        assert codes(rules.check_position_vacant(incoming, P)) == ["position_held"]


class TestTwoTermDate:
    @pytest.mark.parametrize(
        ("on", "fires"),
        [(D(2024, 12, 31), False), (D(2025, 1, 1), True)],  # eight years from 01/01/2017
    )
    def test_eight_years_are_reached_on_the_anniversary(self, world, make_official, on, fires):
        official = make_official(position=world.positions.b_secretary, since=D(2017, 1, 1))
        reappoint = movement(
            official, world.positions.b_secretary, kind=MovementKind.REAPPOINTMENT, on=on
        )
        findings = rules.check_two_term_limit(reappoint, P)
        assert codes(findings) == (["two_term_limit"] if fires else [])
        if fires:
            assert "01/01/2017" in findings[0].message and "8 năm" in findings[0].message

    @pytest.mark.parametrize(
        ("last_day", "fires"),
        [(D(2024, 12, 31), True), (D(2024, 12, 30), False)],
    )
    def test_a_tenure_ending_the_day_before_the_move_still_counts(
        self, world, make_official, last_day, fires
    ):
        official = make_official(position=world.positions.b_secretary, since=D(2017, 1, 1))
        personnel_services.posting_close(posting=official.current_posting, end_date=last_day)
        reappoint = movement(
            official, world.positions.b_secretary, kind=MovementKind.REAPPOINTMENT, on=D(2025, 1, 1)
        )
        assert codes(rules.check_two_term_limit(reappoint, P)) == (
            ["two_term_limit"] if fires else []
        )

    def test_only_the_officials_own_tenure_counts(self, world, make_official):
        make_official(position=world.positions.b_secretary, since=D(2010, 1, 1))
        newcomer = make_official(position=world.positions.b_deputy, since=D(2010, 1, 1))
        move = movement(newcomer, world.positions.b_secretary, on=D(2025, 1, 1))
        assert rules.check_two_term_limit(move, P) == []


class TestMessagesAndParameters:
    def test_a_finding_without_a_named_form_has_no_named_message(self):
        assert rules.message_with_holder({"code": "two_term_limit", "params": {}}, "X") is None
        held = {"code": "position_held", "params": None}
        assert rules.message_with_holder(held, "X") is None

    def test_evaluate_uses_the_settings_unless_given_parameters(
        self, world, make_official, settings
    ):
        official = make_official()
        short = movement(official, world.positions.b_deputy, term=24)
        assert "rotation_term_short" in codes(rules.evaluate(short))
        settings.ROTATION_RULES = {"min_rotation_months": 12}
        assert "rotation_term_short" not in codes(rules.evaluate(short))
        assert "rotation_term_short" in codes(rules.evaluate(short, P))
