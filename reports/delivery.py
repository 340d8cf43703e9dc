"""Subscriptions: keeping their beat schedule, and emailing each period exactly once.

Every attempt to send a period is kept (``DeliveryAttempt``: who asked, when, outcome,
error), so a later success does not erase an earlier failure. A period already sent is
sent again only when a person confirms it (``subscription_send_now(resend=True)``).
"""

import datetime as dt
import enum
from dataclasses import dataclass
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_celery_beat.models import PeriodicTask

from accounts.audit import audit_record
from accounts.models import AuditEvent
from accounts.scoping import scope_path_of
from config.mail import subject_line

from . import charts, exports, periods, registry, services
from .choices import AttemptKind, DeliveryStatus, RunStatus
from .models import Delivery, DeliveryAttempt, Subscription

SEND_TASK = "reports.tasks.send_subscription"
CHART_CID = "bieu-do"


def claim_lease() -> dt.timedelta:
    """How long a sending belongs to its worker: longer than the task's hard time limit."""
    return dt.timedelta(seconds=settings.REPORT_DELIVERY_LEASE_SECONDS)


def lost_worker_note() -> str:
    return _("Bộ xử lý nền đã dừng khi đang gửi (mất kết nối hoặc khởi động lại).")


def extra_addresses(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- who may receive a report ---------------------------------------------------------
# A report email carries the data of the subscription's scope: it may go only to staff
# users who could read that scope themselves, and outside the staff only to domains an
# administrator has allowed (settings.REPORT_EMAIL_ALLOWED_DOMAINS). The same rules are
# checked when saving and again when sending.


def recipient_covers_scope(user, scope) -> bool:
    """True when ``user`` is active staff and their scope contains ``scope`` (or is superuser)."""
    if scope is None or not (user.is_active and user.is_staff):
        return False
    path = scope_path_of(user)  # "" for superusers, None without an active scope
    return path is not None and scope.path.startswith(path)


def address_domain_allowed(address: str) -> bool:
    """True when the address's domain is one of ``REPORT_EMAIL_ALLOWED_DOMAINS`` (exact match)."""
    domain = address.rpartition("@")[2].strip().lower()
    return bool(domain) and domain in settings.REPORT_EMAIL_ALLOWED_DOMAINS


def user_label(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


def recipient_refusal(user, scope) -> str | None:
    """Why ``user`` may not receive the report of ``scope``, or None if they may."""
    if not user.is_active:
        return _("Người nhận “%(user)s” đã bị khóa tài khoản.") % {"user": user_label(user)}
    if not user.is_staff:
        return _("Người nhận “%(user)s” không phải cán bộ sử dụng hệ thống.") % {
            "user": user_label(user)
        }
    if not recipient_covers_scope(user, scope):
        return _(
            "Người nhận “%(user)s” không được xem số liệu của %(scope)s: phạm vi quản lý của "
            "người nhận phải là đơn vị này hoặc đơn vị cấp trên của nó."
        ) % {"user": user_label(user), "scope": scope}
    return None


def address_refusal(address: str) -> str | None:
    """Why the outside ``address`` may not receive reports, or None if it may."""
    try:
        validate_email(address)
    except ValidationError:
        return _("Địa chỉ “%(a)s” không hợp lệ.") % {"a": address}
    if not address_domain_allowed(address):
        allowed = ", ".join(settings.REPORT_EMAIL_ALLOWED_DOMAINS)
        if not allowed:
            return _(
                "Không gửi được báo cáo tới địa chỉ ngoài hệ thống “%(a)s”: quản trị viên chưa "
                "cho phép tên miền nào; hãy chọn người nhận trong hệ thống."
            ) % {"a": address}
        return _(
            "Không gửi được báo cáo tới “%(a)s”: chỉ được gửi tới địa chỉ thuộc các tên miền "
            "%(allowed)s."
        ) % {"a": address, "allowed": allowed}
    return None


def subscription_validate(subscription: Subscription, *, recipients=None) -> None:
    """Parameters, outside addresses and (when given) the users who would receive it.

    ``recipients`` are the users about to be set; None leaves the saved ones unchecked
    (they are checked again at every sending, see ``delivery_recipients``).
    """
    definition = registry.get(subscription.report)
    subscription.params = definition.clean_params(subscription.params)
    errors: dict[str, list[str]] = {}
    for address in extra_addresses(subscription.extra_emails):
        refusal = address_refusal(address)
        if refusal:
            errors.setdefault("extra_emails", []).append(refusal)
    if recipients is not None and subscription.scope_id is not None:
        scope = subscription.scope
        for user in recipients:
            refusal = recipient_refusal(user, scope)
            if refusal:
                errors.setdefault("recipients", []).append(refusal)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def subscription_save(*, subscription: Subscription, recipients=None) -> Subscription:
    """Validate, save, and create or update the beat task that sends it.

    ``recipients`` (users) replace the saved ones after the same checks; None keeps them.
    """
    if recipients is not None:
        recipients = list(recipients)
    subscription_validate(subscription, recipients=recipients)
    subscription.save()
    if recipients is not None:
        subscription.recipients.set(recipients)
    name = f"Báo cáo định kỳ #{subscription.pk}: {subscription.name}"[:200]
    task = subscription.periodic_task or PeriodicTask(task=SEND_TASK)
    task.name = name
    task.task = SEND_TASK
    task.crontab = subscription.schedule
    task.args = f"[{subscription.pk}]"
    task.enabled = subscription.is_active
    task.description = _("Gửi báo cáo “%(name)s” theo lịch.") % {"name": subscription.name}
    task.save()
    if subscription.periodic_task_id != task.pk:
        subscription.periodic_task = task
        subscription.save(update_fields=["periodic_task"])
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    task = subscription.periodic_task
    subscription.delete()
    if task is not None:
        task.delete()


def delivery_recipients(subscription: Subscription) -> tuple[list[str], list[str]]:
    """(addresses to send to, why others were skipped), by the rules in force now.

    A user whose scope changed or who was deactivated, or an address whose domain is no
    longer allowed since the subscription was saved, is skipped, never sent to.
    """
    addresses, skipped = set(), []
    users = subscription.recipients.select_related("scope").order_by("username")
    for user in users:
        refusal = recipient_refusal(user, subscription.scope)
        if refusal:
            skipped.append(refusal)
        elif user.email:
            addresses.add(user.email.strip())
    for address in extra_addresses(subscription.extra_emails):
        refusal = address_refusal(address)
        if refusal:
            skipped.append(refusal)
        else:
            addresses.add(address)
    return sorted(addresses), skipped


def recipients_of(subscription: Subscription) -> list[str]:
    """The addresses a sending would go to now (see ``delivery_recipients``)."""
    return delivery_recipients(subscription)[0]


def skipped_note(skipped: list[str]) -> str:
    if not skipped:
        return ""
    return _("Không gửi tới %(n)d người nhận không còn đủ điều kiện: %(why)s") % {
        "n": len(skipped),
        "why": " ".join(skipped),
    }


def _period_delivery(subscription: Subscription, date_from: dt.date, date_to: dt.date) -> Delivery:
    try:
        with transaction.atomic():
            delivery, _created = Delivery.objects.get_or_create(
                subscription=subscription, date_from=date_from, date_to=date_to
            )
    except IntegrityError:
        delivery = Delivery.objects.get(
            subscription=subscription, date_from=date_from, date_to=date_to
        )
    return delivery


def _claim(
    subscription: Subscription, date_from: dt.date, date_to: dt.date
) -> tuple[Delivery, DeliveryAttempt] | None:
    """The delivery row for this period and its new attempt, if this caller won the right
    to send it (a conditional update: of two workers, one wins)."""
    delivery = _period_delivery(subscription, date_from, date_to)
    now = timezone.now()
    # A claim older than the task's hard time limit belongs to a worker that was lost.
    takeable = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - claim_lease()
    )
    won = Delivery.objects.filter(takeable, pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if not won:
        return None
    delivery.refresh_from_db()
    # The row is ours until the lease ends. An attempt of a lost worker is closed, then a
    # request waiting in the queue (a person's "Gửi ngay") becomes this attempt.
    delivery.history.filter(status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED, finished_at=now, error=lost_worker_note()
    )
    attempt = delivery.history.filter(status=DeliveryStatus.PENDING).order_by("id").first()
    if attempt is None:
        attempt = DeliveryAttempt(delivery=delivery, kind=AttemptKind.AUTO, requested_at=now)
    attempt.status = DeliveryStatus.SENDING
    attempt.started_at = now
    attempt.save()
    return delivery, attempt


def _finish(
    delivery: Delivery, attempt: DeliveryAttempt, status: str, *, error: str = "", **fields
) -> Delivery:
    now = timezone.now()
    DeliveryAttempt.objects.filter(pk=attempt.pk).update(
        status=status, finished_at=now, error=error, recipients=fields.get("recipients", "")
    )
    # Only while the claim is still ours: a worker that lost it writes nothing here.
    Delivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at).update(
        status=status, **fields
    )
    delivery.refresh_from_db()
    return delivery


def subscription_deliver(*, subscription_id: int, today: dt.date | None = None) -> Delivery | None:
    """Email the subscription's report for the period ``today`` falls in, once.

    The unique (subscription, period) row is claimed with a conditional update, so
    beat firing twice or two workers picking up the task send one email. A failed
    send releases the claim (status ``failed``), is kept in the delivery's history and
    re-raises for the task to retry. A report with no figures is skipped when the
    subscription says so, unless a person asked for this sending.
    """
    today = today or timezone.localdate()
    subscription = Subscription.objects.select_related("scope").get(pk=subscription_id)
    date_from, date_to = periods.resolve(subscription.period_rule, today)
    claim = _claim(subscription, date_from, date_to)
    if claim is None:
        return None
    delivery, attempt = claim
    try:
        run = services.report_run_now(
            report=subscription.report,
            scope=subscription.scope,
            date_from=date_from,
            date_to=date_to,
            params=subscription.params,
            today=today,
        )
        if run.status != RunStatus.SUCCEEDED:
            note = _("Lỗi khi tính báo cáo: %(e)s") % {"e": run.error}
            return _finish(delivery, attempt, DeliveryStatus.FAILED, error=note, run=run, note=note)
        asked_by_person = attempt.kind != AttemptKind.AUTO
        if run.result["is_empty"] and subscription.skip_if_empty and not asked_by_person:
            return _finish(
                delivery,
                attempt,
                DeliveryStatus.SKIPPED,
                run=run,
                note=_("Báo cáo không có số liệu: không gửi thư theo đăng ký."),
            )
        to, skipped = delivery_recipients(subscription)
        if not to:
            nobody = _("Đăng ký chưa có người nhận có địa chỉ thư điện tử.")
            note = f"{nobody} {skipped_note(skipped)}".strip()
            return _finish(delivery, attempt, DeliveryStatus.FAILED, error=note, run=run, note=note)
        build_email(subscription, run, to).send()
        audit_record(
            user=attempt.requested_by or subscription.created_by,
            action=AuditEvent.Action.SEND_EMAIL,
            obj=subscription,
            # Counts only: the addresses stay on the delivery row, not in the audit.
            detail=_("Gửi báo cáo qua thư tới %(n)d địa chỉ, bỏ qua %(skipped)d")
            % {
                "n": len(to),
                "skipped": len(skipped),
            },
        )
    except Exception as error:
        note = f"{type(error).__name__}: {error}"
        _finish(delivery, attempt, DeliveryStatus.FAILED, error=note, note=note)
        raise
    return _finish(
        delivery,
        attempt,
        DeliveryStatus.SENT,
        run=run,
        recipients=", ".join(to),
        sent_at=timezone.now(),
        note=skipped_note(skipped),
    )


def deliveries_sweep(*, now: dt.datetime | None = None) -> int:
    """Fail the sendings whose worker was lost (claim older than the lease), with the reason.

    They show as failed in the history at once; the task's message, delivered again by
    the broker, or a person's "Gửi ngay", sends them.
    """
    now = now or timezone.now()
    cutoff = now - claim_lease()
    stale = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=cutoff)
    ids = list(stale.order_by("pk").values_list("pk", flat=True)[:500])
    if not ids:
        return 0
    note = lost_worker_note()
    DeliveryAttempt.objects.filter(
        delivery_id__in=ids, status=DeliveryStatus.SENDING, started_at__lt=cutoff
    ).update(status=DeliveryStatus.FAILED, finished_at=now, error=note)
    return stale.filter(pk__in=ids).update(status=DeliveryStatus.FAILED, note=note)


