"""Export jobs: a workbook of more than ``exports.ASYNC_EXPORT_ROWS`` officials is built by a
worker into a private file, which only its requester downloads, for ``EXPORT_FILE_HOURS``.

The worker re-applies the filters the requester typed, as the requester (the list's
FilterSet over ``Official.objects.for_user``): the scope and the masking of the file are
theirs, as of the moment the file is made. The workbook is written to a temporary file
beside its final name and renamed into place, so a file is never seen half-written.
"""

import contextlib
import datetime as dt
import logging
import os
import tempfile
import uuid
from contextlib import contextmanager
from types import SimpleNamespace

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import exports
from .choices import ExportJobStatus
from .extensions import annotate_official_list, official_list_filterset
from .masking import can_see_personal_data
from .models_exports import ExportJob, export_files_dir
from .selectors import official_list

logger = logging.getLogger(__name__)

BUSY = (ExportJobStatus.QUEUED, ExportJobStatus.RUNNING)
#: a queued job no worker has taken after this long is failed (the broker lost it)
QUEUED_MAX_AGE = dt.timedelta(hours=6)
#: the jobs a user sees listed under their job
RECENT_JOBS = 10
TEMPORARY_PREFIX = ".part-"


def officials_filterset(*, user, params, annotated: bool = True):
    """The FilterSet of the officials list and its exports, over the officials ``user``
    may see, bound to ``params`` (a QueryDict: the request's, or a job's saved query).
    ``annotated``: with what the exported rows show (a page sets it on its own rows:
    ``extensions.annotate_official_page``)."""
    queryset = official_list(user=user)
    if annotated:
        queryset = annotate_official_list(queryset)
    # The FilterSet reads ``request.user`` (the units a filter offers, masking): a worker
    # has no request, so the job's requester and saved query stand in for one.
    request = SimpleNamespace(user=user, GET=params)
    return official_list_filterset()(params, queryset=queryset, request=request)


@contextmanager
def whole_result_planning(using: str):
    """On PostgreSQL, plan the queries run inside for reading every row of their cursor.

    ``QuerySet.iterator()`` reads through a server-side cursor (DECLARE … CURSOR, WITH HOLD
    outside a transaction), which PostgreSQL plans for the first ``cursor_tuple_fraction``
    (0.1) of the rows: a nested-loop plan that is slow over a whole table. An export reads
    them all. The setting is put back afterwards (the connection is reused); inside a
    transaction that failed, its rollback puts it back.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


# --- the job's life -------------------------------------------------------------------------


def export_job_request(*, user, fmt: str, query: str) -> tuple[ExportJob, bool]:
    """The user's job for this format and these filters: the one already queued or running
    (a second click does not build the file twice), else a new one. Returns (job, created);
    the caller enqueues a created job after the commit."""
    with transaction.atomic():
        busy = (
            ExportJob.objects.filter(requested_by=user, format=fmt, query=query, status__in=BUSY)
            .order_by("-created_at", "-id")
            .first()
        )
        if busy is not None:
            return busy, False
        return ExportJob.objects.create(requested_by=user, format=fmt, query=query), True


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.EXPORT_JOB_LEASE_SECONDS)


def _claimable() -> Q:
    """Queued, or running but silent past the lease (its worker was lost)."""
    return Q(status=ExportJobStatus.QUEUED) | Q(
        status=ExportJobStatus.RUNNING, heartbeat_at__lt=_stale_before()
    )


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Build the job's file. A job already done, failed or held by a live worker is left as
    it is (a message delivered twice builds nothing twice)."""
    now = timezone.now()
    claimed = (
        ExportJob.objects.filter(_claimable(), pk=job_id).update(
            status=ExportJobStatus.RUNNING,
            heartbeat_at=now,
            rows_done=0,
            error_message="",
        )
        == 1
    )
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    try:
        _build(job)
    except ExportRefused as refused:
        _fail(job, str(refused))
    except SoftTimeLimitExceeded:
        _fail(
            job,
            _(
                "Quá thời gian cho phép của một lần xuất; hãy thu hẹp bộ lọc (ví dụ theo đơn vị) "
                "rồi xuất lại."
            ),
        )
    except Exception:
        logger.exception("export job %s failed", job_id)
        _fail(job, _("Lỗi hệ thống khi tạo tệp; hãy thử lại sau hoặc báo quản trị viên."))
    job.refresh_from_db()
    return job


class ExportRefused(Exception):
    """The job cannot be built as asked: its message is shown to the requester."""


