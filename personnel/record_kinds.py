"""The kinds of row of an official's record (postings, training, evaluations, planning,
discipline, rewards): for each, its model, the fields its services write and the services
themselves, with one calling convention (``create(official=, by=, **values)``,
``update(row, by=, **changes)``, ``delete(row, by=)``). The record pages and the REST API
both write the rows through this table; a write that would take the official out of the
writer's scope (a posting moved elsewhere) is rolled back (``keep_in_scope``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services, services_record
from .models import Evaluation, Official, PlanningEntry, Posting, TrainingRecord
from .models_discipline import Discipline, Reward


class LeavesScope(Exception):
    """The write would take the official out of the user's scope: rolled back."""


def keep_in_scope(user, official_id) -> None:
    if not Official.objects.for_user(user).filter(pk=official_id).exists():
        raise LeavesScope


def scope_message() -> str:
    return _(
        "Không lưu được: sau thay đổi này hồ sơ cán bộ không còn thuộc phạm vi quản lý của bạn "
        "(vị trí công tác chính hiện tại phải ở đơn vị trong phạm vi của bạn)."
    )


# --- what each kind of row is -----------------------------------------------------------


def _posting_create(*, official, by, **values):
    return services.posting_create(official=official, **values)


def _posting_update(record, *, by, **changes):
    if "title" in changes and not (changes["title"] or "").strip():
        position = changes.get("position", record.position)
        changes["title"] = position.title if position is not None else ""
    return services.posting_update(posting=record, **changes)


def _posting_delete(record, *, by):
    services.posting_delete(posting=record)


@dataclass(frozen=True)
class RecordKind:
    """One kind of row of the record."""

    slug: str  # in the URLs and names: "training" → official_training_create …
    related: str  # Official's related name
    model: type
    editable: frozenset  # the fields its services write
    create: Callable  # (official=, by=, **values) -> row
    update: Callable  # (row, by=, **changes) -> row
    delete: Callable  # (row, by=) -> None
    noun: str  # "đào tạo, bồi dưỡng"
    guard_scope: bool = False  # postings decide the scope of the official


KINDS = {
    kind.slug: kind
    for kind in (
        RecordKind(
            "posting",
            "postings",
            Posting,
            services.POSTING_EDITABLE_FIELDS,
            _posting_create,
            _posting_update,
            _posting_delete,
            gettext_lazy("quá trình công tác"),
            guard_scope=True,
        ),
        RecordKind(
            "training",
            "trainings",
            TrainingRecord,
            services_record.TRAINING_EDITABLE_FIELDS,
            services_record.training_create,
            lambda row, **kw: services_record.training_update(training=row, **kw),
            lambda row, **kw: services_record.training_delete(training=row, **kw),
            gettext_lazy("đào tạo, bồi dưỡng"),
        ),
        RecordKind(
            "evaluation",
            "evaluations",
            Evaluation,
            services_record.EVALUATION_EDITABLE_FIELDS,
            services_record.evaluation_create,
            lambda row, **kw: services_record.evaluation_update(evaluation=row, **kw),
            lambda row, **kw: services_record.evaluation_delete(evaluation=row, **kw),
            gettext_lazy("đánh giá, xếp loại"),
        ),
        RecordKind(
            "planning",
            "planning",
            PlanningEntry,
            services_record.PLANNING_EDITABLE_FIELDS,
            services_record.planning_create,
            lambda row, **kw: services_record.planning_update(entry=row, **kw),
            lambda row, **kw: services_record.planning_delete(entry=row, **kw),
            gettext_lazy("quy hoạch"),
        ),
        RecordKind(
            "discipline",
            "disciplines",
            Discipline,
            services_record.DISCIPLINE_EDITABLE_FIELDS,
            services_record.discipline_create,
            lambda row, **kw: services_record.discipline_update(discipline=row, **kw),
            lambda row, **kw: services_record.discipline_delete(discipline=row, **kw),
            gettext_lazy("kỷ luật"),
        ),
        RecordKind(
            "reward",
            "rewards",
            Reward,
            services_record.REWARD_EDITABLE_FIELDS,
            services_record.reward_create,
            lambda row, **kw: services_record.reward_update(reward=row, **kw),
            lambda row, **kw: services_record.reward_delete(reward=row, **kw),
            gettext_lazy("khen thưởng"),
        ),
    )
}
