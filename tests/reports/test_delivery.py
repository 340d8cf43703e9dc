"""Subscriptions: their beat task, and one email per (subscription, period)."""

import datetime as dt
import io
import smtplib
import threading

import pytest
from django.core import mail
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from openpyxl import load_workbook

from reports import delivery
from reports.choices import AttemptKind, DeliveryStatus
from reports.models import Delivery, DeliveryAttempt, Subscription
from tests.conftest import postgres_only

D = dt.date
TODAY = D(2022, 12, 31)  # "this term to date": 01/10/2020 – 31/12/2022


@pytest.fixture
def subscription(world, make_official, move, settings):
    settings.REPORT_EMAIL_ALLOWED_DOMAINS = ["example.vn"]
    official = make_official(position=world.positions.a_deputy, full_name="Nguyễn Văn An")
    move(official, world.positions.province_deputy, D(2021, 3, 1))
    schedule = CrontabSchedule.objects.create(minute="0", hour="7", day_of_month="1")
    sub = Subscription(
        name="Tổng hợp hằng tháng",
        report="rotation_summary",
        scope=world.units.province,
        period_rule="this_term_to_date",
        schedule=schedule,
        extra_emails="lanhdao@example.vn",
    )
    return delivery.subscription_save(subscription=sub, recipients=[world.officer])


def test_saving_keeps_a_beat_task_in_step(subscription):
    task = PeriodicTask.objects.get(pk=subscription.periodic_task_id)
    assert (
        task.task == "reports.tasks.send_subscription"
        and task.args == f"[{subscription.pk}]"
        and task.enabled
    )
    subscription.is_active = False
    delivery.subscription_save(subscription=subscription)
    task.refresh_from_db()
    assert not task.enabled
    delivery.subscription_delete(subscription=subscription)
    assert not PeriodicTask.objects.filter(pk=task.pk).exists()


def test_the_email_has_sentence_table_chart_and_xlsx(subscription):
    sent = delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert sent.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (
        message.subject
        == "[Báo cáo] Tổng hợp luân chuyển cán bộ – Tỉnh ủy P – Từ đầu nhiệm kỳ đến nay"
    )
    assert sorted(message.to) == ["lanhdao@example.vn", "officer@example.vn"]
    sentence = (
        "Từ đầu nhiệm kỳ đến nay đã luân chuyển 1 cán bộ, trong đó: từ huyện lên tỉnh 1 đồng chí."
    )
    assert sentence in message.body
    html = message.alternatives[0][0]
    assert sentence in html and "Theo hướng luân chuyển" in html and 'src="cid:bieu-do"' in html
    image = next(
        a
        for a in message.attachments
        if hasattr(a, "get_content_type") and a.get_content_type() == "image/png"
    )
    assert image["Content-ID"] == "<bieu-do>" and image.get_payload(decode=True).startswith(
        b"\x89PNG"
    )
    name, content, mimetype = next(a for a in message.attachments if isinstance(a, tuple))
    assert name.endswith(".xlsx") and "spreadsheetml" in mimetype
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "TỔNG HỢP LUÂN CHUYỂN CÁN BỘ"
    assert sheet["B2"].value == "Tỉnh ủy P (TU)"


def test_the_emails_xlsx_lists_the_people_behind_each_figure(subscription):
    delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    _name, content, _mimetype = next(a for a in mail.outbox[0].attachments if isinstance(a, tuple))
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Báo cáo", "Danh sách"]
    cells = [c for row in book["Danh sách"].iter_rows(values_only=True) for c in row if c]
    assert "Theo hướng luân chuyển – Từ huyện lên tỉnh (1 cán bộ)" in cells
    assert "Nguyễn Văn An" in cells


def test_the_plain_text_email_keeps_ampersands_as_typed(subscription):
    subscription.scope.name = "Sở Khoa học & Công nghệ's"
    subscription.scope.save(update_fields=["name"])
    delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    body = mail.outbox[0].body
    assert "Phạm vi: Sở Khoa học & Công nghệ's" in body
    assert "&amp;" not in body and "&#x27;" not in body
    assert "Sở Khoa học &amp; Công nghệ&#x27;s" in mail.outbox[0].alternatives[0][0]


def test_delivering_twice_sends_once(subscription):
    first = delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    second = delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert first is not None and second is None
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    # The next period is a new delivery.
    delivery.subscription_deliver(
        subscription_id=subscription.pk, today=TODAY + dt.timedelta(days=1)
    )
    assert len(mail.outbox) == 2


