"""The import as services: upload, preview (check everything, write nothing), apply.

Views, the management command and the Celery tasks call these. ``record_import_apply``
checks the file again against the records as they are now, then writes it in one
transaction or not at all; applying an applied import changes nothing.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import require_role
from accounts.choices import Role

from ..models import OrgUnit
from ..models_imports import ColumnMapping, ImportStatus, RecordImport
from ..text import format_moment
from .apply import apply_plan
from .columns import FILE_LANGUAGE
from .engine import build_plan
from .plan import Plan
from .reader import MAX_FILE_BYTES, WorkbookRejected, count_rows, read_workbook

logger = logging.getLogger(__name__)

#: files with more rows than this are checked and applied by a Celery worker
ASYNC_ROWS = 2000


def change_reason(record_import: RecordImport | None, file_name: str) -> str:
    if record_import is None or record_import.pk is None:
        return _("Nhập từ Excel: %(name)s") % {"name": file_name}
    return _("Nhập từ Excel: %(name)s (lần nhập #%(id)d)") % {
        "name": file_name,
        "id": record_import.pk,
    }


@dataclass
class Outcome:
    """What checking (and perhaps applying) a file gave."""

    plan: Plan | None
    rejected: WorkbookRejected | None = None
    applied: bool = False
    rows: int = 0

    @property
    def ok(self) -> bool:
        return self.rejected is None and self.plan is not None and self.plan.ok

    def messages(self) -> list[str]:
        if self.rejected is not None:
            return self.rejected.messages
        return [] if self.plan is None else [e.message for e in self.plan.errors]


def check_data(data: bytes, *, user, mapping=None, progress=None, today=None) -> Outcome:
    """Reads and checks a file in memory; writes nothing."""
    with translation.override(FILE_LANGUAGE):
        return _check_data(data, user=user, mapping=mapping, progress=progress, today=today)


def _check_data(data: bytes, *, user, mapping, progress, today) -> Outcome:
    try:
        result = read_workbook(data, mapping=mapping)
    except WorkbookRejected as rejected:
        return Outcome(None, rejected)
    plan = build_plan(result, user=user, today=today, progress=progress)
    return Outcome(plan, rows=result.rows_total)


def import_unit_of(user) -> OrgUnit | None:
    """The unit an import is recorded under: the user's scope (a superuser without one: the
    first top-level unit)."""
    if user.scope_id:
        return user.scope
    if user.is_superuser:
        return OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
    return None


def record_import_create(*, user, data: bytes, file_name: str, mapping=None) -> RecordImport:
    """Stores an uploaded file as a pending import of the user's unit."""
    require_role(user, Role.OFFICER)
    unit = import_unit_of(user)
    if unit is None:
        raise ValidationError(_("Bạn chưa được giao phạm vi quản lý nên không nhập được hồ sơ."))
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("Tệp vượt quá %(max)d MB cho phép; hãy chia thành nhiều tệp.")
            % {"max": MAX_FILE_BYTES // 1024 // 1024}
        )
    if (
        mapping is not None
        and not ColumnMapping.objects.for_user(user).filter(pk=mapping.pk).exists()
    ):
        raise ValidationError(_("Cách ghép cột không thuộc phạm vi của bạn."))
    record = RecordImport(
        org_unit=unit, file_name=file_name[:255], created_by=user, mapping=mapping
    )
    record.file.save("upload.xlsx", ContentFile(data), save=False)
    try:
        record.rows_total = count_rows(data)
    except WorkbookRejected as rejected:
        record.status = ImportStatus.REJECTED
        record.error_message = "\n".join(rejected.messages)
    record.save()
    return record


def _read_file(record: RecordImport) -> bytes:
    with record.file.open("rb") as handle:
        return handle.read()


def _progress_writer(record_id: int):
    def write(done: int) -> None:
        RecordImport.objects.filter(pk=record_id).update(
            rows_done=done, heartbeat_at=timezone.now()
        )

    return write


#: A run that has not reported progress for this long has stopped (its worker died and the
#: task was lost): nothing of it was written, the apply being one transaction.
STALE_AFTER = dt.timedelta(minutes=15)


def record_import_recover(*, record_import_id: int, now=None) -> bool:
    """Puts an import whose run stopped back to the step before it (previewed, or waiting
    to be checked) so that it can be run again; False when it is not stale."""
    now = now or timezone.now()
    limit = now - STALE_AFTER
    stale = RecordImport.objects.filter(pk=record_import_id, status=ImportStatus.RUNNING).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, created_at__lt=limit)
    )
    record = stale.only("preview").first()
    if record is None:
        return False
    # A run begun after a preview was the apply (the preview is kept until a new one).
    back_to = ImportStatus.PREVIEWED if record.preview.get("sheets") else ImportStatus.PENDING
    return bool(
        stale.update(
            status=back_to,
            rows_done=0,
            heartbeat_at=None,
            error_message=_(
                "Lần xử lý trước bị gián đoạn (không báo tiến độ từ %(since)s); không có gì "
                "được ghi. Tệp đã được đưa về bước trước để chạy lại."
            )
            % {"since": format_moment(timezone.localtime(limit))},
        )
    )


