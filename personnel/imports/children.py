"""The sheets of an official's record: postings, training, evaluations, planning,
discipline and rewards, each checked with the rules its service applies."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Evaluation, PlanningEntry, Posting, TrainingRecord
from ..models_discipline import Discipline, DisciplineKind, Reward
from ..record_rules import (
    dated_record_errors,
    evaluation_errors,
    posting_errors,
    term_errors,
    training_errors,
    working_age_on,
)
from ..services import posting_check
from ..text import format_day
from .catalog import code_key, title_key
from .current import current_of
from .plan import CREATE, Change, Pending

#: model field → the column that feeds it, where the names differ
ALIASES = {"org_unit": "unit"}


class ChildSheets:
    def __init__(self, engine):
        self.engine = engine
        self.catalog = engine.catalog
        self.today = engine.today
        self.stored: dict[str, dict[int, list]] = {}
        #: official key → [(row or None, posting state)] after the import
        self.postings: dict[str, list] = defaultdict(list)
        self.touched: set[str] = set()
        #: officials with a posting row refused: their scope is not judged on the rest
        self.refused: set[str] = set()

    def check(self, sheets, read) -> None:
        ids = {o.pk for o in self.catalog.officials.values()}
        for key in ("postings", "training", "evaluations", "planning", "discipline", "rewards"):
            if key in read or (key == "postings" and ("officials" in read)):
                self.stored[key] = self.catalog.children(key, ids)
        if "postings" in read:
            self.check_postings(sheets["postings"], read["postings"])
        if "officials" in read or "postings" in read:
            self.check_officials_postings(sheets)
        for key, method in (
            ("training", self.training),
            ("evaluations", self.evaluation),
            ("planning", self.planning),
            ("discipline", self.discipline),
            ("rewards", self.reward),
        ):
            if key in read:
                self.check_records(key, sheets[key], read[key], method)

    # --- shared ---------------------------------------------------------------------------

    def official_of(self, sheet, values):
        """(official key, state after the import, stored official or None), or None."""
        engine, key = self.engine, code_key(values["official"])
        if key in engine.refused_officials:
            return None  # its own row is in error already
        if key in engine.officials:
            state, stored, _row = engine.officials[key]
            return key, state, stored
        stored = self.catalog.officials.get(key)
        if stored is None:
            engine.error(
                sheet,
                values.row,
                _("Không có cán bộ số hiệu “%(code)s” (trong trang Cán bộ hoặc trong hệ thống).")
                % {"code": values["official"]},
                "official",
            )
            return None
        if not self.catalog.official_in_scope(stored):
            engine.error(
                sheet,
                values.row,
                _("Hồ sơ số hiệu “%(code)s” thuộc đơn vị ngoài phạm vi quản lý của bạn.")
                % {"code": stored.code},
                "official",
            )
            return None
        return key, stored, stored

    def write(self, key, sheet, values, stored, fields, label, official_state):
        """Create, update or leave unchanged; returns the record's state after the import."""
        engine = self.engine
        if stored is None:
            record = Pending(sheet.spec.model, official=official_state, **fields)
            engine.plan.add(key, _change(CREATE, values.row, label, record))
            return record
        present = sheet.present
        fields = {n: v for n, v in fields.items() if ALIASES.get(n, n) in present or n in KEYS[key]}
        if _same_seat_kind(fields.get("position"), getattr(stored, "position", None)):
            # A file names a position by unit and title; of several seats with that title
            # (two deputy posts), the record keeps the one it holds.
            fields["position"] = stored.position
        return engine.diff(key, sheet, values, stored, fields, label)

    # --- postings --------------------------------------------------------------------------

    def check_postings(self, sheet, rows) -> None:
        index = {}
        for official_id, records in self.stored["postings"].items():
            for record in records:
                title = title_key(record.position.title) if record.position_id else ""
                index.setdefault(
                    (official_id, record.start_date, record.org_unit_id, title), record
                )
        seen: dict[tuple, int] = {}
        matched: set[int] = set()
        for values in rows:
            found = self.official_of(sheet, values)
            if found is None:
                continue
            state = self._posting_row(sheet, values, found, index, seen)
            if state is None:
                self.engine.refused_postings.add(found[0])
                continue
            if state.pk is not None:
                matched.add(state.pk)
            self.postings[found[0]].append((values.row, state))
            self.touched.add(found[0])
        self.matched = matched

    def _posting_row(self, sheet, values, found, index, seen):
        engine = self.engine
        unit = engine.unit_of(sheet, values)
        if unit is None:
            return None
        okey, official, stored_official = found
        position = None
        if values.get("position"):
            position = engine.position_of(unit, values["position"])
            if position is None:
                engine.error(
                    sheet,
                    values.row,
                    _("Đơn vị “%(unit)s” không có chức vụ “%(title)s”.")
                    % {"unit": unit.code, "title": values["position"]},
                    "position",
                )
                return None
        title = values.get("title") or (position.title if position is not None else "")
        if not title:
            engine.error(sheet, values.row, _("Chưa nhập chức danh, công việc."), "title")
            return None
        start, end = values["start_date"], values.get("end_date")
        try:
            posting_check(start_date=start, end_date=end, position=position, org_unit=unit)
        except ValidationError as error:
            engine.field_errors(sheet, values.row, error.message_dict, ALIASES)
            return None
        key = (okey, start, code_key(unit.code), title_key(position.title) if position else "")
        if key in seen:
            engine.error(
                sheet,
                values.row,
                _("Trùng với dòng %(row)d.") % {"row": seen[key]},
                "start_date",
            )
            return None
        seen[key] = values.row
        stored = None
        if stored_official is not None and unit.pk is not None:
            stored = index.get(
                (stored_official.pk, start, unit.pk, title_key(position.title) if position else "")
            )
        if stored is None and not self.catalog.unit_in_scope(unit):
            # As on the staff pages: a new posting is recorded only in a unit of the scope.
            engine.error(
                sheet,
                values.row,
                _("Đơn vị “%(unit)s” nằm ngoài phạm vi quản lý của bạn.") % {"unit": unit.name},
                "unit",
            )
            return None
        errors = posting_errors(
            official=official,
            start_date=start,
            end_date=end,
            is_new=stored is None,
            from_decision=stored is not None,
            today=self.today,
        )
        if errors:
            engine.field_errors(sheet, values.row, errors)
            return None
        fields = {
            "org_unit": unit,
            "position": position,
            "title": title,
            "start_date": start,
            "end_date": end,
            "is_primary": True if values.get("is_primary") is None else values["is_primary"],
            "basis": values.get("basis") or "",
        }
        if "title" not in sheet.present and "position" not in sheet.present and stored:
            fields.pop("title")
        label = f"{official.code}: {title} ({format_day(start)})"
        return self.write("postings", sheet, values, stored, fields, label, official)

    def check_officials_postings(self, sheets) -> None:
        """Per official: primary postings never overlap (in the file and against the stored
        ones), the record lands in the user's scope, and a new birth date keeps every
        posting within the working life."""
        engine = self.engine
        matched = getattr(self, "matched", set())
        stored_postings = self.stored.get("postings", {})
        keys = set(self.touched) | {
            key for key, (_s, stored, _r) in engine.officials.items() if stored is None
        }
        keys -= engine.refused_postings  # their refused rows are reported already
        for okey in keys | set(engine.officials):
            state, stored_official = self._official_state(okey)
            combined = list(self.postings.get(okey, []))
            if stored_official is not None:
                combined += [
                    (None, p)
                    for p in stored_postings.get(stored_official.pk, [])
                    if p.pk not in matched
                ]
            if okey in keys:
                self._check_overlaps(sheets.get("postings"), combined)
                self._check_scope(sheets, okey, state, stored_official, combined)
            if okey in engine.officials and stored_official is not None:
                self._check_life(sheets["officials"], okey, state, combined)

    def _official_state(self, okey):
        engine = self.engine
        if okey in engine.officials:
            state, stored, _row = engine.officials[okey]
            return state, stored
        stored = self.catalog.officials.get(okey)
        return stored, stored

    def _check_overlaps(self, sheet, combined) -> None:
        primaries = sorted(
            ((row, p) for row, p in combined if p.is_primary), key=lambda item: item[1].start_date
        )
        for i, (row_a, a) in enumerate(primaries):
            for row_b, b in primaries[i + 1 :]:
                if a.end_date is not None and b.start_date > a.end_date:
                    break  # sorted by start: later ones start later still
                if row_a is None and row_b is None:
                    continue  # both stored already: not this file's doing
                row, other = (row_b, a) if row_b is not None else (row_a, b)
                self.engine.error(
                    sheet,
                    row,
                    _(
                        "Thời gian trùng với vị trí công tác chính “%(posting)s”. Mỗi cán bộ chỉ "
                        "có một vị trí công tác chính tại một thời điểm; hãy kết thúc vị trí cũ "
                        "trước hoặc ghi là kiêm nhiệm."
                    )
                    % {"posting": other},
                    "start_date",
                )

    def _check_scope(self, sheets, okey, state, stored_official, combined) -> None:
        engine, catalog = self.engine, self.catalog
        current = current_of([p for _row, p in combined], self.today)
        if current is not None:
            unit = current.org_unit if current.pk is None else None
            inside = (
                catalog.unit_in_scope(unit)
                if unit is not None
                else catalog.unit_id_in_scope(current.org_unit_id)
            )
            if inside:
                return
        rows = [row for row, _p in combined if row is not None]
        if stored_official is None and not rows:
            sheet, row, field = sheets["officials"], engine.officials[okey][2], "code"
            message = _(
                "Cán bộ mới cần ít nhất một dòng ở trang Quá trình công tác, tại đơn vị trong "
                "phạm vi quản lý của bạn."
            )
        else:
            sheet = sheets.get("postings") or sheets["officials"]
            row = rows[-1] if rows else engine.officials[okey][2]
            field = "unit"
            message = _(
                "Theo quá trình công tác trong tệp, cán bộ %(code)s sẽ thuộc đơn vị ngoài phạm vi "
                "quản lý của bạn."
            ) % {"code": state.code}
        engine.error(sheet, row, message, field)

    def _check_life(self, sheet, okey, state, combined) -> None:
        """The stored postings the file leaves as they are stay within the working life of
        the official as the file changes it (``services._check_postings_within_life``)."""
        stored_rows = [p for row, p in combined if row is None]
        if not stored_rows:
            return
        left_on = getattr(state, "left_on", None)
        later = [p for p in stored_rows if left_on is not None and p.start_date > left_on]
        if later:
            self.engine.error(
                sheet,
                self.engine.officials[okey][2],
                _("Vị trí công tác “%(posting)s” bắt đầu sau ngày thôi công tác này.")
                % {"posting": min(later, key=lambda p: p.start_date)},
                "left_on",
            )
        born = state.date_of_birth
        if born is None:
            return
        first = min(stored_rows, key=lambda p: p.start_date)
        if first.start_date < working_age_on(born):
            self.engine.error(
                sheet,
                self.engine.officials[okey][2],
                _(
                    "Theo ngày sinh này, vị trí công tác “%(posting)s” bắt đầu trước khi cán bộ đủ "
                    "16 tuổi; hãy sửa vị trí công tác trước."
                )
                % {"posting": first},
                "date_of_birth",
            )

    # --- the other records ---------------------------------------------------------------------

    def check_records(self, key, sheet, rows, method) -> None:
        engine = self.engine
        stored_by_key = {}
        for official_id, records in self.stored[key].items():
            for record in records:
                stored_by_key.setdefault((official_id, *STORED_KEYS[key](record)), record)
        seen: dict[tuple, int] = {}
        for values in rows:
            found = self.official_of(sheet, values)
            if found is None:
                continue
            okey, official, stored_official = found
            built = method(sheet, values, official)
            if built is None:
                continue
            fields, record_key, label = built
            if (okey, *record_key) in seen:
                engine.error(
                    sheet,
                    values.row,
                    _("Trùng với dòng %(row)d.") % {"row": seen[(okey, *record_key)]},
                )
                continue
            seen[(okey, *record_key)] = values.row
            stored = None
            if stored_official is not None:
                stored = stored_by_key.get((stored_official.pk, *record_key))
            if stored is None and not self._position_allowed(sheet, values, fields):
                continue
            self.write(key, sheet, values, stored, fields, f"{official.code}: {label}", official)

    def _position_allowed(self, sheet, values, fields) -> bool:
        """A new planning entry names a position in use in a unit of the scope, as the staff
        form offers."""
        position = fields.get("position")
        if position is None:
            return True
        if not self.catalog.unit_in_scope(position.org_unit):
            message = _("Đơn vị “%(unit)s” nằm ngoài phạm vi quản lý của bạn.") % {
                "unit": position.org_unit.name
            }
        elif not position.is_active:
            message = _("Chức vụ “%(title)s” không còn sử dụng.") % {"title": position.title}
        else:
            return True
        self.engine.error(sheet, values.row, message, "position")
        return False

    def _errors(self, sheet, values, errors) -> bool:
        if errors:
            self.engine.field_errors(sheet, values.row, errors)
        return bool(errors)

    def training(self, sheet, values, official):
        start, end = values["start_date"], values.get("end_date")
        errors = training_errors(
            official=official, start_date=start, end_date=end, today=self.today
        )
        if self._errors(sheet, values, errors):
            return None
        fields = {
            "kind": values["kind"],
            "programme": values["programme"],
            "qualification": values.get("qualification") or "",
            "institution": values.get("institution") or "",
            "mode": values.get("mode") or "full_time",
            "start_date": start,
            "end_date": end,
        }
        return fields, (values["kind"], title_key(values["programme"]), start), values["programme"]

    def evaluation(self, sheet, values, official):
        errors = evaluation_errors(official=official, year=values["year"], today=self.today)
        if self._errors(sheet, values, errors):
            return None
        fields = {
            "year": values["year"],
            "rating": values["rating"],
            "note": values.get("note") or "",
        }
        return fields, (values["year"],), str(values["year"])

    def planning(self, sheet, values, official):
        engine = self.engine
        unit = engine.unit_of(sheet, values)
        if unit is None:
            return None
        position = engine.position_of(unit, values["position"])
        if position is None:
            engine.error(
                sheet,
                values.row,
                _("Đơn vị “%(unit)s” không có chức vụ “%(title)s”.")
                % {"unit": unit.code, "title": values["position"]},
                "position",
            )
            return None
        approved = values.get("approved_on")
        errors = dated_record_errors(
            official=official,
            field="approved_on",
            day=approved,
            label=_("Ngày phê duyệt"),
            today=self.today,
        )
        errors.update(term_errors(values["term"]))
        if self._errors(sheet, values, errors):
            return None
        fields = {
            "position": position,
            "term": values["term"],
            "status": values.get("status") or "active",
            "approved_on": approved,
            "basis": values.get("basis") or "",
        }
        record_key = (code_key(unit.code), title_key(position.title), values["term"])
        return fields, record_key, f"{position.title} ({values['term']})"

    def discipline(self, sheet, values, official):
        errors = dated_record_errors(
            official=official,
            field="decided_on",
            day=values["decided_on"],
            label=_("Ngày quyết định kỷ luật"),
            today=self.today,
        )
        if self._errors(sheet, values, errors):
            return None
        fields = {
            "kind": values["kind"],
            "level": values.get("level") or "",
            "decided_on": values["decided_on"],
            "basis": values["basis"],
            "issued_by": values.get("issued_by") or "",
            "duration_months": values.get("duration_months"),
            "note": values.get("note") or "",
        }
        label = f"{DisciplineKind(values['kind']).label} ({format_day(values['decided_on'])})"
        return fields, (values["decided_on"], values["kind"]), label

    def reward(self, sheet, values, official):
        errors = dated_record_errors(
            official=official,
            field="decided_on",
            day=values["decided_on"],
            label=_("Ngày quyết định khen thưởng"),
            today=self.today,
        )
        if self._errors(sheet, values, errors):
            return None
        fields = {
            "kind": values["kind"],
            "name": values["name"],
            "level": values["level"],
            "decided_on": values["decided_on"],
            "basis": values.get("basis") or "",
            "issued_by": values.get("issued_by") or "",
            "note": values.get("note") or "",
        }
        return fields, (values["decided_on"], title_key(values["name"])), values["name"]


