"""The report registry: each report is a named definition with a pure ``compute``.

``compute(ctx)`` reads through selectors and returns a ``Result``: a summary
sentence, tables and the data of one chart. Results are plain JSON once
``as_dict()`` is called, so they are stored on the run and rendered as HTML, XLSX
and CSV without computing again.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from personnel.models import OrgUnit

from .jsonable import plain


@dataclass(frozen=True)
class Param:
    """A report's own parameter (besides scope and period)."""

    name: str
    label: str
    kind: str = "choice"  # choice | int
    default: Any = None
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def clean(self, raw):
        if raw in (None, ""):
            return self.default
        if self.kind == "int":
            try:
                value = int(raw)
            except (TypeError, ValueError) as error:
                raise ValidationError(
                    {self.name: _("%(label)s phải là số nguyên.") % {"label": self.label}}
                ) from error
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise ValidationError(
                    {
                        self.name: _("%(label)s phải từ %(a)s đến %(b)s.")
                        % {"label": self.label, "a": self.minimum, "b": self.maximum}
                    }
                )
            return value
        if str(raw) not in {code for code, _label in self.choices}:
            raise ValidationError(
                {
                    self.name: _("Giá trị “%(v)s” không hợp lệ cho %(label)s.")
                    % {"v": raw, "label": self.label}
                }
            )
        return str(raw)


@dataclass(frozen=True)
class Context:
    scope: OrgUnit
    date_from: dt.date
    date_to: dt.date
    params: dict
    today: dt.date


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[list] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": plain(self.title),
            "columns": [{"key": k, "label": plain(label)} for k, label in self.columns],
            "rows": [[plain(v) for v in row] for row in self.rows],
        }


@dataclass
class Result:
    sentence: str
    tables: list[Table]
    chart: dict | None = None  # {"title", "labels", "values", "series_label"}
    is_empty: bool = False
    data: dict = field(default_factory=dict)  # report-specific figures (totals, breakdowns)

    def as_dict(self) -> dict:
        return plain(
            {
                "sentence": self.sentence,
                "tables": [t.as_dict() for t in self.tables],
                "chart": self.chart,
                "is_empty": self.is_empty,
                **self.data,
            }
        )


@dataclass(frozen=True)
class ReportDefinition:
    code: str
    title: str
    description: str
    compute: Callable[[Context], Result]
    params: tuple[Param, ...] = ()

    def clean_params(self, raw: dict | None) -> dict:
        raw = raw or {}
        unknown = set(raw) - {p.name for p in self.params}
        if unknown:
            raise ValidationError(
                _("Tham số không có trong báo cáo: %(names)s.")
                % {"names": ", ".join(sorted(unknown))}
            )
        return {p.name: p.clean(raw.get(p.name)) for p in self.params}


REGISTRY: dict[str, ReportDefinition] = {}


def register(definition: ReportDefinition) -> ReportDefinition:
    REGISTRY[definition.code] = definition
    return definition


def get(code: str) -> ReportDefinition:
    from . import definitions  # noqa: F401 - registers the reports

    try:
        return REGISTRY[code]
    except KeyError:
        raise ValidationError(_("Không có báo cáo “%(code)s”.") % {"code": code}) from None


def all_reports() -> list[ReportDefinition]:
    from . import definitions  # noqa: F401

    return list(REGISTRY.values())
