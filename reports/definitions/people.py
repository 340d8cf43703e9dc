"""The people behind a report's figures, as the drill-down page and the "Danh sách" sheet list them.

Movement-based reports list movements (one row per lượt: name, date of birth, from post
and unit, to post and unit, decision number and date, effective date, direction, kind);
people-based reports list officials with the columns that matter to them.
"""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from personnel.choices import EducationLevel, ManagementTier, PoliticalTheory
from personnel.models import Official, PlanningEntry
from rotation.choices import MovementKind
from rotation.directions import direction_label
from rotation.models import Movement

from ..registry import People
from .common import format_day


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


def movement_columns() -> list[tuple[str, str]]:
    return [
        ("name", _("Họ và tên")),
        ("born", _("Ngày sinh")),
        ("from_post", _("Chức vụ nơi đi")),
        ("from_unit", _("Đơn vị nơi đi")),
        ("to_post", _("Chức vụ nơi đến")),
        ("to_unit", _("Đơn vị nơi đến")),
        ("decision", _("Số quyết định")),
        ("signed_on", _("Ngày ký")),
        ("effective_on", _("Ngày có hiệu lực")),
        ("direction", _("Hướng luân chuyển")),
        ("kind", _("Hình thức")),
    ]


def _movement_row(m: Movement) -> list:
    if m.from_posting_id:
        from_post = m.from_posting.title
    elif m.origin_position_id:
        from_post = m.origin_position.title
    else:
        from_post = ""
    return [
        m.official.full_name,
        format_day(m.official.date_of_birth),
        from_post,
        m.from_unit.name if m.from_unit_id else _("Ngoài hệ thống"),
        m.to_position.title,
        m.to_position.org_unit.name,
        m.decision.number,
        format_day(m.decision.signed_on),
        format_day(m.effective_on),
        str(direction_label(m.direction)) if m.direction else "",
        _label(MovementKind.choices, m.kind),
    ]


def movement_people(movements: QuerySet[Movement]) -> People:
    """Movements, one row each, in the order of their effective date and name."""
    items = movements.select_related(
        "official",
        "from_posting",
        "origin_position",
        "from_unit",
        "to_position__org_unit",
        "decision",
    ).order_by("effective_on", "official__search_key", "id")
    return People(
        movement_columns(),
        items,
        _movement_row,
        headcount=lambda: movements.order_by().values("official_id").distinct().count(),
    )


def official_columns(*, planned: bool = False) -> list[tuple[str, str]]:
    columns = [
        ("name", _("Họ và tên")),
        ("born", _("Ngày sinh")),
        ("post", _("Chức vụ hiện tại")),
        ("unit", _("Đơn vị hiện tại")),
        ("tier", _("Diện quản lý")),
        ("education", _("Trình độ chuyên môn")),
        ("theory", _("Lý luận chính trị")),
    ]
    if planned:
        columns.append(("planned", _("Chức danh quy hoạch")))
    return columns


def official_people(officials: QuerySet[Official], *, planned: QuerySet | None = None) -> People:
    """Officials, one row each, by name; ``planned`` (planning entries) adds their planned posts."""
    items = officials.select_related("current_posting", "current_unit").order_by("search_key", "id")
    if planned is not None:
        items = items.prefetch_related(
            Prefetch(
                "planning",
                queryset=planned.select_related("position__org_unit").order_by("position_id"),
                to_attr="planned_entries",
            )
        )

    def row(o: Official) -> list:
        cells = [
            o.full_name,
            format_day(o.date_of_birth),
            o.current_posting.title if o.current_posting_id else "",
            o.current_unit.name if o.current_unit_id else "",
            _label(ManagementTier.choices, o.management_tier),
            _label(EducationLevel.choices, o.education_level),
            _label(PoliticalTheory.choices, o.political_theory),
        ]
        if planned is not None:
            cells.append(
                "; ".join(
                    f"{e.position.title} ({e.position.org_unit.name})" for e in o.planned_entries
                )
            )
        return cells

    return People(official_columns(planned=planned is not None), items, row)


def planning_entries(term: str) -> QuerySet[PlanningEntry]:
    """Active planning entries of a term (the caller narrows them by scope and tier)."""
    from personnel.choices import PlanningStatus

    return PlanningEntry.objects.filter(term=term, status=PlanningStatus.ACTIVE)
