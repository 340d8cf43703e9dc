"""The officials' records for the national database of cadres, civil servants and public
employees (Decree 27/2026/NĐ-CP): keyed by the personal identification number, the fields
we hold, grouped and ordered as the national record is (identity, current post, Party,
qualifications, then the lists: postings, training, evaluations, rewards, discipline,
planning).

``GROUPS`` is the one statement of that order: the API's JSON (``/api/v1/national-records/``,
codes as stored) and the XLSX hand-over (labels in Vietnamese, one sheet per list) are both
made from it. An official without the number has no national record: the XLSX lists them
on a sheet of their own so that the committee completes them.
"""

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import Evaluation, Official, PlanningEntry, Posting, TrainingRecord
from .models_discipline import Discipline, Reward

DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class Column:
    """One field of the national record: its key (JSON), its label (XLSX), how it is read
    from the record, and its kind ("text", "date", "int", "bool")."""

    key: str
    label: str
    read: Callable
    kind: str = "text"
    choices: dict | None = None  # stored code → label, for the XLSX

    def json(self, record):
        value = self.read(record)
        return value.isoformat() if isinstance(value, dt.date) else value

    def cell(self, record):
        value = self.read(record)
        if self.choices is not None and value is not None:
            return str(self.choices.get(value, value))
        if isinstance(value, bool):
            return _("Có") if value else _("Không")
        return value


def _path(record, path: str):
    for name in path.split("."):
        if record is None:
            return None
        record = getattr(record, name)
    return record


def field(model: type[models.Model], path: str, key: str | None = None, label=None) -> Column:
    """A column read from the model field at ``path`` (``current_posting.title``)."""
    names = path.split(".")
    target = model
    for name in names[:-1]:
        target = target._meta.get_field(name).related_model
    model_field = target._meta.get_field(names[-1])
    kind = "text"
    if isinstance(model_field, models.DateField):
        kind = "date"
    elif isinstance(model_field, models.BooleanField):
        kind = "bool"
    elif isinstance(model_field, models.IntegerField):
        kind = "int"
    choices = dict(model_field.choices) if model_field.choices else None
    nullable = model_field.null or len(names) > 1

    def read(record, path=path, nullable=nullable):
        value = _path(record, path)
        return None if value in ("", None) and nullable else value

    label = label or model_field.verbose_name
    return Column(key or path.replace(".", "_"), label, read, kind, choices)


@dataclass(frozen=True)
class Group:
    number: int
    key: str
    title: str
    columns: tuple[Column, ...]
    model: type[models.Model] | None = None  # a list group's rows
    related: tuple[str, ...] = ()  # select_related for its rows
    order: tuple[str, ...] = ()

    @property
    def is_list(self) -> bool:
        return self.model is not None


