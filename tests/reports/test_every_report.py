"""Every registered report, on records that fill every one of its tables, through every path.

The paths: the run page computed by a real Celery worker (PostgreSQL + Redis), the
``run_report`` command (JSON, XLSX, CSV) and a subscription's email. Each asserts the
stored result (plain JSON, the report's own computation, every table filled), and its
renderings: the HTML page, the XLSX (opened with openpyxl), the CSV.

The cases are ``registry.all_reports()``: a new report is covered without touching this
file, and fails here until ``full_data.build`` fills each of its tables.
"""

import csv
import datetime as dt
import io
import json
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_celery_beat.models import CrontabSchedule
from openpyxl import load_workbook

from config.celery import app
from personnel.exports import spreadsheet_safe
from reports import delivery, periods, registry, services
from reports.choices import DeliveryStatus, RunStatus
from reports.models import Delivery, ReportRun, Subscription
from tests.reports import full_data
from tests.reports.drill_support import (
    assert_every_figure_lists_exactly_its_cadres,
    every_drill,
    people_sheet,
)

#: (path, report code) -> why that case fails today; the case is a strict xfail, so that
#: fixing the bug makes it pass and asks for its line here to go.
KNOWN_BUGS: dict[tuple[str, str], str] = {}

RUN_PAGE, COMMAND, EMAIL = "run_page", "command", "email"


def cases(path: str) -> list:
    """One case per registered report (its code as the id); known bugs are strict xfails."""
    found = []
    for definition in registry.all_reports():
        reason = KNOWN_BUGS.get((path, definition.code))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        found.append(pytest.param(definition, id=definition.code, marks=marks))
    return found


@pytest.fixture
def full(world, make_official):
    return full_data.build(world, make_official)


# --- what every path asserts ------------------------------------------------------------


def computed(definition, scope, today: dt.date) -> dict:
    """The report computed directly, with its default parameters, for the period."""
    context = registry.Context(
        scope=scope,
        date_from=full_data.DATE_FROM,
        date_to=full_data.DATE_TO,
        params=definition.clean_params({}),
        today=today,
    )
    return definition.compute(context).as_dict()


def check_result(definition, result: dict, scope, today: dt.date) -> None:
    """A stored result: plain JSON, the header, the report's own figures, every table filled."""
    assert json.loads(json.dumps(result, allow_nan=False)) == result
    assert result["report"] == definition.code
    assert result["title"] == str(definition.title)
    assert (result["scope"], result["scope_code"]) == (scope.name, scope.code)
    assert result["date_from"] == full_data.DATE_FROM.isoformat()
    assert result["date_to"] == full_data.DATE_TO.isoformat()
    assert result["params"] == definition.clean_params({})
    assert result["period"] == periods.phrase(full_data.DATE_FROM, full_data.DATE_TO, today)
    expected = computed(definition, scope, today)
    assert {key: result[key] for key in expected} == expected
    assert result["sentence"].strip() and not result["is_empty"]
    assert result["tables"], "a report without tables"
    for table in result["tables"]:
        width = len(table["columns"])
        assert table["rows"], (
            f"{definition.code}: table {table['key']} is empty: fill it in full_data"
        )
        for row in table["rows"]:
            assert len(row) == width, (table["key"], row)
        if "drill" in table:
            assert len(table["drill"]) == len(table["rows"]), table["key"]
    wanted = full_data.EXPECTED.get(definition.code, {})
    for key, value in wanted.get("figures", {}).items():
        assert result[key] == value, key
    tables = {table["key"]: table for table in result["tables"]}
    for key, value in wanted.get("rows", {}).items():
        assert any(value in row for row in tables[key]["rows"]), (key, value)


def _shown(value) -> str:
    """A cell as a page shows it (numbers aside, which the page formats for the locale)."""
    return escape(str(value))


def _text_cell(table: dict):
    """The first text cell of the table (labels and names), else its first cell."""
    for row in table["rows"]:
        for value in row:
            if isinstance(value, str) and value.strip():
                return value
    return table["rows"][0][0]


