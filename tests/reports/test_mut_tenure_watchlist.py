"""tenure_watchlist at its edges: who is on the two-term list and who only on the long-tenure
list, the scope, retirement exactly on the day or at the horizon, ties in the retirement
order, people no longer serving, and which appointment terms end in the coming months."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from personnel import services as personnel_services
from personnel.choices import Gender, OfficialStatus, PositionKind
from personnel.retirement import retirement_date
from reports import registry
from rotation.choices import MovementKind
from tests.factories import PositionFactory

D = dt.date
ON = D(2025, 6, 30)
BORN = D(1965, 2, 10)


def run(scope, date_to=ON, **params):
    definition = registry.get("tenure_watchlist")
    context = registry.Context(
        scope, D(2025, 1, 1), date_to, definition.clean_params(params), today=D(2025, 11, 21)
    )
    return definition.compute(context).as_dict()


def names(result, key):
    return [row[0] for row in next(t for t in result["tables"] if t["key"] == key)["rows"]]


@pytest.fixture
def tenures(world, make_official):
    p = world.positions
    member = PositionFactory(org_unit=world.units.hu_a, title="Ủy viên", kind=PositionKind.MEMBER)
    make_official(position=p.b_secretary, since=D(2016, 1, 1), full_name="Trưởng B", planned=False)
    make_official(position=p.a_deputy, since=D(2016, 1, 1), full_name="Phó A", planned=False)
    make_official(position=p.b_deputy, since=D(2016, 1, 1), full_name="Phó B", planned=False)
    make_official(position=member, since=D(2010, 1, 1), full_name="Ủy Viên A", planned=False)
    return world


def test_only_head_posts_are_on_the_two_term_list_deputies_on_the_long_tenure_list(tenures):
    result = run(tenures.units.province)
    assert names(result, "two_term") == ["Trưởng B"]
    assert names(result, "long_tenure") == ["Phó A", "Phó B"]  # a member's post is not counted


def test_the_tenure_lists_keep_to_the_scope(tenures):
    result = run(tenures.units.hu_a)
    assert names(result, "two_term") == []
    assert names(result, "long_tenure") == ["Phó A"]


def test_the_sentence_reads_each_list_in_its_place(tenures, make_official):
    make_official(unit=tenures.units.hu_a, date_of_birth=BORN, full_name="Sắp Nghỉ", planned=False)
    result = run(tenures.units.province, date_to=retirement_date(BORN, Gender.MALE))
    assert result["counts"] == {
        "two_term": 1,
        "long_tenure": 2,
        "retiring": 0,
        "appointment_ending": 0,
    }
    on = retirement_date(BORN, Gender.MALE)
    sentence = result["sentence"]
    assert sentence.startswith(f"Đến ngày {on:%d/%m/%Y}: 1 đồng chí giữ chức vụ cấp trưởng")
    assert "; 2 đồng chí giữ một chức vụ lãnh đạo từ 5 năm trở lên; 0 đồng chí đến tuổi" in sentence
    assert sentence.endswith("và 0 đồng chí hết thời hạn bổ nhiệm trong 12 tháng tới.")
    assert result["is_empty"] is False  # some lists are empty, not all
    assert result["chart"] == {
        "title": "Danh sách theo dõi",
        "labels": [t["title"] for t in result["tables"]],
        "values": [1, 2, 0, 0],
        "series_label": "Số cán bộ",
    }
    ahead = run(tenures.units.province, date_to=on - relativedelta(months=12))
    assert ahead["sentence"].endswith(
        "1 đồng chí đến tuổi nghỉ hưu và 0 đồng chí hết thời hạn bổ nhiệm trong 12 tháng tới."
    )


@pytest.fixture
def retiring(world, make_official):
    for name in ("Bình", "An"):
        make_official(
            unit=world.units.hu_a, date_of_birth=BORN, gender=Gender.MALE, full_name=name,
            planned=False,
        )  # fmt: skip
    gone = make_official(unit=world.units.hu_a, date_of_birth=BORN, full_name="Đã Nghỉ")
    gone.status = OfficialStatus.RETIRED
    gone.save(update_fields=["status"])
    return world


def test_retiring_exactly_at_the_horizon_is_listed_in_name_order(retiring):
    retires = retirement_date(BORN, Gender.MALE)
    result = run(retiring.units.province, date_to=retires - relativedelta(months=12))
    assert names(result, "retiring") == ["An", "Bình"]  # one day, then by name
    assert {row[-1] for row in result["tables"][2]["rows"]} == {f"{retires:%d/%m/%Y}"}
    # One day less of horizon and nobody retires within it.
    before = run(retiring.units.province, date_to=retires - relativedelta(months=12, days=1))
    assert names(before, "retiring") == []


def test_retiring_on_the_reports_last_day_is_no_longer_ahead(retiring):
    result = run(retiring.units.province, date_to=retirement_date(BORN, Gender.MALE))
    assert names(result, "retiring") == []
    assert result["is_empty"] is True


@pytest.fixture
def appointments(world, make_official, move):
    """Appointment terms of 60 months (the expected end is the day before the 5th anniversary)."""
    cases = [
        ("Hết Đúng Ngày", MovementKind.APPOINTMENT, D(2020, 7, 1), 60, True),  # ends on ON
        ("Hết Ở Chân Trời", MovementKind.REAPPOINTMENT, D(2021, 7, 1), 60, True),  # ON + 12 m
        ("Hết Sau", MovementKind.APPOINTMENT, D(2021, 7, 2), 60, True),  # the day after
        ("Hết Trước", MovementKind.APPOINTMENT, D(2020, 6, 30), 60, True),  # the day before ON
        ("Luân Chuyển", MovementKind.ROTATION, D(2022, 7, 1), 36, True),  # not an appointment
        ("Chưa Thi Hành", MovementKind.APPOINTMENT, D(2021, 1, 1), 60, False),  # not applied
        ("Đã Thôi", MovementKind.APPOINTMENT, D(2021, 1, 1), 60, True),  # left the post
        ("Thôi Đúng Ngày", MovementKind.APPOINTMENT, D(2021, 1, 1), 60, True),  # leaves on ON
    ]
    movements = {}
    for i, (name, kind, on, term, applied) in enumerate(cases):
        official = make_official(unit=world.units.hu_b, full_name=name, planned=False)
        post = PositionFactory(
            org_unit=world.units.hu_a, title=f"Trưởng phòng {i}", kind=PositionKind.STAFF
        )
        movements[name] = move(official, post, on, kind=kind, term=term, apply=applied)
    for name, last_day in (("Đã Thôi", ON - dt.timedelta(days=1)), ("Thôi Đúng Ngày", ON)):
        movements[name].refresh_from_db()
        personnel_services.posting_close(posting=movements[name].new_posting, end_date=last_day)
    return world


def test_appointment_terms_ending_from_the_day_to_the_horizon(appointments):
    result = run(appointments.units.province)
    assert names(result, "appointment_ending") == [
        "Hết Đúng Ngày",
        "Thôi Đúng Ngày",
        "Hết Ở Chân Trời",
    ]
    rows = next(t for t in result["tables"] if t["key"] == "appointment_ending")["rows"]
    assert [row[-1] for row in rows] == ["30/06/2025", "31/12/2025", "30/06/2026"]
