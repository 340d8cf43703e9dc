"""Writes of the rest of an official's record: training, evaluations, planning, discipline,
rewards, and the photo.

Each write is atomic, needs an officer (``by`` None is the system), locks the official's
row (so that two writes for one official are serialized and a rule reads the record as it
is), checks the pure rules of ``record_rules`` and then ``full_clean``. Postings have
their own services in ``personnel.services`` (``posting_create`` … ``posting_delete``).
"""

import datetime as dt
import io
import warnings
from collections.abc import Callable
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.access import require_role
from accounts.choices import Role

from . import record_rules
from .dates import require_sane
from .models import Evaluation, Official, PlanningEntry, TrainingRecord
from .models_discipline import Discipline, Reward
from .record_rules import dated_record_errors, evaluation_errors, raise_errors

TRAINING_EDITABLE_FIELDS = frozenset(
    {"kind", "programme", "qualification", "institution", "mode", "start_date", "end_date"}
)
EVALUATION_EDITABLE_FIELDS = frozenset({"year", "rating", "note"})
PLANNING_EDITABLE_FIELDS = frozenset({"position", "term", "status", "approved_on", "basis"})
DISCIPLINE_EDITABLE_FIELDS = frozenset(
    {"kind", "level", "decided_on", "basis", "issued_by", "duration_months", "note"}
)
REWARD_EDITABLE_FIELDS = frozenset(
    {"kind", "name", "level", "decided_on", "basis", "issued_by", "note"}
)

#: The photo: what Pillow must recognise, and how large it may be.
PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png"}
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_MAX_PIXELS = (4000, 4000)


def _lock_official(official_id) -> Official:
    return Official.objects.select_for_update().get(pk=official_id)


def _today() -> dt.date:
    return timezone.localdate()


# --- the rules of each kind of record, pure (the admin's inline rows use them too) -----


def training_errors(official, record: TrainingRecord, *, today: dt.date) -> dict[str, str]:
    require_sane(start_date=record.start_date, end_date=record.end_date)
    return record_rules.training_errors(
        official=official, start_date=record.start_date, end_date=record.end_date, today=today
    )


def evaluation_record_errors(official, record: Evaluation, *, today: dt.date) -> dict[str, str]:
    """A year the official could work in, not a future one, once per year."""
    errors = evaluation_errors(official=official, year=record.year, today=today)
    if errors or record.year is None or getattr(official, "pk", None) is None:
        return errors
    taken = Evaluation.objects.filter(official_id=official.pk, year=record.year)
    if taken.exclude(pk=record.pk).exists():
        errors["year"] = _(
            "Cán bộ đã có kết quả đánh giá của năm %(year)d; hãy sửa kết quả đó."
        ) % {"year": record.year}
    return errors


def planning_errors(official, record: PlanningEntry, *, today: dt.date) -> dict[str, str]:
    """A term written "2025-2030" (a later year after an earlier one), an approval dated in
    the official's working life and not after today, once per position and term."""
    require_sane(approved_on=record.approved_on)
    errors = dated_record_errors(
        official=official,
        field="approved_on",
        day=record.approved_on,
        label=_("Ngày phê duyệt"),
        today=today,
    )
    errors.update(record_rules.term_errors(record.term))
    if errors or getattr(official, "pk", None) is None or record.position_id is None:
        return errors
    taken = PlanningEntry.objects.filter(
        official_id=official.pk, position_id=record.position_id, term=record.term
    )
    if taken.exclude(pk=record.pk).exists():
        errors["position"] = _(
            "Cán bộ đã có trong quy hoạch chức danh này của nhiệm kỳ %(term)s."
        ) % {"term": record.term}
    return errors


def _decided_errors(label: str) -> Callable:
    def errors(official, record, *, today: dt.date) -> dict[str, str]:
        require_sane(decided_on=record.decided_on)
        return dated_record_errors(
            official=official, field="decided_on", day=record.decided_on, label=label, today=today
        )

    return errors


def discipline_errors(official, record: Discipline, *, today: dt.date) -> dict[str, str]:
    return _decided_errors(_("Ngày quyết định kỷ luật"))(official, record, today=today)


