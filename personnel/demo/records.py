"""Concurrent posts, trainings, yearly evaluations and planning of the demo officials."""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from personnel.choices import (
    EducationLevel,
    EvaluationRating,
    OfficialStatus,
    PlanningStatus,
    PoliticalTheory,
    StateManagement,
    TrainingKind,
    TrainingMode,
)

from . import names
from .affinity import geo_weight
from .careers import CareerSimulation
from .people import Person, PostingPlan, add_years, random_day, weighted


@dataclass
class TrainingPlan:
    person: int
    kind: str
    programme: str
    qualification: str
    institution: str
    mode: str
    start: dt.date
    end: dt.date | None


@dataclass
class EvaluationPlan:
    person: int
    year: int
    rating: str


@dataclass
class PlanningPlan:
    person: int
    position: str
    term: str
    status: str
    approved_on: dt.date
    basis: str


def add_secondary_postings(rng: random.Random, people: list[Person], sim: CareerSimulation):
    """Concurrent posts (kiêm nhiệm) that go with some heads' posts, e.g. Chủ tịch HĐND."""
    for person in people:
        for posting in [p for p in person.postings if p.position]:
            secondary = sim.positions[posting.position].secondary
            if secondary is None or rng.random() > 0.5:
                continue
            title, unit = secondary
            start = posting.start + dt.timedelta(days=rng.randint(0, 60))
            if start > sim.today or (posting.end and start >= posting.end):
                start = posting.start
            person.postings.append(
                PostingPlan(person.idx, unit, None, title, start, posting.end, False, posting.basis)
            )


# Programme, qualification and school of each political theory / state management level.
THEORY_COURSES = {
    PoliticalTheory.ELEMENTARY: ("Sơ cấp lý luận chính trị", "Sơ cấp", None, 90),
    PoliticalTheory.INTERMEDIATE: (
        "Trung cấp lý luận chính trị - hành chính",
        "Trung cấp",
        names.PROVINCIAL_SCHOOL,
        330,
    ),
    PoliticalTheory.ADVANCED: ("Cao cấp lý luận chính trị", "Cao cấp", None, 540),
    PoliticalTheory.BACHELOR: (
        "Cử nhân chính trị",
        "Cử nhân",
        "Học viện Chính trị quốc gia Hồ Chí Minh",
        900,
    ),
}
STATE_COURSES = {
    StateManagement.SPECIALIST: ("ngạch chuyên viên", 60),
    StateManagement.PRINCIPAL: ("ngạch chuyên viên chính", 90),
    StateManagement.SENIOR: ("ngạch chuyên viên cao cấp", 120),
}


def _course_dates(rng, earliest: dt.date, days: int, today: dt.date):
    latest = today - dt.timedelta(days=days + 1)
    start = random_day(rng, min(earliest, latest), latest)
    return start, start + dt.timedelta(days=days)


def trainings_for(rng: random.Random, person: Person, today: dt.date) -> list[TrainingPlan]:
    """The highest degree, then the political theory and state management courses."""
    out = []
    level = person.education_level
    school = rng.choice(names.SCHOOLS_BY_MAJOR[person.major])
    if level in (EducationLevel.MASTER, EducationLevel.DOCTORATE):
        master = level == EducationLevel.MASTER
        years = 2 if master else 4
        begin = add_years(person.dob, rng.randint(27, 35) if master else rng.randint(32, 40))
        start, end = _course_dates(rng, begin, 365 * years, today)
        qualification = "Thạc sĩ" if master else "Tiến sĩ"
        mode = TrainingMode.PART_TIME
    else:
        years = 3 if level == EducationLevel.COLLEGE else 4
        start = dt.date(person.dob.year + 18, 9, 5)
        end = dt.date(start.year + years, 6, 30)
        qualification = (
            "Cử nhân cao đẳng"
            if level == EducationLevel.COLLEGE
            else names.BACHELOR_TITLE.get(person.major, "Cử nhân")
        )
        mode = TrainingMode.FULL_TIME
    out.append(
        TrainingPlan(
            person.idx, TrainingKind.DEGREE, person.major, qualification, school, mode, start, end
        )
    )
    course = THEORY_COURSES.get(person.political_theory)
    if course:
        programme, qualification, school, days = course
        if school is None:
            school = (
                rng.choice(names.ADVANCED_THEORY_SCHOOLS)
                if person.political_theory == PoliticalTheory.ADVANCED
                else "Trung tâm Chính trị cấp huyện"
            )
        begin = add_years(person.hire, rng.randint(2, 12))
        start, end = _course_dates(rng, begin, days, today)
        mode = rng.choice([TrainingMode.FULL_TIME, TrainingMode.PART_TIME])
        out.append(
            TrainingPlan(
                person.idx,
                TrainingKind.POLITICAL_THEORY,
                programme,
                qualification,
                school,
                mode,
                start,
                end,
            )
        )
    course = STATE_COURSES.get(person.state_management)
    if course:
        grade, days = course
        school = rng.choice(names.STATE_MANAGEMENT_SCHOOLS)
        begin = add_years(person.hire, rng.randint(1, 10))
        start, end = _course_dates(rng, begin, days, today)
        out.append(
            TrainingPlan(
                person.idx,
                TrainingKind.STATE_MANAGEMENT,
                f"Bồi dưỡng kiến thức quản lý nhà nước {grade}",
                "Chứng chỉ",
                school,
                TrainingMode.PART_TIME,
                start,
                end,
            )
        )
    return out