def check_html(result: dict, html: str, *, tables: list[dict] | None = None) -> None:
    """The sentence, and for each table its title, column labels and a cell."""
    assert _shown(result["sentence"]) in html
    for table in result["tables"] if tables is None else tables:
        assert _shown(table["title"]) in html, table["title"]
        for column in table["columns"]:
            assert _shown(column["label"]) in html, column["label"]
        assert _shown(_text_cell(table)) in html, (table["key"], _text_cell(table))


def _trimmed(values) -> list:
    """A row as a spreadsheet keeps it: empty cells "", without the empty cells at the end."""
    cells = ["" if value is None else value for value in values]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def _find_tables(definition, result: dict, rows: list[list], as_read) -> None:
    """After the sentence, each table in order: its title, its column labels, its rows."""
    sentence = [spreadsheet_safe(result["sentence"])]
    assert sentence in rows
    at = rows.index(sentence) + 1
    for table in result["tables"]:
        title = [as_read(table["title"])]
        assert title in rows[at:], f"{definition.code}: table {table['key']} not found"
        at = rows.index(title, at) + 1
        assert rows[at] == [as_read(c["label"]) for c in table["columns"]], table["key"]
        expected = [_trimmed(as_read(spreadsheet_safe(v)) for v in row) for row in table["rows"]]
        assert rows[at + 1 : at + 1 + len(expected)] == expected, table["key"]
        at += 1 + len(expected)


