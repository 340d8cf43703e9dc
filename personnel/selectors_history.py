"""The change history of an official's whole record, readable: who, when, which fields
changed from what to what.

The official, their postings, training, evaluations, planning, discipline and rewards each
keep a django-simple-history table. ``official_history`` reads the latest rows of each
(one query a table, with the user who made the change and the id of the version before),
the versions before them (one query a table), and the names of the units, positions and
places they point to (one query a kind): a fixed number of queries, however long the
history. Values are in words (``config.admin_display.value_text``), and the personal data
fields masked for those who may not see them (``personnel.masking``).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from config.admin_display import EMPTY, value_text

from .masking import MASKERS, can_see_personal_data
from .models import (
    Evaluation,
    Locality,
    Official,
    OrgUnit,
    PlanningEntry,
    Position,
    Posting,
    TrainingRecord,
)
from .models_discipline import Discipline, Reward
from .text import format_day

HISTORY_LIMIT = 20
HISTORY_MAX = 500

#: (model, the history column that names the official)
TRACKED = (
    (Official, "id"),
    (Posting, "official_id"),
    (TrainingRecord, "official_id"),
    (Evaluation, "official_id"),
    (PlanningEntry, "official_id"),
    (Discipline, "official_id"),
    (Reward, "official_id"),
)
#: not shown: keys, the folded search key, and what the services derive
IGNORED_FIELDS = {"id", "official", "search_key", "current_unit", "current_posting"}
#: foreign keys shown by name
NAMED_TARGETS = (OrgUnit, Position, Locality)


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    action: str  # "created" | "changed" | "deleted"
    subject: str  # what kind of row: "Quá trình công tác"
    summary: str  # which row: "Phó Bí thư, Huyện ủy A (01/01/2020 – nay)"
    changes: list[FieldChange] = field(default_factory=list)
    basis: str = ""  # the decision a posting was opened or closed by
    reason: str = ""  # history_change_reason (imports: "Nhập từ Excel: tệp.xlsx")

    @property
    def action_text(self) -> str:
        return {"created": _("Thêm"), "changed": _("Sửa"), "deleted": _("Xóa")}[self.action]


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in IGNORED_FIELDS]


def _latest_rows(model, key: str, official_id: int, limit: int) -> list:
    history = model.history.model
    before = (
        history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    return list(
        model.history.filter(**{key: official_id})
        .select_related("history_user")
        .annotate(previous_id=Subquery(before))
        .order_by("-history_date", "-history_id")[:limit]
    )


def _who(row) -> str:
    user = row.history_user
    if user is None:
        return _("Hệ thống")
    return str(user)  # the full name, else the user name


class _Names:
    """The names of the units, positions and places the rows point to, one query a kind."""

    def __init__(self, rows_by_model):
        wanted: dict[type, set] = defaultdict(set)
        for model, rows in rows_by_model:
            for f in _fields(model):
                target = f.related_model if f.is_relation else None
                if target in NAMED_TARGETS:
                    wanted[target].update(
                        getattr(r, f.attname) for r in rows if getattr(r, f.attname)
                    )
        self.names: dict[type, dict] = {}
        for target, ids in wanted.items():
            queryset = target.objects.filter(pk__in=ids)
            if target is Position:
                rows = queryset.select_related("org_unit")
                self.names[target] = {p.pk: f"{p.title} – {p.org_unit.name}" for p in rows}
            else:
                self.names[target] = dict(queryset.values_list("pk", "name"))

    def get(self, target, pk) -> str:
        if pk is None:
            return EMPTY
        return self.names.get(target, {}).get(pk) or _("(đã xóa, mã %(id)s)") % {"id": pk}


def _value(f, row, names: _Names, masked: bool) -> str:
    value = getattr(row, f.attname)
    if f.is_relation:
        return names.get(f.related_model, value) if value else EMPTY
    if f.name == "photo":
        return _("có ảnh") if value else EMPTY
    if masked and f.name in MASKERS:
        return MASKERS[f.name](str(value or "")) or EMPTY
    return value_text(f, value)


def _summary(model, row, names: _Names, masked: bool) -> str:
    if model is Official:
        return f"{row.full_name} ({row.code})"
    if model is Posting:
        end = format_day(row.end_date) if row.end_date else _("nay")
        unit = names.get(OrgUnit, row.org_unit_id)
        text = f"{row.title}, {unit} ({format_day(row.start_date)} – {end})"
        return text if row.is_primary else f"{text}, {_('kiêm nhiệm')}"
    if model is PlanningEntry:
        return f"{names.get(Position, row.position_id)} ({_('nhiệm kỳ')} {row.term})"
    if model is TrainingRecord:
        return f"{row.get_kind_display()}: {row.programme}"
    if model is Evaluation:
        return f"{row.year}: {row.get_rating_display()}"
    if model is Discipline:
        return f"{row.get_kind_display()} ({format_day(row.decided_on)}, {row.basis})"
    if model is Reward:
        return f"{row.name} ({format_day(row.decided_on)})"
    return str(row.id)


def _changes(model, row, previous, names: _Names, masked: bool) -> list[FieldChange]:
    changes = []
    for f in _fields(model):
        if getattr(row, f.attname) == getattr(previous, f.attname):
            continue
        changes.append(
            FieldChange(
                label=capfirst(str(f.verbose_name)),
                old=_value(f, previous, names, masked),
                new=_value(f, row, names, masked),
            )
        )
    return changes


def _closed(row, previous) -> bool:
    return previous is not None and previous.end_date is None and row.end_date is not None


def _decision_numbers(latest, previous) -> dict[int, str]:
    """The decision of each posting change shown: a posting opened by a decision carries
    its number (``basis``); a posting closed the day before another one opens, with a
    number, was closed by that decision (a movement taking effect does both)."""
    opened_on = {
        row.start_date: row.basis
        for model, row in latest
        if model is Posting and row.history_type == "+" and row.basis
    }
    numbers = {}
    for model, row in latest:
        if model is not Posting:
            continue
        if row.history_type == "+" and row.basis:
            numbers[row.history_id] = row.basis
        elif _closed(row, previous.get((model, row.previous_id))):
            number = opened_on.get(row.end_date + dt.timedelta(days=1))
            if number:
                numbers[row.history_id] = number
    return numbers


def official_history(*, official, user, limit: int = HISTORY_LIMIT) -> tuple[list, bool]:
    """The latest ``limit`` changes to the official's record, newest first, and whether
    there are more."""
    limit = max(1, min(limit, HISTORY_MAX))
    masked = not can_see_personal_data(user)
    latest = []
    for model, key in TRACKED:
        latest += [(model, row) for row in _latest_rows(model, key, official.pk, limit + 1)]
    latest.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)
    has_more = len(latest) > limit
    latest = latest[:limit]

    wanted: dict[type, list] = defaultdict(list)
    for model, row in latest:
        if row.previous_id is not None:
            wanted[model].append(row.previous_id)
    previous: dict[tuple, object] = {}
    for model, ids in wanted.items():
        for row in model.history.filter(history_id__in=ids):
            previous[(model, row.history_id)] = row

    by_model: dict[type, list] = defaultdict(list)
    for model, row in latest:
        by_model[model].append(row)
        if row.previous_id is not None:
            by_model[model].append(previous.get((model, row.previous_id)))
    names = _Names((model, [r for r in rows if r is not None]) for model, rows in by_model.items())

    decisions = _decision_numbers(latest, previous)
    entries = []
    for model, row in latest:
        action = ACTIONS.get(row.history_type, "changed")
        before = previous.get((model, row.previous_id))
        changes = []
        if action == "changed" and before is not None:
            changes = _changes(model, row, before, names, masked)
            if not changes and not row.history_change_reason:
                continue  # saved without a change worth showing
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=_who(row),
                action=action,
                subject=capfirst(str(model._meta.verbose_name)),
                summary=_summary(model, row, names, masked),
                changes=changes,
                # A decision applied names itself in the reason; the inferred number is
                # for postings changed before reasons were recorded.
                basis=(
                    decisions.get(row.history_id, "")
                    if model is Posting and not row.history_change_reason
                    else ""
                ),
                reason=row.history_change_reason or "",
            )
        )
    return entries, has_more