RATINGS = [
    (EvaluationRating.EXCELLENT, 18),
    (EvaluationRating.GOOD, 67),
    (EvaluationRating.COMPLETED, 13),
    (EvaluationRating.NOT_COMPLETED, 2),
]
EVALUATION_YEARS = range(2020, 2026)


def evaluations_for(rng: random.Random, person: Person, today: dt.date) -> list[EvaluationPlan]:
    """One rating a year for each year the official served through October."""
    primary = [p for p in person.postings if p.is_primary]
    first = min(p.start for p in primary)
    last = today if person.status == OfficialStatus.ACTIVE else max(p.end for p in primary)
    out = []
    for year in EVALUATION_YEARS:
        if year >= today.year or not (first <= dt.date(year, 10, 1) <= last):
            continue
        out.append(EvaluationPlan(person.idx, year, weighted(rng, RATINGS)))
    return out


TERMS = [("2020-2025", dt.date(2018, 12, 20)), ("2025-2030", dt.date(2023, 9, 22))]
MAX_PER_POSITION = 3
MAX_PER_OFFICIAL = 3


def _holding_on(person: Person, day: dt.date) -> PostingPlan | None:
    for posting in person.postings:
        if (
            posting.is_primary
            and posting.start <= day
            and (posting.end is None or day <= posting.end)
        ):
            return posting
    return None


def planning_for(
    rng: random.Random, people: list[Person], sim: CareerSimulation
) -> list[PlanningPlan]:
    """1–3 cadres for each key post and term, drawn from the posts just below it."""
    out = []
    key_positions = [p for p in sim.positions.values() if p.is_key]
    for term, approved_on in TERMS:
        term_end = dt.date(int(term[5:]), 6, 30)
        numbers = {}
        by_grade = defaultdict(list)  # who held which post on the approval date
        for person in people:
            posting = _holding_on(person, approved_on)
            if posting and posting.position and person.retire > term_end:
                grade = sim.positions[posting.position].grade
                by_grade[grade].append((person, sim.units[posting.unit]))
        per_official = defaultdict(int)
        appointees = defaultdict(list)
        for person in people:
            for posting in person.postings:
                if posting.position and approved_on < posting.start <= term_end:
                    appointees[posting.position].append(person)
        for position in key_positions:
            unit = sim.units[position.unit_code]
            pool = []
            for grade in (position.grade - 1, position.grade - 2):
                for person, src in by_grade.get(grade, ()):
                    geo = geo_weight(src, unit)
                    if geo and per_official[person.idx] < MAX_PER_OFFICIAL:
                        pool.append((person, geo))
            # Those appointed to the post during the term were, as a rule, in its planning.
            chosen = [
                person
                for person in appointees.get(position.key, ())
                if per_official[person.idx] < MAX_PER_OFFICIAL and rng.random() < 0.85
            ][:MAX_PER_POSITION]
            for _ in range(rng.randint(1, MAX_PER_POSITION) - len(chosen)):
                pool = [(p, w) for p, w in pool if all(p.idx != c.idx for c in chosen)]
                if not pool:
                    break
                chosen.append(weighted(rng, pool))
            committee = "TU" if position.management_tier != "district_standing" else "HU"
            basis = numbers.setdefault(committee, f"{rng.randint(100, 990)}-QĐ/{committee}")
            for person in chosen:
                per_official[person.idx] += 1
                appointed = any(
                    p.position == position.key and approved_on < p.start <= term_end
                    for p in person.postings
                )
                if appointed:
                    status = PlanningStatus.APPOINTED
                elif person.status != OfficialStatus.ACTIVE or rng.random() < 0.08:
                    status = PlanningStatus.REMOVED
                else:
                    status = PlanningStatus.ACTIVE
                out.append(PlanningPlan(person.idx, position.key, term, status, approved_on, basis))
    return out
