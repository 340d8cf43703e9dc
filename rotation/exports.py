"""The filtered decisions list as a workbook: a sheet of decisions and a sheet of their
movements (one row per cadre moved), with the same title block as the officials export.

Which movements the file lists follows ``disclosure``: every movement of a decision the
user's scope issued; of another unit's decision, only those of the user's own cadres.
"""

import io

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from personnel.exports import ExportHeader, header_lines, spreadsheet_safe

from . import disclosure
from .choices import DecisionStatus, MovementKind
from .directions import direction_label
from .models import Decision, Movement

MAX_EXPORT_DECISIONS = 10_000

DECISION_COLUMNS = (
    (_("STT"), 6),
    (_("Số, ký hiệu"), 16),
    (_("Cơ quan ban hành"), 30),
    (_("Trích yếu"), 48),
    (_("Ngày ký"), 12),
    (_("Trạng thái"), 16),
    (_("Số lượt"), 9),
    (_("Sự đã rồi"), 10),
)
MOVEMENT_COLUMNS = (
    (_("Số, ký hiệu quyết định"), 16),
    (_("Số hiệu hồ sơ"), 14),
    (_("Họ và tên"), 26),
    (_("Hình thức"), 14),
    (_("Đơn vị đi"), 30),
    (_("Chức vụ nơi đến"), 32),
    (_("Đơn vị đến"), 30),
    (_("Ngày có hiệu lực"), 12),
    (_("Thời hạn (tháng)"), 10),
    (_("Dự kiến kết thúc"), 12),
    (_("Hướng luân chuyển"), 26),
    (_("Đã thi hành"), 10),
)
DATE_FORMAT = "DD/MM/YYYY"


def visible_movements(user, decisions: list[Decision]) -> QuerySet[Movement]:
    """The movements of ``decisions`` the user may see, in one query: every movement of a
    decision the user's scope issued (``disclosure.sees_whole_decision``), else those of the
    user's own cadres and units (``Movement.objects.for_user``). A local committee that was
    only consulted on a movement reads it on the decision's page, not in this file."""
    whole = [d.pk for d in decisions if disclosure.sees_whole_decision(user, d)]
    others = [d.pk for d in decisions if d.pk not in set(whole)]
    visible = Q(decision_id__in=whole) | Q(
        decision_id__in=others, pk__in=Movement.objects.for_user(user).values("pk")
    )
    return (
        Movement.objects.filter(visible)
        .select_related("decision", "official", "from_unit", "to_unit", "to_position")
        .order_by("decision__signed_on", "decision_id", "id")
    )


def _bold(sheet, value, size=None):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True, size=size)
    return cell


def _date(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def _start(sheet, title: str, header: ExportHeader, columns) -> None:
    for index, (_label, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([_bold(sheet, title, size=14)])
    for label, value in header_lines(header):
        sheet.append([_bold(sheet, label), spreadsheet_safe(value)])
    sheet.append([])
    sheet.append([_bold(sheet, label) for label, _width in columns])


def to_xlsx(decisions: QuerySet[Decision], header: ExportHeader, *, user) -> tuple[bytes, int]:
    """The workbook and the number of decisions in it. ``decisions`` carries
    ``n_movements`` (the list's annotation) and ``issued_by``."""
    rows = list(decisions[:MAX_EXPORT_DECISIONS])
    statuses = {code: str(label) for code, label in DecisionStatus.choices}
    kinds = {code: str(label) for code, label in MovementKind.choices}
    yes = _("Có")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Quyết định"))
    _start(sheet, _("DANH SÁCH QUYẾT ĐỊNH LUÂN CHUYỂN, ĐIỀU ĐỘNG"), header, DECISION_COLUMNS)
    for number, decision in enumerate(rows, start=1):
        sheet.append(
            [
                number,
                spreadsheet_safe(decision.number),
                spreadsheet_safe(decision.issued_by.name),
                spreadsheet_safe(decision.title),
                _date(sheet, decision.signed_on),
                statuses.get(decision.status, decision.status),
                getattr(decision, "n_movements", None),
                yes if decision.is_fait_accompli else "",
            ]
        )
    sheet = book.create_sheet(_("Lượt điều chuyển"))
    _start(sheet, _("CÁC LƯỢT LUÂN CHUYỂN, ĐIỀU ĐỘNG"), header, MOVEMENT_COLUMNS)
    if rows:
        for movement in visible_movements(user, rows).iterator(chunk_size=2000):
            sheet.append(
                [
                    spreadsheet_safe(movement.decision.number),
                    spreadsheet_safe(movement.official.code),
                    spreadsheet_safe(movement.official.full_name),
                    kinds.get(movement.kind, movement.kind),
                    spreadsheet_safe(movement.from_unit.name if movement.from_unit else ""),
                    spreadsheet_safe(movement.to_position.title),
                    spreadsheet_safe(movement.to_unit.name if movement.to_unit else ""),
                    _date(sheet, movement.effective_on),
                    movement.term_months,
                    _date(sheet, movement.expected_end_on),
                    str(direction_label(movement.direction)) if movement.direction else "",
                    yes if movement.applied_at else "",
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), len(rows)
