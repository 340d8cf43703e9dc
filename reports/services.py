"""Running reports: one run per identical request in flight, executed at most once to completion."""

import datetime as dt
import logging
import time
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from personnel.models import OrgUnit

from . import periods, registry
from .choices import IN_FLIGHT, RunStatus
from .jsonable import check_storable, plain
from .models import ReportRun, request_key

logger = logging.getLogger(__name__)


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
    """A run for this request: the one already queued or running, or a new one (queued)."""
    definition = registry.get(report)
    _validate_period(date_from, date_to)
    clean = definition.clean_params(params)
    key = request_key(report, scope.pk, date_from, date_to, clean)
    existing = ReportRun.objects.filter(request_key=key, status__in=IN_FLIGHT).first()
    if existing is not None:
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
            )
    except IntegrityError:
        # Someone queued the same request between our check and insert.
        return ReportRun.objects.get(request_key=key, status__in=IN_FLIGHT)
    if enqueue:
        from .tasks import run_report

        transaction.on_commit(lambda: run_report.delay(run.pk))
    return run


def report_run_execute(*, run_id: int, today: dt.date | None = None) -> ReportRun:
    """Compute a run. A finished run is left alone; a run left ``running`` by a lost
    worker is taken over, and only the latest claim may write the result."""
    token = uuid.uuid4().hex
    claimed = ReportRun.objects.filter(pk=run_id, status__in=IN_FLIGHT).update(
        status=RunStatus.RUNNING,
        claim_token=token,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
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
        "generated_at": timezone.localtime().strftime("%H:%M %d/%m/%Y"),
        **result,
    }


def report_run_now(*, today: dt.date | None = None, **kwargs) -> ReportRun:
    """Request and compute in this process (command line, email delivery)."""
    run = report_request(enqueue=False, **kwargs)
    return report_run_execute(run_id=run.pk, today=today)