def check_xlsx(definition, result: dict, content: bytes) -> None:
    """The first sheet: title, header, sentence, every table; the people sheet when the
    result has rows that list people."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    rows = [_trimmed(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [result["title"].upper()]
    assert rows[1] == ["Phạm vi", f"{result['scope']} ({result['scope_code']})"]
    _find_tables(definition, result, rows, lambda value: value)
    if definition.people is not None and registry.row_drills(result):
        assert "Danh sách" in book.sheetnames


def check_csv(definition, result: dict, text: str) -> None:
    """UTF-8 with a BOM: the title, the header, the sentence, then every table."""
    assert text.startswith("\ufeff")
    rows = [_trimmed(row) for row in csv.reader(io.StringIO(text[1:]))]
    assert rows[0] == [result["title"]]
    assert rows[1] == ["Phạm vi", f"{result['scope']} ({result['scope_code']})"]
    _find_tables(definition, result, rows, lambda value: "" if value is None else str(value))


# --- the run page, computed by a real worker ----------------------------------------------


def wait_for(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as running:
        yield running


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or connection.vendor != "postgresql",
    reason="needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("definition", cases(RUN_PAGE))
def test_the_run_page_shows_what_the_worker_computed(definition, full, worker, client):
    client.force_login(full.world.officer)  # an officer of the province
    form = {
        "scope": full.scope.pk,
        "period": "custom",
        "date_from": full_data.DATE_FROM.strftime("%d/%m/%Y"),
        "date_to": full_data.DATE_TO.strftime("%d/%m/%Y"),
        # As the form is shown: each parameter at its default.
        **{f"param_{p.name}": "" if p.default is None else p.default for p in definition.params},
    }
    response = client.post(reverse("report_run", args=[definition.code]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ReportRun.objects.get(report=definition.code)
    assert response["Location"] == reverse("report_run_detail", args=[run.pk])
    assert client.get(response["Location"]).status_code == 200  # the page waiting for it
    run = wait_for(
        lambda: ReportRun.objects.filter(
            pk=run.pk, status__in=[RunStatus.SUCCEEDED, RunStatus.FAILED]
        ).first()
    )
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 1 and run.requested_by == full.world.officer
    check_result(definition, run.result, full.scope, timezone.localdate())

    page = client.get(reverse("report_run_detail", args=[run.pk]))
    assert page.status_code == 200
    check_html(run.result, page.content.decode())

    xlsx = client.get(reverse("report_run_download", args=[run.pk, "xlsx"]))
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    check_xlsx(definition, run.result, xlsx.content)
    csv_response = client.get(reverse("report_run_download", args=[run.pk, "csv"]))
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    check_csv(definition, run.result, csv_response.content.decode("utf-8"))


# --- the command line -----------------------------------------------------------------------


@pytest.mark.parametrize("definition", cases(COMMAND))
def test_run_report_prints_and_writes_every_format(definition, full, tmp_path):
    arguments = [
        definition.code,
        "--scope",
        full_data.SCOPE_CODE,
        "--from",
        full_data.DATE_FROM.isoformat(),
        "--to",
        full_data.DATE_TO.isoformat(),
    ]

    def last_run() -> ReportRun:
        return ReportRun.objects.filter(report=definition.code).latest("pk")

    out = io.StringIO()
    call_command("run_report", *arguments, "--format", "json", stdout=out)
    printed = json.loads(out.getvalue())
    stored = last_run()
    assert stored.status == RunStatus.SUCCEEDED and printed == stored.result
    check_result(definition, printed, full.scope, timezone.localdate())

    target = tmp_path / "report.xlsx"
    call_command(
        "run_report", *arguments, "--format", "xlsx", "--output", str(target), stderr=io.StringIO()
    )
    stored = last_run()
    check_result(definition, stored.result, full.scope, timezone.localdate())
    check_xlsx(definition, stored.result, target.read_bytes())

    out = io.StringIO()
    call_command("run_report", *arguments, "--format", "csv", stdout=out)
    stored = last_run()
    check_result(definition, stored.result, full.scope, timezone.localdate())
    check_csv(definition, stored.result, out.getvalue())
    assert ReportRun.objects.filter(report=definition.code, status=RunStatus.SUCCEEDED).count() == 3


# --- a subscription's email -----------------------------------------------------------------


@pytest.mark.parametrize("definition", cases(EMAIL))
def test_the_subscription_email_carries_the_report(definition, full):
    from reports.tasks import send_subscription

    subscription = delivery.subscription_save(
        subscription=Subscription(
            name="Báo cáo định kỳ",
            report=definition.code,
            scope=full.scope,
            period_rule=full_data.SUBSCRIPTION_RULE,
            schedule=CrontabSchedule.objects.create(minute="0", hour="7", day_of_month="1"),
            attach_xlsx=True,
            attach_csv=True,
        ),
        recipients=[full.world.officer],
    )
    mail.outbox.clear()
    send_subscription.delay(subscription.pk, full_data.SUBSCRIPTION_TODAY.isoformat())  # eager
    sent = Delivery.objects.get(subscription=subscription)
    assert sent.status == DeliveryStatus.SENT, sent.note
    assert (sent.date_from, sent.date_to) == (full_data.DATE_FROM, full_data.DATE_TO)
    result = sent.run.result
    check_result(definition, result, full.scope, full_data.SUBSCRIPTION_TODAY)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [full.world.officer.email]
    assert result["title"] in message.subject and result["period"] in message.subject
    assert result["sentence"] in message.body
    check_html(result, message.alternatives[0][0], tables=result["tables"][:1])
    files = {
        name.rpartition(".")[2]: content
        for name, content, _mimetype in (a for a in message.attachments if isinstance(a, tuple))
    }
    assert set(files) == {"xlsx", "csv"}
    check_xlsx(definition, result, files["xlsx"])
    check_csv(definition, result, files["csv"])


# --- the people behind the figures ----------------------------------------------------------


@pytest.mark.parametrize("definition", cases("people"))
def test_every_figure_lists_exactly_the_cadres_it_counts(definition, full, admin_client):
    run = services.report_run_now(
        report=definition.code,
        scope=full.scope,
        date_from=full_data.DATE_FROM,
        date_to=full_data.DATE_TO,
    )
    assert run.status == RunStatus.SUCCEEDED, run.error
    drills = every_drill(run)
    if definition.people is None:
        # A row may only promise a list when the report can give one.
        assert drills == [], f"{definition.code} has drill keys but no people()"
        return
    assert drills, f"{definition.code} defines people() but no row of full_data drills down"
    assert assert_every_figure_lists_exactly_its_cadres(admin_client, run) == len(drills)
    sheet = people_sheet(admin_client, run)
    headings = [r[0] for r in sheet if r and isinstance(r[0], str) and r[0].endswith("cán bộ)")]
    assert len(headings) == len(registry.row_drills(run.result))