def reward_errors(official, record: Reward, *, today: dt.date) -> dict[str, str]:
    return _decided_errors(_("Ngày quyết định khen thưởng"))(official, record, today=today)


# --- the common write -------------------------------------------------------------------


def _check_fields(verb: str, fields: dict, editable: frozenset) -> None:
    unknown = set(fields) - editable
    if unknown:
        raise TypeError(f"{verb} got unexpected fields: {sorted(unknown)}")


def _save(record: Model, official: Official, rules: Callable) -> Model:
    record.official = official
    raise_errors(rules(official, record, today=_today()))
    record.full_clean()
    record.save()
    return record


def _create(model, rules, editable, verb, *, official, by, fields) -> Model:
    require_role(by, Role.OFFICER)
    _check_fields(verb, fields, editable)
    locked = _lock_official(official.pk)
    return _save(model(**fields), locked, rules)


def _update(record, rules, editable, verb, *, by, changes) -> Model:
    require_role(by, Role.OFFICER)
    _check_fields(verb, changes, editable)
    locked = _lock_official(record.official_id)
    for field, value in changes.items():
        setattr(record, field, value)
    return _save(record, locked, rules)


def _delete(record, *, by) -> None:
    require_role(by, Role.OFFICER)
    _lock_official(record.official_id)
    record.delete()


# --- training --------------------------------------------------------------------------


@transaction.atomic
def training_create(*, official: Official, by=None, **fields) -> TrainingRecord:
    return _create(
        TrainingRecord,
        training_errors,
        TRAINING_EDITABLE_FIELDS,
        "training_create",
        official=official,
        by=by,
        fields=fields,
    )


@transaction.atomic
def training_update(*, training: TrainingRecord, by=None, **changes) -> TrainingRecord:
    return _update(
        training,
        training_errors,
        TRAINING_EDITABLE_FIELDS,
        "training_update",
        by=by,
        changes=changes,
    )


@transaction.atomic
def training_delete(*, training: TrainingRecord, by=None) -> None:
    _delete(training, by=by)


# --- evaluations -----------------------------------------------------------------------


@transaction.atomic
def evaluation_create(*, official: Official, by=None, **fields) -> Evaluation:
    return _create(
        Evaluation,
        evaluation_record_errors,
        EVALUATION_EDITABLE_FIELDS,
        "evaluation_create",
        official=official,
        by=by,
        fields=fields,
    )


@transaction.atomic
def evaluation_update(*, evaluation: Evaluation, by=None, **changes) -> Evaluation:
    return _update(
        evaluation,
        evaluation_record_errors,
        EVALUATION_EDITABLE_FIELDS,
        "evaluation_update",
        by=by,
        changes=changes,
    )


@transaction.atomic
def evaluation_delete(*, evaluation: Evaluation, by=None) -> None:
    _delete(evaluation, by=by)


# --- planning --------------------------------------------------------------------------


@transaction.atomic
def planning_create(*, official: Official, by=None, **fields) -> PlanningEntry:
    return _create(
        PlanningEntry,
        planning_errors,
        PLANNING_EDITABLE_FIELDS,
        "planning_create",
        official=official,
        by=by,
        fields=fields,
    )


@transaction.atomic
def planning_update(*, entry: PlanningEntry, by=None, **changes) -> PlanningEntry:
    return _update(
        entry, planning_errors, PLANNING_EDITABLE_FIELDS, "planning_update", by=by, changes=changes
    )


@transaction.atomic
def planning_delete(*, entry: PlanningEntry, by=None) -> None:
    _delete(entry, by=by)


# --- discipline ------------------------------------------------------------------------


@transaction.atomic
def discipline_create(*, official: Official, by=None, **fields) -> Discipline:
    return _create(
        Discipline,
        discipline_errors,
        DISCIPLINE_EDITABLE_FIELDS,
        "discipline_create",
        official=official,
        by=by,
        fields=fields,
    )


@transaction.atomic
def discipline_update(*, discipline: Discipline, by=None, **changes) -> Discipline:
    return _update(
        discipline,
        discipline_errors,
        DISCIPLINE_EDITABLE_FIELDS,
        "discipline_update",
        by=by,
        changes=changes,
    )


@transaction.atomic
def discipline_delete(*, discipline: Discipline, by=None) -> None:
    _delete(discipline, by=by)


