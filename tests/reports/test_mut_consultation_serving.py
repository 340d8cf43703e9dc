"""consultation_compliance and rotated_serving at their edges: the answers column counts
answers (not requests), every decision row lists its cadres, the chart and the empty flag;
a rotation ending on the report's day is not overdue, and only yearly reviews count."""

import datetime as dt

from reports import registry
from rotation import services
from rotation.choices import ConsultationOpinion, ConsultationRole, MovementKind

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


def decision(world, number, official, position, signed, answer):
    d = services.decision_create(number=number, issued_by=world.units.province, title="Điều động")
    services.movement_add(
        decision=d,
        official=official,
        kind=MovementKind.TRANSFER,
        to_position=position,
        effective_on=signed + dt.timedelta(days=30),
    )
    if answer:
        services.decision_request_consultations(
            decision=d, requested_on=signed - dt.timedelta(days=20)
        )
        for c in d.consultations.order_by("id")[: None if answer == "all" else 1]:
            services.consultation_answer(
                consultation=c,
                opinion=ConsultationOpinion.AGREE,
                answered_on=signed - dt.timedelta(days=5),
            )
    return d


def test_the_answers_column_counts_answers_not_requests(world, make_official):
    p = world.positions
    official = make_official(unit=world.units.finance, full_name="Đủ Ý Kiến")
    d = decision(world, "1-QĐ/TU", official, p.a_chair, D(2025, 2, 1), "all")
    answered = d.consultations.count()
    # One more unit asked, beyond those required, has not answered: not an answer.
    d.consultations.create(
        org_unit=world.units.hu_b, role=ConsultationRole.LOCAL, requested_on=D(2025, 1, 12)
    )
    services.decision_approve(decision=d, signed_on=D(2025, 2, 1))
    result = run("consultation_compliance", world.units.province)
    complete = table(result, "complete")
    assert complete["rows"] == [["1-QĐ/TU", "01/02/2025", "Tỉnh ủy P", 1, answered]]
    assert complete["drill"] == [{"decision": d.pk}]


def test_the_chart_and_the_empty_flag_of_consultations(world, make_official):
    p = world.positions
    assert run("consultation_compliance", world.units.province)["is_empty"] is True
    full = decision(
        world, "1-QĐ/TU", make_official(unit=world.units.finance), p.a_chair, D(2025, 2, 1), "all"
    )
    services.decision_approve(decision=full, signed_on=D(2025, 2, 1))
    none = decision(
        world, "2-QĐ/TU", make_official(unit=world.units.hu_b), p.a_deputy, D(2025, 3, 1), None
    )
    services.decision_approve(decision=none, signed_on=D(2025, 3, 1))
    result = run("consultation_compliance", world.units.province)
    assert result["is_empty"] is False
    assert result["chart"] == {
        "title": "Quyết định theo mức độ trao đổi ý kiến",
        "labels": ["Có đủ ý kiến", "Sự đã rồi"],
        "values": [1, 1],
        "series_label": "Số quyết định",
    }


def test_a_rotation_ending_on_the_reports_day_is_not_yet_overdue(world, make_official, move):
    p = world.positions
    # 36 months from 01/07/2022: the expected end is 30/06/2025, the report's last day.
    move(make_official(position=p.a_deputy, full_name="Hết Hôm Nay"), p.b_deputy, D(2022, 7, 1),
         apply=True)  # fmt: skip
    move(make_official(position=p.a1_secretary, full_name="Hết Hôm Qua"), p.province_deputy,
         D(2022, 6, 30), apply=True)  # fmt: skip
    result = run("rotated_serving", world.units.province)
    rows = {row[0]: row for row in table(result, "serving")["rows"]}
    assert rows["Hết Hôm Nay"][4:7] == ["30/06/2025", 0, ""]
    assert rows["Hết Hôm Qua"][4:7] == ["29/06/2025", 0, "Quá hạn"]
    assert result["overdue"] == 1


def test_only_yearly_reviews_fill_a_year(world, make_official, move):
    p = world.positions
    rotated = move(make_official(position=p.a_deputy, full_name="Luân Chuyển"), p.b_deputy,
                   D(2022, 7, 1), apply=True)  # fmt: skip
    services.review_record(movement=rotated, period="annual", year=2022, rating="good")
    services.review_record(movement=rotated, period="final", year=2023, rating="good")
    result = run("rotated_serving", world.units.province)
    assert table(result, "serving")["rows"][0][7] == "2023, 2024"
    assert result["missing_reviews"] == 1


def test_the_chart_and_the_empty_flag_of_serving_cadres(world, make_official, move):
    p = world.positions
    assert run("rotated_serving", world.units.province)["is_empty"] is True
    move(make_official(position=p.a_deputy, full_name="Lên Tỉnh"), p.province_deputy,
         D(2024, 1, 1), apply=True)  # fmt: skip
    move(make_official(position=p.a1_secretary, full_name="Lên Huyện"), p.b_deputy,
         D(2024, 1, 1), apply=True)  # fmt: skip
    move(make_official(position=p.b_secretary, full_name="Sang Huyện"), p.a_chair,
         D(2024, 1, 1), apply=True)  # fmt: skip
    result = run("rotated_serving", world.units.province)
    assert result["is_empty"] is False
    assert result["chart"] == {
        "title": "Cán bộ đang luân chuyển theo hướng",
        "labels": ["Từ huyện lên tỉnh", "Từ xã lên huyện", "Từ huyện này sang huyện khác"],
        "values": [1, 1, 1],
        "series_label": "Số cán bộ",
    }
