"""Decisions through rotation.services: creating, editing, consulting, approving and
cancelling, each with its role, its scope and the statuses it is allowed in."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.choices import Role
from accounts.models import AuditEvent
from personnel.models import PlanningEntry
from rotation import services
from rotation.choices import ConsultationOpinion, DecisionStatus, MovementKind
from rotation.models import Consultation, Decision
from tests.factories import OrgUnitFactory, UserFactory

D = dt.date


@pytest.fixture
def decision(world):
    return services.decision_create(
        number="12-QĐ/TU",
        issued_by=world.units.province,
        title="Luân chuyển cán bộ",
        created_by=world.officer,
    )


@pytest.fixture
def secretary_a(world, make_official):
    return make_official(position=world.positions.a_secretary, since=D(2020, 1, 1))


@pytest.fixture
def outsider(world):
    """An officer and approver of district B: the province's decisions are not theirs."""
    return UserFactory(scope=world.units.hu_b, role=Role.APPROVER)


@pytest.fixture
def viewer(world):
    return UserFactory(scope=world.units.province, role=Role.VIEWER)


def add(decision, official, position, on=D(2025, 8, 1), term=60):
    return services.movement_add(
        decision=decision,
        official=official,
        kind=MovementKind.ROTATION,
        to_position=position,
        effective_on=on,
        term_months=term,
    )


def codes(movement):
    movement.refresh_from_db()
    return {f["code"] for f in movement.findings}


def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


class TestCreate:
    def test_the_signed_date_note_and_creator_are_kept(self, world):
        decision = services.decision_create(
            number="1-QĐ/TU",
            issued_by=world.units.province,
            title="Điều động",
            signed_on=D(2025, 6, 1),
            note="Theo Kết luận của Ban Thường vụ",
            created_by=world.officer,
        )
        decision.refresh_from_db()
        assert decision.signed_on == D(2025, 6, 1)
        assert decision.note == "Theo Kết luận của Ban Thường vụ"
        assert decision.created_by == world.officer

    def test_a_number_taken_by_the_issuer_is_an_error_of_the_number(self, world, decision):
        with pytest.raises(ValidationError) as caught:
            services.decision_create(
                number="12-QĐ/TU", issued_by=world.units.province, title="Khác"
            )
        assert list(caught.value.message_dict) == ["number"]


class TestUpdate:
    def test_an_edit_is_saved_with_its_text_trimmed(self, world, decision):
        services.decision_update(
            decision=decision, title="  Điều động đợt 2 ", note="ghi chú", by=world.officer
        )
        decision.refresh_from_db()
        assert (decision.title, decision.note) == ("Điều động đợt 2", "ghi chú")

    def test_keeping_its_own_number_is_no_clash(self, world, decision):
        services.decision_create(number="13-QĐ/TU", issued_by=world.units.province, title="Khác")
        services.decision_update(decision=decision, number="12-QĐ/TU", title="Sửa")
        decision.refresh_from_db()
        assert decision.title == "Sửa"

    def test_another_issuers_number_is_no_clash(self, world, decision):
        services.decision_create(number="14-QĐ/HU", issued_by=world.units.hu_a, title="Khác")
        services.decision_update(decision=decision, number="14-QĐ/HU")
        decision.refresh_from_db()
        assert decision.number == "14-QĐ/HU"

    def test_a_number_the_issuer_already_used_is_refused(self, world, decision):
        services.decision_create(number="13-QĐ/TU", issued_by=world.units.province, title="Khác")
        with pytest.raises(ValidationError) as caught:
            services.decision_update(decision=decision, number=" 13-QĐ/TU ")
        assert list(caught.value.message_dict) == ["number"]
        decision.refresh_from_db()
        assert decision.number == "12-QĐ/TU"

    def test_an_empty_title_is_refused(self, decision):
        with pytest.raises(ValidationError) as caught:
            services.decision_update(decision=decision, title="   ")
        assert "title" in caught.value.message_dict

    def test_unknown_fields_are_a_programming_error(self, decision):
        with pytest.raises(TypeError, match="unexpected fields"):
            services.decision_update(decision=decision, status=DecisionStatus.APPROVED)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.DRAFT

    def test_a_viewer_cannot_edit(self, decision, viewer):
        with pytest.raises(PermissionDenied):
            services.decision_update(decision=decision, title="Sửa", by=viewer)

    def test_an_officer_cannot_take_a_decision_into_their_scope(self, world, decision):
        district = UserFactory(scope=world.units.hu_a, role=Role.OFFICER)
        with pytest.raises(PermissionDenied):
            services.decision_update(decision=decision, issued_by=world.units.hu_a, by=district)
        decision.refresh_from_db()
        assert decision.issued_by == world.units.province

    def test_an_officer_cannot_give_a_decision_to_an_issuer_outside_their_scope(
        self, world, decision
    ):
        elsewhere = OrgUnitFactory(code="TUK", name="Tỉnh ủy khác")
        with pytest.raises(PermissionDenied):
            services.decision_update(decision=decision, issued_by=elsewhere, by=world.officer)
        decision.refresh_from_db()
        assert decision.issued_by == world.units.province

    def test_an_approved_decision_cannot_be_edited(self, world, decision, secretary_a):
        add(decision, secretary_a, world.positions.b_deputy)
        services.decision_approve(decision=decision, signed_on=D(2025, 7, 1), notify=False)
        with pytest.raises(ValidationError, match="sửa quyết định"):
            services.decision_update(decision=decision, title="Sửa", by=world.officer)
        decision.refresh_from_db()
        assert decision.title == "Luân chuyển cán bộ"