def test_empty_report_is_skipped_with_a_note_when_asked(subscription):
    subscription.skip_if_empty = True
    subscription.period_rule = "last_month"
    delivery.subscription_save(subscription=subscription)
    result = delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert result.status == DeliveryStatus.SKIPPED and "không có số liệu" in result.note
    assert mail.outbox == []


def test_a_failed_send_releases_the_claim_for_a_retry(subscription, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    monkeypatch.undo()
    assert (
        delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY).status
        == DeliveryStatus.SENT
    )
    assert len(mail.outbox) == 1 and Delivery.objects.get().attempts == 2


def test_bad_extra_address_is_refused(subscription):
    from django.core.exceptions import ValidationError

    subscription.extra_emails = "lanhdao@example.vn\nkhong-phai-dia-chi"
    with pytest.raises(ValidationError, match="không hợp lệ"):
        delivery.subscription_save(subscription=subscription)


@postgres_only()
@pytest.mark.django_db(transaction=True)
def test_two_threads_delivering_at_once_send_one_email(subscription):
    mail.outbox.clear()  # committed at once here, the fixture's decision already notified its units
    barrier = threading.Barrier(2)
    errors = []

    def deliver():
        from django.db import connection

        try:
            barrier.wait()
            delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_claim_left_by_a_lost_worker_is_taken_over(subscription):
    from django.utils import timezone

    period = {"date_from": D(2020, 10, 1), "date_to": TODAY}
    stuck = Delivery.objects.create(
        subscription=subscription,
        status=DeliveryStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - dt.timedelta(minutes=5),
        **period,
    )
    assert delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY) is None
    Delivery.objects.filter(pk=stuck.pk).update(claimed_at=timezone.now() - dt.timedelta(hours=1))
    assert (
        delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY).status
        == DeliveryStatus.SENT
    )
    assert len(mail.outbox) == 1


def test_a_retry_sends_the_period_that_was_due(subscription, monkeypatch):
    from django.utils import timezone

    from reports import tasks

    def down(*, subscription_id, today):
        raise smtplib.SMTPServerDisconnected("down")

    retried = {}

    def retry(**kwargs):
        retried.update(kwargs)
        return RuntimeError("retry scheduled")

    monkeypatch.setattr(tasks.delivery, "subscription_deliver", down)
    monkeypatch.setattr(tasks.send_subscription, "retry", retry)
    with pytest.raises(RuntimeError, match="retry scheduled"):
        tasks.send_subscription.run(subscription.pk)
    # The retry carries the day the task first ran, so it sends that day's period.
    assert retried["args"] == [subscription.pk, timezone.localdate().isoformat()]
    assert 0 <= retried["countdown"] <= 60


def test_every_delivery_leaves_an_audit_row(subscription):
    from accounts.models import AuditEvent

    delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEND_EMAIL)
    assert event.object_id == str(subscription.pk) and "2 địa chỉ" in event.detail
    assert "@" not in event.detail


# --- the history of attempts -------------------------------------------------------------


def test_attempts_history_keeps_a_failure_after_a_later_success(subscription, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    monkeypatch.undo()
    sent = delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert sent.status == DeliveryStatus.SENT and sent.note == ""  # the row shows the latest
    failed, succeeded = sent.history.order_by("id")
    assert failed.status == DeliveryStatus.FAILED
    assert failed.error == "SMTPServerDisconnected: mail server down"
    assert failed.started_at and failed.finished_at and failed.kind == AttemptKind.AUTO
    assert succeeded.status == DeliveryStatus.SENT and succeeded.error == ""
    assert succeeded.recipients == "lanhdao@example.vn, officer@example.vn"
    assert failed.finished_at <= succeeded.started_at


def test_a_lost_workers_attempt_stays_in_the_history_as_failed(subscription):
    from django.utils import timezone

    long_ago = timezone.now() - dt.timedelta(hours=1)
    stuck = Delivery.objects.create(
        subscription=subscription,
        date_from=D(2020, 10, 1),
        date_to=TODAY,
        status=DeliveryStatus.SENDING,
        attempts=1,
        claimed_at=long_ago,
    )
    stuck.history.create(status=DeliveryStatus.SENDING, requested_at=long_ago, started_at=long_ago)
    sent = delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    lost, resent = sent.history.order_by("id")
    assert lost.status == DeliveryStatus.FAILED and "đã dừng khi đang gửi" in lost.error
    assert resent.status == DeliveryStatus.SENT and sent.attempts == 2


def test_the_sweep_fails_a_sending_whose_worker_was_lost(subscription, settings):
    from django.utils import timezone

    from reports import tasks

    now = timezone.now()
    expired = now - dt.timedelta(seconds=settings.REPORT_DELIVERY_LEASE_SECONDS + 60)
    stuck = Delivery.objects.create(
        subscription=subscription,
        date_from=D(2020, 10, 1),
        date_to=TODAY,
        status=DeliveryStatus.SENDING,
        attempts=1,
        claimed_at=expired,
    )
    stuck.history.create(status=DeliveryStatus.SENDING, requested_at=expired, started_at=expired)
    live = Delivery.objects.create(
        subscription=subscription,
        date_from=D(2020, 10, 1),
        date_to=D(2022, 12, 30),
        status=DeliveryStatus.SENDING,
        attempts=1,
        claimed_at=now,
    )
    assert tasks.sweep_report_runs.delay().get()["deliveries_failed"] == 1
    stuck.refresh_from_db()
    live.refresh_from_db()
    assert stuck.status == DeliveryStatus.FAILED and "đã dừng khi đang gửi" in stuck.note
    assert stuck.history.get().status == DeliveryStatus.FAILED
    assert live.status == DeliveryStatus.SENDING
    # Failed, the period is sent by the next attempt.
    assert (
        delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY).status
        == DeliveryStatus.SENT
    )


