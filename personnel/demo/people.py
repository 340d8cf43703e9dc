"""Officials of the demo province: who they are, and the profile their career implies."""

import datetime as dt
import random
from dataclasses import dataclass, field

from personnel.choices import (
    EducationLevel,
    Gender,
    ManagementTier,
    OfficialStatus,
    PoliticalTheory,
    StateManagement,
)
from personnel.retirement import retirement_date

from . import names
from .geography import PROVINCE_CODE, LocalitySpec


@dataclass
class PostingPlan:
    person: int
    unit: str
    position: str | None
    title: str
    start: dt.date
    end: dt.date | None = None
    is_primary: bool = True
    basis: str = ""


@dataclass
class Person:
    idx: int
    code: str
    full_name: str
    gender: str
    dob: dt.date
    hometown: str
    birthplace: str
    ethnicity: str
    religion: str
    hire: dt.date
    retire: dt.date
    status: str = OfficialStatus.ACTIVE
    notes: str = ""
    postings: list[PostingPlan] = field(default_factory=list)
    education_level: str = EducationLevel.UNIVERSITY
    major: str = ""
    political_theory: str = PoliticalTheory.NONE
    state_management: str = StateManagement.NONE
    management_tier: str = ManagementTier.UNIT
    party_joined: dt.date | None = None
    party_confirmed: dt.date | None = None
    top_grade: int = 0  # highest position grade ever held (0: staff only)
    personal_id: str | None = None
    home_address: str = ""
    phone: str = ""


def weighted(rng: random.Random, pairs):
    """Pick from ``[(value, weight), ...]``."""
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def random_day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    """A day in ``[lo, hi]``."""
    return dt.date.fromordinal(rng.randint(lo.toordinal(), max(lo, hi).toordinal()))


def _full_name(rng: random.Random, gender: str) -> str:
    family = weighted(rng, names.FAMILY_NAMES)
    if gender == Gender.MALE:
        middle, givens = weighted(rng, names.MALE_MIDDLE), names.MALE_GIVEN
    else:
        middle, givens = weighted(rng, names.FEMALE_MIDDLE), names.FEMALE_GIVEN
    given = rng.choice(givens)
    while given == middle:
        given = rng.choice(givens)
    return f"{family} {middle} {given}"


def make_people(
    rng: random.Random, count: int, localities: list[LocalitySpec], today: dt.date
) -> list[Person]:
    """``count`` officials born 1966–1995, mostly from the demo province."""
    communes = [loc for loc in localities if loc.level == "commune"]
    home = [loc.code for loc in communes if loc.province_code == PROVINCE_CODE]
    away = [loc.code for loc in communes if loc.province_code != PROVINCE_CODE]
    people = []
    for idx in range(count):
        gender = Gender.MALE if rng.random() < 0.7 else Gender.FEMALE
        year = min(int(rng.triangular(1966, 1996, 1977)), 1995)
        dob = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        hometown = rng.choice(away) if rng.random() < 0.15 else rng.choice(home)
        birthplace = hometown
        if rng.random() < 0.2:
            birthplace = rng.choice(away) if rng.random() < 0.25 else rng.choice(home)
        hire = min(add_years(dob, rng.randint(22, 26)) + dt.timedelta(rng.randint(0, 300)), today)
        people.append(
            Person(
                idx=idx,
                code=f"HT-{idx + 1:06d}",
                full_name=_full_name(rng, gender),
                gender=gender,
                dob=dob,
                hometown=hometown,
                birthplace=birthplace,
                ethnicity=weighted(rng, names.ETHNICITIES),
                religion=weighted(rng, names.RELIGIONS),
                hire=hire,
                retire=retirement_date(dob, gender),
            )
        )
    return people


TIER_RANK = {
    ManagementTier.POLITBURO: 4,
    ManagementTier.PROVINCIAL_STANDING: 3,
    ManagementTier.DISTRICT_STANDING: 2,
    ManagementTier.GRASSROOTS: 1,
    ManagementTier.UNIT: 0,
}


