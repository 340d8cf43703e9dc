"""The units and positions sheets: new units under a unit in scope, positions matched by
their unit and title; a stored unit is never renamed or moved by a file."""

from django.utils.translation import gettext as _

from ..models import OrgUnit, Position
from ..post_types import match_code
from .catalog import code_key, title_key
from .plan import CREATE, UNCHANGED, Change
from .reader import SheetData


class UnitChecks:
    """Mixed into ``engine.Engine``."""

    # --- units -------------------------------------------------------------------------

    def check_units(self, sheet: SheetData, rows) -> None:
        seen: dict[str, int] = {}
        pending = []
        for values in rows:
            key = code_key(values["code"])
            if key in seen:
                self.error(
                    sheet,
                    values.row,
                    _("Mã đơn vị trùng với dòng %(row)d.") % {"row": seen[key]},
                    "code",
                )
                continue
            seen[key] = values.row
            fields = self._unit_fields(sheet, values)
            if fields is None:
                continue
            stored = self.catalog.units.get(key)
            if stored is not None:
                self._compare_unit(sheet, values, stored, fields)
                continue
            unit = OrgUnit(
                code=values["code"], **{k: v for k, v in fields.items() if k != "parent"}
            )
            self.units[key] = unit
            pending.append((values, unit, fields.get("parent")))
        for values, unit, parent_code in pending:
            parent = self.units.get(code_key(parent_code)) if parent_code else None
            if parent_code and parent is None:
                self.error(
                    sheet,
                    values.row,
                    _("Không có đơn vị cấp trên mã “%(code)s”.") % {"code": parent_code},
                    "parent",
                )
                continue
            unit.parent = parent
            if not self.catalog.unit_in_scope(unit):
                self.error(
                    sheet,
                    values.row,
                    _("Đơn vị mới phải trực thuộc một đơn vị trong phạm vi quản lý của bạn."),
                    "parent",
                )
                continue
            if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
                self.error(
                    sheet,
                    values.row,
                    _("Ngày hết hiệu lực không được trước ngày bắt đầu có hiệu lực."),
                    "valid_to",
                )
                continue
            self.plan.add("units", Change(CREATE, values.row, f"{unit.code} – {unit.name}", unit))

    def _unit_fields(self, sheet, values) -> dict | None:
        fields = {
            name: values[name]
            for name in ("name", "level", "email", "valid_from", "valid_to")
            if name in values
        }
        for name in ("name", "email"):
            if name in fields:
                fields[name] = fields[name] or ""
        ok = True
        if "sector" in values:
            sector = self.catalog.sectors.get(code_key(values["sector"]))
            if sector is None:
                self.error(
                    sheet,
                    values.row,
                    _("Không có ngành, khối mã “%(code)s”.") % {"code": values["sector"]},
                    "sector",
                )
                ok = False
            fields["sector"] = sector
        if "locality" in values:
            fields["locality"] = self._locality(sheet, values, "locality")
            ok = ok and fields["locality"] is not False
        if "parent" in values:
            fields["parent"] = values["parent"]
        return fields if ok else None

    def _locality(self, sheet, values, name):
        code = values.get(name)
        if not code:
            return None
        locality = self.catalog.localities.get(code_key(code))
        if locality is None:
            self.error(
                sheet,
                values.row,
                _("Không có đơn vị hành chính mã “%(code)s”.") % {"code": code},
                name,
            )
            return False
        return locality

    def _compare_unit(self, sheet, values, stored: OrgUnit, fields: dict) -> None:
        differing = []
        for name, value in fields.items():
            if name == "parent":
                old = stored.parent.code if stored.parent else ""
                same = code_key(old) == code_key(value)
            elif name in ("sector", "locality"):
                same = getattr(stored, f"{name}_id") == (value.pk if value else None)
            else:
                same = (getattr(stored, name) or None) == (value or None)
            if not same:
                differing.append(sheet.spec.by_field[name].header_text)
        if differing:
            self.error(
                sheet,
                values.row,
                _(
                    "Đơn vị mã “%(code)s” đã có trong hệ thống, khác ở: %(fields)s. Đổi tên, sáp "
                    "nhập, giải thể đơn vị thực hiện bằng sắp xếp tổ chức, không qua tệp nhập."
                )
                % {"code": stored.code, "fields": "; ".join(differing)},
            )
            return
        self.plan.add("units", Change(UNCHANGED, values.row, f"{stored.code} – {stored.name}"))

    # --- positions -----------------------------------------------------------------------

    def unit_of(self, sheet, values, name="unit"):
        unit = self.units.get(code_key(values.get(name)))
        if unit is None:
            self.error(
                sheet,
                values.row,
                _("Không có đơn vị mã “%(code)s”.") % {"code": values.get(name)},
                name,
            )
        return unit

    def position_of(self, unit: OrgUnit, title: str) -> Position | None:
        key = title_key(title)
        if unit.pk is not None:
            found = self.catalog.positions.get((unit.pk, key))
            if found is not None:
                return found
        return self.new_positions.get((code_key(unit.code), key))

    def check_positions(self, sheet: SheetData, rows) -> None:
        seen: dict[tuple, int] = {}
        for values in rows:
            unit = self.unit_of(sheet, values)
            if unit is None:
                continue
            key = (code_key(unit.code), title_key(values["title"]))
            if key in seen:
                self.error(
                    sheet,
                    values.row,
                    _("Chức vụ trùng với dòng %(row)d.") % {"row": seen[key]},
                    "title",
                )
                continue
            seen[key] = values.row
            stored = self.catalog.positions.get((unit.pk, key[1])) if unit.pk else None
            fields = self._position_fields(sheet, values, unit, stored)
            if fields is None:
                continue
            label = f"{values['title']} – {unit.code}"
            in_scope = self.catalog.unit_in_scope(unit)
            if stored is None:
                if not in_scope:
                    self.error(
                        sheet,
                        values.row,
                        _("Đơn vị “%(unit)s” nằm ngoài phạm vi quản lý của bạn.")
                        % {"unit": unit.name},
                        "unit",
                    )
                    continue
                position = Position(org_unit=unit, title=values["title"], **fields)
                self.new_positions[key] = position
                self.plan.add("positions", Change(CREATE, values.row, label, position))
                continue
            self.diff("positions", sheet, values, stored, fields, label, in_scope=in_scope)

    def _position_fields(self, sheet, values, unit, stored) -> dict | None:
        code = values.get("post_type")
        if code:
            post_type = self.catalog.post_types.get(code.strip())
            if post_type is None:
                self.error(
                    sheet,
                    values.row,
                    _("Không có loại chức danh mã “%(code)s”.") % {"code": code},
                    "post_type",
                )
                return None
        elif stored is not None and "post_type" not in sheet.present:
            post_type = stored.post_type
        else:
            post_type = self.catalog.post_types.get(
                match_code(values["title"], unit.level, values.get("kind") or "")
            )
            if post_type is None:
                self.error(
                    sheet,
                    values.row,
                    _("Không nhận ra loại chức danh; hãy ghi mã loại chức danh."),
                    "post_type",
                )
                return None
        fields = {"post_type": post_type}
        for name in ("kind", "is_key", "requires_non_local", "management_tier"):
            if name in sheet.present or stored is None:
                value = values.get(name)
                fields[name] = getattr(post_type, name) if value is None else value
        if "allowance" in sheet.present:
            fields["allowance"] = values.get("allowance")
        if "is_active" in sheet.present or stored is None:
            fields["is_active"] = True if values.get("is_active") is None else values["is_active"]
        return fields
