"""Exports at national scale: CSV streamed row by row, large workbooks built by a worker.

CSV: a ``StreamingHttpResponse`` whose body is the same as the file built whole before
(title block, BOM, columns, formula escaping), audited when the stream ends. Workbooks
of more than ``ASYNC_EXPORT_ROWS`` officials: an ``ExportJob`` (its page polls the
progress), a worker writes the file with the requester's scope and masking, only the
requester downloads it, and it is deleted after ``EXPORT_FILE_HOURS``.
"""

import csv
import datetime as dt
import io
import os

import pytest
from django.conf import settings
from django.core.signals import request_finished
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEvent
from personnel import export_jobs, exports, tasks
from personnel.choices import ExportJobStatus
from personnel.masking import mask_personal_id
from personnel.models_exports import ExportJob, export_files_dir
from tests.conftest import postgres_only
from tests.factories import UserFactory
from tests.web.helpers import assert_login_required

pytestmark = pytest.mark.django_db

EXPORT = reverse("official_export")
MOMENT = dt.datetime(2025, 3, 4, 5, 6, tzinfo=dt.UTC)
PERSONAL_ID = "042080123456"


def job_url(name, pk):
    return reverse(name, args=[pk])


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def former_csv(officials, header, *, masked) -> str:
    """The CSV as ``to_csv`` built it before it was streamed (the reference)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(["DANH SÁCH CÁN BỘ"])
    writer.writerows(
        [label, exports.spreadsheet_safe(value)] for label, value in exports.header_lines(header)
    )
    writer.writerow([])
    writer.writerow(exports.columns())
    for row in exports.rows(officials, masked=masked):
        writer.writerow([exports._text(value) for value in row])
    return buffer.getvalue()


@pytest.fixture
def many(world, make_official):
    """Seven officials of district A, one with a name a spreadsheet would run."""
    made = [
        make_official(unit=world.units.hu_a, planned=False, personal_id=f"04208012{n:04d}")
        for n in range(6)
    ]
    made.append(
        make_official(
            unit=world.units.hu_a,
            planned=False,
            full_name='=HYPERLINK("http://x.invalid","bấm")\x07',
            personal_id=PERSONAL_ID,
        )
    )
    return made


@pytest.fixture
def small_async(monkeypatch):
    """Past 3 officials a workbook is a job; progress is reported every 2 rows."""
    monkeypatch.setattr(exports, "ASYNC_EXPORT_ROWS", 3)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)


def request_job(client, fmt="xlsx", capture=None, **filters):
    """GET the export (a job past the threshold), running the enqueued task eagerly."""
    with capture(execute=True):
        response = client.get(EXPORT, {"format": fmt, **filters})
    assert response.status_code == 302, response.status_code
    return response


# --- CSV, streamed ----------------------------------------------------------------------


def test_streamed_csv_is_the_former_file_for_the_same_rows(login, users, world, many, monkeypatch):
    monkeypatch.setattr(exports, "CSV_PIECE_CHARS", 300)  # many pieces
    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    client = login(users.officer)
    response = client.get(EXPORT, {"format": "csv", "unit": world.units.hu_a.pk})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="danh-sach-can-bo_')
    pieces = list(response.streaming_content)
    assert len(pieces) > 2
    filterset = export_jobs.officials_filterset(
        user=users.officer, params={"unit": str(world.units.hu_a.pk)}
    )
    assert filterset.is_valid()
    header = exports.ExportHeader(
        user=f"{users.officer} ({users.officer.username})",
        at=MOMENT,
        filters=exports.describe_filters(filterset),
    )
    expected = former_csv(filterset.qs, header, masked=False)
    text = b"".join(pieces).decode("utf-8")
    assert text == expected
    assert text.startswith("\ufeffDANH SÁCH CÁN BỘ")
    assert "'=HYPERLINK" in text and "\x07" not in text


def test_streamed_csv_is_audited_with_its_rows_once_read(login, users, world, many):
    response = login(users.officer_a).get(EXPORT, {"format": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    rows = list(csv.reader(io.StringIO(streamed(response).decode("utf-8-sig"))))
    data = rows[rows.index(exports.columns()) + 1 :]
    assert len(data) == len(many)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == users.officer_a
    assert event.detail == f"{len(many)} dòng, csv"


def test_a_csv_stream_left_midway_is_audited_with_the_rows_sent(
    login, users, world, many, monkeypatch
):
    monkeypatch.setattr(exports, "CSV_PIECE_CHARS", 1)  # one piece per row
    response = login(users.officer_a).get(EXPORT, {"format": "csv"})
    stream = iter(response.streaming_content)
    next(stream), next(stream)  # the title block with the first row, then the second row
    # What the server does when the client goes away; the signal that would then close the
    # test's database connection (and its transaction) is muted.
    monkeypatch.setattr(request_finished, "send", lambda *args, **kwargs: [])
    response.close()
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.detail == "2 dòng, csv"


def test_csv_has_no_row_cap(login, users, world, many, monkeypatch):
    monkeypatch.setattr(exports, "ASYNC_EXPORT_ROWS", 1)
    monkeypatch.setattr(exports, "MAX_EXPORT_ROWS", 2)
    response = login(users.officer_a).get(EXPORT, {"format": "csv"})
    assert response.status_code == 200
    assert streamed(response).decode("utf-8-sig").count("\n") == 6 + len(many)
    assert not ExportJob.objects.exists()


@postgres_only()
def test_the_export_cursor_is_planned_for_every_row_then_the_setting_is_reset(
    login, users, world, many
):
    client = login(users.officer_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(EXPORT, {"format": "csv"})
        streamed(response)
    sql = [q["sql"] for q in queries.captured_queries]
    set_at = sql.index("SET cursor_tuple_fraction = 1")
    reset_at = sql.index("RESET cursor_tuple_fraction")
    rows_at = next(i for i, s in enumerate(sql) if 'FROM "personnel_official"' in s and i > set_at)
    assert set_at < rows_at < reset_at
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone()[0] == "0.1"


# --- workbooks past the threshold: a job ----------------------------------------------------


def test_a_large_xlsx_export_becomes_a_job_whose_file_holds_every_row(
    login, users, world, many, small_async, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []
    write = exports.WRITERS["xlsx"]

    def spying(queryset, header, target, *, masked, progress=None):
        def noted(rows):
            seen.append(rows)
            progress(rows)

        return write(queryset, header, target, masked=masked, progress=noted)

    monkeypatch.setitem(exports.WRITERS, "xlsx", spying)
    client = login(users.officer)
    response = request_job(
        client, capture=django_capture_on_commit_callbacks, unit=world.units.hu_a.pk
    )
    job = ExportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.requested_by == users.officer and job.format == "xlsx"
    assert job.query == f"unit={world.units.hu_a.pk}"
    assert job.status == ExportJobStatus.DONE
    assert (job.rows_done, job.rows_total) == (7, 7)
    assert seen == [2, 4, 6, 7]
    assert job.path.parent == export_files_dir() and job.path.is_file()
    assert not str(job.path).startswith(str(settings.MEDIA_ROOT))
    assert job.file_size == job.path.stat().st_size
    assert not [p for p in export_files_dir().iterdir() if p.name.startswith(".part-")]

    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tải tệp" in page and "Tệp có 7 cán bộ" in page and "Tệp được giữ đến" in page
    assert "Tệp xuất của tôi" in page
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()

    download = client.get(job_url("official_export_download", job.pk))
    assert isinstance(download, FileResponse)
    assert download["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(streamed(download))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "DANH SÁCH CÁN BỘ"
    assert rows[3][0] == "Bộ lọc" and "Huyện ủy A" in rows[3][1]
    header = next(i for i, row in enumerate(rows) if row[0] == "STT")
    data = rows[header + 1 :]
    assert sorted(row[1] for row in data) == sorted(o.code for o in many)
    assert PERSONAL_ID in [row[11] for row in data]  # an officer sees the numbers
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == users.officer and event.detail == "7 dòng, xlsx"


def test_small_workbooks_stay_in_the_request(login, users, world, many, small_async):
    response = login(users.officer).get(EXPORT, {"format": "xlsx", "q": "HYPERLINK"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("fmt", ["template", "national"])
def test_the_template_and_national_formats_are_jobs_too(
    login, users, world, many, small_async, fmt, django_capture_on_commit_callbacks
):
    client = login(users.officer)
    request_job(client, fmt, capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.format == fmt and job.status == ExportJobStatus.DONE
    book = load_workbook(job.path, read_only=True)
    assert len(book.sheetnames) > 1
    download = client.get(job_url("official_export_download", job.pk))
    assert download.status_code == 200
    name = "ho-so-theo-mau-nhap_" if fmt == "template" else "ho-so-csdl-quoc-gia_"
    assert name in download["Content-Disposition"]


def test_a_viewer_s_job_file_masks_personal_data(
    login, users, world, many, small_async, django_capture_on_commit_callbacks
):
    client = login(users.viewer)
    request_job(client, capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    sheet = load_workbook(job.path, read_only=True).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert PERSONAL_ID not in values
    assert mask_personal_id(PERSONAL_ID) in values


def test_the_job_keeps_to_the_requester_s_scope(
    login, users, world, many, make_official, small_async, django_capture_on_commit_callbacks
):
    outside = [make_official(unit=world.units.hu_b, planned=False) for _ in range(4)]
    request_job(login(users.officer_b), capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    sheet = load_workbook(job.path, read_only=True).active
    codes = {row[1] for row in sheet.iter_rows(values_only=True) if len(row) > 1}
    assert {o.code for o in outside} <= codes
    assert not {o.code for o in many} & codes


def test_a_second_request_while_the_first_runs_reuses_its_job(login, users, many, small_async):
    client = login(users.officer)
    first = client.get(EXPORT, {"format": "xlsx"})  # the task waits for a commit never made
    second = client.get(EXPORT, {"format": "xlsx"})
    assert first["Location"] == second["Location"]
    assert ExportJob.objects.get().status == ExportJobStatus.QUEUED


def test_only_the_requester_reaches_a_job(
    client, login, users, world, many, small_async, django_capture_on_commit_callbacks
):
    request_job(login(users.officer), capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    urls = [
        job_url(name, job.pk)
        for name in (
            "official_export_job",
            "official_export_job_progress",
            "official_export_download",
        )
    ]
    same_scope = UserFactory(username="officer_p2", scope=world.units.province, role="officer")
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    for other in (same_scope, users.officer_a, users.approver, root):
        other_client = login(other)
        for url in urls:
            assert other_client.get(url).status_code == 404, (other, url)
    for url in urls:
        assert_login_required(client, url)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.parametrize("pk", ["999999", "9" * 30, "abc", "-1", "1.5", "%C2%B2"])
def test_hostile_job_ids_answer_404(login, users, pk):
    client = login(users.officer)
    for suffix in ("", "progress/", "download/"):
        assert client.get(f"/officials/exports/{pk}/{suffix}").status_code == 404


def test_a_failed_job_shows_its_message(
    login, users, many, small_async, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports.WRITERS, "xlsx", broken)
    client = login(users.officer)
    response = request_job(client, capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == ExportJobStatus.FAILED and job.finished_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "Không tạo được tệp" in page and "Lỗi hệ thống khi tạo tệp" in page
    assert "disk full" not in page
    assert not [p for p in os.listdir(export_files_dir()) if p.startswith(".part-")]
    assert client.get(job_url("official_export_download", job.pk)).status_code == 302


def test_a_running_job_shows_its_progress_and_polls_every_two_seconds(login, users):
    job = ExportJob.objects.create(
        requested_by=users.officer,
        format="xlsx",
        status=ExportJobStatus.RUNNING,
        rows_total=40_000,
        rows_done=10_000,
        heartbeat_at=timezone.now(),
    )
    client = login(users.officer)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "Đã ghi 10.000 / 40.000 dòng (25%)" in page
    partial = client.get(job_url("official_export_job_progress", job.pk))
    assert "Đã ghi 10.000 / 40.000 dòng (25%)" in partial.content.decode()
    queued = ExportJob.objects.create(requested_by=users.officer, format="national")
    assert "đang chờ bộ xử lý nền" in client.get(queued.get_absolute_url()).content.decode()


def test_the_partial_asks_for_a_reload_when_the_job_ends(login, users):
    job = ExportJob.objects.create(
        requested_by=users.officer, format="xlsx", status=ExportJobStatus.FAILED
    )
    response = login(users.officer).get(job_url("official_export_job_progress", job.pk))
    assert response["HX-Refresh"] == "true" and response.content == b""


def test_the_progress_partial_costs_a_fixed_number_of_queries(login, users):
    """The user, their scope and the job, whatever the user's number of jobs (the session's
    own reads and writes aside)."""
    client = login(users.officer)

    def job():
        return ExportJob.objects.create(
            requested_by=users.officer,
            format="xlsx",
            status=ExportJobStatus.RUNNING,
            rows_total=100,
            heartbeat_at=timezone.now(),
        )

    def queries(pk) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(job_url("official_export_job_progress", pk)).status_code == 200
        return [
            q["sql"]
            for q in captured.captured_queries
            if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
        ]

    first = job()
    few = queries(first.pk)
    last = [job() for _ in range(20)][-1]
    assert len(few) == len(queries(last.pk)) == len(queries(first.pk)) == 3
    assert "personnel_exportjob" in few[-1]


def test_a_job_whose_worker_was_lost_is_failed_with_a_message(login, users, settings):
    job = ExportJob.objects.create(
        requested_by=users.officer,
        format="xlsx",
        status=ExportJobStatus.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.EXPORT_JOB_LEASE_SECONDS + 1),
    )
    page = login(users.officer).get(job.get_absolute_url()).content.decode()
    assert "Bộ xử lý nền đã dừng giữa chừng" in page
    job.refresh_from_db()
    assert job.status == ExportJobStatus.FAILED


def test_a_task_delivered_twice_builds_the_file_once(
    login, users, many, small_async, django_capture_on_commit_callbacks
):
    request_job(login(users.officer), capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert tasks.build_export(job.pk) == ExportJobStatus.DONE
    assert ExportJob.objects.get().file_name == job.file_name
    assert len(os.listdir(export_files_dir())) >= 1


# --- expiry ----------------------------------------------------------------------------------


def test_files_past_24_hours_are_deleted_and_the_page_says_so(
    login, users, many, small_async, django_capture_on_commit_callbacks
):
    client = login(users.officer)
    request_job(client, capture=django_capture_on_commit_callbacks)
    request_job(client, capture=django_capture_on_commit_callbacks, q="Nguyễn")
    old, fresh = ExportJob.objects.order_by("pk")
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(hours=25))
    orphan = export_files_dir() / ".part-lost.xlsx"
    orphan.write_bytes(b"half")
    day_and_more = (timezone.now() - dt.timedelta(hours=30)).timestamp()
    os.utime(orphan, (day_and_more, day_and_more))
    old_path = old.path

    assert client.get(job_url("official_export_download", old.pk)).status_code == 302
    result = tasks.delete_expired_exports()
    assert result["deleted"] == 2
    assert not old_path.exists() and not orphan.exists() and fresh.path.exists()
    old.refresh_from_db()
    assert old.file_name == "" and old.expired
    page = client.get(old.get_absolute_url()).content.decode()
    assert "Tệp đã hết hạn" in page
    response = client.get(job_url("official_export_download", old.pk), follow=True)
    assert "Tệp xuất không còn" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 0


def test_the_cleanup_is_scheduled_with_beat(db):
    from django_celery_beat.models import PeriodicTask

    from config.schedules import ensure_schedules

    ensure_schedules()
    task = PeriodicTask.objects.get(task="personnel.tasks.delete_expired_exports")
    assert task.enabled and task.crontab.hour == "*"


def test_the_exports_folder_is_private(settings):
    folder = export_files_dir().resolve()
    assert not str(folder).startswith(str(os.path.realpath(settings.MEDIA_ROOT)))
    assert not str(folder).startswith(str(os.path.realpath(settings.STATIC_ROOT)))


def test_the_template_layout_stops_sooner_with_a_message(
    login, users, many, small_async, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "MAX_TEMPLATE_ROWS", 5)
    client = login(users.officer)
    response = request_job(client, "template", capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == ExportJobStatus.FAILED and not job.file_name
    assert "hơn 5 cán bộ" in client.get(response["Location"]).content.decode()