def complete_profile(
    rng: random.Random, person: Person, positions: dict, units: dict, today: dt.date
) -> None:
    """Education, political theory, party membership, tier: consistent with the career."""
    primary = [p for p in person.postings if p.is_primary]
    held = [positions[p.position] for p in primary if p.position]
    person.top_grade = max((pos.grade for pos in held), default=0)
    tiers = [pos.management_tier for pos in held] or [ManagementTier.UNIT]
    person.management_tier = max(tiers, key=TIER_RANK.__getitem__)
    grade = person.top_grade
    first_sector = units[primary[0].unit].sector if primary else "government"
    person.major = rng.choice(names.MAJORS_BY_SECTOR[first_sector])

    roll = rng.random()
    if grade >= 6:
        person.education_level = (
            EducationLevel.DOCTORATE
            if roll < 0.12
            else EducationLevel.MASTER
            if roll < 0.55
            else EducationLevel.UNIVERSITY
        )
    elif grade >= 1:
        person.education_level = (
            EducationLevel.DOCTORATE
            if roll < 0.02
            else EducationLevel.MASTER
            if roll < 0.28
            else EducationLevel.UNIVERSITY
        )
    else:
        person.education_level = (
            EducationLevel.MASTER
            if roll < 0.12
            else EducationLevel.UNIVERSITY
            if roll < 0.95
            else EducationLevel.COLLEGE
        )

    roll = rng.random()
    if grade >= 5:
        person.political_theory = (
            PoliticalTheory.BACHELOR if roll < 0.08 else PoliticalTheory.ADVANCED
        )
    elif grade >= 3:
        person.political_theory = (
            PoliticalTheory.ADVANCED if roll < 0.6 else PoliticalTheory.INTERMEDIATE
        )
    elif grade >= 1:
        person.political_theory = (
            PoliticalTheory.INTERMEDIATE if roll < 0.9 else PoliticalTheory.ADVANCED
        )
    else:
        person.political_theory = weighted(
            rng,
            [
                (PoliticalTheory.INTERMEDIATE, 40),
                (PoliticalTheory.ELEMENTARY, 30),
                (PoliticalTheory.NONE, 30),
            ],
        )

    if grade >= 8:
        person.state_management = StateManagement.SENIOR
    elif grade >= 4:
        person.state_management = (
            StateManagement.PRINCIPAL if rng.random() < 0.8 else StateManagement.SENIOR
        )
    elif grade >= 1:
        person.state_management = (
            StateManagement.SPECIALIST if rng.random() < 0.7 else StateManagement.PRINCIPAL
        )
    else:
        person.state_management = (
            StateManagement.SPECIALIST if rng.random() < 0.6 else StateManagement.NONE
        )

    if grade >= 1 or rng.random() < 0.85:
        joined = add_years(person.dob, rng.randint(21, 30)) + dt.timedelta(rng.randint(0, 300))
        if joined > today:
            joined = today - dt.timedelta(rng.randint(30, 700))
        person.party_joined = joined
        confirmed = add_years(joined, 1)  # one year as a probationary member
        person.party_confirmed = confirmed if confirmed <= today else None


# --- personal data (số định danh, nơi ở, điện thoại) ------------------------------------

# Mobile prefixes in use (Viettel, VinaPhone, MobiFone), each followed by 7 digits.
PHONE_PREFIXES = ["086", "096", "097", "098", "032", "035", "091", "094", "088", "083", "090",
                  "093", "089", "077"]  # fmt: skip
# A multiplier coprime to 10^6: index → 6-digit serial is one-to-one, so numbers never clash.
SERIAL_STEP, SERIAL_OFFSET = 104_729, 31_337


def demo_personal_id(person: Person, birth_province_code: str) -> str:
    """Province of birth registration, century and gender, year of birth, a serial."""
    gender_digit = 0 if person.gender == Gender.MALE else 1
    century_digit = (person.dob.year // 100 - 19) * 2 + gender_digit
    serial = (person.idx * SERIAL_STEP + SERIAL_OFFSET) % 1_000_000
    return f"{int(birth_province_code):03d}{century_digit}{person.dob.year % 100:02d}{serial:06d}"


def _address(rng: random.Random, commune: LocalitySpec, by_code: dict[str, LocalitySpec]) -> str:
    district = by_code[commune.parent_code]
    province = by_code[district.parent_code]
    urban = commune.name.startswith(("Phường", "Thị trấn"))
    street = (
        f"Số {rng.randint(1, 180)}, tổ dân phố {rng.randint(1, 12)}"
        if urban
        else f"Thôn {rng.randint(1, 15)}"
    )
    return f"{street}, {commune.name}, {district.name}, {province.name}"


def add_personal_data(rng: random.Random, people: list[Person], localities: list[LocalitySpec]):
    """Personal identification number, home address and phone of every demo official.

    Uses its own ``rng``: adding these fields does not change the rest of the plan.
    """
    by_code = {loc.code: loc for loc in localities}
    home = [
        loc for loc in localities if loc.level == "commune" and loc.province_code == PROVINCE_CODE
    ]
    for person in people:
        person.personal_id = demo_personal_id(person, by_code[person.birthplace].province_code)
        hometown = by_code[person.hometown]
        # Most live in their home commune when it is in the province, others in a town.
        local = hometown.province_code == PROVINCE_CODE and rng.random() < 0.6
        lives = hometown if local else rng.choice(home)
        person.home_address = _address(rng, lives, by_code)
        person.phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"