# --- "Gửi ngay": sending the current period now, and sending it again ------------------


class SendNow(enum.StrEnum):
    QUEUED = "queued"  # queued now (not sent yet this period, or a confirmed resend)
    WAITING = "waiting"  # already waiting in the queue: queued once more, no new request
    SENDING = "sending"  # a worker is sending it right now: nothing to do
    NEEDS_CONFIRMATION = "needs_confirmation"  # already sent: ask before sending again


@dataclass(frozen=True)
class SendNowOutcome:
    outcome: SendNow
    delivery: Delivery
    attempt: DeliveryAttempt | None = None


def subscription_send_now(
    *, subscription: Subscription, user, today: dt.date | None = None, resend: bool = False
) -> SendNowOutcome:
    """Queue the email of the subscription's current period now (the "Gửi ngay" button).

    A period already sent is queued again only with ``resend`` (the person confirmed);
    each request is recorded at once as an attempt (who, when) that the worker then
    carries out, so the history shows it even before it is sent.
    """
    today = today or timezone.localdate()
    date_from, date_to = periods.resolve(subscription.period_rule, today)
    _period_delivery(subscription, date_from, date_to)
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(
            subscription=subscription, date_from=date_from, date_to=date_to
        )
        waiting = delivery.history.filter(status=DeliveryStatus.PENDING).first()
        claim_alive = delivery.claimed_at is not None and delivery.claimed_at >= now - claim_lease()
        if delivery.status == DeliveryStatus.SENDING and claim_alive:
            return SendNowOutcome(SendNow.SENDING, delivery)
        if delivery.status == DeliveryStatus.PENDING and waiting is not None:
            outcome, attempt = SendNow.WAITING, waiting  # its message may have been lost
        elif delivery.status == DeliveryStatus.SENT and not resend:
            return SendNowOutcome(SendNow.NEEDS_CONFIRMATION, delivery)
        else:
            kind = (
                AttemptKind.RESEND if delivery.status == DeliveryStatus.SENT else AttemptKind.MANUAL
            )
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.PENDING)
            attempt = DeliveryAttempt.objects.create(
                delivery=delivery, kind=kind, requested_by=user, requested_at=now
            )
            outcome = SendNow.QUEUED
        _enqueue_send(subscription.pk, today)
    delivery.refresh_from_db()
    return SendNowOutcome(outcome, delivery, attempt)


