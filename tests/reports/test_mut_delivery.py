"""Delivery behaviour that the mutation run of reports/delivery.py found unpinned: the beat
task's name and link, deleting, the period's own row under a race, the claim and its
lease, what each outcome records (run, note, error), the sweep's batch and its guards,
"Gửi ngay" twice, at the lease boundary and on other rows, and the email's parts."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.models import AuditEvent
from reports import delivery
from reports.choices import AttemptKind, DeliveryStatus, RunStatus
from reports.models import Delivery, DeliveryAttempt, Subscription
from rotation.choices import MovementKind

D = dt.date
TODAY = D(2022, 12, 31)
PERIOD = {"date_from": D(2020, 10, 1), "date_to": D(2022, 12, 31)}  # this term to date
FROZEN = dt.datetime(2022, 12, 31, 8, 0, tzinfo=dt.UTC)
BACKEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture
def subscribe(world, make_official, move, settings):
    settings.REPORT_EMAIL_ALLOWED_DOMAINS = ["example.vn"]
    official = make_official(position=world.positions.a_deputy, full_name="Nguyễn Văn An")
    move(official, world.positions.province_deputy, D(2021, 3, 1))
    schedule = CrontabSchedule.objects.create(minute="0", hour="7")

    def make(name="Tổng hợp", recipients=(), extra_emails="lanhdao@example.vn", **fields):
        fields = {"period_rule": "this_term_to_date", **fields}
        sub = Subscription(
            name=name,
            report="rotation_summary",
            scope=world.units.province,
            schedule=schedule,
            extra_emails=extra_emails,
            **fields,
        )
        return delivery.subscription_save(subscription=sub, recipients=list(recipients))

    mail.outbox.clear()  # the fixture's decision notified its units
    return make


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: FROZEN)
    return FROZEN


def row(subscription, **fields):
    return Delivery.objects.create(subscription=subscription, **{**PERIOD, **fields})


def lease(settings):
    return dt.timedelta(seconds=settings.REPORT_DELIVERY_LEASE_SECONDS)


# --- saving and deleting -------------------------------------------------------------------


class TestSaving:
    def test_the_beat_task_name_is_cut_to_its_200_characters(self, subscribe):
        sub = subscribe(name="Tổng hợp " + "x" * 191)
        task = PeriodicTask.objects.get(pk=sub.periodic_task_id)
        assert len(task.name) == 200
        assert task.name.startswith(f"Báo cáo định kỳ #{sub.pk}: Tổng hợp xxx")

    def test_a_new_subscription_is_stored_with_its_beat_task(self, subscribe):
        sub = subscribe()
        stored = Subscription.objects.get(pk=sub.pk)
        assert stored.periodic_task_id is not None
        assert PeriodicTask.objects.get(pk=stored.periodic_task_id).args == f"[{sub.pk}]"
        # Saving again keeps the same task rather than making a second one.
        delivery.subscription_save(subscription=stored)
        assert PeriodicTask.objects.filter(task=delivery.SEND_TASK).count() == 1

    def test_deleting_removes_the_subscription_and_its_task(self, subscribe):
        sub = subscribe()
        task_id = sub.periodic_task_id
        delivery.subscription_delete(subscription=sub)
        assert not Subscription.objects.filter(pk=sub.pk).exists()
        assert not PeriodicTask.objects.filter(pk=task_id).exists()


# --- the period's row, and the claim ---------------------------------------------------------


@pytest.fixture
def lost_race(monkeypatch):
    """Another worker inserted the period's row between the look-up and the insert."""

    def refuse(**kwargs):
        raise IntegrityError("delivery_once_per_period")

    monkeypatch.setattr(Delivery.objects, "get_or_create", refuse)


def neighbours(subscription, other):
    """Rows that share all but one of (subscription, date_from, date_to) with PERIOD."""
    return [
        row(other),
        row(subscription, date_to=D(2022, 12, 30)),
        row(subscription, date_from=D(2020, 10, 2)),
    ]


