"""The other reports on hand-built data; expected figures are written out."""

import datetime as dt

from personnel.choices import EducationLevel, Gender, ManagementTier, PoliticalTheory
from reports import registry
from rotation import services
from rotation.choices import ConsultationOpinion, MovementKind, MovementOutcome
from tests.factories import PlanningEntryFactory

D = dt.date
ON = D(2025, 6, 30)


def run(code, scope, date_from=D(2025, 1, 1), date_to=ON, **params):
    definition = registry.get(code)
    context = registry.Context(
        scope, date_from, date_to, definition.clean_params(params), today=D(2025, 11, 21)
    )
    return definition.compute(context).as_dict()


def table(result, key):
    return next(t for t in result["tables"] if t["key"] == key)


def test_rotated_serving(world, make_official, move):
    p = world.positions
    overdue = move(
        make_official(position=p.a_deputy, full_name="Quá Hạn"),
        p.b_deputy,
        D(2021, 1, 1),
        apply=True,
    )
    services.review_record(movement=overdue, period="annual", year=2021, rating="good")
    move(
        make_official(position=p.a1_secretary, full_name="Đúng Hạn"),
        p.a_secretary,
        D(2024, 1, 1),
        term=60,
        apply=True,
    )
    retained = move(
        make_official(position=p.b_secretary, full_name="Giữ Lại"),
        p.a_chair,
        D(2021, 1, 1),
        apply=True,
    )
    services.movement_end(
        movement=retained, outcome=MovementOutcome.RETAINED, ended_on=D(2024, 1, 1)
    )
    move(
        make_official(unit=world.units.hu_a, full_name="Chưa Đến"), p.province_deputy, D(2025, 8, 1)
    )
    result = run("rotated_serving", world.units.province)
    assert (result["total"], result["overdue"], result["missing_reviews"]) == (2, 1, 2)
    rows = {row[0]: row for row in table(result, "serving")["rows"]}
    assert set(rows) == {"Quá Hạn", "Đúng Hạn"}
    assert rows["Quá Hạn"][3:8] == ["01/01/2021", "31/12/2023", 0, "Quá hạn", "2022, 2023, 2024"]
    assert rows["Đúng Hạn"][3:8] == ["01/01/2024", "31/12/2028", 42, "", "2024"]
    assert result["sentence"] == (
        "Đến ngày 30/06/2025 có 2 cán bộ đang luân chuyển, trong đó 1 đồng chí đã quá thời hạn "
        "chưa có quyết định, 2 đồng chí còn thiếu đánh giá hằng năm."
    )


def test_non_local_compliance(world, make_official):
    p = world.positions
    make_official(position=p.a_secretary, hometown=world.localities.a1)  # local to district A
    make_official(position=p.a_chair, hometown=world.localities.b)
    make_official(position=p.b_secretary, hometown=world.localities.outside)
    result = run("non_local_compliance", world.units.province)  # Giám đốc Sở Tài chính is vacant
    assert (result["non_local"], result["filled"], result["posts"], result["vacant"]) == (
        2,
        3,
        4,
        1,
    )
    assert result["sentence"] == (
        "Đến ngày 30/06/2025, 2/3 chức danh phải bố trí cán bộ không phải người địa phương đang do cán bộ "
        "không phải người địa phương đảm nhiệm; trong đó: Bí thư cấp ủy cấp huyện 1/2; "
        "Chủ tịch Ủy ban nhân dân cấp huyện 1/1; còn 1 chức danh trống."
    )
    # Counted by post type: the secretaries of Huyện ủy A and B are one row.
    ratios = {row[1]: (row[5], row[6]) for row in table(result, "by_post_type")["rows"]}
    assert ratios == {
        "Thủ trưởng cơ quan tài chính cấp tỉnh": (1, "0/0"),
        "Bí thư cấp ủy cấp huyện": (0, "1/2"),
        "Chủ tịch Ủy ban nhân dân cấp huyện": (0, "1/1"),
    }
    localities = {row[0]: row[-1] for row in table(result, "by_locality")["rows"]}
    assert localities == {"Tỉnh P": "0/0", "Huyện A": "1/2", "Huyện B": "1/1"}
    district_b = run("non_local_compliance", world.units.hu_b)
    assert (district_b["non_local"], district_b["posts"]) == (1, 1)