def _build(job: ExportJob) -> None:
    user = job.requested_by
    if not user.is_active:
        raise ExportRefused(_("Tài khoản yêu cầu xuất không còn hoạt động."))
    filterset = officials_filterset(user=user, params=QueryDict(job.query))
    if not filterset.is_valid():
        raise ExportRefused(_("Bộ lọc có giá trị không hợp lệ; hãy sửa bộ lọc rồi xuất lại."))
    masked = not can_see_personal_data(user)
    if masked and job.format in exports.UNMASKED_ONLY:
        raise ExportRefused(
            _(
                "Hồ sơ theo cơ sở dữ liệu quốc gia chứa đầy đủ thông tin cá nhân: "
                "cần vai trò chuyên viên trở lên."
            )
        )
    queryset = filterset.qs
    ceiling = exports.MAX_TEMPLATE_ROWS if job.format == "template" else exports.MAX_EXPORT_ROWS
    total = queryset[: ceiling + 1].count()
    if total > ceiling:
        raise ExportRefused(
            _(
                "Danh sách có hơn %(max)s cán bộ, vượt giới hạn một lần xuất; "
                "hãy thu hẹp bộ lọc (ví dụ theo đơn vị) rồi xuất lại."
            )
            % {"max": number_format(ceiling, force_grouping=True)}
        )
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total, heartbeat_at=timezone.now())
    header = exports.ExportHeader(
        user=f"{user} ({user.username})",
        at=job.created_at,
        filters=exports.describe_filters(filterset),
    )

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=rows, heartbeat_at=timezone.now())

    folder = export_files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    extension = exports.EXTENSIONS[job.format]
    handle, temporary = tempfile.mkstemp(
        dir=folder, prefix=TEMPORARY_PREFIX, suffix=f".{extension}"
    )
    os.close(handle)
    try:
        with whole_result_planning(queryset.db):
            count = exports.WRITERS[job.format](
                queryset, header, temporary, masked=masked, progress=progress
            )
        name = f"{uuid.uuid4().hex}.{extension}"
        os.replace(temporary, folder / name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJobStatus.DONE,
        rows_done=count,
        rows_total=count,
        file_name=name,
        file_size=(folder / name).stat().st_size,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJobStatus.FAILED, error_message=message, finished_at=timezone.now()
    )


def export_job_recover(*, job: ExportJob) -> bool:
    """A job whose worker was lost (running, silent past the lease) or that no worker took
    (queued for ``QUEUED_MAX_AGE``) is failed with a message. True if it was."""
    lost = ExportJob.objects.filter(
        pk=job.pk, status=ExportJobStatus.RUNNING, heartbeat_at__lt=_stale_before()
    ).update(
        status=ExportJobStatus.FAILED,
        error_message=_("Bộ xử lý nền đã dừng giữa chừng; hãy xuất lại."),
        finished_at=timezone.now(),
    )
    never_taken = ExportJob.objects.filter(
        pk=job.pk,
        status=ExportJobStatus.QUEUED,
        created_at__lt=timezone.now() - QUEUED_MAX_AGE,
    ).update(
        status=ExportJobStatus.FAILED,
        error_message=_("Yêu cầu xuất không được bộ xử lý nền nhận; hãy xuất lại."),
        finished_at=timezone.now(),
    )
    return bool(lost or never_taken)


def recent_jobs(*, user):
    """The user's latest export jobs, newest first."""
    return ExportJob.objects.filter(requested_by=user).order_by("-created_at", "-id")[:RECENT_JOBS]


# --- cleanup ---------------------------------------------------------------------------------


def export_files_cleanup() -> dict:
    """Delete files past ``EXPORT_FILE_HOURS``, temporary files older than that (a lost
    worker's), and fail jobs whose worker was lost. Returns the counts."""
    now = timezone.now()
    cutoff = now - dt.timedelta(hours=settings.EXPORT_FILE_HOURS)
    folder = export_files_dir()
    deleted = 0
    expired = ExportJob.objects.filter(status=ExportJobStatus.DONE, finished_at__lt=cutoff)
    for job in expired.exclude(file_name="").only("pk", "file_name"):
        with contextlib.suppress(FileNotFoundError):
            (folder / job.file_name).unlink()
            deleted += 1
        ExportJob.objects.filter(pk=job.pk).update(file_name="")
    # Files no job names any more (a job deleted with its user, a lost worker's part file).
    if folder.is_dir():
        kept = set(ExportJob.objects.exclude(file_name="").values_list("file_name", flat=True))
        for entry in folder.iterdir():
            if entry.name in kept or not entry.is_file():
                continue
            modified = dt.datetime.fromtimestamp(entry.stat().st_mtime, tz=dt.UTC)
            if modified < cutoff:
                with contextlib.suppress(FileNotFoundError):
                    entry.unlink()
                    deleted += 1
    failed = 0
    for job in ExportJob.objects.filter(status__in=BUSY).only("pk", "status"):
        failed += export_job_recover(job=job)
    return {"deleted": deleted, "failed": failed}
