"""Careers from 2012 to today, simulated month by month.

Positions are held by one official at a time: a vacancy (retirement, a promotion, a
transfer out of the province) is filled by a promotion from below, a lateral move of a
leader whose tenure is over, or a staff member; the promoted leader's post becomes
the next vacancy. Leaders whose tenure is over may swap posts with a peer of another
district, level or sector (rotation). Staff move between units now and then. Every
official's primary postings are contiguous: each ends the day before the next begins.
"""

import datetime as dt
import heapq
import random
from collections import defaultdict

from personnel.choices import Level, ManagementTier, OfficialStatus
from personnel.text import format_day

from .affinity import geo_ok, geo_weight, sector_affinity, staff_move_weight, staff_title
from .geography import PROVINCE_CODE, LocalitySpec, PositionSpec, UnitSpec
from .people import Person, PostingPlan, add_years, random_day

HISTORY_START = dt.date(2012, 1, 1)
EARLIEST_START = dt.date(2006, 1, 1)
MAX_PRIMARY_POSTINGS = 4
INITIAL_VACANCY_RATE = 0.08
MONTHLY_FILL_RATE = 0.6
SWAP_RATE = 0.2  # chance that a leader whose term is over is rotated with a peer
MIN_AGE = {10: 45, 9: 42, 8: 40, 7: 38, 6: 35, 5: 33, 4: 32, 3: 30, 2: 28, 1: 26}
# Relative number of staff per unit, by level.
STAFF_WEIGHT = {Level.PROVINCE: 28, Level.DISTRICT: 5, Level.COMMUNE: 2.5}


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, min(day.day, 28))


def month_key(day: dt.date) -> tuple[int, int]:
    return day.year, day.month


