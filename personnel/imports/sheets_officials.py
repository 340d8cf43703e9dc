"""The officials sheet: matched by record code, else by personal identification number,
and checked with ``services.official_validate`` on an unsaved instance."""

import copy

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Official, validate_personal_id
from ..services import normalise_personal_id, normalise_phone, official_validate
from ..text import fold_vietnamese
from .catalog import code_key
from .plan import CREATE, Change, Pending
from .reader import SheetData


class OfficialChecks:
    """Mixed into ``engine.Engine``."""

    # --- officials -----------------------------------------------------------------------

    OFFICIAL_DEFAULTS = {
        "personal_id": None,
        "other_names": "",
        "ethnicity": "Kinh",
        "religion": "Không",
        "home_address": "",
        "phone": "",
        "major": "",
        "political_theory": "none",
        "state_management": "none",
        "management_tier": "unit",
        "status": "active",
        "notes": "",
    }

    def check_officials(self, sheet: SheetData, rows) -> None:
        codes: dict[str, int] = {}
        numbers: dict[str, int] = {}
        catalog = self.catalog
        for values in rows:
            fields = self._official_fields(sheet, values)
            if fields is None:
                self.refused_officials.add(code_key(values.get("code")))
                continue
            number = fields.get("personal_id")
            code = values.get("code")
            stored = catalog.officials.get(code_key(code)) if code else None
            by_number = catalog.officials_by_pid.get(number) if number else None
            if stored is None and not code:
                stored = by_number
                if stored is None:
                    self.error(sheet, values.row, _("Cán bộ mới phải có số hiệu hồ sơ."), "code")
                    continue
            if (
                by_number is not None
                and stored is not None
                and by_number.pk != stored.pk
                or (by_number is not None and stored is None)
            ):
                if catalog.official_in_scope(by_number):
                    message = _(
                        "Số định danh cá nhân %(number)s đã có trong hồ sơ cán bộ khác (số hiệu %(code)s); mỗi người chỉ có một hồ sơ."
                    ) % {"number": number, "code": by_number.code}
                else:  # a record outside the scope is not named (the service's wording)
                    message = _(
                        "Số định danh cá nhân %(number)s đã có trong hồ sơ cán bộ khác; "
                        "mỗi người chỉ có một hồ sơ."
                    ) % {"number": number}
                self.error(sheet, values.row, message, "personal_id")
                continue
            key = code_key(stored.code if stored else code)
            if key in codes:
                self.error(
                    sheet,
                    values.row,
                    _("Cán bộ này đã có ở dòng %(row)d.") % {"row": codes[key]},
                    "code",
                )
                continue
            codes[key] = values.row
            if number:
                if number in numbers:
                    self.error(
                        sheet,
                        values.row,
                        _("Số định danh cá nhân trùng với dòng %(row)d.")
                        % {"row": numbers[number]},
                        "personal_id",
                    )
                    continue
                numbers[number] = values.row
            if stored is not None and not catalog.official_in_scope(stored):
                # Found by its personal identification number, a record outside the scope
                # is not named: its code would be news to the user.
                self.error(
                    sheet,
                    values.row,
                    _("Hồ sơ của cán bộ này thuộc đơn vị ngoài phạm vi quản lý của bạn."),
                    "code",
                )
                continue
            if stored is None:
                state = Pending(Official, code=code, **{**self.OFFICIAL_DEFAULTS, **fields})
            else:
                state = copy.copy(stored)
                for name, value in fields.items():
                    setattr(state, name, value)
            try:
                official_validate(state, today=self.today)
            except ValidationError as error:
                self.field_errors(sheet, values.row, error.message_dict)
                self.refused_officials.add(key)
                continue
            state.search_key = fold_vietnamese(f"{state.full_name} {state.other_names}")
            self.officials[key] = (state, stored, values.row)
            label = f"{state.code} – {state.full_name}"
            if stored is None:
                self.plan.add("officials", Change(CREATE, values.row, label, state))
            else:
                self.diff("officials", sheet, values, stored, fields, label, state=state)

    def _official_fields(self, sheet, values) -> dict | None:
        fields = {}
        ok = True
        for name, value in values.items():
            if name == "code":
                continue
            if name in ("birthplace", "hometown"):
                value = self._locality(sheet, values, name)
                ok = ok and value is not False
            elif value is None and name in self.OFFICIAL_DEFAULTS:
                value = self.OFFICIAL_DEFAULTS[name]
            fields[name] = value
        if "personal_id" in fields:
            fields["personal_id"] = normalise_personal_id(fields["personal_id"])
            try:
                validate_personal_id(fields["personal_id"] or "")
            except ValidationError as error:
                self.error(sheet, values.row, error.messages[0], "personal_id")
                ok = False
        if "phone" in fields:
            fields["phone"] = normalise_phone(fields["phone"])
            if fields["phone"]:
                phone_field = Official._meta.get_field("phone")
                try:
                    for validator in phone_field.validators:
                        validator(fields["phone"])
                except ValidationError as error:
                    self.error(sheet, values.row, error.messages[0], "phone")
                    ok = False
        return fields if ok else None
