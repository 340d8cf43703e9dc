"""The import pages: upload → preview → apply → result; the template and error downloads;
column mappings; the template-layout export that imports back unchanged; trích ngang."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.choices import Role
from accounts.models import AuditEvent
from personnel.imports import services
from personnel.imports.services import check_data
from personnel.models import Official
from personnel.models_imports import ColumnMapping, ImportStatus, RecordImport
from tests.factories import EvaluationFactory, TrainingRecordFactory, UserFactory
from tests.personnel.imports.conftest import fill, official_row, posting_row

pytestmark = pytest.mark.django_db
UPLOAD = reverse("record_import_upload")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, data, name="ho-so.xlsx", **extra):
    return client.post(
        UPLOAD, {"file": SimpleUploadedFile(name, data, content_type=XLSX), **extra}, follow=True
    )


@pytest.fixture
def officer_client(client, world):
    client.force_login(world.officer)
    return client


def test_the_upload_page_is_for_officers(client, world):
    assert client.get(UPLOAD).status_code == 302  # anonymous → login
    assert "/accounts/login/" in client.get(UPLOAD)["Location"]
    viewer = UserFactory(username="viewer_i", scope=world.units.province, role=Role.VIEWER)
    client.force_login(viewer)
    assert client.get(UPLOAD).status_code == 403
    assert client.get(reverse("record_import_template")).status_code == 403
    client.force_login(world.officer)
    page = client.get(UPLOAD)
    assert page.status_code == 200 and "Tải mẫu nhập" in page.content.decode()


def test_the_template_downloads_as_a_workbook(officer_client):
    response = officer_client.get(reverse("record_import_template"))
    book = load_workbook(io.BytesIO(response.content))
    assert "Cán bộ" in book.sheetnames and "Hướng dẫn" in book.sheetnames


def test_upload_preview_apply_and_result(officer_client, world):
    data = fill({"officials": [official_row("W1")], "postings": [posting_row("W1")]})
    page = upload(officer_client, data)
    record = RecordImport.objects.get()
    assert record.status == ImportStatus.PREVIEWED
    text = page.content.decode()
    assert "Xem trước theo trang" in text and "Nhập" in text
    assert not Official.objects.filter(code="W1").exists()
    result = officer_client.post(reverse("record_import_apply", args=[record.pk]), follow=True)
    assert "Đã nhập hồ sơ từ tệp ho-so.xlsx" in result.content.decode()
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED
    assert Official.objects.get(code="W1").current_unit == world.units.hu_a
    # Applying twice changes nothing.
    officer_client.post(reverse("record_import_apply", args=[record.pk]))
    assert Official.objects.filter(code="W1").count() == 1


def test_a_file_with_errors_lists_them_and_gives_back_the_error_workbook(officer_client, world):
    data = fill({"officials": [official_row("W2", gender="?")], "postings": [posting_row("W2")]})
    page = upload(officer_client, data).content.decode()
    record = RecordImport.objects.get()
    assert record.status == ImportStatus.REJECTED
    assert "Tải tệp đánh dấu lỗi" in page and "Giới tính" in page
    response = officer_client.get(reverse("record_import_errors", args=[record.pk]))
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, object_id=str(record.pk)
    ).exists()
    sheet = load_workbook(io.BytesIO(response.content))["Cán bộ"]
    assert sheet.cell(row=2, column=5).comment is not None
    assert officer_client.post(reverse("record_import_apply", args=[record.pk])).status_code == 302
    assert not Official.objects.filter(code="W2").exists()


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(officer_client):
    page = upload(officer_client, b"not a workbook", name="ho-so.xlsx").content.decode()
    assert "không phải sổ làm việc Excel" in page


def test_another_units_import_is_not_found(client, world):
    record = services.record_import_create(
        user=world.officer, data=fill({"officials": [official_row("W3")]}), file_name="a.xlsx"
    )
    other = UserFactory(username="officer_b_i", scope=world.units.hu_b, role=Role.OFFICER)
    client.force_login(other)
    assert client.get(reverse("record_import_detail", args=[record.pk])).status_code == 404


def test_a_large_file_is_checked_by_the_worker_with_progress(officer_client, world, monkeypatch):
    monkeypatch.setattr(services, "ASYNC_ROWS", 1)
    data = fill(
        {
            "officials": [official_row("B1"), official_row("B2")],
            "postings": [posting_row("B1"), posting_row("B2")],
        }
    )
    with_commit = pytest.importorskip("django.test").TestCase.captureOnCommitCallbacks
    with with_commit(execute=True):
        upload(officer_client, data)
    record = RecordImport.objects.get()
    assert record.status == ImportStatus.PREVIEWED and record.rows_done == record.rows_total == 4
    progress = officer_client.get(reverse("record_import_progress", args=[record.pk]))
    assert progress["HX-Refresh"] == "true"
    with with_commit(execute=True):
        officer_client.post(reverse("record_import_apply", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED
    assert Official.objects.filter(code__in=["B1", "B2"]).count() == 2


def test_a_running_import_shows_a_progress_bar(officer_client, world):
    record = services.record_import_create(
        user=world.officer, data=fill({"officials": [official_row("P1")]}), file_name="a.xlsx"
    )
    RecordImport.objects.filter(pk=record.pk).update(
        status=ImportStatus.RUNNING, rows_total=10, rows_done=4
    )
    page = officer_client.get(reverse("record_import_progress", args=[record.pk])).content.decode()
    assert '<progress id="import-progress-bar"' in page and 'value="4" max="10"' in page


def foreign_workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "DS"
    sheet.append(["Mã CB", "Họ tên", "Phái", "Sinh ngày", "Trình độ"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_column_mapping_is_saved_and_offered_again(officer_client, world, make_official):
    make_official(unit=world.units.hu_a, code="M1", full_name="Tên Cũ")
    data = foreign_workbook([["M1", "Tên Mới", "Nam", "15/03/1980", "Đại học"]])
    page = upload(officer_client, data).content.decode()
    record = RecordImport.objects.get()
    assert "Tệp không theo mẫu nhập" in page
    mapping_url = reverse("record_import_mapping", args=[record.pk])
    assert "Họ tên" in officer_client.get(mapping_url).content.decode()
    response = officer_client.post(
        mapping_url,
        {
            "source": "DS",
            "sheet": "officials",
            "name": "Danh sách của Sở",
            "col_0": "code",
            "col_1": "full_name",
            "col_2": "gender",
            "col_3": "date_of_birth",
            "col_4": "education_level",
        },
        follow=True,
    )
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED, record.errors or record.error_message
    assert record.counts["officials"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert "Tên Mới" in response.content.decode()
    mapping = ColumnMapping.objects.get()
    assert mapping.org_unit == world.units.province and mapping.sheet == "officials"
    # Next time: the saved mapping is offered, and reads the file straight away.
    page = upload(officer_client, data, name="lan-2.xlsx").content.decode()
    second = RecordImport.objects.exclude(pk=record.pk).get()
    assert "Dùng cách ghép “Danh sách của Sở”" in page
    officer_client.post(reverse("record_import_mapping", args=[second.pk]), {"use": mapping.pk})
    second.refresh_from_db()
    assert second.status == ImportStatus.PREVIEWED and second.mapping == mapping
    third = upload(officer_client, data, name="lan-3.xlsx", mapping=mapping.pk)
    assert RecordImport.objects.get(file_name="lan-3.xlsx").status == ImportStatus.PREVIEWED
    assert third.status_code == 200


def test_export_in_the_template_layout_imports_back_unchanged(officer_client, world, make_official):
    official = make_official(
        position=world.positions.a_deputy,
        code="RT1",
        personal_id="001080000123",
        home_address="=Số 5 Trần Phú",
        notes="Dòng 1\nDòng 2",
    )
    TrainingRecordFactory(official=official)
    EvaluationFactory(official=official, year=2023)
    from personnel.services import posting_close

    posting_close(
        posting=official.postings.get(),
        end_date=official.postings.get().start_date.replace(year=2020),
    )
    make_official(unit=world.units.ubnd_a, code="RT2", gender="female", full_name="Lê Thị Hoa")
    response = officer_client.get(reverse("official_export"), {"format": "template"})
    assert response["Content-Type"] == XLSX
    assert "ho-so-theo-mau-nhap" in response["Content-Disposition"]
    outcome = check_data(response.content, user=world.officer)
    assert outcome.messages() == []
    totals = outcome.plan.totals()
    assert totals["created"] == 0 and totals["updated"] == 0 and totals["unchanged"] > 0
    assert outcome.plan.counts()["officials"]["unchanged"] == 2
    assert outcome.plan.counts()["planning"]["unchanged"] == 2


def test_two_seats_with_one_title_import_back_unchanged(officer_client, world, make_official):
    """Found on the demo: a unit with two "Phó Bí thư" posts (two seats, one title) came
    back as duplicate positions, new overlapping postings and changed planning entries."""
    from tests.factories import PlanningEntryFactory, PositionFactory

    second_seat = PositionFactory(
        org_unit=world.units.hu_a, title=world.positions.a_deputy.title, kind="deputy"
    )
    make_official(position=world.positions.a_deputy, code="SEAT1")
    holder = make_official(position=second_seat, code="SEAT2", planned=False)
    PlanningEntryFactory(official=holder, position=second_seat, term="2025-2030")
    response = officer_client.get(reverse("official_export"), {"format": "template"})
    outcome = check_data(response.content, user=world.officer)
    assert outcome.messages() == []
    totals = outcome.plan.totals()
    assert (totals["created"], totals["updated"]) == (0, 0)
    assert outcome.plan.counts()["postings"]["unchanged"] == 2


def test_the_existing_exports_keep_working(officer_client, world, make_official):
    make_official(unit=world.units.hu_a, code="EX1")
    assert officer_client.get(reverse("official_export"), {"format": "csv"}).status_code == 200
    book = load_workbook(
        io.BytesIO(officer_client.get(reverse("official_export"), {"format": "xlsx"}).content)
    )
    assert book.sheetnames == ["Danh sách cán bộ"]


def test_the_roster_prints_all_rows_with_chosen_columns_heading_and_signature(
    officer_client, world, make_official, monkeypatch
):
    from personnel import exports

    for n in range(30):
        make_official(unit=world.units.hu_a, code=f"TN{n:02d}", full_name=f"Cán Bộ {n:02d}")
    url = reverse("official_roster")
    page = officer_client.get(
        url, {"cols": ["name", "birth"], "title": "Danh sách cán bộ quy hoạch"}
    )
    text = page.content.decode()
    assert "Tỉnh ủy P".upper() in text.upper() and "Danh sách cán bộ quy hoạch" in text
    assert text.count("Cán Bộ ") == 30  # every row, not one page of 25
    assert "NGƯỜI LẬP DANH SÁCH" in text and "Quê quán" in text  # the column chooser
    monkeypatch.setattr(exports, "MAX_ROSTER_ROWS", 10)
    capped = officer_client.get(url).content.decode()
    assert "chỉ in 10 người đầu tiên" in capped
    response = officer_client.get(url, {"cols": ["code", "name"], "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "TỈNH ỦY P"
    assert ("STT", "Số hiệu hồ sơ", "Họ và tên") in values
