"""manage.py import_records FILE.xlsx --user USERNAME [--dry-run]."""

import pytest
from django.core.management import CommandError, call_command

from personnel.models import Official
from personnel.models_imports import RecordImport
from tests.personnel.imports.conftest import fill, official_row, posting_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(tmp_path):
    def write(sheets, name="ho-so.xlsx"):
        path = tmp_path / name
        path.write_bytes(fill(sheets))
        return str(path)

    return write


def test_dry_run_prints_the_counts_and_changes_nothing(world, workbook, capsys):
    path = workbook({"officials": [official_row("C1")], "postings": [posting_row("C1")]})
    call_command("import_records", path, "--user", world.officer.username, "--dry-run")
    out = capsys.readouterr().out
    assert "Cán bộ: 1 thêm mới, 0 cập nhật, 0 không đổi" in out
    assert "Quá trình công tác: 1 thêm mới" in out and "Chạy thử" in out
    assert not Official.objects.filter(code="C1").exists()
    assert not RecordImport.objects.exists()


def test_the_command_imports_and_records_the_import(world, workbook, capsys):
    path = workbook({"officials": [official_row("C2")], "postings": [posting_row("C2")]})
    call_command("import_records", path, "--user", world.officer.username)
    record = RecordImport.objects.get()
    assert record.status == "applied" and record.file_name == "ho-so.xlsx"
    assert record.counts["officials"]["created"] == 1
    assert Official.objects.get(code="C2").current_unit == world.units.hu_a
    call_command("import_records", path, "--user", world.officer.username)
    assert "Cán bộ: 0 thêm mới, 0 cập nhật, 1 không đổi" in capsys.readouterr().out


def test_errors_are_printed_with_sheet_row_and_column_and_exit_non_zero(world, workbook, capsys):
    path = workbook(
        {
            "officials": [official_row("C3", date_of_birth="30/02/1980")],
            "postings": [posting_row("C3")],
        }
    )
    with pytest.raises(CommandError, match="không có thay đổi nào được ghi"):
        call_command("import_records", path, "--user", world.officer.username)
    assert "Cán bộ, dòng 2, Ngày sinh:" in capsys.readouterr().err
    assert not Official.objects.filter(code="C3").exists()


def test_a_viewer_cannot_import(world, workbook):
    from accounts.choices import Role
    from tests.factories import UserFactory

    viewer = UserFactory(username="viewer_cmd", scope=world.units.province, role=Role.VIEWER)
    path = workbook({"officials": [official_row("C4")], "postings": [posting_row("C4")]})
    with pytest.raises(CommandError):
        call_command("import_records", path, "--user", viewer.username)
