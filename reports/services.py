"""Running reports: one run per identical request in flight, executed at most once to completion.

A run is held under a lease (``ReportRun.lease_expires_at``): set when it is queued (the
time its message may take to reach a worker) and when a worker claims it (longer than
the task's hard time limit, so a live worker never loses it). A run whose lease ended
belongs to a lost worker or a lost message: the next identical request, the run's page
and the periodic sweep take it over (queue it again), and only the latest claim may
write its result, so it completes exactly once. After ``REPORT_RUN_MAX_ATTEMPTS``
claims the run is failed instead, with the reason.
"""

import datetime as dt
import logging
import time
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from personnel.models import OrgUnit
from personnel.text import format_moment

from . import periods, registry
from .choices import IN_FLIGHT, RunStatus
from .jsonable import check_storable, plain
from .models import ReportRun, request_key

logger = logging.getLogger(__name__)

#: how often ``report_run_now`` looks again at a run another worker is computing
WAIT_POLL_SECONDS = 1.0
#: runs taken over by one sweep at most (the next sweep takes the rest)
SWEEP_BATCH = 500


def run_lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REPORT_RUN_LEASE_SECONDS)


def _lease_ended(now: dt.datetime) -> Q:
    return Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now)


def _enqueue(run_id: int) -> None:
    from .tasks import run_report

    transaction.on_commit(lambda: run_report.delay(run_id))


def _validate_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_from is None or date_to is None:
        raise ValidationError(_("Cần nhập đủ ngày bắt đầu và ngày kết thúc của kỳ báo cáo."))
    if date_from > date_to:
        raise ValidationError({"date_from": _("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")})


def report_request(
    *,
    report: str,
    scope: OrgUnit,
    date_from: dt.date,
    date_to: dt.date,
    params: dict | None = None,
    requested_by=None,
    enqueue: bool = True,
) -> ReportRun:
    """A run for this request: the one already queued or running, or a new one (queued).

    A run in flight whose lease ended is taken over first (queued again), so the caller
    never waits on a run nobody is computing; one failed for good gives way to a new run.
    """
    definition = registry.get(report)
    _validate_period(date_from, date_to)
    clean = definition.clean_params(params)
    key = request_key(report, scope.pk, date_from, date_to, clean)
    existing = ReportRun.objects.filter(request_key=key, status__in=IN_FLIGHT).first()
    if existing is not None and existing.lease_expired():
        existing = report_run_take_over(run=existing, enqueue=enqueue)
    if existing is not None and existing.status in IN_FLIGHT:
        return existing
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(
                report=report,
                scope=scope,
                date_from=date_from,
                date_to=date_to,
                params=clean,
                request_key=key,
                requested_by=requested_by,
                lease_expires_at=timezone.now() + run_lease(),
            )
    except IntegrityError:
        # Someone queued the same request between our check and insert.
        return ReportRun.objects.get(request_key=key, status__in=IN_FLIGHT)
    if enqueue:
        _enqueue(run.pk)
    return run


def report_run_take_over(
    *, run: ReportRun, enqueue: bool = True, now: dt.datetime | None = None
) -> ReportRun:
    """Queue again a run whose lease ended (its worker or its message was lost).

    Conditional updates: of callers racing for the same run one takes it over, the
    others find it queued under a fresh lease. A lost worker still computing it cannot
    write its result any more (its claim token is cleared). A run already claimed
    ``REPORT_RUN_MAX_ATTEMPTS`` times is failed with the reason instead.
    """
    now = now or timezone.now()
    ended = ReportRun.objects.filter(_lease_ended(now), pk=run.pk, status__in=IN_FLIGHT)
    failed = ended.filter(attempts__gte=settings.REPORT_RUN_MAX_ATTEMPTS).update(
        status=RunStatus.FAILED,
        claim_token="",
        lease_expires_at=None,
        finished_at=now,
        error=_(
            "Bộ xử lý nền đã dừng giữa chừng %(n)d lần khi tính báo cáo này (mất kết nối, "
            "khởi động lại hoặc quá thời gian); đã ngừng tính lại. Hãy chạy lại; nếu lỗi lặp "
            "lại, báo quản trị hệ thống."
        )
        % {"n": settings.REPORT_RUN_MAX_ATTEMPTS},
    )
    if not failed:
        requeued = ended.update(
            status=RunStatus.QUEUED, claim_token="", lease_expires_at=now + run_lease()
        )
        if requeued:
            logger.warning("report run %s: lease ended, queued again", run.pk)
            if enqueue:
                _enqueue(run.pk)
    run.refresh_from_db()
    return run


