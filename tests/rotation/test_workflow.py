"""The decision workflow: status transitions, consultations, approval, applying, ending."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.choices import Role
from personnel.models import Posting
from rotation import services
from rotation.choices import (
    ConsultationOpinion,
    ConsultationRole,
    DecisionStatus,
    MovementKind,
    MovementOutcome,
)
from rotation.models import Consultation, Decision, Movement
from tests.factories import UserFactory

D = dt.date


@pytest.fixture
def decision(world):
    return services.decision_create(
        number="123-QĐ/TU",
        issued_by=world.units.province,
        title="Luân chuyển cán bộ",
        created_by=world.officer,
    )


@pytest.fixture
def secretary_a(world, make_official):
    return make_official(
        position=world.positions.a_secretary, full_name="Nguyễn Văn An", since=D(2020, 1, 1)
    )


@pytest.fixture
def secretary_b(world, make_official):
    return make_official(
        position=world.positions.b_secretary, full_name="Lê Thị Bình", since=D(2019, 6, 1)
    )


def add(
    decision, official, position, kind=MovementKind.ROTATION, on=D(2025, 8, 1), term=60, **extra
):
    return services.movement_add(
        decision=decision,
        official=official,
        kind=kind,
        to_position=position,
        effective_on=on,
        term_months=term,
        **extra,
    )


def answer_all(decision, user):
    for consultation in decision.consultations.all():
        services.consultation_answer(
            consultation=consultation,
            opinion=ConsultationOpinion.AGREE,
            answered_on=D(2025, 7, 1),
            by=user,
        )


class TestDecisionCreate:
    def test_number_is_unique_per_issuer(self, world, decision):
        with pytest.raises(ValidationError, match="đã có quyết định"):
            services.decision_create(
                number=" 123-QĐ/TU ", issued_by=world.units.province, title="Khác"
            )
        other = services.decision_create(
            number="123-QĐ/TU", issued_by=world.units.hu_a, title="Khác"
        )
        assert other.status == DecisionStatus.DRAFT

    def test_viewer_cannot_create(self, world):
        viewer = UserFactory(scope=world.units.province, role=Role.VIEWER)
        with pytest.raises(PermissionDenied):
            services.decision_create(
                number="1", issued_by=world.units.province, title="x", created_by=viewer
            )
        assert not Decision.objects.exists()

    def test_title_is_required(self, world):
        with pytest.raises(ValidationError):
            services.decision_create(number="9-QĐ/TU", issued_by=world.units.province, title="  ")


class TestMovementAdd:
    def test_from_posting_defaults_to_the_current_one_and_direction_is_stored(
        self, world, decision, secretary_a
    ):
        movement = add(decision, secretary_a, world.positions.province_deputy)
        assert movement.from_posting == secretary_a.current_posting
        assert movement.direction == "district_to_province"
        assert movement.expected_end_on == D(2030, 7, 31)

    def test_swap_between_districts(self, world, decision, secretary_a, secretary_b):
        m1 = add(decision, secretary_a, world.positions.b_secretary)
        m2 = add(decision, secretary_b, world.positions.a_secretary)
        assert m1.direction == m2.direction == "district_to_district"
        # Each post is vacated by the other movement of the same decision.
        assert "position_held" not in [f["code"] for f in m2.findings]

    def test_from_outside_is_classified_by_origin_position_or_external(
        self, world, decision, make_official
    ):
        newcomer = make_official()
        Posting.objects.filter(official=newcomer).delete()
        m = add(
            decision,
            newcomer,
            world.positions.a_deputy,
            kind=MovementKind.TRANSFER,
            from_posting=None,
        )
        assert m.direction == "external"
        m.delete()
        m = add(
            decision,
            newcomer,
            world.positions.a_deputy,
            kind=MovementKind.TRANSFER,
            from_posting=None,
            origin_position=world.positions.finance_head,
        )
        assert m.direction == "province_to_district"

    def test_findings_are_stored_on_the_movement(self, world, decision, make_official):
        official = make_official(planned=False)
        movement = add(decision, official, world.positions.b_deputy, term=24)
        assert {f["code"] for f in movement.findings} == {"not_in_planning", "rotation_term_short"}
        assert all(f["message"] for f in movement.findings)

    def test_same_official_twice_and_foreign_posting_are_refused(
        self, world, decision, secretary_a, secretary_b
    ):
        add(decision, secretary_a, world.positions.b_deputy)
        with pytest.raises(ValidationError, match="đã có trong quyết định"):
            add(decision, secretary_a, world.positions.a_deputy)
        with pytest.raises(ValidationError, match="không phải của cán bộ này"):
            add(
                decision,
                secretary_b,
                world.positions.a_deputy,
                from_posting=secretary_a.current_posting,
            )
        assert decision.movements.count() == 1

    def test_only_drafts_take_movements(self, world, decision, secretary_a, secretary_b):
        add(decision, secretary_a, world.positions.b_deputy)
        services.decision_request_consultations(decision=decision)
        with pytest.raises(ValidationError, match="Đang trao đổi ý kiến"):
            add(decision, secretary_b, world.positions.a_deputy)


class TestTransitions:
    def test_request_consultations_needs_movements(self, decision):
        with pytest.raises(ValidationError, match="chưa có lượt"):
            services.decision_request_consultations(decision=decision)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.DRAFT

    def test_consultations_cover_sending_receiving_and_local_committee(
        self, world, decision, make_official, django_capture_on_commit_callbacks
    ):
        official = make_official(unit=world.units.finance)
        add(decision, official, world.positions.a_chair)  # into UBND huyện A
        with django_capture_on_commit_callbacks(execute=True):
            services.decision_request_consultations(decision=decision, requested_on=D(2025, 6, 1))
        got = {(c.org_unit.code, c.role) for c in decision.consultations.select_related("org_unit")}
        assert got == {
            ("STC", ConsultationRole.SENDING),
            ("UBA", ConsultationRole.RECEIVING),
            ("HUA", ConsultationRole.LOCAL),
        }
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.CONSULTING
        assert sorted(m.to[0] for m in mail.outbox) == [
            "huyenuy.a@example.vn",
            "stc@example.vn",
            "ubnd.a@example.vn",
        ]
        assert all("[Xin ý kiến] 123-QĐ/TU" in m.subject for m in mail.outbox)
        assert Consultation.objects.filter(notified_at__isnull=True).count() == 0

    def test_a_title_with_line_breaks_still_sends_its_emails(
        self, world, decision, make_official, django_capture_on_commit_callbacks
    ):
        # The title is a textarea: a line break (and a stray control character) must not
        # make Django refuse the message (BadHeaderError).
        decision.title = "Điều động cán bộ\r\nđợt 2\x0bnăm 2025"
        decision.save(update_fields=["title"])
        add(decision, make_official(unit=world.units.finance), world.positions.a_chair)
        with django_capture_on_commit_callbacks(execute=True):
            services.decision_request_consultations(decision=decision, requested_on=D(2025, 6, 1))
        assert len(mail.outbox) == 3
        assert {m.subject for m in mail.outbox} == {
            "[Xin ý kiến] 123-QĐ/TU – Điều động cán bộ đợt 2 năm 2025"
        }
        assert all(m.message()["Subject"] for m in mail.outbox)  # serialises without error

    def test_plain_text_emails_keep_ampersands_and_quotes_as_typed(
        self, world, decision, make_official, django_capture_on_commit_callbacks
    ):
        decision.title = 'Điều động cán bộ Sở Khoa học & Công nghệ, "đợt 2" của tỉnh\'s'
        decision.save(update_fields=["title"])
        add(decision, make_official(unit=world.units.finance), world.positions.a_chair)
        with django_capture_on_commit_callbacks(execute=True):
            services.decision_request_consultations(decision=decision, requested_on=D(2025, 6, 1))
        for message in mail.outbox:
            assert 'Sở Khoa học & Công nghệ, "đợt 2" của tỉnh\'s' in message.body
            assert "&amp;" not in message.body and "&quot;" not in message.body
            assert "&#x27;" not in message.body

    def test_answers_only_while_consulting_and_not_before_the_request(
        self, world, decision, secretary_a
    ):
        add(decision, secretary_a, world.positions.b_deputy)
        services.decision_request_consultations(decision=decision, requested_on=D(2025, 6, 1))
        consultation = decision.consultations.first()
        with pytest.raises(ValidationError, match="không được trước"):
            services.consultation_answer(
                consultation=consultation,
                opinion=ConsultationOpinion.AGREE,
                answered_on=D(2025, 5, 1),
            )
        with pytest.raises(ValidationError, match="Chưa chọn ý kiến"):
            services.consultation_answer(
                consultation=consultation, opinion="", answered_on=D(2025, 6, 2)
            )
        services.consultation_answer(
            consultation=consultation, opinion=ConsultationOpinion.AGREE, answered_on=D(2025, 6, 2)
        )
        consultation.refresh_from_db()
        assert consultation.answered_on == D(2025, 6, 2)

    def test_approve_with_all_answers_is_not_fait_accompli(self, world, decision, secretary_a):
        add(decision, secretary_a, world.positions.b_deputy)
        services.decision_request_consultations(decision=decision, requested_on=D(2025, 6, 1))
        answer_all(decision, world.officer)
        services.decision_approve(decision=decision, by=world.approver, signed_on=D(2025, 7, 15))
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.APPROVED
        assert not decision.is_fait_accompli
        assert decision.approved_by == world.approver

    def test_missing_answers_make_a_fait_accompli_by_default(self, world, decision, secretary_a):
        add(decision, secretary_a, world.positions.b_deputy)
        services.decision_approve(decision=decision, by=world.approver, signed_on=D(2025, 7, 15))
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.APPROVED
        assert decision.is_fait_accompli
        # What was missing is recorded as it stood at approval.
        assert decision.missing_consultations == [
            {
                "org_unit_id": world.units.hu_a.pk,
                "org_unit": "Huyện ủy A",
                "role": "sending",
                "side": "sending",
            },
            {
                "org_unit_id": world.units.hu_b.pk,
                "org_unit": "Huyện ủy B",
                "role": "receiving",
                "side": "receiving",
            },
        ]

    def test_a_unit_can_block_approval_until_answered(self, world, decision, secretary_a):
        world.units.province.requires_consultation_answers = True
        world.units.province.save()
        add(decision, secretary_a, world.positions.b_deputy)
        services.decision_request_consultations(decision=decision, requested_on=D(2025, 6, 1))
        with pytest.raises(ValidationError, match="chưa có ý kiến trả lời"):
            services.decision_approve(
                decision=decision, by=world.approver, signed_on=D(2025, 7, 15)
            )
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.CONSULTING
        answer_all(decision, world.officer)
        services.decision_approve(decision=decision, by=world.approver, signed_on=D(2025, 7, 15))

    def test_approval_needs_the_approver_role_and_a_signed_date(self, world, decision, secretary_a):
        add(decision, secretary_a, world.positions.b_deputy)
        with pytest.raises(PermissionDenied):
            services.decision_approve(decision=decision, by=world.officer, signed_on=D(2025, 7, 15))
        with pytest.raises(ValidationError, match="ngày ký"):
            services.decision_approve(decision=decision, by=world.approver)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.DRAFT

    def test_approved_and_cancelled_decisions_cannot_be_approved_again(
        self, world, decision, secretary_a
    ):
        add(decision, secretary_a, world.positions.b_deputy)
        services.decision_approve(decision=decision, by=world.approver, signed_on=D(2025, 7, 15))
        with pytest.raises(ValidationError, match="Đã ban hành"):
            services.decision_approve(
                decision=decision, by=world.approver, signed_on=D(2025, 7, 15)
            )
        with pytest.raises(ValidationError, match="Đã ban hành"):
            services.decision_request_consultations(decision=decision)

    def test_cancel_needs_a_reason_and_is_refused_once_applied(self, world, decision, secretary_a):
        movement = add(decision, secretary_a, world.positions.b_deputy)
        with pytest.raises(ValidationError, match="lý do"):
            services.decision_cancel(decision=decision, reason=" ")
        services.decision_approve(decision=decision, by=world.approver, signed_on=D(2025, 7, 15))
        with pytest.raises(PermissionDenied):
            services.decision_cancel(decision=decision, reason="Sai sót", by=world.officer)
        services.movement_apply(movement=movement, today=D(2025, 8, 1))
        with pytest.raises(ValidationError, match="đã có lượt điều chuyển được thi hành"):
            services.decision_cancel(decision=decision, reason="Sai sót", by=world.approver)

    def test_cancelled_draft(self, world, decision, secretary_a):
        add(decision, secretary_a, world.positions.b_deputy)
        services.decision_cancel(decision=decision, reason="Không thực hiện", by=world.officer)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.CANCELLED
        with pytest.raises(ValidationError, match="Đã hủy"):
            services.decision_approve(
                decision=decision, by=world.approver, signed_on=D(2025, 7, 15)
            )


class TestApply:
    def test_closes_the_day_before_and_opens_the_new_posting(self, world, decision, secretary_a):
        movement = add(decision, secretary_a, world.positions.province_deputy)
        services.decision_approve(decision=decision, by=world.approver, signed_on=D(2025, 7, 15))
        old = secretary_a.current_posting
        services.movement_apply(movement=movement, today=D(2025, 8, 1))
        old.refresh_from_db()
        movement.refresh_from_db()
        secretary_a.refresh_from_db()
        assert old.end_date == D(2025, 7, 31)
        assert movement.new_posting.start_date == D(2025, 8, 1)
        assert movement.new_posting.end_date is None
        assert movement.new_posting.position == world.positions.province_deputy
        assert movement.new_posting.basis == "123-QĐ/TU"
        assert secretary_a.current_unit == world.units.province

    def test_second_apply_changes_nothing(self, world, decision, secretary_a):
        movement = add(decision, secretary_a, world.positions.province_deputy)
        services.decision_approve(decision=decision, by=world.approver, signed_on=D(2025, 7, 15))
        services.movement_apply(movement=movement, today=D(2025, 8, 1))
        before = list(Posting.objects.order_by("id").values())
        applied_at = Movement.objects.get(pk=movement.pk).applied_at
        services.movement_apply(movement=movement, today=D(2025, 9, 1))
        assert list(Posting.objects.order_by("id").values()) == before
        assert Movement.objects.get(pk=movement.pk).applied_at == applied_at

    def test_not_before_the_effective_date_nor_unapproved(self, world, decision, secretary_a):
        movement = add(decision, secretary_a, world.positions.province_deputy)
        with pytest.raises(ValidationError, match="đã ban hành"):
            services.movement_apply(movement=movement, today=D(2025, 8, 1))
        services.decision_approve(decision=decision, by=world.approver, signed_on=D(2025, 7, 15))
        with pytest.raises(ValidationError, match="Chưa đến ngày"):
            services.movement_apply(movement=movement, today=D(2025, 7, 31))
        assert Posting.objects.filter(official=secretary_a).count() == 1

    def test_a_decision_moving_several_secretaries_at_once(
        self,
        world,
        decision,
        secretary_a,
        secretary_b,
        make_official,
        django_capture_on_commit_callbacks,
    ):
        third = make_official(position=world.positions.a1_secretary, full_name="Phạm Văn Cường")
        add(decision, secretary_a, world.positions.b_secretary)
        add(decision, secretary_b, world.positions.a_secretary)
        add(decision, third, world.positions.a_deputy, kind=MovementKind.TRANSFER, term=None)
        with django_capture_on_commit_callbacks(execute=True):
            services.decision_request_consultations(decision=decision, requested_on=D(2025, 6, 1))
        requests = len(mail.outbox)
        assert requests == decision.consultations.count() >= 4
        answer_all(decision, world.officer)
        with django_capture_on_commit_callbacks(execute=True):
            services.decision_approve(
                decision=decision, by=world.approver, signed_on=D(2025, 7, 15)
            )
        assert len(mail.outbox) > requests
        assert any("[Đã ban hành]" in m.subject for m in mail.outbox)
        notices = {m.to[0]: m.body for m in mail.outbox[requests:]}
        # Each side is told about its own cadres only.
        assert "Nguyễn Văn An" in notices["huyenuy.b@example.vn"]
        assert "Phạm Văn Cường" in notices["xa.a1@example.vn"]
        assert "Nguyễn Văn An" not in notices["xa.a1@example.vn"]
        for movement in decision.movements.all():
            services.movement_apply(movement=movement, today=D(2025, 8, 1))
        for official, unit in ((secretary_a, "HUB"), (secretary_b, "HUA"), (third, "HUA")):
            official.refresh_from_db()
            assert official.current_unit.code == unit
            assert official.postings.filter(end_date__isnull=True, is_primary=True).count() == 1

    def test_a_later_return_ends_the_rotation(self, world, decision, secretary_a):
        rotation = add(decision, secretary_a, world.positions.b_deputy, on=D(2022, 1, 1), term=36)
        services.decision_approve(decision=decision, by=world.approver, signed_on=D(2021, 12, 1))
        services.movement_apply(movement=rotation, today=D(2022, 1, 1))
        back = services.decision_create(
            number="5-QĐ/TU", issued_by=world.units.province, title="Trở về"
        )
        ret = add(
            back,
            secretary_a,
            world.positions.a_deputy,
            kind=MovementKind.RETURN,
            on=D(2025, 1, 1),
            term=None,
        )
        services.decision_approve(decision=back, by=world.approver, signed_on=D(2024, 12, 1))
        services.movement_apply(movement=ret, today=D(2025, 1, 1))
        rotation.refresh_from_db()
        assert rotation.outcome == MovementOutcome.RETURNED
        assert rotation.ended_on == D(2024, 12, 31)


class TestEndAndReview:
    @pytest.fixture
    def applied(self, world, decision, secretary_a):
        movement = add(decision, secretary_a, world.positions.b_deputy, on=D(2022, 1, 1), term=36)
        services.decision_approve(decision=decision, by=world.approver, signed_on=D(2021, 12, 1))
        return services.movement_apply(movement=movement, today=D(2022, 1, 1))

    def test_retention_ends_the_rotation(self, applied):
        services.movement_end(
            movement=applied, outcome=MovementOutcome.RETAINED, ended_on=D(2024, 12, 31)
        )
        assert not Movement.objects.serving().filter(pk=applied.pk).exists()
        with pytest.raises(ValidationError, match="đã kết thúc"):
            services.movement_end(
                movement=applied, outcome=MovementOutcome.RETURNED, ended_on=D(2025, 1, 1)
            )

    def test_end_before_effective_date_is_refused(self, applied):
        with pytest.raises(ValidationError, match="không được trước"):
            services.movement_end(
                movement=applied, outcome=MovementOutcome.RETAINED, ended_on=D(2021, 1, 1)
            )

    def test_review_once_per_period_within_the_rotation(self, applied):
        services.review_record(movement=applied, period="annual", year=2022, rating="good")
        with pytest.raises(ValidationError, match="Đã có đánh giá"):
            services.review_record(movement=applied, period="annual", year=2022, rating="excellent")
        with pytest.raises(ValidationError, match="trong thời gian luân chuyển"):
            services.review_record(movement=applied, period="annual", year=2021, rating="good")


def test_swap_findings_are_refreshed_when_the_partner_is_added(
    world, decision, secretary_a, secretary_b
):
    first = add(decision, secretary_a, world.positions.b_secretary)
    assert "position_held" in [f["code"] for f in first.findings]  # B's secretary still holds it
    add(decision, secretary_b, world.positions.a_secretary)
    first.refresh_from_db()
    assert "position_held" not in [f["code"] for f in first.findings]


def test_loading_past_records_sends_no_email(
    world, decision, secretary_a, django_capture_on_commit_callbacks
):
    add(decision, secretary_a, world.positions.b_deputy)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.decision_request_consultations(decision=decision, notify=False)
        services.decision_approve(decision=decision, signed_on=D(2025, 7, 1), notify=False)
    assert callbacks == [] and mail.outbox == []


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2025, 8, 1), 60, D(2030, 7, 31)),
        (D(2025, 1, 15), 36, D(2028, 1, 14)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # no 31/02: the term ends on the month's last day
        (D(2024, 2, 29), 36, D(2027, 2, 28)),
    ],
)
def test_expected_end_is_the_day_before_the_anniversary(start, months, end):
    assert services.expected_end(start, months) == end


def test_a_previous_posting_must_last_two_days_before_the_move(world, decision, make_official):
    official = make_official(unit=world.units.hu_b, since=D(2025, 7, 31))
    with pytest.raises(ValidationError, match="ít nhất hai ngày"):
        add(decision, official, world.positions.a_deputy, on=D(2025, 8, 1))
