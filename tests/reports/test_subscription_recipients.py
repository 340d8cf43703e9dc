"""Subscriptions send a scope's report only to staff who may read that scope, and outside
the staff only to domains an administrator allowed (issue 8, point 4)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.choices import Role
from accounts.models import AuditEvent
from reports import delivery
from reports.choices import DeliveryStatus
from reports.models import Subscription
from tests.factories import UserFactory
from tests.rotation.conftest import world  # noqa: F401 - shared fixture
from tests.web.conftest import login, users  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 12, 31)
NEW_SUBSCRIPTION = reverse("subscription_create")


def district_a_report(world, **fields):  # noqa: F811
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_month="1", timezone="Asia/Ho_Chi_Minh"
    )
    return Subscription(
        name="Báo cáo huyện A",
        report="rotation_summary",
        scope=world.units.hu_a,
        period_rule="this_term_to_date",
        schedule=schedule,
        **fields,
    )


def form_data(world, **changes):  # noqa: F811
    data = {
        "name": "Báo cáo huyện A hằng tháng",
        "report": "rotation_summary",
        "param_kind": "all",
        "scope": world.units.hu_a.pk,
        "period_rule": "last_month",
        "frequency": "monthly",
        "day_of_month": "1",
        "hour": "7",
        "extra_emails": "",
        "attach_xlsx": "on",
    }
    data.update(changes)
    return data


def nothing_saved():
    return (
        not Subscription.objects.exists()
        and not PeriodicTask.objects.filter(task=delivery.SEND_TASK).exists()
    )


# --- saving ------------------------------------------------------------------------------


def test_a_user_of_another_district_is_refused_by_the_service_by_name(world, users):  # noqa: F811
    subscription = district_a_report(world)
    with pytest.raises(ValidationError) as refused:
        delivery.subscription_validate(subscription, recipients=[users.officer_b])
    assert "officer_b" in " ".join(refused.value.message_dict["recipients"])
    with pytest.raises(ValidationError):
        delivery.subscription_save(subscription=subscription, recipients=[users.officer_b])
    assert nothing_saved()


def test_an_officer_of_district_a_cannot_add_a_user_of_district_b_in_the_staff_form(
    world,  # noqa: F811
    users,  # noqa: F811
    login,  # noqa: F811
):
    client = login(users.officer_a)
    offered = set(client.get(NEW_SUBSCRIPTION).context["form"].fields["recipients"].queryset)
    assert users.officer_a in offered and users.officer_b not in offered
    response = client.post(NEW_SUBSCRIPTION, form_data(world, recipients=[users.officer_b.pk]))
    assert response.status_code == 200 and "recipients" in response.context["form"].errors
    assert nothing_saved()


def test_a_pick_whose_scope_does_not_cover_the_report_is_refused_by_name_in_the_form(
    world,  # noqa: F811
    users,  # noqa: F811
    login,  # noqa: F811
):
    # The province officer may pick officer_b, but officer_b may not read district A.
    response = login(users.officer).post(
        NEW_SUBSCRIPTION, form_data(world, recipients=[users.officer_a.pk, users.officer_b.pk])
    )
    errors = " ".join(response.context["form"].errors["recipients"])
    assert "officer_b" in errors and "Huyện ủy A" in errors and "officer_a" not in errors
    assert nothing_saved()


def test_a_province_user_may_receive_a_district_report(world, users, login):  # noqa: F811
    saved = delivery.subscription_save(
        subscription=district_a_report(world), recipients=[users.viewer, users.officer_a]
    )
    assert set(saved.recipients.all()) == {users.viewer, users.officer_a}
    response = login(users.officer).post(
        NEW_SUBSCRIPTION, form_data(world, name="Qua biểu mẫu", recipients=[users.viewer.pk])
    )
    assert response.status_code == 302
    assert list(Subscription.objects.get(name="Qua biểu mẫu").recipients.all()) == [users.viewer]


def test_inactive_or_non_staff_users_are_refused(world, users):  # noqa: F811
    retired = UserFactory(username="retired", scope=world.units.province, is_active=False)
    outsider = UserFactory(username="outsider", scope=world.units.province, is_staff=False)
    with pytest.raises(ValidationError) as refused:
        delivery.subscription_validate(district_a_report(world), recipients=[retired, outsider])
    errors = " ".join(refused.value.message_dict["recipients"])
    assert "retired" in errors and "outsider" in errors


def test_the_edit_form_offers_only_users_who_may_receive_the_saved_scope(
    world,  # noqa: F811
    users,  # noqa: F811
    login,  # noqa: F811
):
    subscription = delivery.subscription_save(
        subscription=district_a_report(world), recipients=[users.officer_a]
    )
    url = reverse("subscription_update", args=[subscription.pk])
    offered = set(login(users.officer).get(url).context["form"].fields["recipients"].queryset)
    assert {users.officer, users.viewer, users.officer_a} <= offered
    assert users.officer_b not in offered


def test_an_outside_address_is_refused_while_no_domain_is_allowed(
    world,  # noqa: F811
    users,  # noqa: F811
    login,  # noqa: F811
    settings,
):
    settings.REPORT_EMAIL_ALLOWED_DOMAINS = []
    subscription = district_a_report(world, extra_emails="lanhdao@hatinh.gov.vn")
    with pytest.raises(ValidationError) as refused:
        delivery.subscription_save(subscription=subscription, recipients=[users.officer_a])
    assert "lanhdao@hatinh.gov.vn" in " ".join(refused.value.message_dict["extra_emails"])
    response = login(users.officer_a).post(
        NEW_SUBSCRIPTION,
        form_data(world, recipients=[users.officer_a.pk], extra_emails="lanhdao@hatinh.gov.vn"),
    )
    assert "lanhdao@hatinh.gov.vn" in " ".join(response.context["form"].errors["extra_emails"])
    assert nothing_saved()


@override_settings(REPORT_EMAIL_ALLOWED_DOMAINS=["hatinh.gov.vn"])
def test_an_outside_address_is_accepted_in_an_allowed_domain_only(world, users, login):  # noqa: F811
    client = login(users.officer_a)
    refused = client.post(
        NEW_SUBSCRIPTION, form_data(world, extra_emails="ai.do@gmail.com\nlanhdao@hatinh.gov.vn")
    )
    errors = " ".join(refused.context["form"].errors["extra_emails"])
    assert "ai.do@gmail.com" in errors and "hatinh.gov.vn" in errors
    assert "lanhdao@hatinh.gov.vn”" not in errors
    assert nothing_saved()
    accepted = client.post(NEW_SUBSCRIPTION, form_data(world, extra_emails="LanhDao@HaTinh.gov.vn"))
    assert accepted.status_code == 302
    assert Subscription.objects.get().extra_emails == "LanhDao@HaTinh.gov.vn"


# --- sending -----------------------------------------------------------------------------


@pytest.fixture
def district_subscription(world, users, settings):  # noqa: F811
    settings.REPORT_EMAIL_ALLOWED_DOMAINS = ["hatinh.gov.vn"]
    return delivery.subscription_save(
        subscription=district_a_report(world, extra_emails="lanhdao@hatinh.gov.vn"),
        recipients=[users.officer_a, users.viewer],
    )


def test_everyone_qualifying_is_sent_to_and_the_sending_is_audited_without_addresses(
    district_subscription,
):
    sent = delivery.subscription_deliver(subscription_id=district_subscription.pk, today=TODAY)
    assert sent.status == DeliveryStatus.SENT and sent.note == ""
    assert sorted(mail.outbox[0].to) == [
        "lanhdao@hatinh.gov.vn",
        "officer_a@example.vn",
        "viewer_p@example.vn",
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEND_EMAIL)
    assert event.object_id == str(district_subscription.pk)
    assert "3 địa chỉ" in event.detail and "@" not in event.detail


def test_a_recipient_whose_scope_changed_is_skipped_at_sending_and_noted(
    world,  # noqa: F811
    users,  # noqa: F811
    district_subscription,
):
    users.officer_a.scope = world.units.hu_b
    users.officer_a.save()
    sent = delivery.subscription_deliver(subscription_id=district_subscription.pk, today=TODAY)
    assert sent.status == DeliveryStatus.SENT
    assert "officer_a@example.vn" not in mail.outbox[0].to
    assert "officer_a@example.vn" not in sent.recipients
    assert "officer_a" in sent.note and "không còn đủ điều kiện" in sent.note
    assert "bỏ qua 1" in AuditEvent.objects.get(action=AuditEvent.Action.SEND_EMAIL).detail


def test_deactivated_users_and_domains_no_longer_allowed_are_skipped(
    users,  # noqa: F811
    district_subscription,
    settings,
):
    users.viewer.is_active = False
    users.viewer.save()
    settings.REPORT_EMAIL_ALLOWED_DOMAINS = []
    sent = delivery.subscription_deliver(subscription_id=district_subscription.pk, today=TODAY)
    assert mail.outbox[0].to == ["officer_a@example.vn"]
    assert "viewer_p" in sent.note and "lanhdao@hatinh.gov.vn" in sent.note


def test_nobody_left_to_send_to_fails_the_delivery_without_an_email(
    world,  # noqa: F811
    users,  # noqa: F811
    district_subscription,
    settings,
):
    settings.REPORT_EMAIL_ALLOWED_DOMAINS = []
    for user in (users.officer_a, users.viewer):
        user.scope = world.units.hu_b
        user.save()
    result = delivery.subscription_deliver(subscription_id=district_subscription.pk, today=TODAY)
    assert result.status == DeliveryStatus.FAILED and "không còn đủ điều kiện" in result.note
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SEND_EMAIL).exists()


def test_kept_recipients_who_no_longer_qualify_are_dropped_and_named_on_edit(
    world,  # noqa: F811
    users,  # noqa: F811
    login,  # noqa: F811
):
    # Chosen by the province officer; officer_a cannot see officer (province) in the picker.
    subscription = delivery.subscription_save(
        subscription=district_a_report(world), recipients=[users.officer, users.officer_a]
    )
    users.officer.scope = world.units.hu_b
    users.officer.role = Role.OFFICER
    users.officer.save()
    url = reverse("subscription_update", args=[subscription.pk])
    response = login(users.officer_a).post(
        url, form_data(world, recipients=[users.officer_a.pk]), follow=True
    )
    assert "Đã bỏ 1 người nhận" in response.content.decode()
    assert list(subscription.recipients.all()) == [users.officer_a]