class TestPeriodRow:
    def test_a_worker_that_lost_the_insert_race_sends_its_own_periods_row(
        self, subscribe, lost_race
    ):
        mine, other = subscribe("Của tôi"), subscribe("Khác")
        others = neighbours(mine, other)
        own = row(mine)
        sent = delivery.subscription_deliver(subscription_id=mine.pk, today=TODAY)
        assert sent.pk == own.pk and sent.status == DeliveryStatus.SENT
        assert all(Delivery.objects.get(pk=o.pk).status == DeliveryStatus.PENDING for o in others)

    def test_send_now_takes_its_own_periods_row(self, subscribe, world):
        mine, other = subscribe("Của tôi"), subscribe("Khác")
        others = neighbours(mine, other)
        own = row(mine)
        outcome = delivery.subscription_send_now(subscription=mine, user=world.officer, today=TODAY)
        assert outcome.outcome == delivery.SendNow.QUEUED and outcome.delivery.pk == own.pk
        assert all(not o.history.exists() for o in others)


class TestClaim:
    def test_a_delivery_being_sent_cannot_be_claimed_again(self, subscribe, monkeypatch):
        sub = subscribe()
        seen = []
        send = mail.backends.locmem.EmailBackend.send_messages

        def reenter(self, messages):
            current = Delivery.objects.get()
            seen.append((current.status, current.claimed_at is not None))
            seen.append(delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY))
            return send(self, messages)

        monkeypatch.setattr(BACKEND, reenter)
        sent = delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        assert seen == [(DeliveryStatus.SENDING, True), None]
        assert sent.status == DeliveryStatus.SENT and len(mail.outbox) == 1
        assert sent.attempts == 1

    def test_a_claim_older_than_the_lease_is_taken_whatever_was_sent_before_is_not(
        self, subscribe, settings
    ):
        sub = subscribe()
        old = timezone.now() - lease(settings) - dt.timedelta(minutes=1)
        existing = row(sub, status=DeliveryStatus.SENT, claimed_at=old, attempts=1)
        assert delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY) is None
        existing.refresh_from_db()
        assert (existing.status, existing.claimed_at, existing.attempts) == (
            DeliveryStatus.SENT,
            old,
            1,
        )

    def test_a_lost_workers_attempt_is_closed_with_its_end_time(self, subscribe, settings):
        sub = subscribe()
        old = timezone.now() - lease(settings) - dt.timedelta(minutes=1)
        stuck = row(sub, status=DeliveryStatus.SENDING, claimed_at=old, attempts=1)
        lost = stuck.history.create(status=DeliveryStatus.SENDING, requested_at=old, started_at=old)
        delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        lost.refresh_from_db()
        assert lost.status == DeliveryStatus.FAILED and lost.finished_at is not None
        assert lost.finished_at > old

    def test_two_claims_at_the_same_instant_finish_only_their_own_row(self, subscribe, frozen):
        mine, other = subscribe("Của tôi"), subscribe("Khác")
        busy = row(other, status=DeliveryStatus.SENDING, claimed_at=frozen, attempts=1)
        sent = delivery.subscription_deliver(subscription_id=mine.pk, today=TODAY)
        assert sent.status == DeliveryStatus.SENT
        busy.refresh_from_db()
        assert (busy.status, busy.sent_at, busy.recipients) == (DeliveryStatus.SENDING, None, "")

    def test_a_worker_whose_claim_was_taken_over_writes_nothing_on_the_row(
        self, subscribe, monkeypatch
    ):
        sub = subscribe()
        later = timezone.now() + dt.timedelta(hours=1)
        send = mail.backends.locmem.EmailBackend.send_messages

        def taken_over_meanwhile(self, messages):
            Delivery.objects.update(claimed_at=later)
            return send(self, messages)

        monkeypatch.setattr(BACKEND, taken_over_meanwhile)
        result = delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        assert (result.status, result.claimed_at, result.sent_at) == (
            DeliveryStatus.SENDING,
            later,
            None,
        )
        # The attempt itself is this worker's and records its own outcome.
        assert result.history.get().status == DeliveryStatus.SENT