def report_runs_sweep(*, now: dt.datetime | None = None) -> dict:
    """Take over every run in flight whose lease ended (the periodic sweep)."""
    now = now or timezone.now()
    stale = ReportRun.objects.filter(_lease_ended(now), status__in=IN_FLIGHT).order_by("pk")
    counts = {"requeued": 0, "failed": 0}
    for run in stale.only("pk", "status")[:SWEEP_BATCH]:
        run = report_run_take_over(run=run, now=now)
        if run.status == RunStatus.FAILED:
            counts["failed"] += 1
        elif run.status == RunStatus.QUEUED:
            counts["requeued"] += 1
    return counts


def report_run_execute(*, run_id: int, today: dt.date | None = None) -> ReportRun:
    """Compute a run, if this caller claims it.

    A queued run is claimed by one conditional update; so is a run left ``running`` by a
    worker whose lease ended (while attempts remain). A finished run, or one another
    worker holds under a live lease (a message delivered twice), is left alone. Only the
    latest claim may write the result.
    """
    token = uuid.uuid4().hex
    now = timezone.now()
    claimable = Q(status=RunStatus.QUEUED) | (
        Q(status=RunStatus.RUNNING)
        & _lease_ended(now)
        & Q(attempts__lt=settings.REPORT_RUN_MAX_ATTEMPTS)
    )
    claimed = ReportRun.objects.filter(claimable, pk=run_id).update(
        status=RunStatus.RUNNING,
        claim_token=token,
        attempts=F("attempts") + 1,
        started_at=now,
        lease_expires_at=now + run_lease(),
    )
    run = ReportRun.objects.select_related("scope").get(pk=run_id)
    if not claimed:
        return run
    started = time.monotonic()
    outcome = {"status": RunStatus.SUCCEEDED, "error": "", "result": None}
    try:
        outcome["result"] = check_storable(plain(compute_result(run, today=today)))
    except SoftTimeLimitExceeded:
        outcome.update(status=RunStatus.FAILED, error=_("Quá thời gian cho phép khi tính báo cáo."))
    except Exception as error:
        logger.exception("report run %s failed", run_id)
        outcome.update(status=RunStatus.FAILED, error=f"{type(error).__name__}: {error}")
    finish = {
        "finished_at": timezone.now(),
        "duration_ms": int(1000 * (time.monotonic() - started)),
        "lease_expires_at": None,
    }
    mine = ReportRun.objects.filter(pk=run_id, claim_token=token)
    try:
        with transaction.atomic():  # a savepoint: a refused write leaves the connection usable
            mine.update(**outcome, **finish)
    except Exception as error:
        # The result could not be saved (the database refused it): the run fails with
        # the reason, rather than staying "running".
        logger.exception("report run %s: result not stored", run_id)
        mine.update(
            status=RunStatus.FAILED,
            result=None,
            error=_("Không lưu được kết quả báo cáo: %(error)s")
            % {"error": f"{type(error).__name__}: {error}"},
            **finish,
        )
    run.refresh_from_db()
    return run


def compute_result(run: ReportRun, today: dt.date | None = None) -> dict:
    """The report's result with the header every rendering shows (title, scope, period)."""
    definition = registry.get(run.report)
    today = today or timezone.localdate()
    context = registry.Context(
        scope=run.scope,
        date_from=run.date_from,
        date_to=run.date_to,
        params=run.params,
        today=today,
    )
    result = definition.compute(context).as_dict()
    return {
        "report": run.report,
        "title": str(definition.title),
        "scope": run.scope.name,
        "scope_code": run.scope.code,
        "date_from": run.date_from.isoformat(),
        "date_to": run.date_to.isoformat(),
        "period": periods.phrase(run.date_from, run.date_to, today),
        "params": run.params,
        "generated_at": format_moment(timezone.now()),
        **result,
    }


def report_run_now(*, today: dt.date | None = None, **kwargs) -> ReportRun:
    """Request and compute in this process (command line, email delivery).

    When a worker is already computing the identical request, wait for its result, or
    for its lease to end and then take the run over: the wait is bounded by the lease.
    """
    run = report_request(enqueue=False, **kwargs)
    while True:
        run = report_run_execute(run_id=run.pk, today=today)
        if run.status not in IN_FLIGHT:
            return run
        if run.lease_expired():
            run = report_run_take_over(run=run, enqueue=False)
            continue
        remaining = (run.lease_expires_at - timezone.now()).total_seconds()
        time.sleep(max(0.0, min(WAIT_POLL_SECONDS, remaining)))