def test_tenure_watchlist(world, make_official, move):
    p = world.positions
    make_official(position=p.b_secretary, since=D(2016, 1, 1), full_name="Hai Nhiệm Kỳ")
    make_official(position=p.a_deputy, since=D(2019, 1, 1), full_name="Lâu Năm")
    make_official(
        unit=world.units.hu_a,
        date_of_birth=D(1964, 9, 10),
        gender=Gender.MALE,
        full_name="Sắp Nghỉ",
    )
    appointed = make_official(unit=world.units.hu_b, since=D(2018, 1, 1), full_name="Hết Hạn")
    move(
        appointed, p.a1_secretary, D(2020, 9, 1), kind=MovementKind.APPOINTMENT, term=60, apply=True
    )
    result = run("tenure_watchlist", world.units.province)
    assert result["counts"] == {
        "two_term": 1,
        "long_tenure": 1,
        "retiring": 1,
        "appointment_ending": 1,
    }
    assert table(result, "two_term")["rows"] == [
        ["Hai Nhiệm Kỳ", "Bí thư Huyện ủy B", "Huyện ủy B", "01/01/2016"]
    ]
    assert table(result, "retiring")["rows"][0][-1] == "31/12/2025"
    assert table(result, "appointment_ending")["rows"][0][-1] == "31/08/2025"
    shorter = run("tenure_watchlist", world.units.province, months=3)
    assert shorter["counts"]["retiring"] == 0 and shorter["counts"]["appointment_ending"] == 1


def test_planning_structure(world, make_official):
    p = world.positions
    people = [
        make_official(
            planned=False, full_name="A", gender=Gender.MALE, date_of_birth=D(1990, 1, 1)
        ),
        make_official(
            planned=False, full_name="B", gender=Gender.FEMALE, date_of_birth=D(1980, 1, 1)
        ),
        make_official(
            planned=False,
            full_name="C",
            gender=Gender.FEMALE,
            date_of_birth=D(1975, 1, 1),
            ethnicity="Thái",
        ),
        make_official(
            planned=False, full_name="D", gender=Gender.MALE, date_of_birth=D(1970, 1, 1)
        ),
        make_official(
            planned=False, full_name="E", gender=Gender.MALE, date_of_birth=D(1985, 12, 1)
        ),
    ]
    for person in people[:4]:
        PlanningEntryFactory(official=person, position=p.a_secretary, term="2025-2030")
    PlanningEntryFactory(official=people[4], position=p.b_secretary, term="2025-2030")
    PlanningEntryFactory(official=people[0], position=p.b_secretary, term="2020-2025")  # other term
    result = run("planning_structure", world.units.province, term="2025-2030")
    assert (result["cadres"], result["positions"]) == (5, 2)
    assert result["shares"] == {"young": 40.0, "women": 40.0, "minority": 20.0}
    structure = table(result, "structure")["rows"]
    assert [row[-1] for row in structure] == ["Đạt", "Đạt", ""]
    per_position = {row[0]: (row[3], row[4]) for row in table(result, "per_position")["rows"]}
    assert per_position == {"Bí thư Huyện ủy A": (4, "Vượt 3"), "Bí thư Huyện ủy B": (1, "")}
    assert "1 chức danh có quá 3 cán bộ quy hoạch" in result["sentence"]
    strict = run("planning_structure", world.units.province, term="2025-2030", women_target=50)
    assert table(strict, "structure")["rows"][1][-1] == "Chưa đạt"


