"""The whole demo data set as plain Python objects: pure and deterministic for a seed."""

import datetime as dt
import random
from dataclasses import dataclass

from .careers import CareerSimulation
from .geography import (
    SECTORS,
    LocalitySpec,
    PositionSpec,
    UnitSpec,
    build_localities,
    build_positions,
    build_units,
)
from .people import Person, add_personal_data, complete_profile, make_people
from .records import (
    EvaluationPlan,
    PlanningPlan,
    TrainingPlan,
    add_secondary_postings,
    evaluations_for,
    planning_for,
    trainings_for,
)

DEFAULT_OFFICIALS = 2000
#: careers are simulated up to the eve of the first step of the 2025 reorganisation (the
#: district police ended on 1/3/2025); the rotation demo then applies the reorganisation
#: through the service, as a user would, and continues from there
REFORM_EVE = dt.date(2025, 2, 28)
# The personal data draw from their own generator, so the careers stay those of ``seed``.
PERSONAL_SEED_SHIFT = 1_000_003


@dataclass
class DemoPlan:
    seed: int
    today: dt.date
    sectors: list[tuple[str, str]]
    localities: list[LocalitySpec]
    units: list[UnitSpec]
    positions: list[PositionSpec]
    people: list[Person]
    trainings: list[TrainingPlan]
    evaluations: list[EvaluationPlan]
    planning: list[PlanningPlan]


def build_plan(seed: int, today: dt.date, officials: int = DEFAULT_OFFICIALS) -> DemoPlan:
    """Everything ``seed_demo`` writes, computed without touching the database.

    Uses only ``random.Random(seed)``: the same seed and day give the same plan.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    localities = build_localities()
    units = build_units()
    positions = build_positions(rng)
    people = make_people(rng, officials, localities, today)
    sim = CareerSimulation(rng, people, localities, units, positions, min(today, REFORM_EVE))
    sim.run()
    for person in people:
        complete_profile(rng, person, sim.positions, sim.units, today)
    add_secondary_postings(rng, people, sim)
    add_personal_data(random.Random(seed + PERSONAL_SEED_SHIFT), people, localities)  # noqa: S311
    trainings = [t for person in people for t in trainings_for(rng, person, today)]
    evaluations = [e for person in people for e in evaluations_for(rng, person, today)]
    planning = planning_for(rng, people, sim)
    return DemoPlan(
        seed, today, SECTORS, localities, units, positions, people, trainings, evaluations, planning
    )
