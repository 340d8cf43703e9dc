"""A province whose records fill every table of every report, with its default parameters.

Built on the ``world`` of ``tests/rotation/conftest.py`` (Tỉnh ủy P, Sở Tài chính, Huyện ủy
A with UBND huyện A and Đảng ủy xã A1, Huyện ủy B) for the period ``DATE_FROM`` –
``DATE_TO`` (the 2020–2025 term up to the end of 2024; the subscription's "this term to
date" on ``SUBSCRIPTION_TODAY`` is the same period). What each table gets:

rotation_summary (rotations of the period)
    by_direction, by_kind, by_tier, by_tier_kind: two rotations (district → province by a
    cadre of the provincial standing committee's tier, province → district by one of the
    district standing committee's tier) and an appointment (district → district).
consultation_compliance
    fait_accompli, missing_answers: the first rotation's decision, approved without asking
    (its sending side Huyện ủy A and receiving side Tỉnh ủy P are missing);
    complete: the appointment's and the second rotation's decisions, every answer given.
non_local_compliance
    by_post_type, by_locality, posts: the four posts requiring a non-local holder: Bí thư
    Huyện ủy A held by a local cadre, Chủ tịch UBND huyện A and Bí thư Huyện ủy B by
    non-local ones, Giám đốc Sở Tài chính vacant.
planning_structure (term 2020-2025, the term of ``DATE_TO``)
    structure, per_position: three planned cadres (a young woman, an ethnic minority
    cadre); over_planned: one cadre planned for four district-level posts.
rotated_serving
    serving: both rotations are served on ``DATE_TO``: the first is overdue and misses the
    reviews of 2022 and 2023, the second has its review.
tenure_watchlist (12 months, 5 years)
    two_term: Bí thư Huyện ủy B since 2015; long_tenure: Bí thư Huyện ủy A since 2018;
    retiring: a man born in May 1964 (retires 31/08/2025); appointment_ending: Chủ tịch
    UBND huyện A appointed on 01/11/2020 for 60 months.
training_standards (cadres the provincial standing committee manages)
    standards: three such cadres; not_meeting: two leaders below the standard (a college
    degree; intermediate political theory).

``EXPECTED`` writes out, per report, figures of the result and a value that a row of each
table holds, so that a table is filled by what this module meant to build.
"""

import datetime as dt
from types import SimpleNamespace

from personnel.choices import EducationLevel, Gender, ManagementTier, PoliticalTheory
from rotation import services
from rotation.choices import ConsultationOpinion, MovementKind
from tests.factories import PlanningEntryFactory

D = dt.date
DATE_FROM = D(2020, 10, 1)
DATE_TO = D(2024, 12, 31)
#: "this term to date" on this day is DATE_FROM – DATE_TO
SUBSCRIPTION_TODAY = DATE_TO
SUBSCRIPTION_RULE = "this_term_to_date"
SCOPE_CODE = "TU"
PLANNING_TERM = "2020-2025"

PROVINCIAL = ManagementTier.PROVINCIAL_STANDING


def decide(
    world, number, official, position, on, *, kind=MovementKind.ROTATION, term=36, consulted=False
):
    """An approved decision of Tỉnh ủy P moving ``official`` to ``position`` on ``on``,
    signed ten days before and applied. ``consulted``: every required answer was given
    before it was signed; otherwise it was approved without asking (a fait accompli)."""
    signed = on - dt.timedelta(days=10)
    decision = services.decision_create(
        number=number, issued_by=world.units.province, title="Điều chuyển cán bộ"
    )
    movement = services.movement_add(
        decision=decision,
        official=official,
        kind=kind,
        to_position=position,
        effective_on=on,
        term_months=term,
    )
    if consulted:
        services.decision_request_consultations(
            decision=decision, requested_on=signed - dt.timedelta(days=20), notify=False
        )
        for consultation in decision.consultations.all():
            services.consultation_answer(
                consultation=consultation,
                opinion=ConsultationOpinion.AGREE,
                answered_on=signed - dt.timedelta(days=5),
            )
    services.decision_approve(decision=decision, signed_on=signed, notify=False)
    return services.movement_apply(movement=movement, today=on)