OF = Official
GROUPS: tuple[Group, ...] = (
    Group(
        1,
        "identity",
        gettext_lazy("Thông tin chung"),
        (
            field(OF, "code"),
            field(OF, "full_name"),
            field(OF, "other_names"),
            field(OF, "gender"),
            field(OF, "date_of_birth"),
            field(OF, "birthplace.name", "birthplace", gettext_lazy("nơi sinh")),
            field(OF, "birthplace.code", "birthplace_code", gettext_lazy("mã nơi sinh")),
            field(OF, "hometown.name", "hometown", gettext_lazy("quê quán")),
            field(OF, "hometown.code", "hometown_code", gettext_lazy("mã quê quán")),
            field(OF, "ethnicity"),
            field(OF, "religion"),
            field(OF, "home_address"),
            field(OF, "phone"),
        ),
    ),
    Group(
        2,
        "current_post",
        gettext_lazy("Chức vụ, đơn vị công tác hiện nay"),
        (
            field(OF, "current_posting.title", "title", gettext_lazy("chức vụ, chức danh")),
            field(OF, "current_unit.name", "unit", gettext_lazy("cơ quan, đơn vị")),
            field(OF, "current_unit.code", "unit_code", gettext_lazy("mã cơ quan, đơn vị")),
            field(OF, "current_posting.start_date", "since", gettext_lazy("giữ từ ngày")),
            field(OF, "management_tier"),
            field(OF, "status"),
            field(OF, "left_on"),
        ),
    ),
    Group(
        3,
        "party",
        gettext_lazy("Thông tin đảng viên"),
        (field(OF, "party_joined_on"), field(OF, "party_confirmed_on")),
    ),
    Group(
        4,
        "qualifications",
        gettext_lazy("Trình độ"),
        (
            field(OF, "education_level"),
            field(OF, "major"),
            field(OF, "political_theory"),
            field(OF, "state_management"),
        ),
    ),
    Group(
        5,
        "postings",
        gettext_lazy("Quá trình công tác"),
        (
            field(Posting, "start_date"),
            field(Posting, "end_date"),
            field(Posting, "title"),
            field(Posting, "org_unit.name", "unit", gettext_lazy("cơ quan, đơn vị")),
            field(Posting, "org_unit.code", "unit_code", gettext_lazy("mã cơ quan, đơn vị")),
            field(Posting, "is_primary"),
            field(Posting, "basis"),
        ),
        model=Posting,
        related=("org_unit",),
        order=("start_date", "id"),
    ),
    Group(
        6,
        "training",
        gettext_lazy("Đào tạo, bồi dưỡng"),
        (
            field(TrainingRecord, "kind"),
            field(TrainingRecord, "programme"),
            field(TrainingRecord, "qualification"),
            field(TrainingRecord, "institution"),
            field(TrainingRecord, "mode"),
            field(TrainingRecord, "start_date"),
            field(TrainingRecord, "end_date"),
        ),
        model=TrainingRecord,
        order=("start_date", "id"),
    ),
    Group(
        7,
        "evaluations",
        gettext_lazy("Đánh giá, xếp loại"),
        (field(Evaluation, "year"), field(Evaluation, "rating"), field(Evaluation, "note")),
        model=Evaluation,
        order=("year", "id"),
    ),
    Group(
        8,
        "rewards",
        gettext_lazy("Khen thưởng"),
        (
            field(Reward, "kind"),
            field(Reward, "name"),
            field(Reward, "level"),
            field(Reward, "decided_on"),
            field(Reward, "basis"),
            field(Reward, "issued_by"),
        ),
        model=Reward,
        order=("decided_on", "id"),
    ),
    Group(
        9,
        "discipline",
        gettext_lazy("Kỷ luật"),
        (
            field(Discipline, "kind"),
            field(Discipline, "level"),
            field(Discipline, "decided_on"),
            field(Discipline, "duration_months"),
            field(Discipline, "basis"),
            field(Discipline, "issued_by"),
        ),
        model=Discipline,
        order=("decided_on", "id"),
    ),
    Group(
        10,
        "planning",
        gettext_lazy("Quy hoạch"),
        (
            field(PlanningEntry, "term"),
            field(PlanningEntry, "position.title", "position", gettext_lazy("chức danh quy hoạch")),
            field(PlanningEntry, "position.org_unit.name", "unit", gettext_lazy("cơ quan, đơn vị")),
            field(PlanningEntry, "status"),
            field(PlanningEntry, "approved_on"),
            field(PlanningEntry, "basis"),
        ),
        model=PlanningEntry,
        related=("position__org_unit",),
        order=("term", "id"),
    ),
)
PROFILE_GROUPS = tuple(group for group in GROUPS if not group.is_list)
LIST_GROUPS = tuple(group for group in GROUPS if group.is_list)
KEY_LABEL = gettext_lazy("Số định danh cá nhân")


def keyed(officials: QuerySet) -> QuerySet:
    """The officials that have a national record (a personal identification number), in
    its order, with what the profile groups read."""
    return (
        officials.exclude(personal_id=None)
        .select_related("birthplace", "hometown", "current_posting", "current_unit")
        .order_by("personal_id")
    )


def _rows(group: Group, officials) -> QuerySet:
    """The rows of a list group for ``officials`` (ids or a queryset of them)."""
    related = ("official", *group.related)
    return (
        group.model.objects.filter(official__in=officials)
        .select_related(*related)
        .order_by("official__personal_id", "official_id", *group.order)
    )