class TestConsultations:
    def test_the_requests_made_are_returned(self, world, decision, secretary_a):
        add(decision, secretary_a, world.positions.b_deputy)
        created = services.decision_request_consultations(decision=decision, notify=False)
        assert len(created) == 2  # Huyện ủy A sends; Huyện ủy B receives and is the local committee
        assert {c.pk for c in created} == set(decision.consultations.values_list("pk", flat=True))

    def test_a_viewer_cannot_request_them(self, world, decision, secretary_a, viewer):
        add(decision, secretary_a, world.positions.b_deputy)
        with pytest.raises(PermissionDenied):
            services.decision_request_consultations(decision=decision, by=viewer, notify=False)
        assert not Consultation.objects.exists()

    def test_an_outsider_cannot_request_them(self, world, decision, secretary_a, outsider):
        add(decision, secretary_a, world.positions.b_deputy)
        with pytest.raises(PermissionDenied):
            services.decision_request_consultations(decision=decision, by=outsider, notify=False)
        assert not Consultation.objects.exists()

    def test_requesting_them_rechecks_the_rules(self, world, decision, secretary_a):
        movement = add(decision, secretary_a, world.positions.b_deputy)
        assert "not_in_planning" not in codes(movement)
        PlanningEntry.objects.filter(official=secretary_a).delete()
        services.decision_request_consultations(decision=decision, notify=False)
        assert "not_in_planning" in codes(movement)

    def test_the_emails_are_audited_as_sent_by_the_requester(
        self, world, decision, secretary_a, django_capture_on_commit_callbacks
    ):
        add(decision, secretary_a, world.positions.b_deputy)
        with django_capture_on_commit_callbacks(execute=True):
            services.decision_request_consultations(decision=decision, by=world.officer)
        sent = AuditEvent.objects.filter(action=AuditEvent.Action.SEND_EMAIL)
        assert sent.count() == 2
        assert {e.user_id for e in sent} == {world.officer.pk}