# --- what each outcome records ------------------------------------------------------------


class TestOutcomes:
    def test_the_subscriptions_parameters_are_used(self, subscribe, world, make_official, move):
        transferred = make_official(position=world.positions.a1_secretary)
        move(transferred, world.positions.a_chair, D(2022, 1, 1), kind=MovementKind.TRANSFER)
        sub = subscribe(params={"kind": MovementKind.TRANSFER})
        sent = delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        assert sent.run.params["kind"] == MovementKind.TRANSFER
        assert "đã điều động 1 cán bộ" in sent.run.result["sentence"]
        assert "đã điều động 1 cán bộ" in mail.outbox[0].body

    def test_a_report_that_fails_to_compute_records_the_run_and_the_error(
        self, subscribe, monkeypatch
    ):
        def broken(run, today=None):
            raise RuntimeError("hỏng")

        monkeypatch.setattr("reports.services.compute_result", broken)
        sub = subscribe()
        failed = delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        assert failed.status == DeliveryStatus.FAILED and mail.outbox == []
        assert failed.run is not None and failed.run.status == RunStatus.FAILED
        assert failed.note == "Lỗi khi tính báo cáo: RuntimeError: hỏng"
        attempt = failed.history.get()
        assert attempt.status == DeliveryStatus.FAILED and attempt.error == failed.note

    def test_a_skipped_empty_report_keeps_its_run(self, subscribe):
        sub = subscribe(skip_if_empty=True, period_rule="last_month")
        skipped = delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        assert skipped.status == DeliveryStatus.SKIPPED
        assert skipped.run is not None and skipped.run.result["is_empty"] is True

    def test_nobody_to_send_to_records_the_run_and_the_reason_on_the_attempt(self, subscribe):
        sub = subscribe(extra_emails="")
        failed = delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        assert failed.status == DeliveryStatus.FAILED and failed.run is not None
        attempt = failed.history.get()
        assert "chưa có người nhận" in attempt.error and attempt.error == failed.note

    def test_a_success_after_a_failure_clears_the_rows_note(self, subscribe, monkeypatch):
        sub = subscribe()

        def refuse(self, messages):
            raise OSError("down")

        monkeypatch.setattr(BACKEND, refuse)
        with pytest.raises(OSError, match="down"):
            delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        assert Delivery.objects.get().note == "OSError: down"
        monkeypatch.undo()
        sent = delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        assert sent.status == DeliveryStatus.SENT and sent.note == ""

    def test_a_scheduled_sending_is_audited_as_the_subscriptions_author(self, subscribe, world):
        sub = subscribe(created_by=world.approver)
        delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        event = AuditEvent.objects.get(action=AuditEvent.Action.SEND_EMAIL)
        assert event.user == world.approver

    def test_a_person_sending_now_is_audited_as_that_person(
        self, subscribe, world, django_capture_on_commit_callbacks
    ):
        sub = subscribe(created_by=world.approver)
        with django_capture_on_commit_callbacks(execute=True):
            delivery.subscription_send_now(
                subscription=sub, user=world.officer, today=timezone.localdate()
            )
        assert len(mail.outbox) == 1
        event = AuditEvent.objects.get(action=AuditEvent.Action.SEND_EMAIL)
        assert event.user == world.officer


# --- the sweep ------------------------------------------------------------------------------


