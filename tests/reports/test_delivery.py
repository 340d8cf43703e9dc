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
from reports.choices import DeliveryStatus
from reports.models import Delivery, Subscription
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