def _enqueue_send(subscription_id: int, today: dt.date) -> None:
    from .tasks import send_subscription

    transaction.on_commit(lambda: send_subscription.delay(subscription_id, today.isoformat()))


def build_email(subscription: Subscription, run, to: list[str]) -> EmailMultiAlternatives:
    """Vietnamese subject; sentence, chart and main table in the body; XLSX (with the
    "Danh sách" sheet of the people behind the figures) and CSV attached.

    A report with no figures says so in its subject and sentence, and its all-zero table
    stays in the attachments only.
    """
    result = run.result
    subject = subject_line(
        _("[Báo cáo] %(title)s – %(scope)s – %(period)s")
        % {"title": result["title"], "scope": result["scope"], "period": result["period"]}
    )
    attachments_result = result
    if result.get("is_empty"):
        subject += " " + _("(không có số liệu)")
        result = {**result, "sentence": empty_sentence(result), "tables": [], "chart": None}
    png = charts.render_png(result.get("chart"))
    context = {"result": result, "subscription": subscription}
    text = render_to_string(
        "reports/email/report.txt",
        {**context, "main": result["tables"][0] if result["tables"] else None},
    )
    html = render_to_string(
        "reports/email/report.html",
        {
            **context,
            "body": exports.to_html(
                result, first_table_only=True, chart_src=f"cid:{CHART_CID}" if png else None
            ),
        },
    )
    result = attachments_result
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.mixed_subtype = "related"
    if png:
        image = MIMEImage(png, "png")
        image.add_header("Content-ID", f"<{CHART_CID}>")
        image.add_header("Content-Disposition", "inline", filename="bieu-do.png")
        message.attach(image)
    if subscription.attach_xlsx:
        message.attach(
            exports.filename(result, "xlsx"),
            exports.run_xlsx(run),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    if subscription.attach_csv:
        message.attach(exports.filename(result, "csv"), exports.to_csv(result), "text/csv")
    return message


def empty_sentence(result: dict) -> str:
    """What an email of a period without figures says, before the report's own sentence."""
    empty = _(
        "%(period)s không có số liệu nào cho báo cáo này trong phạm vi %(scope)s: không có "
        "trường hợp nào để tổng hợp."
    ) % {"period": result["period"], "scope": result["scope"]}
    return f"{empty} {result['sentence']}".strip()