def test_training_standards(world, make_official):
    tier = ManagementTier.PROVINCIAL_STANDING
    p = world.positions
    for name, education, theory, position in [
        ("Một", EducationLevel.UNIVERSITY, PoliticalTheory.ADVANCED, p.a_secretary),
        ("Hai", EducationLevel.MASTER, PoliticalTheory.INTERMEDIATE, p.b_secretary),
        ("Ba", EducationLevel.COLLEGE, PoliticalTheory.ADVANCED, p.a_deputy),
        ("Bốn", EducationLevel.DOCTORATE, PoliticalTheory.BACHELOR, p.b_deputy),
        ("Chuyên viên", EducationLevel.COLLEGE, PoliticalTheory.NONE, None),  # not a leader
    ]:
        make_official(
            full_name=name,
            education_level=education,
            political_theory=theory,
            management_tier=tier,
            position=position,
        )
    make_official(
        full_name="Khác diện",
        education_level=EducationLevel.COLLEGE,
        management_tier=ManagementTier.UNIT,
    )
    result = run("training_standards", world.units.province)
    assert result["total"] == 5
    assert result["shares"] == {
        "degree": 60.0,
        "theory_intermediate": 80.0,
        "theory_advanced": 60.0,
        "postgraduate": 40.0,
    }
    failing = {row[0]: row[-1] for row in table(result, "not_meeting")["rows"]}
    assert failing == {
        "Ba": "Trình độ đại học trở lên",
        "Hai": "Lý luận chính trị cao cấp, cử nhân",
    }
    assert run("training_standards", world.units.province, tier="all")["total"] == 6


def test_consultation_compliance(world, make_official):
    p = world.positions

    def decision(number, official, position, signed, answer):
        d = services.decision_create(
            number=number, issued_by=world.units.province, title="Điều động"
        )
        services.movement_add(
            decision=d,
            official=official,
            kind=MovementKind.TRANSFER,
            to_position=position,
            effective_on=signed + dt.timedelta(days=30),
        )
        if answer is not None:
            services.decision_request_consultations(
                decision=d, requested_on=signed - dt.timedelta(days=20)
            )
            for c in d.consultations.order_by("id")[: None if answer == "all" else 1]:
                services.consultation_answer(
                    consultation=c,
                    opinion=ConsultationOpinion.AGREE,
                    answered_on=signed - dt.timedelta(days=5),
                )
        services.decision_approve(decision=d, signed_on=signed)

    decision("1-QĐ/TU", make_official(unit=world.units.finance), p.a_chair, D(2025, 2, 1), "all")
    decision("2-QĐ/TU", make_official(unit=world.units.hu_b), p.a_deputy, D(2025, 3, 1), "some")
    decision("3-QĐ/TU", make_official(unit=world.units.hu_a), p.b_deputy, D(2025, 4, 1), None)
    decision("4-QĐ/TU", make_official(unit=world.units.hu_a), p.a1_secretary, D(2024, 4, 1), None)
    result = run("consultation_compliance", world.units.province)
    assert (result["decisions"], result["complete"], result["fait_accompli"]) == (3, 1, 2)
    rows = {row[0]: row[-1] for row in table(result, "fait_accompli")["rows"]}
    assert rows["3-QĐ/TU"] == "Nơi đi: Huyện ủy A; Nơi đến: Huyện ủy B"
    assert (
        rows["2-QĐ/TU"] == "Nơi đến: Huyện ủy A"
    )  # the sending side answered, the receiving side did not
    assert (
        "ban hành 3 quyết định" in result["sentence"]
        and "2 quyết định ban hành khi chưa có đủ ý kiến" in result["sentence"]
    )


def test_planning_limits_count_per_level_and_young_share_is_province_and_district(
    world, make_official
):
    from tests.factories import PositionFactory

    p = world.positions
    young_commune = make_official(planned=False, full_name="Trẻ Xã", date_of_birth=D(1995, 1, 1))
    PlanningEntryFactory(official=young_commune, position=p.a1_secretary, term="2025-2030")
    busy = make_official(planned=False, full_name="Nhiều Chức Danh", date_of_birth=D(1970, 1, 1))
    for position in (p.a_secretary, p.b_secretary, p.a_deputy):  # three at district level
        PlanningEntryFactory(official=busy, position=position, term="2025-2030")
    PlanningEntryFactory(
        official=busy, position=p.province_deputy, term="2025-2030"
    )  # one more, at province level
    result = run("planning_structure", world.units.province, term="2025-2030")
    assert table(result, "over_planned")["rows"] == []
    young = table(result, "structure")["rows"][0]
    assert young[1:4] == [0, 1, 0.0]  # the commune cadre is not in the province/district pool
    PlanningEntryFactory(
        official=busy,
        position=PositionFactory(org_unit=world.units.hu_b, title="Ủy viên"),
        term="2025-2030",
    )
    again = run("planning_structure", world.units.province, term="2025-2030")
    assert table(again, "over_planned")["rows"] == [["Nhiều Chức Danh", "Huyện", 4]]