class TestSweep:
    def test_the_sweep_fails_at_most_500_sendings_at_a_time(self, subscribe, settings):
        sub = subscribe()
        now = timezone.now()
        old = now - lease(settings) - dt.timedelta(minutes=1)
        first = D(2000, 1, 1)
        rows = Delivery.objects.bulk_create(
            Delivery(
                subscription=sub,
                date_from=first + dt.timedelta(days=i),
                date_to=first + dt.timedelta(days=i),
                status=DeliveryStatus.SENDING,
                claimed_at=old,
                attempts=1,
            )
            for i in range(501)
        )
        last = Delivery.objects.order_by("pk").last()
        assert len(rows) == 501
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(
                delivery=d, status=DeliveryStatus.SENDING, requested_at=old, started_at=old
            )
            for d in Delivery.objects.all()
        )
        assert delivery.deliveries_sweep(now=now) == 500
        last.refresh_from_db()
        # The row left for the next sweep keeps its attempt: both fail together later.
        assert last.status == DeliveryStatus.SENDING
        assert last.history.get().status == DeliveryStatus.SENDING
        assert DeliveryAttempt.objects.filter(status=DeliveryStatus.FAILED).count() == 500
        assert delivery.deliveries_sweep(now=now) == 1
        assert last.history.get().status == DeliveryStatus.FAILED

    def test_the_sweep_closes_the_lost_attempt_with_time_and_reason_only(self, subscribe, settings):
        sub = subscribe()
        now = timezone.now()
        cutoff = now - lease(settings)
        older = cutoff - dt.timedelta(hours=2)
        old = cutoff - dt.timedelta(minutes=1)
        stuck = row(sub, status=DeliveryStatus.SENDING, claimed_at=old, attempts=2)
        earlier = stuck.history.create(
            status=DeliveryStatus.FAILED,
            requested_at=older,
            started_at=older,
            finished_at=older,
            error="OSError: down",
        )
        lost = stuck.history.create(status=DeliveryStatus.SENDING, requested_at=old, started_at=old)
        # A worker that took the row over just now: its attempt is not the sweep's.
        fresh = stuck.history.create(
            status=DeliveryStatus.SENDING, requested_at=now, started_at=now
        )
        assert delivery.deliveries_sweep(now=now) == 1
        for attempt in (earlier, lost, fresh):
            attempt.refresh_from_db()
        assert (lost.status, lost.finished_at) == (DeliveryStatus.FAILED, now)
        assert "đã dừng khi đang gửi" in lost.error
        assert (earlier.status, earlier.finished_at, earlier.error) == (
            DeliveryStatus.FAILED,
            older,
            "OSError: down",
        )
        assert (fresh.status, fresh.finished_at) == (DeliveryStatus.SENDING, None)

    def test_the_sweep_leaves_the_attempts_of_live_sendings_alone(self, subscribe, settings):
        stale_sub, live_sub = subscribe("a"), subscribe("b")
        now = timezone.now()
        old = now - lease(settings) - dt.timedelta(minutes=1)
        row(stale_sub, status=DeliveryStatus.SENDING, claimed_at=old, attempts=1)
        # A live row whose attempt started long ago (its claim was renewed since).
        live = row(live_sub, status=DeliveryStatus.SENDING, claimed_at=now, attempts=1)
        attempt = live.history.create(
            status=DeliveryStatus.SENDING, requested_at=old, started_at=old
        )
        assert delivery.deliveries_sweep(now=now) == 1
        attempt.refresh_from_db()
        assert (attempt.status, attempt.error) == (DeliveryStatus.SENDING, "")


# --- "Gửi ngay" -----------------------------------------------------------------------------