def test_admin_shows_the_attempts_of_a_delivery(subscription, monkeypatch, admin_client):
    from django.urls import reverse

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    monkeypatch.undo()
    sent = delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    page = admin_client.get(reverse("admin:reports_delivery_change", args=[sent.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "SMTPServerDisconnected: mail server down" in content and "Đã gửi" in content
    assert "deliveryattempt_set" not in content and "history-TOTAL_FORMS" in content


def test_the_subscription_list_shows_the_attempts_of_the_last_delivery(
    subscription, monkeypatch, client
):
    from django.urls import reverse

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    monkeypatch.undo()
    delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    client.force_login(subscription.recipients.get())
    content = client.get(reverse("subscription_list")).content.decode()
    assert "Các lần gửi (2)" in content
    assert "SMTPServerDisconnected: mail server down" in content


# --- an empty period ---------------------------------------------------------------------


def test_an_empty_periods_email_says_so_in_its_sentence(subscription):
    subscription.period_rule = "last_month"  # November 2022: nobody was moved
    delivery.subscription_save(subscription=subscription)
    sent = delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    assert sent.status == DeliveryStatus.SENT and sent.run.result["is_empty"]
    message = mail.outbox[0]
    assert message.subject.endswith("– Tháng 11 năm 2022 (không có số liệu)")
    sentence = (
        "Tháng 11 năm 2022 không có số liệu nào cho báo cáo này trong phạm vi Tỉnh ủy P: "
        "không có trường hợp nào để tổng hợp."
    )
    html = message.alternatives[0][0]
    assert sentence in message.body and sentence in html
    # No all-zero table in the body; the attachment keeps the report's layout.
    assert "Theo hướng luân chuyển" not in message.body
    assert "Theo hướng luân chuyển" not in html
    _name, content, _mimetype = next(a for a in message.attachments if isinstance(a, tuple))
    cells = {c for row in load_workbook(io.BytesIO(content)).active.values for c in row}
    assert "Theo hướng luân chuyển" in cells


def test_a_period_with_figures_is_not_called_empty(subscription):
    delivery.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    message = mail.outbox[0]
    assert "không có số liệu" not in message.subject
    assert "không có số liệu" not in message.body


# --- "Gửi ngay" and resending ------------------------------------------------------------


def send_now(client, subscription, **data):
    from django.urls import reverse

    return client.post(reverse("subscription_send", args=[subscription.pk]), data, follow=True)


@pytest.fixture
def officer_client(client, subscription, world):
    client.force_login(world.officer)
    return client


def test_send_now_of_a_period_not_yet_sent_sends_it_at_once(
    subscription, officer_client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send_now(officer_client, subscription)
    assert "vào hàng đợi gửi" in response.content.decode()
    sent = Delivery.objects.get()
    assert sent.status == DeliveryStatus.SENT and len(mail.outbox) == 1
    attempt = sent.history.get()
    assert attempt.kind == AttemptKind.MANUAL and attempt.requested_by == world.officer
    assert attempt.status == DeliveryStatus.SENT


def test_send_now_of_a_period_already_sent_asks_first_and_sends_nothing(
    subscription, officer_client, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    first = delivery.subscription_deliver(
        subscription_id=subscription.pk, today=timezone.localdate()
    )
    assert first.status == DeliveryStatus.SENT and len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = send_now(officer_client, subscription)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Gửi lại báo cáo đã gửi?" in content and "đã được gửi lúc" in content
    assert 'name="confirm" value="resend"' in content
    assert "vào hàng đợi" not in content  # it does not claim to have queued anything
    assert queued == [] and len(mail.outbox) == 1
    first.refresh_from_db()
    assert first.status == DeliveryStatus.SENT and first.history.count() == 1


def test_a_confirmed_resend_is_recorded_and_sent(
    subscription, officer_client, world, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    first = delivery.subscription_deliver(
        subscription_id=subscription.pk, today=timezone.localdate()
    )
    first_sent_at = first.sent_at
    with django_capture_on_commit_callbacks(execute=True):
        response = send_now(officer_client, subscription, confirm="resend")
    assert "Đã ghi nhận yêu cầu gửi lại" in response.content.decode()
    assert len(mail.outbox) == 2
    resent = Delivery.objects.get()
    assert resent.status == DeliveryStatus.SENT and resent.sent_at > first_sent_at
    scheduled, again = resent.history.order_by("id")
    assert scheduled.kind == AttemptKind.AUTO and scheduled.requested_by is None
    assert again.kind == AttemptKind.RESEND and again.requested_by == world.officer
    assert again.status == DeliveryStatus.SENT and again.finished_at is not None


def test_a_person_sending_now_gets_an_empty_report_that_would_be_skipped(
    subscription, officer_client, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    subscription.skip_if_empty = True
    subscription.period_rule = "last_month"
    delivery.subscription_save(subscription=subscription)
    skipped = delivery.subscription_deliver(
        subscription_id=subscription.pk, today=timezone.localdate()
    )
    assert skipped.status == DeliveryStatus.SKIPPED and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        send_now(officer_client, subscription)  # nothing was sent: no confirmation needed
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert "(không có số liệu)" in mail.outbox[0].subject


def test_send_now_while_a_worker_sends_sends_nothing(
    subscription, officer_client, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    date_from, date_to = delivery.periods.resolve(subscription.period_rule, timezone.localdate())
    Delivery.objects.create(
        subscription=subscription,
        date_from=date_from,
        date_to=date_to,
        status=DeliveryStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = send_now(officer_client, subscription, confirm="resend")
    assert "đang được gửi; không gửi thêm thư" in response.content.decode()
    assert queued == [] and mail.outbox == []
    assert not DeliveryAttempt.objects.exists()


def test_send_now_needs_an_officer_of_the_scope(subscription, client, world, users_outside):
    viewer, other_officer = users_outside
    client.force_login(viewer)
    assert send_now(client, subscription).status_code == 403
    client.force_login(other_officer)
    assert send_now(client, subscription).status_code == 404
    from django.urls import reverse

    client.force_login(world.officer)
    assert client.get(reverse("subscription_send", args=[subscription.pk])).status_code == 405
    assert not Delivery.objects.exists()


@pytest.fixture
def users_outside(world):
    from accounts.models import Role
    from tests.factories import UserFactory

    return (
        UserFactory(username="viewer_p", scope=world.units.province, role=Role.VIEWER),
        UserFactory(username="officer_a", scope=world.units.hu_a, role=Role.OFFICER),
    )


def test_admin_send_now_asks_before_sending_a_period_again(
    subscription, admin_client, superuser, django_capture_on_commit_callbacks
):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.urls import reverse
    from django.utils import timezone

    delivery.subscription_deliver(subscription_id=subscription.pk, today=timezone.localdate())
    changelist = reverse("admin:reports_subscription_changelist")
    action = {"action": "send_now", ACTION_CHECKBOX_NAME: [subscription.pk]}
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = admin_client.post(changelist, action)
    content = response.content.decode()
    assert response.status_code == 200 and "Gửi lại báo cáo đã gửi?" in content
    assert 'name="confirm_resend" value="1"' in content and "vào hàng đợi" not in content
    assert queued == [] and len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(changelist, {**action, "confirm_resend": "1"}, follow=True)
    assert "Đã đưa 1 đăng ký vào hàng đợi gửi" in response.content.decode()
    assert len(mail.outbox) == 2
    again = Delivery.objects.get().history.order_by("id").last()
    assert again.kind == AttemptKind.RESEND and again.requested_by == superuser
