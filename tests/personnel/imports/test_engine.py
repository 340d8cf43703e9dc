"""The import engine: every row checked with the services' rules, all or nothing."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from personnel import services
from personnel.choices import OfficialStatus
from personnel.imports.cells import CellError, read_cell
from personnel.imports.columns import SHEETS_BY_KEY
from personnel.imports.error_book import error_workbook
from personnel.imports.services import check_data, import_data
from personnel.models import Evaluation, Official, OrgUnit, Position, Posting
from tests.factories import OrgUnitFactory
from tests.personnel.imports.conftest import fill, official_row, posting_row

pytestmark = pytest.mark.django_db


def counts(outcome):
    return outcome.plan.counts()


def apply(world, data, name="ho-so.xlsx"):
    outcome, record = import_data(data=data, file_name=name, user=world.officer, dry_run=False)
    assert outcome.messages() == []
    return record


def test_a_clean_file_creates_officials_with_postings_in_scope_and_sets_the_current_unit(world):
    data = fill(
        {
            "officials": [
                official_row("N1", personal_id="001080000123"),
                official_row("N2", full_name="Lê Thị Hoa", gender="Nữ", date_of_birth="01/01/1985"),
            ],
            "postings": [
                posting_row("N1", position="Bí thư Huyện ủy A", title=""),
                posting_row("N2", unit="HUB", start_date="01/06/2016", end_date="31/12/2019"),
                posting_row("N2", unit="UBA", start_date="01/01/2020"),
            ],
        }
    )
    record = apply(world, data)
    assert record.counts["officials"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert record.counts["postings"]["created"] == 3
    first = Official.objects.get(code="N1")
    assert first.current_unit == world.units.hu_a
    assert first.current_posting.position == world.positions.a_secretary
    assert first.search_key == "tran van binh"
    second = Official.objects.get(code="N2")
    assert second.current_unit == world.units.ubnd_a
    assert record.created_by == world.officer and record.applied_at is not None


def test_importing_the_same_file_again_updates_instead_of_duplicating(world):
    rows = {
        "officials": [official_row("R1")],
        "postings": [posting_row("R1")],
        "evaluations": [{"official": "R1", "year": 2023, "rating": "Hoàn thành nhiệm vụ"}],
    }
    apply(world, fill(rows))
    rows["officials"][0]["full_name"] = "Trần Văn Bính"
    rows["evaluations"][0]["rating"] = "Hoàn thành tốt nhiệm vụ"
    rows["postings"][0]["end_date"] = "31/12/2020"
    data = fill(rows)
    plan = check_data(data, user=world.officer).plan
    assert plan.counts() == {
        "officials": {"created": 0, "updated": 1, "unchanged": 0},
        "postings": {"created": 0, "updated": 1, "unchanged": 0},
        "evaluations": {"created": 0, "updated": 1, "unchanged": 0},
    }
    changed = plan.preview()["sheets"][0]["updates"][0]["changes"]
    assert changed == {"Họ và tên": ["Trần Văn Bình", "Trần Văn Bính"]}
    apply(world, data)
    assert Official.objects.filter(code="R1").count() == 1
    assert Posting.objects.filter(official__code="R1").get().end_date == dt.date(2020, 12, 31)
    assert Evaluation.objects.get(official__code="R1").rating == "good"
    assert Official.objects.get(code="R1").search_key == "tran van binh"


def test_an_official_is_found_by_personal_id_when_the_code_is_blank(world, make_official):
    official = make_official(personal_id="001080000123", full_name="Trần Văn Bình")
    data = fill(
        {"officials": [official_row("", personal_id="001080000123", full_name="Trần Văn C")]}
    )
    plan = check_data(data, user=world.officer).plan
    assert plan.counts()["officials"]["updated"] == 1
    assert plan.of("officials", "update")[0].obj.pk == official.pk


def test_a_file_with_errors_changes_nothing_and_the_error_workbook_marks_the_bad_cells(world):
    data = fill(
        {
            "officials": [
                official_row("E1"),
                official_row("E2", date_of_birth="31/02/1980"),  # impossible date
                official_row("E3", gender="Không rõ"),  # not a label
            ],
            "postings": [
                posting_row("E1"),
                posting_row("E1", unit="NOPE", start_date="01/01/2010"),
            ],
        }
    )
    outcome, record = import_data(data=data, file_name="x.xlsx", user=world.officer, dry_run=False)
    assert record is None and not outcome.ok
    assert not Official.objects.filter(code__startswith="E").exists()
    where = {(e.sheet, e.row, e.column) for e in outcome.plan.errors}
    assert ("Cán bộ", 3, "Ngày sinh") in where
    assert ("Cán bộ", 4, "Giới tính") in where
    assert ("Quá trình công tác", 3, "Mã đơn vị") in where
    book = load_workbook(io.BytesIO(error_workbook(data, outcome.plan.error_dicts())))
    sheet = book["Cán bộ"]
    error_col = [c.value for c in sheet[1]].index("Lỗi") + 1
    assert sheet.cell(row=2, column=error_col).value is None
    assert "không có thật" in sheet.cell(row=3, column=error_col).value
    assert sheet.cell(row=3, column=error_col).value.startswith("Ngày sinh")
    marked = {
        (cell.row, cell.column)
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if cell.fill.fgColor.rgb == "00FFC7CE"
    }
    assert marked == {(3, 6), (4, 5)}  # date of birth of row 3, gender of row 4
    assert "không có thật" in sheet.cell(row=3, column=6).comment.text
    postings = book["Quá trình công tác"]
    assert postings.cell(row=3, column=2).comment is not None
    assert postings.cell(row=2, column=2).comment is None


def test_ten_thousand_rows_with_one_bad_date_are_refused_with_that_cell_named(world):
    rows = [official_row(f"T{n:05d}") for n in range(10_000)]
    rows[6_789]["date_of_birth"] = "12/13/1980"
    postings = [posting_row(f"T{n:05d}") for n in range(10_000)]
    outcome = check_data(fill({"officials": rows, "postings": postings}), user=world.officer)
    assert [(e.sheet, e.row, e.column) for e in outcome.plan.errors] == [
        ("Cán bộ", 6_791, "Ngày sinh")
    ]
    assert "không có thật" in outcome.plan.errors[0].message


def test_two_primary_postings_of_one_official_overlapping_in_the_file_are_refused(world):
    data = fill(
        {
            "officials": [official_row("O1")],
            "postings": [
                posting_row("O1", start_date="01/01/2015", end_date="31/12/2019"),
                posting_row("O1", unit="HUB", start_date="01/06/2019"),
            ],
        }
    )
    errors = check_data(data, user=world.officer).plan.errors
    assert [(e.row, e.column) for e in errors] == [(3, "Từ ngày")]
    assert "trùng với vị trí công tác chính" in errors[0].message


def test_a_posting_overlapping_a_stored_one_is_refused_but_a_concurrent_post_is_not(
    world, make_official
):
    official = make_official(unit=world.units.hu_a, since=dt.date(2018, 1, 1), code="S1")
    clash = fill({"postings": [posting_row("S1", unit="HUB", start_date="01/01/2020")]})
    errors = check_data(clash, user=world.officer).plan.errors
    assert len(errors) == 1 and "trùng" in errors[0].message
    concurrent = fill(
        {"postings": [posting_row("S1", unit="HUB", start_date="01/01/2020", is_primary="Không")]}
    )
    assert check_data(concurrent, user=world.officer).plan.ok
    assert official.postings.count() == 1


def test_a_unit_valid_only_before_the_posting_is_refused(world):
    OrgUnitFactory(
        code="OLD",
        name="Huyện ủy cũ",
        parent=world.units.province,
        valid_to=dt.date(2025, 6, 30),
    )
    data = fill(
        {
            "officials": [official_row("V1")],
            "postings": [posting_row("V1", unit="OLD", start_date="01/08/2025")],
        }
    )
    errors = check_data(data, user=world.officer).plan.errors
    assert [(e.sheet, e.row, e.column) for e in errors][0] == ("Quá trình công tác", 2, "Từ ngày")
    assert "đã kết thúc hoạt động" in errors[0].message


def test_an_official_outside_the_scope_is_an_error_on_that_row(world, make_official):
    officer_b = world.officer.__class__.objects.create(
        username="officer_b", scope=world.units.hu_b, role="officer"
    )
    make_official(unit=world.units.hu_a, code="IN-A")
    data = fill(
        {
            "officials": [official_row("IN-A", full_name="Đổi Tên"), official_row("NEW-A")],
            "postings": [posting_row("NEW-A", unit="HUA")],
        }
    )
    errors = check_data(data, user=officer_b).plan.errors
    assert {(e.row, e.column) for e in errors} == {(2, "Số hiệu hồ sơ"), (2, "Mã đơn vị")}
    assert all("phạm vi" in e.message for e in errors)


def test_a_new_official_without_a_posting_is_refused(world):
    errors = check_data(fill({"officials": [official_row("P0")]}), user=world.officer).plan.errors
    assert [(e.row, e.column) for e in errors] == [(2, "Số hiệu hồ sơ")]
    assert "Quá trình công tác" in errors[0].message


def test_the_services_rules_apply_to_each_row(world):
    today = timezone.localdate()
    data = fill(
        {
            "officials": [
                official_row("Q1", personal_id="001180000123"),  # 4th digit says female
                official_row("Q2", status="Đã nghỉ hưu", left_on="01/01/2000"),
                official_row("Q3", party_joined_on="01/01/2005", party_confirmed_on="01/01/2004"),
                official_row("Q4"),
            ],
            "postings": [
                posting_row("Q1"),
                posting_row("Q2", start_date="01/01/2001", end_date="01/06/2001"),
                posting_row("Q3"),
                posting_row("Q4"),
            ],
            "evaluations": [
                {"official": "Q4", "year": today.year + 1, "rating": "Hoàn thành nhiệm vụ"}
            ],
        }
    )
    errors = {(e.sheet, e.row, e.column) for e in check_data(data, user=world.officer).plan.errors}
    assert errors == {
        ("Cán bộ", 2, "Số định danh cá nhân"),
        ("Cán bộ", 4, "Ngày chính thức"),
        ("Quá trình công tác", 3, "Từ ngày"),  # after leaving
        ("Quá trình công tác", 3, "Đến ngày"),
        ("Đánh giá, xếp loại", 2, "Năm"),  # a future year
    }


def test_hostile_values_are_refused_by_the_cell_readers(world):
    data = fill(
        {
            "officials": [
                official_row("H1", full_name="Tên <script>"),
                official_row("H2", date_of_birth="01/01/9999"),
                official_row("H3", major="x" * 5000),
            ],
            "evaluations": [{"official": "H1", "year": 10**30, "rating": "Hoàn thành nhiệm vụ"}],
        }
    )
    errors = {(e.sheet, e.row, e.column) for e in check_data(data, user=world.officer).plan.errors}
    assert {
        ("Cán bộ", 3, "Ngày sinh"),
        ("Cán bộ", 4, "Chuyên ngành"),
        ("Đánh giá, xếp loại", 2, "Năm"),
    } <= errors


def test_a_nul_byte_is_refused_by_the_text_reader():
    column = SHEETS_BY_KEY["officials"].by_field["full_name"]
    with pytest.raises(CellError, match="NUL"):
        read_cell("Tên\x00độc", column)


def test_units_and_positions_can_be_created_under_a_unit_in_scope(world):
    data = fill(
        {
            "units": [
                {
                    "code": "XA2",
                    "name": "Đảng ủy xã A2",
                    "level": "Xã",
                    "sector": "party",
                    "parent": "HUA",
                }
            ],
            "positions": [{"unit": "XA2", "title": "Bí thư Đảng ủy xã A2"}],
            "officials": [official_row("U1")],
            "postings": [posting_row("U1", unit="XA2", position="Bí thư Đảng ủy xã A2", title="")],
        }
    )
    apply(world, data)
    unit = OrgUnit.objects.get(code="XA2")
    assert unit.path.startswith(world.units.hu_a.path)
    position = Position.objects.get(org_unit=unit)
    assert position.post_type.code == "commune.party_secretary"
    assert Official.objects.get(code="U1").current_unit == unit


def test_a_stored_unit_differing_from_the_file_is_an_error_not_a_rename(world):
    data = fill(
        {
            "units": [
                {"code": "HUA", "name": "Tên khác", "level": "Huyện", "sector": "party"},
            ]
        }
    )
    errors = check_data(data, user=world.officer).plan.errors
    assert len(errors) == 1 and "sắp xếp tổ chức" in errors[0].message


def test_the_import_is_in_each_records_history_with_its_reason_and_user(world):
    record = apply(
        world,
        fill({"officials": [official_row("Y1")], "postings": [posting_row("Y1")]}),
        name="danh-sach.xlsx",
    )
    reason = f"Nhập từ Excel: danh-sach.xlsx (lần nhập #{record.pk})"
    official = Official.objects.get(code="Y1")
    history = official.history.get()
    assert history.history_change_reason == reason
    assert history.history_user == world.officer
    assert official.postings.get().history.get().history_change_reason == reason


def test_a_retired_official_needs_an_end_to_new_postings(world):
    data = fill(
        {
            "officials": [
                official_row("Z1", status="Đã nghỉ hưu", left_on="01/01/2024"),
            ],
            "postings": [posting_row("Z1", start_date="01/01/2010")],
        }
    )
    errors = check_data(data, user=world.officer).plan.errors
    assert [(e.row, e.column) for e in errors] == [(2, "Đến ngày")]
    assert str(OfficialStatus.RETIRED.label) in errors[0].message


def test_service_rules_are_the_same_functions(world, make_official):
    """A posting the service refuses is refused by the import with the same message."""
    official = make_official(unit=world.units.hu_a, since=dt.date(2018, 1, 1), code="SV1")
    with pytest.raises(services.ValidationError) as refused:
        services.posting_create(
            official=official, org_unit=world.units.hu_b, title="X", start_date=dt.date(1990, 1, 1)
        )
    data = fill({"postings": [posting_row("SV1", unit="HUB", start_date="01/01/1990")]})
    errors = check_data(data, user=world.officer).plan.errors
    assert errors[0].message == refused.value.message_dict["start_date"][0]


def test_training_planning_discipline_and_rewards_are_created_then_matched(world, make_official):
    make_official(unit=world.units.hu_a, code="K1")
    sheets = {
        "training": [
            {
                "official": "K1",
                "kind": "Lý luận chính trị",
                "programme": "Cao cấp lý luận chính trị",
                "start_date": "01/09/2019",
                "end_date": "30/06/2021",
            }
        ],
        "planning": [
            {"official": "K1", "unit": "HUB", "position": "Bí thư Huyện ủy B", "term": "2025-2030"}
        ],
        "discipline": [
            {
                "official": "K1",
                "kind": "Khiển trách",
                "decided_on": "10/03/2022",
                "basis": "12-QĐ/UBKT",
            }
        ],
        "rewards": [
            {
                "official": "K1",
                "kind": "Bằng khen",
                "name": "Bằng khen của UBND tỉnh",
                "level": "Cấp tỉnh",
                "decided_on": "01/01/2023",
            }
        ],
    }
    record = apply(world, fill(sheets))
    assert {key: c["created"] for key, c in record.counts.items()} == {
        "training": 1,
        "planning": 1,
        "discipline": 1,
        "rewards": 1,
    }
    again = check_data(fill(sheets), user=world.officer).plan.totals()
    assert again == {"created": 0, "updated": 0, "unchanged": 4}


def test_the_rules_of_the_other_records(world, make_official):
    make_official(unit=world.units.hu_a, code="K2", date_of_birth=dt.date(1990, 1, 1))
    future = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    data = fill(
        {
            "training": [
                {
                    "official": "K2",
                    "kind": "Chuyên môn",
                    "programme": "Luật",
                    "start_date": "01/09/2015",
                    "end_date": "01/09/2014",
                }
            ],
            "planning": [
                {
                    "official": "K2",
                    "unit": "HUB",
                    "position": "Bí thư Huyện ủy B",
                    "term": "2030-2025",
                },
                {"official": "K2", "unit": "HUB", "position": "Không có", "term": "2025-2030"},
            ],
            "discipline": [
                {"official": "K2", "kind": "Cảnh cáo", "decided_on": "01/01/2005", "basis": "1"}
            ],
            "rewards": [
                {
                    "official": "K2",
                    "kind": "Giấy khen",
                    "name": "Giấy khen",
                    "level": "Cơ sở",
                    "decided_on": future,
                }
            ],
        }
    )
    errors = {(e.sheet, e.row, e.column) for e in check_data(data, user=world.officer).plan.errors}
    assert errors == {
        ("Đào tạo, bồi dưỡng", 2, "Đến ngày"),
        ("Quy hoạch", 2, "Nhiệm kỳ"),
        ("Quy hoạch", 3, "Chức danh quy hoạch"),
        ("Kỷ luật", 2, "Ngày quyết định"),  # before the official turned 16
        ("Khen thưởng", 2, "Ngày quyết định"),  # after today
    }