def _same_seat_kind(position, held) -> bool:
    """Two different positions of one unit under one title: seats of the same post."""
    return (
        position is not None
        and held is not None
        and position.pk != held.pk
        and position.org_unit_id == held.org_unit_id
        and title_key(position.title) == title_key(held.title)
    )


def _change(action, row, label, record):
    return Change(action, row, label, record)


#: the fields that identify a record (compared always, whatever columns the file has)
KEYS = {
    "postings": {"org_unit", "start_date", "position"},
    "training": {"kind", "programme", "start_date"},
    "evaluations": {"year"},
    "planning": {"position", "term"},
    "discipline": {"decided_on", "kind"},
    "rewards": {"decided_on", "name"},
}

STORED_KEYS = {
    "training": lambda r: (r.kind, title_key(r.programme), r.start_date),
    "evaluations": lambda r: (r.year,),
    "planning": lambda r: (code_key(r.position.org_unit.code), title_key(r.position.title), r.term),
    "discipline": lambda r: (r.decided_on, r.kind),
    "rewards": lambda r: (r.decided_on, title_key(r.name)),
}

MODELS = {
    "postings": Posting,
    "training": TrainingRecord,
    "evaluations": Evaluation,
    "planning": PlanningEntry,
    "discipline": Discipline,
    "rewards": Reward,
}