class TestSendNow:
    def test_pressing_twice_before_the_worker_runs_queues_one_request(self, subscribe, world):
        sub = subscribe()
        first = delivery.subscription_send_now(subscription=sub, user=world.officer, today=TODAY)
        second = delivery.subscription_send_now(subscription=sub, user=world.approver, today=TODAY)
        assert first.outcome == delivery.SendNow.QUEUED
        assert second.outcome == delivery.SendNow.WAITING
        assert second.attempt.pk == first.attempt.pk
        assert DeliveryAttempt.objects.count() == 1

    def test_the_waiting_request_is_the_pending_one_not_an_older_failure(self, subscribe, world):
        sub = subscribe()
        failed = row(sub, status=DeliveryStatus.FAILED, attempts=1)
        failed.history.create(
            status=DeliveryStatus.FAILED,
            requested_at=timezone.now() - dt.timedelta(days=1),
            error="OSError: down",
        )
        first = delivery.subscription_send_now(subscription=sub, user=world.officer, today=TODAY)
        assert first.outcome == delivery.SendNow.QUEUED
        assert first.delivery.status == DeliveryStatus.PENDING  # the returned row is current
        again = delivery.subscription_send_now(subscription=sub, user=world.officer, today=TODAY)
        assert again.outcome == delivery.SendNow.WAITING
        assert again.attempt.pk == first.attempt.pk
        assert (again.attempt.kind, again.attempt.requested_by) == (
            AttemptKind.MANUAL,
            world.officer,
        )

    def test_a_claim_exactly_as_old_as_the_lease_still_belongs_to_its_worker(
        self, subscribe, world, settings, frozen
    ):
        sub = subscribe()
        busy = row(sub, status=DeliveryStatus.SENDING, claimed_at=frozen - lease(settings))
        outcome = delivery.subscription_send_now(subscription=sub, user=world.officer, today=TODAY)
        assert outcome.outcome == delivery.SendNow.SENDING and outcome.attempt is None
        assert delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY) is None
        busy.refresh_from_db()
        assert busy.status == DeliveryStatus.SENDING and not busy.history.exists()

    def test_a_request_is_recorded_at_the_moment_it_was_made(self, subscribe, world, frozen):
        sub = subscribe()
        outcome = delivery.subscription_send_now(subscription=sub, user=world.officer, today=TODAY)
        assert outcome.attempt.requested_at == frozen
        assert DeliveryAttempt.objects.get().requested_at == frozen

    def test_send_now_leaves_other_subscriptions_deliveries_as_they_were(self, subscribe, world):
        mine, other = subscribe("Của tôi"), subscribe("Khác")
        sent = row(other, status=DeliveryStatus.SENT, attempts=1)
        delivery.subscription_send_now(subscription=mine, user=world.officer, today=TODAY)
        sent.refresh_from_db()
        assert sent.status == DeliveryStatus.SENT

    def test_a_confirmed_resend_returns_the_row_as_queued(self, subscribe, world):
        sub = subscribe()
        delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        outcome = delivery.subscription_send_now(
            subscription=sub, user=world.officer, today=TODAY, resend=True
        )
        assert outcome.outcome == delivery.SendNow.QUEUED
        assert outcome.delivery.status == DeliveryStatus.PENDING
        assert outcome.attempt.kind == AttemptKind.RESEND


# --- the email --------------------------------------------------------------------------


class TestEmail:
    def test_the_body_shows_the_first_table_only(self, subscribe):
        sub = subscribe()
        sent = delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        message = mail.outbox[0]
        first, second, *_rest = sent.run.result["tables"]
        html = message.alternatives[0][0]
        assert first["title"] in message.body and first["title"] in html
        assert "Từ huyện lên tỉnh | 1 | 1" in message.body
        assert second["title"] not in message.body
        assert second["title"] not in html

    def test_the_chart_is_inline_with_its_file_name(self, subscribe):
        subscribe()
        delivery.subscription_deliver(subscription_id=Subscription.objects.get().pk, today=TODAY)
        image = next(
            a
            for a in mail.outbox[0].attachments
            if hasattr(a, "get_content_type") and a.get_content_type() == "image/png"
        )
        assert image["Content-Disposition"] == 'inline; filename="bieu-do.png"'

    def test_a_csv_is_attached_when_asked(self, subscribe):
        sub = subscribe(attach_csv=True, attach_xlsx=False)
        delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        files = [a for a in mail.outbox[0].attachments if isinstance(a, tuple)]
        assert [(name.rsplit(".", 1)[1], mimetype) for name, _c, mimetype in files] == [
            ("csv", "text/csv")
        ]
        assert "Theo hướng luân chuyển" in files[0][1]