def records(officials: Iterable[Official]) -> list[dict]:
    """The national records of ``officials`` (a page): one query per list group."""
    officials = list(officials)
    ids = [official.pk for official in officials]
    lists: dict[str, dict[int, list]] = {}
    for group in LIST_GROUPS:
        by_official = defaultdict(list)
        for row in _rows(group, ids):
            by_official[row.official_id].append(
                {column.key: column.json(row) for column in group.columns}
            )
        lists[group.key] = by_official
    result = []
    for official in officials:
        record = {"personal_id": official.personal_id}
        for group in GROUPS:
            if group.is_list:
                record[group.key] = lists[group.key].get(official.pk, [])
            else:
                record[group.key] = {c.key: c.json(official) for c in group.columns}
        result.append(record)
    return result


# --- the XLSX hand-over ---------------------------------------------------------------------


def _cells(sheet, values, columns, safe):
    row = []
    for column, value in zip(columns, values, strict=True):
        if column.kind == "date" and value is not None:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT
            row.append(cell)
        else:
            row.append(safe(value))
    return row


def to_xlsx(officials: QuerySet, header, *, masked: bool = False) -> tuple[bytes, int]:
    """``write_xlsx`` in memory: the workbook's bytes and the number of records."""
    buffer = io.BytesIO()
    count = write_xlsx(officials, header, buffer, masked=masked)
    return buffer.getvalue(), count


def write_xlsx(officials: QuerySet, header, target, *, masked: bool = False, progress=None) -> int:
    """The workbook, written to ``target`` (a path or a binary file; write-only, so memory
    stays flat): the records' profile groups on the first sheet (a row of group titles
    over the field labels), each list group on a sheet keyed by the number, and the
    officials without a number on the last. Returns the number of records; ``progress``
    is told the records written every ``exports.PROGRESS_EVERY`` of them."""
    from .exports import PROGRESS_EVERY, header_lines, spreadsheet_safe

    if masked:
        raise ValueError("the national records hold the personal data in full")
    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def bold_row(sheet, values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            cells.append(cell)
        return cells

    main = book.create_sheet(_("Hồ sơ")[:31])
    main.append(bold_row(main, [_("HỒ SƠ CÁN BỘ THEO CƠ SỞ DỮ LIỆU QUỐC GIA")]))
    for label, value in header_lines(header):
        main.append([label, spreadsheet_safe(value)])
    main.append([])
    titles, labels, columns = [""], [str(KEY_LABEL)], []
    for group in PROFILE_GROUPS:
        for index, column in enumerate(group.columns):
            titles.append(f"{group.number}. {group.title}" if index == 0 else "")
            labels.append(str(capfirst(column.label)))
            columns.append(column)
    main.append(bold_row(main, titles))
    main.append(bold_row(main, labels))
    key_column = Column("personal_id", str(KEY_LABEL), lambda r: r.personal_id)
    count = 0
    for official in keyed(officials).iterator(chunk_size=2000):
        count += 1
        values = [official.personal_id, *(column.cell(official) for column in columns)]
        main.append(_cells(main, values, [key_column, *columns], spreadsheet_safe))
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    selected = officials.values("pk")
    for group in LIST_GROUPS:
        sheet = book.create_sheet(f"{group.number}. {group.title}"[:31])
        sheet.append(
            bold_row(
                sheet,
                [str(KEY_LABEL), _("Họ và tên"), *(str(capfirst(c.label)) for c in group.columns)],
            )
        )
        rows = _rows(group, selected).exclude(official__personal_id=None)
        for row in rows.iterator(chunk_size=2000):
            values = [
                row.official.personal_id,
                row.official.full_name,
                *(column.cell(row) for column in group.columns),
            ]
            sheet.append(_cells(sheet, values, [key_column, key_column, *group.columns],
                                spreadsheet_safe))  # fmt: skip
    missing = book.create_sheet(_("Chưa có số định danh")[:31])
    missing.append(bold_row(missing, [_("Số hiệu hồ sơ"), _("Họ và tên"), _("Đơn vị hiện tại")]))
    for code, name, unit in (
        officials.filter(personal_id=None)
        .order_by("code")
        .values_list("code", "full_name", "current_unit__name")
        .iterator(chunk_size=2000)
    ):
        missing.append(
            [spreadsheet_safe(code), spreadsheet_safe(name), spreadsheet_safe(unit or "")]
        )
    book.save(target)
    if progress is not None:
        progress(count)
    return count