# --- rewards ---------------------------------------------------------------------------


@transaction.atomic
def reward_create(*, official: Official, by=None, **fields) -> Reward:
    return _create(
        Reward,
        reward_errors,
        REWARD_EDITABLE_FIELDS,
        "reward_create",
        official=official,
        by=by,
        fields=fields,
    )


@transaction.atomic
def reward_update(*, reward: Reward, by=None, **changes) -> Reward:
    return _update(
        reward, reward_errors, REWARD_EDITABLE_FIELDS, "reward_update", by=by, changes=changes
    )


@transaction.atomic
def reward_delete(*, reward: Reward, by=None) -> None:
    _delete(reward, by=by)


# --- the photo -------------------------------------------------------------------------


def _photo_error(message: str) -> ValidationError:
    return ValidationError({"photo": message})


def photo_checked(photo) -> tuple[bytes, str]:
    """The photo re-encoded (metadata dropped, orientation applied) and its suffix; a file
    that is not really a JPEG or PNG image, or too large, is refused with the reason."""
    if photo is None:
        raise _photo_error(_("Chưa chọn tệp ảnh."))
    size = getattr(photo, "size", None)
    if size is not None and size > PHOTO_MAX_BYTES:
        raise _photo_error(
            _("Ảnh dung lượng %(size)s MB, vượt quá giới hạn 2 MB; hãy chọn ảnh nhỏ hơn.")
            % {"size": f"{size / 1024 / 1024:.1f}".replace(".", ",")}
        )
    photo.seek(0)
    content = photo.read(PHOTO_MAX_BYTES + 1)
    if len(content) > PHOTO_MAX_BYTES:
        raise _photo_error(_("Ảnh vượt quá giới hạn 2 MB; hãy chọn ảnh nhỏ hơn."))
    if not content:
        raise _photo_error(_("Tệp ảnh rỗng."))
    not_an_image = _photo_error(
        _("Tệp đã chọn không phải ảnh JPEG hoặc PNG (hoặc ảnh bị hỏng); hãy chọn ảnh khác.")
    )
    try:
        with warnings.catch_warnings():  # the size is judged just below, before decoding
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
        image_format = image.format
        width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise not_an_image from error
    if image_format not in PHOTO_FORMATS:
        raise not_an_image
    max_width, max_height = PHOTO_MAX_PIXELS
    if width > max_width or height > max_height:
        raise _photo_error(
            _("Ảnh %(w)d×%(h)d điểm ảnh, lớn hơn giới hạn %(mw)d×%(mh)d; hãy thu nhỏ ảnh.")
            % {"w": width, "h": height, "mw": max_width, "mh": max_height}
        )
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if image_format == "JPEG":
            image.convert("RGB").save(out, "JPEG", quality=90)
        else:
            image.save(out, "PNG")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise not_an_image from error
    return out.getvalue(), PHOTO_FORMATS[image_format]


def _remove_file_on_commit(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def official_set_photo(*, official: Official, photo, by=None) -> Official:
    """Store ``photo`` (an uploaded file) as the official's portrait, replacing the old
    one (whose file is removed once the change is committed)."""
    require_role(by, Role.OFFICER)
    content, suffix = photo_checked(photo)
    locked = _lock_official(official.pk)
    old = locked.photo.name
    locked.photo.save(f"photo{suffix}", ContentFile(content), save=False)
    new = locked.photo.name
    try:
        locked.save(update_fields=["photo"])
    except Exception:
        locked.photo.storage.delete(new)
        raise
    if old and old != new:
        _remove_file_on_commit(locked.photo.storage, old)
    official.photo = locked.photo
    return locked


@transaction.atomic
def official_remove_photo(*, official: Official, by=None) -> Official:
    """The official has no photo any more; the file goes once the change is committed."""
    require_role(by, Role.OFFICER)
    locked = _lock_official(official.pk)
    old = locked.photo.name
    if not old:
        return locked
    locked.photo = ""
    locked.save(update_fields=["photo"])
    _remove_file_on_commit(locked.photo.storage, old)
    official.photo = locked.photo
    return locked


def photo_content_type(name: str) -> str:
    return "image/png" if PurePath(name).suffix.lower() == ".png" else "image/jpeg"
