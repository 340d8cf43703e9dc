"""What an import would do: per sheet, the rows to create, to update (old → new) and those
unchanged, and every error with its sheet, row and column."""

import functools
from dataclasses import dataclass, field

from django.db import models

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
#: changed fields listed per sheet in the stored preview (counts are always complete)
PREVIEW_CHANGES_LIMIT = 200
ERRORS_LIMIT = 5000


class Pending:
    """A record to create, held as its field values until it is written.

    Rules read its attributes like a model instance's (a field not given reads as its
    default, a relation's id as the related record's ``pk``). On PostgreSQL its
    ``values`` are copied to the table as they are (``copy``); elsewhere ``build`` makes
    the instance (by position, Django's fast path) once the records it refers to have
    their ids. A model instance per row would cost most of a large import's time.
    """

    def __init__(self, model, **fields):
        self.__dict__.update(fields)
        self._model = model
        self._instance = None

    def __getattr__(self, name):
        # Only for attributes not set: a field left out of the file reads as its default.
        model_field = _fields(self.__dict__.get("_model")).get(name)
        if model_field is None:
            raise AttributeError(name)
        if model_field.is_relation:
            if name == model_field.attname and model_field.name in self.__dict__:
                related = self.__dict__[model_field.name]
                return related.pk if related is not None else None
            return None
        return model_field.get_default()

    @property
    def pk(self):
        if self._instance is not None:
            return self._instance.pk
        return self.__dict__.get(self._model._meta.pk.attname)

    @pk.setter
    def pk(self, value):
        self.__dict__[self._model._meta.pk.attname] = value

    def __str__(self):
        return self._model.__str__(self)

    def values(self, fields) -> list:
        """The value of each of ``fields`` (concrete fields of the model), as ``attname``
        would read on the instance."""
        given = self.__dict__
        values = []
        for model_field in fields:
            if model_field.attname in given:
                values.append(given[model_field.attname])
            elif model_field.is_relation and model_field.name in given:
                related = given[model_field.name]
                values.append(related.pk if related is not None else None)
            else:
                values.append(model_field.get_default())
        return values

    def build(self) -> models.Model:
        if self._instance is None:
            self._instance = self._model(*self.values(self._model._meta.concrete_fields))
        return self._instance


@functools.cache
def _fields(model) -> dict:
    """The concrete fields of ``model`` by name and by attname."""
    if model is None:
        return {}
    fields = {}
    for model_field in model._meta.concrete_fields:
        fields[model_field.name] = fields[model_field.attname] = model_field
    return fields


@dataclass
class RowError:
    sheet: str  # the sheet's name in the file
    row: int | None  # the row number in the file (None: the sheet or the file as a whole)
    message: str
    column: str = ""  # the header in the file
    col: int | None = None  # 0-based column index in the file

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "col": self.col,
            "message": str(self.message),
        }


@dataclass
class Change:
    """One row's effect: ``obj`` is the instance to write (new, or the stored one changed)."""

    action: str
    row: int
    label: str
    obj: models.Model | None = None
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    fields: tuple[str, ...] = ()  # the model fields an update writes


@dataclass
class Plan:
    errors: list[RowError] = field(default_factory=list)
    changes: dict[str, list[Change]] = field(default_factory=dict)
    sheet_titles: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, key: str, change: Change) -> None:
        self.changes.setdefault(key, []).append(change)

    def of(self, key: str, action: str) -> list[Change]:
        return [change for change in self.changes.get(key, []) if change.action == action]

    def counts(self) -> dict[str, dict[str, int]]:
        result = {}
        for key, changes in self.changes.items():
            counted = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
            for change in changes:
                counted[change.action] += 1
            result[key] = {
                "created": counted[CREATE],
                "updated": counted[UPDATE],
                "unchanged": counted[UNCHANGED],
            }
        return result

    def totals(self) -> dict[str, int]:
        totals = {"created": 0, "updated": 0, "unchanged": 0}
        for counted in self.counts().values():
            for name in totals:
                totals[name] += counted[name]
        return totals

    def preview(self) -> dict:
        """JSON for the preview page: per sheet, its counts and the changed fields."""
        sheets = []
        counts = self.counts()
        for key, changes in self.changes.items():
            updates = [
                {
                    "row": change.row,
                    "label": change.label,
                    "changes": {k: list(v) for k, v in change.changes.items()},
                }
                for change in changes
                if change.action == UPDATE
            ]
            sheets.append(
                {
                    "key": key,
                    "title": self.sheet_titles.get(key, key),
                    **counts[key],
                    "updates": updates[:PREVIEW_CHANGES_LIMIT],
                    "more_updates": max(len(updates) - PREVIEW_CHANGES_LIMIT, 0),
                    "creates": [
                        {"row": c.row, "label": c.label} for c in changes if c.action == CREATE
                    ][:PREVIEW_CHANGES_LIMIT],
                }
            )
        return {"sheets": sheets, "totals": self.totals()}

    def error_dicts(self) -> list[dict]:
        return [error.as_dict() for error in self.errors[:ERRORS_LIMIT]]