class TestAnswer:
    @pytest.fixture
    def consultation(self, world, decision, secretary_a):
        add(decision, secretary_a, world.positions.b_deputy)
        services.decision_request_consultations(
            decision=decision, requested_on=D(2025, 6, 1), notify=False
        )
        return decision.consultations.first()

    def answer(self, consultation, **extra):
        extra.setdefault("answered_on", D(2025, 6, 2))
        return services.consultation_answer(
            consultation=consultation, opinion=ConsultationOpinion.AGREE, **extra
        )

    def test_a_viewer_cannot_answer(self, consultation, viewer):
        with pytest.raises(PermissionDenied):
            self.answer(consultation, by=viewer)
        consultation.refresh_from_db()
        assert consultation.answered_on is None

    def test_an_answer_cannot_come_after_the_approval(self, decision, consultation):
        services.decision_approve(decision=decision, signed_on=D(2025, 7, 1), notify=False)
        with pytest.raises(ValidationError, match="ghi ý kiến trả lời"):
            self.answer(consultation)
        consultation.refresh_from_db()
        assert consultation.answered_on is None

    def test_an_answer_cannot_be_dated_after_today(self, consultation):
        with pytest.raises(ValidationError) as caught:
            self.answer(consultation, answered_on=tomorrow())
        assert "answered_on" in caught.value.message_dict
        assert self.answer(consultation, answered_on=timezone.localdate()).answered_on


class TestApprove:
    def test_an_outsider_cannot_approve(self, world, decision, secretary_a, outsider):
        add(decision, secretary_a, world.positions.b_deputy)
        with pytest.raises(PermissionDenied):
            services.decision_approve(
                decision=decision, by=outsider, signed_on=D(2025, 7, 1), notify=False
            )
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.DRAFT

    def test_a_decision_without_movements_cannot_be_approved(self, world, decision):
        with pytest.raises(ValidationError, match="chưa có lượt"):
            services.decision_approve(
                decision=decision, by=world.approver, signed_on=D(2025, 7, 1), notify=False
            )
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.DRAFT

    def test_the_signed_date_cannot_be_after_today(self, world, decision, secretary_a):
        add(decision, secretary_a, world.positions.b_deputy)
        with pytest.raises(ValidationError) as caught:
            services.decision_approve(
                decision=decision, by=world.approver, signed_on=tomorrow(), notify=False
            )
        assert "signed_on" in caught.value.message_dict
        approved = services.decision_approve(
            decision=decision, by=world.approver, signed_on=timezone.localdate(), notify=False
        )
        assert approved.status == DecisionStatus.APPROVED

    def test_approving_rechecks_the_rules(self, world, decision, secretary_a):
        movement = add(decision, secretary_a, world.positions.b_deputy)
        PlanningEntry.objects.filter(official=secretary_a).delete()
        services.decision_approve(decision=decision, signed_on=D(2025, 7, 1), notify=False)
        assert "not_in_planning" in codes(movement)

    def test_the_missing_answers_name_only_their_units(self, world, decision, secretary_a):
        add(decision, secretary_a, world.positions.b_deputy)
        services.decision_request_consultations(decision=decision, notify=False)
        receiving = decision.consultations.get(org_unit=world.units.hu_b)
        services.consultation_answer(
            consultation=receiving,
            opinion=ConsultationOpinion.AGREE,
            answered_on=timezone.localdate(),
        )
        approved = services.decision_approve(
            decision=decision, signed_on=timezone.localdate(), notify=False
        )
        assert approved.is_fait_accompli
        assert {m["org_unit"] for m in approved.missing_consultations} == {"Huyện ủy A"}


class TestCancel:
    def test_an_outsider_cannot_cancel(self, decision, outsider):
        with pytest.raises(PermissionDenied):
            services.decision_cancel(decision=decision, reason="Trùng", by=outsider)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.DRAFT

    def test_a_cancelled_decision_cannot_be_cancelled_again(self, world, decision):
        services.decision_cancel(decision=decision, reason="Trùng", by=world.officer)
        cancelled_at = Decision.objects.get(pk=decision.pk).cancelled_at
        with pytest.raises(ValidationError, match="hủy"):
            services.decision_cancel(decision=decision, reason="Lý do khác", by=world.officer)
        decision.refresh_from_db()
        assert (decision.cancel_reason, decision.cancelled_at) == ("Trùng", cancelled_at)