def build(world, make_official) -> SimpleNamespace:
    p, units, places = world.positions, world.units, world.localities

    def official(name, **fields):
        return make_official(full_name=name, planned=False, **fields)

    # Rotated from Phó Bí thư Huyện ủy A to the province in 2021, without consultation:
    # overdue on DATE_TO (expected end 28/02/2024), reviewed for 2021 only.
    luan = official(
        "Lê Văn Luân",
        position=p.a_deputy,
        since=D(2016, 1, 1),
        management_tier=PROVINCIAL,
        political_theory=PoliticalTheory.ADVANCED,
    )
    first = decide(world, "12-QĐ/TU", luan, p.province_deputy, D(2021, 3, 1))
    services.review_record(movement=first, period="annual", year=2021, rating="good")

    # A young woman rotated from the province to Huyện ủy B in 2023, consulted, reviewed.
    ha = official(
        "Trần Thị Hà",
        unit=units.province,
        since=D(2014, 1, 1),
        gender=Gender.FEMALE,
        date_of_birth=D(1988, 4, 2),
        management_tier=ManagementTier.DISTRICT_STANDING,
    )
    second = decide(world, "45-QĐ/TU", ha, p.b_deputy, D(2023, 6, 1), term=60, consulted=True)
    services.review_record(movement=second, period="annual", year=2023, rating="good")

    # Appointed Chủ tịch UBND huyện A for five years from 01/11/2020 (ends 31/10/2025);
    # from Huyện B, so not local to district A.
    bo = official("Bùi Văn Bổ", unit=units.hu_b, since=D(2015, 1, 1), hometown=places.b)
    decide(
        world,
        "3-QĐ/TU",
        bo,
        p.a_chair,
        D(2020, 11, 1),
        kind=MovementKind.APPOINTMENT,
        term=60,
        consulted=True,
    )

    # Bí thư Huyện ủy A since 2018, a local (hometown in Xã A1), with a college degree.
    official(
        "Phạm Văn Địa",
        position=p.a_secretary,
        since=D(2018, 1, 1),
        hometown=places.a1,
        management_tier=PROVINCIAL,
        education_level=EducationLevel.COLLEGE,
        political_theory=PoliticalTheory.ADVANCED,
    )
    # Bí thư Huyện ủy B since 2015 (past the two-term limit), intermediate political theory.
    official(
        "Hoàng Văn Hai",
        position=p.b_secretary,
        since=D(2015, 6, 1),
        management_tier=PROVINCIAL,
        education_level=EducationLevel.MASTER,
        political_theory=PoliticalTheory.INTERMEDIATE,
    )
    # Retires on 31/08/2025.
    official("Ngô Văn Hưu", unit=units.hu_a, since=D(2010, 1, 1), date_of_birth=D(1964, 5, 10))

    # Planning of the 2020-2025 term.
    quy = official("Vũ Văn Quy", unit=units.hu_a, since=D(2012, 1, 1))
    for position in (p.a_secretary, p.a_deputy, p.a_chair, p.b_secretary):
        PlanningEntryFactory(official=quy, position=position, term=PLANNING_TERM)
    muong = official("Lò Văn Mường", unit=units.hu_b, since=D(2012, 1, 1), ethnicity="Thái")
    PlanningEntryFactory(official=muong, position=p.a_secretary, term=PLANNING_TERM)
    PlanningEntryFactory(official=ha, position=p.b_secretary, term=PLANNING_TERM)

    return SimpleNamespace(
        world=world,
        scope=units.province,
        date_from=DATE_FROM,
        date_to=DATE_TO,
    )


#: per report: ``figures`` of the result (top-level keys) and, per table, a value one of
#: its rows holds
EXPECTED = {
    "rotation_summary": {
        "figures": {
            "total_cadres": 2,
            "total_movements": 2,
            "by_direction": {"province_to_district": 1, "district_to_province": 1},
        },
        "rows": {"by_direction": "Tổng cộng", "by_tier_kind": "Tổng cộng"},
    },
    "consultation_compliance": {
        "figures": {"decisions": 3, "complete": 2, "fait_accompli": 1},
        "rows": {
            "fait_accompli": "12-QĐ/TU",
            "missing_answers": "Huyện ủy A",
            "complete": "45-QĐ/TU",
        },
    },
    "non_local_compliance": {
        "figures": {"non_local": 2, "filled": 3, "posts": 4, "vacant": 1},
        "rows": {
            "by_post_type": "Bí thư cấp ủy cấp huyện",
            "by_locality": "Huyện A",
            "posts": "Phạm Văn Địa",
        },
    },
    "planning_structure": {
        "figures": {"term": PLANNING_TERM, "cadres": 3, "positions": 4},
        "rows": {"per_position": "Bí thư Huyện ủy A", "over_planned": "Vũ Văn Quy"},
    },
    "rotated_serving": {
        "figures": {"total": 2, "overdue": 1, "missing_reviews": 1},
        "rows": {"serving": "Lê Văn Luân"},
    },
    "tenure_watchlist": {
        "figures": {
            "counts": {"two_term": 1, "long_tenure": 1, "retiring": 1, "appointment_ending": 1}
        },
        "rows": {
            "two_term": "Hoàng Văn Hai",
            "long_tenure": "Phạm Văn Địa",
            "retiring": "Ngô Văn Hưu",
            "appointment_ending": "Bùi Văn Bổ",
        },
    },
    "training_standards": {
        "figures": {"total": 3},
        "rows": {"not_meeting": "Hoàng Văn Hai"},
    },
}
