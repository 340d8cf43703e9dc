"""Movements of a draft decision through rotation.services: the posting left, the term's
last day, the checks that make a movement wrong, and who may add, edit or remove one."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.choices import Role
from personnel import services as personnel_services
from personnel.dates import LATEST
from personnel.models import Posting
from rotation import services
from rotation.choices import DecisionStatus, MovementKind
from rotation.models import Movement
from tests.factories import UserFactory

D = dt.date


@pytest.fixture
def decision(world):
    return services.decision_create(
        number="21-QĐ/TU",
        issued_by=world.units.province,
        title="Luân chuyển cán bộ",
        created_by=world.officer,
    )


@pytest.fixture
def secretary_a(world, make_official):
    return make_official(position=world.positions.a_secretary, since=D(2020, 1, 1))


@pytest.fixture
def secretary_b(world, make_official):
    return make_official(position=world.positions.b_secretary, since=D(2019, 6, 1))


@pytest.fixture
def outsider(world):
    return UserFactory(scope=world.units.hu_b, role=Role.OFFICER)


@pytest.fixture
def viewer(world):
    return UserFactory(scope=world.units.province, role=Role.VIEWER)


def add(decision, official, position, kind=MovementKind.ROTATION, on=D(2025, 8, 1), term=60, **kw):
    return services.movement_add(
        decision=decision,
        official=official,
        kind=kind,
        to_position=position,
        effective_on=on,
        term_months=term,
        **kw,
    )


def codes(movement):
    movement.refresh_from_db()
    return {f["code"] for f in movement.findings}


class TestExpectedEnd:
    def test_a_term_may_end_on_the_last_accepted_day(self):
        assert services.expected_end(D(2096, 1, 1), 60) == LATEST

    def test_a_term_ending_after_the_last_accepted_day_is_refused(self):
        with pytest.raises(ValidationError) as caught:
            services.expected_end(D(2096, 1, 2), 60)
        assert "term_months" in caught.value.message_dict

    def test_a_term_past_the_calendar_is_refused(self):
        with pytest.raises(ValidationError) as caught:
            services.expected_end(D(2025, 1, 1), 12 * 9000)
        assert "term_months" in caught.value.message_dict

    def test_a_start_outside_the_accepted_dates_is_refused(self):
        with pytest.raises(ValidationError) as caught:
            services.expected_end(D(1, 1, 1), 12)
        assert "effective_on" in caught.value.message_dict


class TestPostingLeft:
    @pytest.fixture
    def three_postings(self, world, make_official):
        """A until 30/07, B from 31/07 to 01/08, C from 02/08 (2025)."""
        official = make_official(position=world.positions.a_deputy, since=D(2018, 1, 1))
        first = official.current_posting
        personnel_services.posting_close(posting=first, end_date=D(2025, 7, 30))
        second = personnel_services.posting_create(
            official=official,
            position=world.positions.b_deputy,
            title="",
            start_date=D(2025, 7, 31),
            end_date=D(2025, 8, 1),
        )
        third = personnel_services.posting_create(
            official=official,
            position=world.positions.a1_secretary,
            title="",
            start_date=D(2025, 8, 2),
        )
        return official, first, second, third

    def test_the_posting_left_is_the_one_held_the_day_before(self, three_postings):
        official, _first, second, _third = three_postings
        for on in (D(2025, 8, 1), D(2025, 8, 2)):
            left = services.movement_from_posting(official_id=official.pk, effective_on=on)
            assert left == second, on

    def test_a_posting_begun_two_days_before_may_be_left(self, world, decision, make_official):
        official = make_official(unit=world.units.hu_b, since=D(2025, 7, 30))
        movement = add(decision, official, world.positions.a_deputy, on=D(2025, 8, 1))
        assert movement.from_posting == official.current_posting


class TestAdd:
    def test_the_choices_made_are_kept(self, world, decision, secretary_a):
        movement = add(
            decision,
            secretary_a,
            world.positions.b_deputy,
            serves_non_local_or_term_limit=True,
            note="Theo đề án",
        )
        movement.refresh_from_db()
        assert movement.serves_non_local_or_term_limit is True
        assert movement.note == "Theo đề án"

    def test_an_effective_date_is_required(self, world, decision, secretary_a):
        with pytest.raises(ValidationError, match="Chưa nhập ngày có hiệu lực") as caught:
            add(decision, secretary_a, world.positions.b_deputy, on=None)
        assert "effective_on" in caught.value.message_dict

    def test_an_effective_date_outside_the_accepted_dates_is_refused(
        self, world, decision, secretary_a
    ):
        for on in (D(1, 1, 1), D(1800, 1, 1)):
            with pytest.raises(ValidationError) as caught:
                add(decision, secretary_a, world.positions.b_deputy, on=on, term=None)
            assert "effective_on" in caught.value.message_dict
        assert not Movement.objects.exists()

    def test_a_post_no_longer_used_cannot_be_the_destination(self, world, decision, secretary_a):
        position = world.positions.b_deputy
        position.is_active = False
        position.save(update_fields=["is_active"])
        with pytest.raises(ValidationError) as caught:
            add(decision, secretary_a, position)
        assert "to_position" in caught.value.message_dict

    def test_an_unknown_kind_is_refused(self, world, decision, secretary_a):
        with pytest.raises(ValidationError) as caught:
            add(decision, secretary_a, world.positions.b_deputy, kind="exile")
        assert "kind" in caught.value.message_dict
        assert not Movement.objects.exists()

    def test_a_viewer_cannot_add(self, world, decision, secretary_a, viewer):
        with pytest.raises(PermissionDenied):
            add(decision, secretary_a, world.positions.b_deputy, by=viewer)
        assert not Movement.objects.exists()

    def test_an_outsider_cannot_add(self, world, decision, secretary_a, outsider):
        with pytest.raises(PermissionDenied):
            add(decision, secretary_a, world.positions.b_deputy, by=outsider)
        assert not Movement.objects.exists()


class TestValidate:
    def test_a_movement_without_an_effective_date_is_wrong(self, world, decision, secretary_a):
        movement = Movement(
            decision=decision,
            official=secretary_a,
            kind=MovementKind.TRANSFER,
            to_position=world.positions.b_deputy,
            effective_on=None,
        )
        with pytest.raises(ValidationError) as caught:
            services.movement_validate(movement)
        assert "effective_on" in caught.value.message_dict


class TestFindings:
    def test_refreshing_the_findings_keeps_an_edit_made_meanwhile(
        self, world, decision, secretary_a
    ):
        movement = add(decision, secretary_a, world.positions.b_deputy)
        stale = Movement.objects.get(pk=movement.pk)
        Movement.objects.filter(pk=movement.pk).update(note="sửa cùng lúc")
        services.refresh_findings(stale)
        movement.refresh_from_db()
        assert movement.note == "sửa cùng lúc"

    def test_a_swap_partner_is_rechecked_when_the_post_is_no_longer_freed(
        self, world, decision, secretary_a, secretary_b
    ):
        leaving_b = add(decision, secretary_b, world.positions.a_deputy)
        into_b = add(decision, secretary_a, world.positions.b_secretary)
        assert "position_held" not in codes(into_b)
        services.movement_update(
            movement=leaving_b, from_posting=None, origin_position=world.positions.b_secretary
        )
        assert "position_held" in codes(into_b)


class TestUpdate:
    @pytest.fixture
    def movement(self, world, decision, secretary_a):
        return add(decision, secretary_a, world.positions.b_deputy)

    def test_a_viewer_cannot_edit(self, movement, viewer):
        with pytest.raises(PermissionDenied):
            services.movement_update(movement=movement, note="sửa", by=viewer)
        assert Movement.objects.get(pk=movement.pk).note == ""

    def test_an_outsider_cannot_edit(self, movement, outsider):
        with pytest.raises(PermissionDenied):
            services.movement_update(movement=movement, note="sửa", by=outsider)
        assert Movement.objects.get(pk=movement.pk).note == ""

    def test_the_official_cannot_be_changed(self, movement, secretary_b):
        with pytest.raises(TypeError, match="unexpected fields"):
            services.movement_update(movement=movement, official=secretary_b)
        assert Movement.objects.get(pk=movement.pk).official_id != secretary_b.pk

    def test_only_a_draft_is_edited(self, world, decision, movement):
        services.decision_request_consultations(decision=decision, notify=False)
        with pytest.raises(ValidationError, match="sửa lượt điều chuyển"):
            services.movement_update(movement=movement, note="sửa", by=world.officer)
        assert Movement.objects.get(pk=movement.pk).note == ""

    def test_the_effective_date_cannot_be_emptied(self, movement):
        with pytest.raises(ValidationError) as caught:
            services.movement_update(movement=movement, effective_on=None)
        assert "effective_on" in caught.value.message_dict
        assert Movement.objects.get(pk=movement.pk).effective_on == D(2025, 8, 1)


class TestRemove:
    @pytest.fixture
    def movement(self, world, decision, secretary_a):
        return add(decision, secretary_a, world.positions.b_deputy)

    def test_a_viewer_cannot_remove(self, movement, viewer):
        with pytest.raises(PermissionDenied):
            services.movement_remove(movement=movement, by=viewer)
        assert Movement.objects.filter(pk=movement.pk).exists()

    def test_an_outsider_cannot_remove(self, movement, outsider):
        with pytest.raises(PermissionDenied):
            services.movement_remove(movement=movement, by=outsider)
        assert Movement.objects.filter(pk=movement.pk).exists()

    def test_only_a_draft_loses_movements(self, world, decision, movement):
        services.decision_approve(decision=decision, signed_on=D(2025, 7, 1), notify=False)
        with pytest.raises(ValidationError, match="xóa lượt điều chuyển"):
            services.movement_remove(movement=movement, by=world.officer)
        assert Movement.objects.filter(pk=movement.pk).exists()
        assert decision.__class__.objects.get(pk=decision.pk).status == DecisionStatus.APPROVED
        assert Posting.objects.filter(official=movement.official).count() == 1
