"""Rotation in Django admin: pages answer, workflow actions call the services."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from rotation import jobs, services
from rotation.choices import DecisionStatus, MovementKind
from rotation.models import Alert, Consultation, Decision, Movement, RotationReview

D = dt.date


@pytest.fixture
def decision(world, make_official):
    decision = services.decision_create(
        number="7-QĐ/TU", issued_by=world.units.province, title="Luân chuyển"
    )
    official = make_official(position=world.positions.a_deputy, planned=False)
    services.movement_add(
        decision=decision,
        official=official,
        kind=MovementKind.ROTATION,
        to_position=world.positions.b_deputy,
        effective_on=D(2022, 1, 1),
        term_months=24,
    )
    return decision


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def act(client, action, decision, **extra):
    url = reverse("admin:rotation_decision_changelist")
    return client.post(
        url, {"action": action, ACTION_CHECKBOX_NAME: [decision.pk], **extra}, follow=True
    )


def test_every_rotation_page_answers(admin_client, decision, world):
    services.decision_approve(decision=decision, signed_on=D(2021, 12, 1))
    movement = decision.movements.get()
    services.movement_apply(movement=movement, today=D(2022, 1, 1))
    services.review_record(movement=movement, period="annual", year=2022, rating="good")
    jobs.apply_due_movements(D(2025, 1, 10))
    for model in (Decision, Movement, Consultation, RotationReview, Alert):
        opts = model._meta
        assert (
            admin_client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            ).status_code
            == 200
        )
        obj = model.objects.first()
        if obj is not None:
            page = admin_client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
            assert page.status_code == 200
    page = admin_client.get(reverse("admin:rotation_decision_change", args=[decision.pk]))
    assert "Thời hạn luân chuyển 24 tháng" in page.content.decode()  # findings are shown


def test_actions_walk_the_workflow(client_as, decision, world, django_capture_on_commit_callbacks):
    officer = client_as(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(officer, "request_consultations", decision)
    assert "Đã gửi xin ý kiến cho 1 quyết định" in response.content.decode()
    assert len(mail.outbox) == decision.consultations.count() > 0

    response = act(officer, "approve", decision)  # the officer may not approve
    assert "Cần vai trò: Lãnh đạo (phê duyệt)" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CONSULTING

    decision.signed_on = D(2021, 12, 1)
    decision.save()
    approver = client_as(world.approver)
    response = act(approver, "approve", decision)
    assert "sự đã rồi" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED and decision.is_fait_accompli

    response = act(approver, "apply_due", decision)
    assert "Đã thi hành 1 lượt" in response.content.decode()
    assert decision.movements.get().applied_at is not None


def test_cancel_asks_for_a_reason(client_as, decision, world):
    officer = client_as(world.officer)
    page = act(officer, "cancel", decision)
    assert "Lý do hủy" in page.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT
    act(officer, "cancel", decision, confirm="1", reason="Thay đổi nhân sự")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CANCELLED
    assert decision.cancel_reason == "Thay đổi nhân sự"


def test_decision_created_in_admin_goes_through_the_service(client_as, world):
    officer = client_as(world.officer)
    url = reverse("admin:rotation_decision_add")
    data = {
        "number": "8-QĐ/TU",
        "issued_by": world.units.province.pk,
        "title": "Điều động",
        "note": "",
        "movements-TOTAL_FORMS": "0",
        "movements-INITIAL_FORMS": "0",
        "consultations-TOTAL_FORMS": "0",
        "consultations-INITIAL_FORMS": "0",
    }
    response = officer.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Decision.objects.get(number="8-QĐ/TU").created_by == world.officer


def test_movement_inline_rejects_an_official_listed_twice(admin_client, decision, world):
    existing = decision.movements.get()
    url = reverse("admin:rotation_decision_change", args=[decision.pk])
    row = {
        "official": existing.official_id,
        "kind": "transfer",
        "to_position": world.positions.a1_secretary.pk,
        "effective_on": "01/03/2022",
        "term_months": "",
    }
    data = {
        "number": decision.number,
        "issued_by": world.units.province.pk,
        "title": decision.title,
        "note": "",
        "movements-TOTAL_FORMS": "2",
        "movements-INITIAL_FORMS": "1",
        "movements-0-id": existing.pk,
        "movements-0-decision": decision.pk,
        "movements-0-official": existing.official_id,
        "movements-0-kind": existing.kind,
        "movements-0-from_posting": existing.from_posting_id,
        "movements-0-to_position": existing.to_position_id,
        "movements-0-effective_on": "01/01/2022",
        "movements-0-term_months": "24",
        **{f"movements-1-{k}": v for k, v in row.items()},
        "consultations-TOTAL_FORMS": "0",
        "consultations-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "đã có trong quyết định" in response.content.decode()
    assert decision.movements.count() == 1


def test_staff_of_another_district_cannot_see_the_decision(client_as, decision, world):
    from accounts.choices import Role
    from tests.factories import OrgUnitFactory, UserFactory

    outsider = client_as(UserFactory(scope=OrgUnitFactory(), role=Role.APPROVER))
    listing = outsider.get(reverse("admin:rotation_decision_changelist"))
    assert list(listing.context["cl"].result_list) == []


def test_a_viewer_cannot_run_workflow_actions_in_admin(client_as, decision, world):
    from accounts.choices import Role
    from tests.factories import UserFactory

    services.decision_approve(decision=decision, signed_on=D(2021, 12, 1))
    viewer = client_as(UserFactory(scope=world.units.province, role=Role.VIEWER, is_staff=True))
    changelist = viewer.get(reverse("admin:rotation_decision_changelist"))
    assert "apply_due" not in changelist.content.decode()
    act(viewer, "apply_due", decision)
    assert decision.movements.get().applied_at is None


def test_a_district_cannot_change_a_provincial_decision_in_admin(client_as, decision, world):
    from accounts.choices import Role
    from tests.factories import UserFactory

    # The decision moves someone of district A, so district A's officer sees it ...
    district = client_as(UserFactory(scope=world.units.hu_a, role=Role.APPROVER, is_staff=True))
    assert (
        district.get(reverse("admin:rotation_decision_change", args=[decision.pk])).status_code
        == 200
    )
    # ... but cannot cancel, approve or edit it: the issuer is the province.
    act(district, "cancel", decision, confirm="1", reason="Không đồng ý")
    act(district, "approve", decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT
    page = district.get(reverse("admin:rotation_decision_change", args=[decision.pk]))
    assert 'name="title"' not in page.content.decode()  # read-only view


def test_services_refuse_a_user_outside_the_issuer_scope(decision, world):
    from django.core.exceptions import PermissionDenied

    from accounts.choices import Role
    from tests.factories import UserFactory

    district = UserFactory(scope=world.units.hu_a, role=Role.APPROVER)
    with pytest.raises(PermissionDenied, match="phạm vi"):
        services.decision_approve(decision=decision, by=district, signed_on=D(2021, 12, 1))
    services.decision_approve(decision=decision, signed_on=D(2021, 12, 1))
    with pytest.raises(PermissionDenied, match="phạm vi"):
        services.movement_apply(movement=decision.movements.get(), today=D(2022, 1, 1), by=district)
    assert decision.movements.get().applied_at is None
