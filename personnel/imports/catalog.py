"""The records a file refers to, loaded in a few queries before any row is checked.

Rows are then checked against these dictionaries: no query per row, whatever the size of
the file.
"""

from collections import defaultdict
from itertools import islice

from ..models import (
    Evaluation,
    Locality,
    Official,
    OrgUnit,
    PlanningEntry,
    Position,
    Posting,
    PostType,
    Sector,
    TrainingRecord,
)
from ..models_discipline import Discipline, Reward

CHUNK = 900  # SQLite's parameter limit is far above; PostgreSQL plans stay small


def chunks(values, size=CHUNK):
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch


def code_key(value: str | None) -> str:
    return (value or "").strip().casefold()


def title_key(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


CHILD_MODELS = {
    "postings": Posting,
    "training": TrainingRecord,
    "evaluations": Evaluation,
    "planning": PlanningEntry,
    "discipline": Discipline,
    "rewards": Reward,
}


class Catalog:
    """Units, positions, post types, sectors, localities and officials by their codes."""

    def __init__(self, *, user, unit_codes, locality_codes, official_codes, personal_ids):
        self.user = user
        self.sectors = {code_key(s.code): s for s in Sector.objects.all()}
        self.post_types = {p.code: p for p in PostType.objects.all()}
        self.units: dict[str, OrgUnit] = {}
        for batch in chunks(_variants(unit_codes)):
            for unit in OrgUnit.objects.filter(code__in=batch).select_related(
                "parent", "sector", "locality"
            ):
                self.units[code_key(unit.code)] = unit
        self.localities: dict[str, Locality] = {}
        for batch in chunks(_variants(locality_codes)):
            for locality in Locality.objects.filter(code__in=batch):
                self.localities[code_key(locality.code)] = locality
        self.positions: dict[tuple[int, str], Position] = {}
        unit_ids = [unit.pk for unit in self.units.values()]
        for batch in chunks(unit_ids):
            for position in (
                Position.objects.filter(org_unit_id__in=batch)
                .select_related("post_type")
                .order_by("id")
            ):
                self.positions.setdefault(
                    (position.org_unit_id, title_key(position.title)), position
                )
        self.officials: dict[str, Official] = {}
        self.officials_by_pid: dict[str, Official] = {}
        found: dict[int, Official] = {}
        for batch in chunks(_variants(official_codes)):
            for official in Official.objects.filter(code__in=batch):
                found[official.pk] = official
        for batch in chunks(sorted(personal_ids)):
            for official in Official.objects.filter(personal_id__in=batch):
                found[official.pk] = official
        for official in found.values():
            self.officials[code_key(official.code)] = official
            if official.personal_id:
                self.officials_by_pid[official.personal_id] = official
        self.scope_unit_ids = _scope_unit_ids(user)
        self.officials_in_scope = set()
        for batch in chunks(list(found)):
            self.officials_in_scope.update(
                Official.objects.for_user(user).filter(pk__in=batch).values_list("pk", flat=True)
            )

    def unit_in_scope(self, unit) -> bool:
        if self.scope_unit_ids is None:
            return True
        while unit is not None:
            if unit.pk is not None:
                return unit.pk in self.scope_unit_ids
            unit = unit.parent  # a unit created by the file: its parent decides
        return False

    def unit_id_in_scope(self, unit_id) -> bool:
        return self.scope_unit_ids is None or unit_id in self.scope_unit_ids

    def official_in_scope(self, official) -> bool:
        return official.pk is None or official.pk in self.officials_in_scope

    def children(self, key: str, official_ids) -> dict[int, list]:
        """The stored records of one child sheet for these officials, by official id."""
        model = CHILD_MODELS[key]
        stored = defaultdict(list)
        for batch in chunks(sorted(official_ids)):
            queryset = model.objects.filter(official_id__in=batch).order_by("id")
            if key == "planning":
                queryset = queryset.select_related("position__org_unit")
            elif key == "postings":
                queryset = queryset.select_related("position")
            for record in queryset:
                stored[record.official_id].append(record)
        return stored


def _variants(codes) -> list[str]:
    """Codes as typed and in upper case: codes are compared without case."""
    values = set()
    for code in codes:
        code = (code or "").strip()
        if code:
            values.update({code, code.upper(), code.lower()})
    return sorted(values)


def _scope_unit_ids(user) -> set[int] | None:
    """The ids of the units in the user's scope; None for a superuser (everything)."""
    if user is None or user.is_superuser:
        return None
    return set(OrgUnit.objects.for_user(user).values_list("pk", flat=True))