class CareerSimulation:
    def __init__(
        self,
        rng: random.Random,
        people: list[Person],
        localities: list[LocalitySpec],
        units: list[UnitSpec],
        positions: list[PositionSpec],
        today: dt.date,
    ):
        self.rng, self.people, self.today = rng, people, today
        self.units = {u.code: u for u in units}
        self.unit_list = units
        self.positions = {p.key: p for p in positions}
        self.order = {p.key: i for i, p in enumerate(positions)}
        self.loc = {loc.code: loc for loc in localities}
        self.holder: dict[str, int | None] = dict.fromkeys(self.positions)
        self.vacant_since: dict[str, dt.date] = {}
        self.cur: dict[int, PostingPlan] = {}
        self.cur_pos: dict[int, PositionSpec | None] = {}
        self.primary_count: dict[int, int] = defaultdict(int)
        self.due: set[int] = set()
        self.leaders_by_grade: dict[int, dict[int, None]] = defaultdict(dict)
        self.staff_by_area: dict[tuple, dict[int, None]] = defaultdict(dict)
        self.events: dict[tuple[int, int], list] = defaultdict(list)
        self.staff_weights = [STAFF_WEIGHT[u.level] for u in units]

    # -- helpers -------------------------------------------------------------------------

    def area(self, unit: UnitSpec) -> tuple:
        return unit.level, unit.district_code

    def is_local(self, person: Person, unit: UnitSpec) -> bool:
        """Rule 6 default: home town or birthplace inside the locality the unit governs."""
        for code in (person.hometown, person.birthplace):
            loc = self.loc[code]
            if unit.level == Level.PROVINCE and loc.province_code == PROVINCE_CODE:
                return True
            if unit.level == Level.DISTRICT and loc.district_code == unit.district_code:
                return True
            if unit.level == Level.COMMUNE and code == unit.locality_code:
                return True
        return False

    def basis(self, position: PositionSpec | None, unit: UnitSpec) -> str:
        number = self.rng.randint(12, 2400)
        if position is None:
            return f"{number}/QĐ-UBND" if unit.sector == "government" else f"{number}/QĐ"
        if position.management_tier == ManagementTier.POLITBURO:
            return f"{number}-QĐ/TW"
        if position.management_tier == ManagementTier.PROVINCIAL_STANDING:
            return f"{number}-QĐ/TU"
        return f"{number}-QĐ/HU"

    def schedule(self, day: dt.date, kind: str, idx: int) -> None:
        if day <= self.today:
            self.events[month_key(day)].append((kind, idx, self.cur[idx]))

    # -- state changes -------------------------------------------------------------------

    def _leave_current(self, idx: int) -> PositionSpec | None:
        old_pos = self.cur_pos.get(idx)
        if old_pos is not None:
            del self.leaders_by_grade[old_pos.grade][idx]
            if self.holder[old_pos.key] == idx:  # in a swap the successor is already in
                self.holder[old_pos.key] = None
        elif idx in self.cur:
            del self.staff_by_area[self.area(self.units[self.cur[idx].unit])][idx]
        self.due.discard(idx)
        return old_pos

    def start_posting(self, idx: int, unit: UnitSpec, position: PositionSpec | None, start):
        """Close the current primary posting the day before ``start`` and open a new one."""
        old = self.cur.get(idx)
        if old is not None:
            assert start - dt.timedelta(days=1) > old.start
            old.end = start - dt.timedelta(days=1)
        old_pos = self._leave_current(idx)
        title = position.posting_title if position else staff_title(self.rng, unit)
        posting = PostingPlan(idx, unit.code, position and position.key, title, start)
        posting.basis = self.basis(position, unit)
        self.people[idx].postings.append(posting)
        self.cur[idx], self.cur_pos[idx] = posting, position
        self.primary_count[idx] += 1
        if position is not None:
            self.holder[position.key] = idx
            self.vacant_since.pop(position.key, None)
            self.leaders_by_grade[position.grade][idx] = None
            self.schedule(add_months(start, self.rng.randint(36, 84)), "due", idx)
        else:
            self.staff_by_area[self.area(unit)][idx] = None
            self.schedule(add_months(start, self.rng.randint(48, 240)), "staff_move", idx)
        return old_pos

    def vacate(self, position: PositionSpec | None, since: dt.date) -> None:
        if position is not None and self.holder[position.key] is None:
            self.vacant_since[position.key] = since

    def end_career(self, idx: int, last_day: dt.date, status: str, note: str = "") -> None:
        posting = self.cur[idx]
        assert last_day > posting.start
        posting.end = last_day
        self.vacate(self._leave_current(idx), last_day + dt.timedelta(days=1))
        person = self.people[idx]
        person.status, person.notes = status, note
        del self.cur[idx]

    # -- eligibility ---------------------------------------------------------------------

    def eligible(self, idx: int, position: PositionSpec, start: dt.date, min_months: int):
        """Free to take ``position`` on ``start``: in post long enough, of age, years left."""
        person = self.people[idx]
        if idx not in self.cur or self.primary_count[idx] >= MAX_PRIMARY_POSTINGS:
            return False
        if add_months(self.cur[idx].start, min_months) > start:
            return False
        if add_years(person.dob, MIN_AGE[position.grade]) > start:
            return False
        return add_years(start, 4) < person.retire

    def staff_sources(self, unit: UnitSpec, grade: int) -> list[tuple]:
        """Areas whose staff may be promoted straight to a post of ``grade`` in ``unit``."""
        if unit.level == Level.PROVINCE:
            return [(Level.PROVINCE, None)] if grade <= 6 else []
        if unit.level == Level.DISTRICT:
            return (
                [(Level.DISTRICT, unit.district_code), (Level.PROVINCE, None)] if grade <= 5 else []
            )
        return [(Level.COMMUNE, unit.district_code), (Level.DISTRICT, unit.district_code)]

    def pick(self, weighted: list[tuple[int, float]]) -> int | None:
        if not weighted:
            return None
        ids, weights = zip(*weighted, strict=True)
        return self.rng.choices(ids, weights=weights)[0]

    def candidate_for(self, position: PositionSpec, start: dt.date) -> int | None:
        """A weighted draw among leaders just below (or due peers) and eligible staff."""
        unit = self.units[position.unit_code]
        grade = position.grade
        out = []
        for source_grade, base in ((grade - 2, 1.5), (grade - 1, 3.0), (grade, 1.0)):
            for idx in self.leaders_by_grade.get(source_grade, ()):
                src = self.units[self.cur_pos[idx].unit_code]
                geo = geo_weight(src, unit) * sector_affinity(src.sector, unit.sector)
                due = idx in self.due
                if not geo or (source_grade == grade and (not due or src.code == unit.code)):
                    continue
                if self.eligible(idx, position, start, 0 if due else 24):
                    out.append((idx, base * geo * (2 if due else 1)))
        for area in self.staff_sources(unit, grade):
            for idx in self.staff_by_area.get(area, ()):
                if self.eligible(idx, position, start, 36):
                    src = self.units[self.cur[idx].unit]
                    # Staff are mostly promoted inside their own unit.
                    factor = (
                        4 if src.code == unit.code else 0.25 if src.level == unit.level else 0.1
                    )
                    factor *= sector_affinity(src.sector, unit.sector)
                    if factor:
                        out.append((idx, geo_weight(src, unit) * factor))
        if position.requires_non_local:
            out = [(i, w if not self.is_local(self.people[i], unit) else w * 0.05) for i, w in out]
        return self.pick(out)

    # -- monthly events ------------------------------------------------------------------

    def fill_vacancies(self, month_start: dt.date, month_end: dt.date) -> None:
        heap = [
            (-self.positions[key].grade, self.order[key], key)
            for key, since in self.vacant_since.items()
            if since <= month_end
        ]
        heapq.heapify(heap)
        tried = set()
        while heap:
            _g, _o, key = heapq.heappop(heap)
            if key in tried or self.holder[key] is not None:
                continue
            tried.add(key)
            if self.rng.random() > MONTHLY_FILL_RATE:
                continue
            since = max(self.vacant_since[key], month_start)
            start = random_day(self.rng, since, month_end)
            position = self.positions[key]
            idx = self.candidate_for(position, start)
            if idx is None:
                continue
            old = self.start_posting(idx, self.units[position.unit_code], position, start)
            self.vacate(old, start)
            if old is not None:
                heapq.heappush(heap, (-old.grade, self.order[old.key], old.key))

    def peers(self, position: PositionSpec):
        for grade in (position.grade - 1, position.grade, position.grade + 1):
            yield from self.leaders_by_grade.get(grade, ())

    def try_swap(self, a: int, start: dt.date) -> bool:
        """Rotate leader ``a`` with a peer of another locality, level or sector."""
        pa = self.cur_pos[a]
        ua = self.units[pa.unit_code]
        out = []
        for b in self.peers(pa):
            pb = self.cur_pos[b]
            ub = self.units[pb.unit_code]
            if ua.locality_code == ub.locality_code and ua.sector == ub.sector:
                continue
            if pb.grade != pa.grade and ua.level == ub.level:
                continue  # one grade apart only between levels (Phó GĐ Sở ↔ Bí thư Huyện ủy)
            if sector_affinity(ua.sector, ub.sector) < 0.5:
                continue
            if not (geo_ok(ua, ub) and geo_ok(ub, ua)):
                continue
            if not self.eligible(b, pa, start, 24) or not self.eligible(a, pb, start, 24):
                continue
            if pb.requires_non_local and self.is_local(self.people[a], ub):
                continue
            if pa.requires_non_local and self.is_local(self.people[b], ua):
                continue
            out.append((b, 3 if b in self.due else 1))
        b = self.pick(out)
        if b is None:
            return False
        pb = self.cur_pos[b]
        self.start_posting(a, self.units[pb.unit_code], pb, start)
        self.start_posting(b, ua, pa, start)
        return True

    def on_due(self, idx: int, month_start: dt.date, month_end: dt.date) -> None:
        position = self.cur_pos[idx]
        self.due.add(idx)
        start = random_day(self.rng, month_start, month_end)
        roll = self.rng.random()
        if position.grade >= 9 and roll < 0.35 and self.rng.random() < 0.7:
            note = f"Chuyển công tác ra ngoài tỉnh từ ngày {format_day(start)}."
            self.end_career(idx, start - dt.timedelta(days=1), OfficialStatus.LEFT, note)
            return
        if roll < SWAP_RATE and self.try_swap(idx, start):
            return
        self.schedule(add_months(start, self.rng.randint(12, 36)), "due", idx)

    def on_staff_move(self, idx: int, month_start: dt.date, month_end: dt.date) -> None:
        person, unit = self.people[idx], self.units[self.cur[idx].unit]
        start = random_day(self.rng, month_start, month_end)
        if self.primary_count[idx] >= MAX_PRIMARY_POSTINGS or add_years(start, 1) >= person.retire:
            return
        targets = [
            (target, staff_move_weight(unit, target))
            for target in self.unit_list
            if target.code != unit.code
        ]
        target = self.pick([(t, w) for t, w in targets if w])
        if target is not None:
            self.start_posting(idx, target, None, start)

    # -- the run -------------------------------------------------------------------------

    def initial_state(self) -> None:
        """Who held what on HISTORY_START: leaders first, everyone else as staff."""
        rng, t0 = self.rng, HISTORY_START
        pool = [p.idx for p in self.people if p.hire < t0]
        for position in sorted(self.positions.values(), key=lambda p: -p.grade):
            if rng.random() < INITIAL_VACANCY_RATE or not pool:
                self.vacant_since[position.key] = t0
                continue
            unit = self.units[position.unit_code]
            sample = rng.sample(range(len(pool)), min(60, len(pool)))
            weighted = []
            for i in sample:
                person = self.people[pool[i]]
                if add_years(person.dob, MIN_AGE[position.grade]) > t0:
                    continue
                local = position.requires_non_local and self.is_local(person, unit)
                weighted.append((i, 0.05 if local else 1.0))
            i = self.pick(weighted)
            if i is None:
                self.vacant_since[position.key] = t0
                continue
            idx = pool[i]
            pool[i] = pool[-1]
            pool.pop()
            person = self.people[idx]
            lo = max(
                add_years(person.hire, 3),
                add_years(person.dob, MIN_AGE[position.grade] - 2),
                EARLIEST_START,
            )
            start = random_day(rng, min(lo, t0 - dt.timedelta(days=60)), t0 - dt.timedelta(1))
            self.start_posting(idx, unit, position, max(start, person.hire))
        for idx in sorted(pool):
            person = self.people[idx]
            unit = rng.choices(self.unit_list, weights=self.staff_weights)[0]
            start = random_day(rng, max(person.hire, EARLIEST_START), t0 - dt.timedelta(1))
            self.start_posting(idx, unit, None, start)
        # Reschedule from HISTORY_START: terms already over come due in the first years.
        self.events.clear()
        for idx, posting in self.cur.items():
            if self.cur_pos[idx] is not None:
                kind, due = "due", add_months(posting.start, rng.randint(36, 96))
            else:
                kind, due = "staff_move", add_months(posting.start, rng.randint(48, 240))
            if due <= t0:
                due = add_months(t0, rng.randint(1, 36))
            self.schedule(due, kind, idx)

    def run(self) -> None:
        self.initial_state()
        joiners = defaultdict(list)
        for person in self.people:
            if person.hire >= HISTORY_START:
                joiners[month_key(person.hire)].append(person.idx)
        retirements = defaultdict(list)
        for person in self.people:
            if person.retire < self.today:
                retirements[month_key(person.retire)].append(person.idx)
        month_start = HISTORY_START
        while month_start <= self.today:
            month_end = min(add_months(month_start, 1) - dt.timedelta(days=1), self.today)
            key = month_key(month_start)
            for idx in joiners.get(key, ()):
                unit = self.rng.choices(self.unit_list, weights=self.staff_weights)[0]
                self.start_posting(idx, unit, None, self.people[idx].hire)
            for idx in retirements.get(key, ()):
                if idx in self.cur and self.people[idx].status == OfficialStatus.ACTIVE:
                    self.end_career(idx, self.people[idx].retire, OfficialStatus.RETIRED)
            for kind, idx, posting in self.events.pop(key, ()):
                if self.cur.get(idx) is not posting:
                    continue  # stale: the official moved or left since
                if kind == "due":
                    self.on_due(idx, month_start, month_end)
                else:
                    self.on_staff_move(idx, month_start, month_end)
            self.fill_vacancies(month_start, month_end)
            month_start = add_months(month_start, 1)