def _store_outcome(record: RecordImport, outcome: Outcome, *, status_ok: str) -> None:
    if outcome.rejected is not None:
        record.status = ImportStatus.REJECTED
        record.error_message = "\n".join(outcome.rejected.messages)
        record.errors = []
        record.preview = {"foreign": outcome.rejected.foreign}
        return
    plan = outcome.plan
    record.preview = plan.preview()
    record.counts = plan.counts()
    record.errors = plan.error_dicts()
    record.error_message = ""
    record.status = status_ok if plan.ok else ImportStatus.REJECTED
    record.rows_done = record.rows_total = outcome.rows


def record_import_preview(*, record_import_id: int) -> RecordImport:
    """Checks the file of a pending import: the preview, or the errors (nothing written)."""
    record = RecordImport.objects.select_related("created_by", "mapping").get(pk=record_import_id)
    if record.status not in (ImportStatus.PENDING, ImportStatus.RUNNING):
        return record  # previewed, applied or rejected already: a repeated task is harmless
    RecordImport.objects.filter(pk=record.pk).update(
        status=ImportStatus.RUNNING, rows_done=0, heartbeat_at=timezone.now()
    )
    try:
        outcome = check_data(
            _read_file(record),
            user=record.created_by,
            mapping=record.mapping,
            progress=_progress_writer(record.pk),
        )
        _store_outcome(record, outcome, status_ok=ImportStatus.PREVIEWED)
    except Exception as error:  # recorded where the officer and an administrator see it
        logger.exception("record import %s failed", record.pk)
        record.status = ImportStatus.FAILED
        record.error_message = _("Lỗi hệ thống khi đọc tệp: %(error)s") % {
            "error": type(error).__name__
        }
    record.save()
    return record


def record_import_queue_apply(*, record_import_id: int, user) -> bool:
    """Marks a previewed import as being applied (by a worker); False if it is not previewed."""
    require_role(user, Role.OFFICER)
    return bool(
        RecordImport.objects.filter(pk=record_import_id, status=ImportStatus.PREVIEWED).update(
            status=ImportStatus.RUNNING, rows_done=0, heartbeat_at=timezone.now()
        )
    )


def record_import_apply(*, record_import_id: int, user=None, queued: bool = False) -> RecordImport:
    """Checks the file again and writes it in one transaction, or rejects it whole.

    ``queued``: the import was marked running by ``record_import_queue_apply``."""
    record = RecordImport.objects.select_related("created_by", "mapping").get(pk=record_import_id)
    user = user or record.created_by
    require_role(user, Role.OFFICER)
    expected = ImportStatus.RUNNING if queued else ImportStatus.PREVIEWED
    claimed = RecordImport.objects.filter(pk=record.pk, status=expected).update(
        status=ImportStatus.RUNNING, rows_done=0, heartbeat_at=timezone.now()
    )
    if not claimed:
        record.refresh_from_db()
        return record  # applied, rejected or being applied: nothing to do
    try:
        outcome = check_data(
            _read_file(record),
            user=user,
            mapping=record.mapping,
            progress=_progress_writer(record.pk),
        )
        if not outcome.ok:
            _store_outcome(record, outcome, status_ok=ImportStatus.PREVIEWED)
            record.save()
            return record
        with transaction.atomic():
            apply_plan(outcome.plan, user=user, reason=change_reason(record, record.file_name))
            _store_outcome(record, outcome, status_ok=ImportStatus.APPLIED)
            record.applied_at = timezone.now()
            record.save()
    except Exception as error:
        logger.exception("record import %s failed", record.pk)
        RecordImport.objects.filter(pk=record.pk).update(
            status=ImportStatus.FAILED,
            error_message=_("Lỗi hệ thống khi ghi hồ sơ; không có thay đổi nào được ghi: %(error)s")
            % {"error": type(error).__name__},
        )
        record.refresh_from_db()
    return record


def import_data(
    *, data: bytes, file_name: str, user, dry_run: bool, today: dt.date | None = None
) -> tuple[Outcome, RecordImport | None]:
    """For the command: check, and unless ``dry_run`` apply and record the import."""
    require_role(user, Role.OFFICER)
    outcome = check_data(data, user=user, today=today)
    if dry_run or not outcome.ok:
        return outcome, None
    record = record_import_create(user=user, data=data, file_name=file_name)
    RecordImport.objects.filter(pk=record.pk).update(status=ImportStatus.PREVIEWED)
    record = record_import_apply(record_import_id=record.pk, user=user)
    outcome.applied = record.status == ImportStatus.APPLIED
    return outcome, record
