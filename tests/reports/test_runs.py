"""Report runs: persisted, shared while in flight, failures recorded; exports; the command."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports import exports, registry, services
from reports.choices import RunStatus
from reports.models import ReportRun

D = dt.date


@pytest.fixture
def one_rotation(world, make_official, move):
    official = make_official(position=world.positions.a_deputy, full_name="Nguyễn Văn An")
    move(official, world.positions.province_deputy, D(2021, 3, 1))
    return world


def request(world, **extra):
    kwargs = {
        "report": "rotation_summary",
        "scope": world.units.province,
        "date_from": D(2020, 10, 1),
        "date_to": D(2022, 12, 31),
    }
    return services.report_request(**{**kwargs, **extra})


def test_identical_requests_in_flight_share_one_run(one_rotation):
    first = request(one_rotation, enqueue=False)
    second = request(one_rotation, enqueue=False)
    assert first.pk == second.pk
    other = request(one_rotation, enqueue=False, params={"kind": "all"})
    assert other.pk != first.pk
    services.report_run_execute(run_id=first.pk)
    third = request(one_rotation, enqueue=False)
    assert third.pk != first.pk  # a finished run is not reused for a new request


def test_request_runs_through_celery_and_persists_the_result(
    one_rotation, django_capture_on_commit_callbacks, superuser
):
    with django_capture_on_commit_callbacks(execute=True):
        run = request(one_rotation, requested_by=superuser)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.result["total_cadres"] == 1
    assert run.result["scope"] == "Tỉnh ủy P"
    assert run.result["period"] == "Từ đầu nhiệm kỳ đến hết năm 2022"
    assert run.started_at and run.finished_at and run.duration_ms is not None
    assert run.attempts == 1 and run.requested_by == superuser


def test_executing_a_finished_run_again_changes_nothing(one_rotation):
    run = request(one_rotation, enqueue=False)
    done = services.report_run_execute(run_id=run.pk)
    again = services.report_run_execute(run_id=run.pk)
    assert again.attempts == done.attempts == 1
    assert again.finished_at == done.finished_at


def test_a_run_left_running_by_a_lost_worker_is_taken_over(one_rotation):
    run = request(one_rotation, enqueue=False)
    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        claim_token="lost-worker",
        attempts=1,
        lease_expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    finished = services.report_run_execute(run_id=run.pk)
    assert finished.status == RunStatus.SUCCEEDED and finished.attempts == 2
    assert finished.lease_expires_at is None
    # The lost worker, if it ever finishes, cannot overwrite: its claim token is stale.
    assert ReportRun.objects.filter(pk=run.pk, claim_token="lost-worker").count() == 0


def test_a_message_delivered_twice_does_not_compute_a_run_held_under_a_live_lease(
    one_rotation,
):
    run = request(one_rotation, enqueue=False)
    lease = timezone.now() + dt.timedelta(minutes=5)
    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, claim_token="live-worker", attempts=1, lease_expires_at=lease
    )
    again = services.report_run_execute(run_id=run.pk)
    assert again.status == RunStatus.RUNNING and again.attempts == 1
    assert again.claim_token == "live-worker" and again.lease_expires_at == lease


def test_a_claimed_run_holds_a_lease_longer_than_the_task_time_limit(one_rotation, settings):
    run = request(one_rotation, enqueue=False)
    assert run.lease_expires_at > timezone.now()  # queued: the time its message may take
    seen = {}
    definition = registry.get("rotation_summary")

    def spy(ctx):
        seen["run"] = ReportRun.objects.get(pk=run.pk)
        return definition.compute(ctx)

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(
            registry.REGISTRY,
            "rotation_summary",
            type(definition)(**{**definition.__dict__, "compute": spy}),
        )
        services.report_run_execute(run_id=run.pk)
    held = seen["run"]
    assert held.status == RunStatus.RUNNING
    lease = (held.lease_expires_at - held.started_at).total_seconds()
    assert lease == settings.REPORT_RUN_LEASE_SECONDS > settings.REPORT_RUN_TIME_LIMIT


def test_a_failing_report_is_recorded_on_the_run(one_rotation, monkeypatch):
    definition = registry.get("rotation_summary")

    def broken(ctx):
        raise RuntimeError("selector exploded")

    monkeypatch.setitem(
        registry.REGISTRY,
        "rotation_summary",
        type(definition)(**{**definition.__dict__, "compute": broken}),
    )
    run = services.report_run_execute(run_id=request(one_rotation, enqueue=False).pk)
    assert run.status == RunStatus.FAILED
    assert "selector exploded" in run.error and run.result is None
    assert run.finished_at is not None and run.lease_expires_at is None


def test_a_run_whose_computation_raises_shows_its_error_on_the_run_page(
    one_rotation, monkeypatch, admin_client
):
    definition = registry.get("rotation_summary")

    def broken(ctx):
        raise ZeroDivisionError("division by zero in the tier table")

    monkeypatch.setitem(
        registry.REGISTRY,
        "rotation_summary",
        type(definition)(**{**definition.__dict__, "compute": broken}),
    )
    run = services.report_run_execute(run_id=request(one_rotation, enqueue=False).pk)
    assert run.status == RunStatus.FAILED
    assert run.error == "ZeroDivisionError: division by zero in the tier table"
    page = admin_client.get(reverse("report_run_detail", args=[run.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Không tính được báo cáo" in content and "Lỗi" in content
    assert "ZeroDivisionError: division by zero in the tier table" in content
    assert 'id="run-progress"' not in content  # not spinning: the run is over
    # Its poll answers "reload" at once, so a page left open shows the failure too.
    poll = admin_client.get(reverse("report_run_detail", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"
    # The identical request is not stuck on the failed run.
    assert request(one_rotation, enqueue=False).pk != run.pk


def test_bad_requests_change_nothing(one_rotation):
    with pytest.raises(ValidationError, match="Ngày bắt đầu phải trước"):
        request(one_rotation, date_from=D(2023, 1, 1), date_to=D(2022, 1, 1))
    with pytest.raises(ValidationError, match="Không có báo cáo"):
        request(one_rotation, report="nope")
    with pytest.raises(ValidationError, match="Tham số không có"):
        request(one_rotation, params={"colour": "red"})
    assert not ReportRun.objects.exists()


def test_xlsx_has_a_header_block_and_the_tables(one_rotation):
    run = services.report_run_now(
        report="rotation_summary",
        scope=one_rotation.units.province,
        date_from=D(2020, 10, 1),
        date_to=D(2022, 12, 31),
    )
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(run.result))).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["TỔNG HỢP LUÂN CHUYỂN CÁN BỘ"]
    assert cells[1] == ["Phạm vi", "Tỉnh ủy P (TU)"]
    assert cells[2] == ["Kỳ báo cáo", "Từ đầu nhiệm kỳ đến hết năm 2022 (01/10/2020 – 31/12/2022)"]
    assert ["Từ huyện lên tỉnh", 1, 1] in cells
    assert ["Hướng", "Số cán bộ", "Số lượt"] in cells


def test_csv_lists_every_table(one_rotation):
    run = services.report_run_now(
        report="rotation_summary",
        scope=one_rotation.units.province,
        date_from=D(2020, 10, 1),
        date_to=D(2022, 12, 31),
    )
    rows = list(csv.reader(io.StringIO(exports.to_csv(run.result).lstrip("\ufeff"))))
    assert rows[0] == ["Tổng hợp luân chuyển cán bộ"]
    assert ["Theo diện quản lý"] in rows and ["Từ huyện lên tỉnh", "1", "1"] in rows


def test_command_prints_json(one_rotation, capsys):
    call_command(
        "run_report",
        "rotation_summary",
        "--scope",
        "TU",
        "--from",
        "2020-10-01",
        "--to",
        "2022-12-31",
        "--format",
        "json",
    )
    data = json.loads(capsys.readouterr().out)
    assert data["total_cadres"] == 1 and data["total_movements"] == 1
    assert data["by_direction"] == {"district_to_province": 1}
    assert set(data["by_kind"]) == {
        "rotation",
        "transfer",
        "appointment",
        "reappointment",
        "secondment",
        "return",
    }
    assert data["sentence"].startswith("Từ đầu nhiệm kỳ đến hết năm 2022 đã luân chuyển 1 cán bộ")


def test_command_writes_xlsx_and_refuses_bad_input(one_rotation, tmp_path):
    target = tmp_path / "out.xlsx"
    call_command(
        "run_report",
        "rotation_summary",
        "--scope",
        "TU",
        "--from",
        "2020-10-01",
        "--to",
        "2022-12-31",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    assert load_workbook(target).active["A1"].value == "TỔNG HỢP LUÂN CHUYỂN CÁN BỘ"
    with pytest.raises(CommandError, match="Không có cơ quan"):
        call_command(
            "run_report",
            "rotation_summary",
            "--scope",
            "XX",
            "--from",
            "2020-10-01",
            "--to",
            "2022-12-31",
        )
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command(
            "run_report",
            "rotation_summary",
            "--scope",
            "TU",
            "--from",
            "2020-13-01",
            "--to",
            "2022-12-31",
        )
    with pytest.raises(CommandError, match="Các báo cáo"):
        call_command(
            "run_report", "nope", "--scope", "TU", "--from", "2020-10-01", "--to", "2022-12-31"
        )
