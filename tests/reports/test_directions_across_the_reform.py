"""Directions across the 2025 reform: the rows of ``rotation_summary`` are the directions
possible in the period (no district level after 30/6/2025), and a direction counted is
always a row, possible or not.

Through the real path: the run is stored by the service, then read from the stored
result, the run page, the XLSX and CSV downloads and the subscription's email; every
rendering lists the same rows. Expected rows are written out, not recomputed.
"""

import csv
import datetime as dt
import html
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule
from openpyxl import load_workbook

from personnel.choices import Level
from reports import delivery
from reports.choices import DeliveryStatus
from reports.models import ReportRun, Subscription
from rotation.directions import (
    DIRECTION_ORDER,
    LEVEL_LAST_DAY,
    direction_label,
    level_existed,
    possible_directions,
    possible_in,
)
from tests.reports.drill_support import drilled, people_sheet, stored_run, table

D = dt.date
LAST_DISTRICT_DAY, FIRST_TWO_TIER_DAY = D(2025, 6, 30), D(2025, 7, 1)
TERM_START, TERM_END = D(2020, 10, 1), D(2025, 9, 30)  # settings.TERMS "2020-2025"
TITLE = "Theo hướng luân chuyển"
HEADER = ["Hướng", "Số cán bộ", "Số lượt"]

DISTRICT_CODES = [
    "province_to_district",
    "district_to_province",
    "district_to_commune",
    "commune_to_district",
    "central_to_district",
    "district_to_central",
    "district_to_district",
]
DISTRICT_ROWS = [
    "Từ tỉnh về huyện",
    "Từ huyện lên tỉnh",
    "Từ huyện về xã",
    "Từ xã lên huyện",
    "Từ huyện này sang huyện khác",
]
#: the usual rows of a period before the reform (zero or not; central rows only when counted)
ROWS_BEFORE = [
    "Từ tỉnh về huyện",
    "Từ huyện lên tỉnh",
    "Từ huyện về xã",
    "Từ xã lên huyện",
    "Từ tỉnh về xã",
    "Từ xã lên tỉnh",
    "Từ tỉnh này sang tỉnh khác",
    "Từ huyện này sang huyện khác",
    "Từ xã này sang xã khác",
    "Từ ngành này sang ngành khác",
    "Tổng cộng",
]
#: the usual rows of a period after the reform: two tiers of local government
ROWS_AFTER = [
    "Từ tỉnh về xã",
    "Từ xã lên tỉnh",
    "Từ tỉnh này sang tỉnh khác",
    "Từ xã này sang xã khác",
    "Từ ngành này sang ngành khác",
    "Tổng cộng",
]


# --- possible_in ------------------------------------------------------------------------


def test_the_district_level_ended_on_30_june_2025():
    assert LEVEL_LAST_DAY == {Level.DISTRICT: LAST_DISTRICT_DAY}
    assert level_existed(Level.DISTRICT, LAST_DISTRICT_DAY)
    assert level_existed("district", LAST_DISTRICT_DAY)  # as stored on a unit
    assert not level_existed(Level.DISTRICT, FIRST_TWO_TIER_DAY)
    for level in (Level.CENTRAL, Level.PROVINCE, Level.COMMUNE):
        assert level_existed(level, D(2015, 1, 1)) and level_existed(level, D(2030, 1, 1))


@pytest.mark.parametrize(
    ("date_from", "date_to", "district"),
    [
        # a period ending on the district level's last day
        (D(2025, 1, 1), LAST_DISTRICT_DAY, True),
        (LAST_DISTRICT_DAY, LAST_DISTRICT_DAY, True),
        # a period starting on the first day of two tiers
        (FIRST_TWO_TIER_DAY, D(2025, 12, 31), False),
        (FIRST_TWO_TIER_DAY, FIRST_TWO_TIER_DAY, False),
        (D(2026, 1, 1), D(2026, 12, 31), False),
        # periods straddling 1/7/2025, by one day or by years
        (LAST_DISTRICT_DAY, FIRST_TWO_TIER_DAY, True),
        (TERM_START, TERM_END, True),
    ],
)
def test_possible_in_at_the_boundaries(date_from, date_to, district):
    # every direction naming the district level (province → district, district → commune…)
    for code in DISTRICT_CODES:
        assert possible_in(code, date_from, date_to) is district, code
    # province → commune, commune → commune, central rows and those naming no level: always
    for code in ("province_to_commune", "commune_to_province", "commune_to_commune"):
        assert possible_in(code, date_from, date_to), code
    for code in ("cross_sector", "internal", "external", "central_to_province"):
        assert possible_in(code, date_from, date_to), code


def test_the_directions_possible_after_the_reform_name_no_district():
    assert possible_directions(FIRST_TWO_TIER_DAY, D(2026, 12, 31)) == [
        "central_to_province",
        "province_to_central",
        "province_to_commune",
        "commune_to_province",
        "central_to_commune",
        "commune_to_central",
        "central_to_central",
        "province_to_province",
        "commune_to_commune",
        "cross_sector",
        "internal",
        "external",
    ]
    assert possible_directions(TERM_START, TERM_END) == DIRECTION_ORDER


# --- records on both sides of the reform ------------------------------------------------


@pytest.fixture
def reform(world, make_official, move):
    p, u = world.positions, world.units
    an = make_official(position=p.province_deputy, full_name="Tỉnh An")
    binh = make_official(position=p.a_deputy, full_name="Huyện Bình")
    em = make_official(unit=u.hu_b, full_name="Huyện Em")
    cuong = make_official(position=p.a1_secretary, full_name="Xã Cường")
    dung = make_official(unit=u.province, full_name="Tỉnh Dũng")
    move(an, p.a_deputy, D(2021, 2, 1))  # province → district
    move(binh, p.province_deputy, D(2024, 5, 1))  # district → province
    move(em, p.a_secretary, LAST_DISTRICT_DAY)  # district B → district A, the last day
    move(cuong, p.finance_head, FIRST_TWO_TIER_DAY)  # commune → province, the first day
    move(dung, p.a1_secretary, D(2026, 3, 1))  # province → commune
    return world


def _late_district(world, make_official, move):
    """A 2026 move out of Huyện ủy B, whose level was never updated: district → province."""
    giang = make_official(unit=world.units.hu_b, full_name="Huyện Giang")
    movement = move(giang, world.positions.province_deputy, D(2026, 4, 1))
    assert movement.direction == "district_to_province"
    return movement


# --- reading every rendering of a stored run --------------------------------------------


def _labels(rows) -> list[str]:
    return [str(row[0]) for row in rows]


def _html_rows(content: str, title_tag: str) -> list[list[str]]:
    """The body rows of the table under ``<title_tag>`` "Theo hướng luân chuyển"."""
    start = re.search(rf"<{title_tag}[^>]*>{TITLE}</{title_tag}>", content)
    assert start is not None, f"no {TITLE!r} table"
    body = re.search(r"<tbody>(.*?)</tbody>", content[start.end() :], re.S).group(1)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def _block(rows: list[list], header=HEADER) -> list[list]:
    """The rows of the direction table in a sheet or CSV: after its title and header,
    down to its total."""
    at = next(i for i, row in enumerate(rows) if row[:1] == [TITLE])
    assert rows[at + 1][:3] == header
    end = next(i for i in range(at + 2, len(rows)) if rows[i][:1] == ["Tổng cộng"])
    return rows[at + 2 : end + 1]


def _sheet_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content))["Báo cáo"]
    return [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]


def renderings(client, run) -> dict[str, list[list]]:
    """The direction table of ``run`` as the page, the XLSX and the CSV show it."""
    page = client.get(reverse("report_run_detail", args=[run.pk]))
    assert page.status_code == 200
    xlsx = client.get(reverse("report_run_download", args=[run.pk, "xlsx"]))
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    csv_response = client.get(reverse("report_run_download", args=[run.pk, "csv"]))
    assert csv_response.status_code == 200
    csv_rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8").lstrip("\ufeff"))))
    return {
        "page": _html_rows(page.content.decode(), "h2"),
        "xlsx": _block(_sheet_rows(xlsx.content)),
        "csv": _block(csv_rows),
    }


def assert_rows_everywhere(client, run, expected_labels: list[str]) -> dict:
    """The stored direction table has exactly ``expected_labels``; its ``direction_rows``
    are its codes; every rendering shows the stored rows. Returns the stored rows by label."""
    run = ReportRun.objects.get(pk=run.pk)  # the result as stored
    result = run.result
    stored = table(run, "by_direction")["rows"]
    assert _labels(stored) == expected_labels
    assert [str(direction_label(c)) for c in result["direction_rows"]] == expected_labels[:-1]
    for name, rows in renderings(client, run).items():
        assert _labels(rows) == expected_labels, name
        assert [[str(v) for v in row[1:]] for row in rows] == [
            [str(v) for v in row[1:]] for row in stored
        ], name
    return {row[0]: row[1:] for row in stored}


# --- the report ---------------------------------------------------------------------------


def test_a_term_report_straddling_the_reform_shows_district_and_two_tier_rows(reform, admin_client):
    run = stored_run("rotation_summary", reform.units.province, TERM_START, TERM_END)
    rows = assert_rows_everywhere(admin_client, run, ROWS_BEFORE)
    assert set(DISTRICT_ROWS) <= set(rows) and "Từ tỉnh về xã" in rows
    assert rows["Từ tỉnh về huyện"] == [1, 1]
    assert rows["Từ huyện lên tỉnh"] == [1, 1]
    assert rows["Từ huyện này sang huyện khác"] == [1, 1]  # effective 30/6/2025
    assert rows["Từ xã lên tỉnh"] == [1, 1]  # effective 1/7/2025
    assert rows["Từ tỉnh về xã"] == [0, 0]  # possible, nobody yet
    assert rows["Tổng cộng"] == [4, 4]
    assert run.result["sentence"] == (
        "Từ đầu nhiệm kỳ đến nay đã luân chuyển 4 cán bộ, trong đó: từ tỉnh về huyện 1 đồng "
        "chí; từ huyện lên tỉnh 1 đồng chí; từ xã lên tỉnh 1 đồng chí; từ huyện này sang "
        "huyện khác 1 đồng chí."
    )
    assert run.result["impossible_directions"] == []


def test_a_report_ending_on_30_june_2025_shows_the_district_rows(reform, admin_client):
    run = stored_run("rotation_summary", reform.units.province, D(2025, 1, 1), LAST_DISTRICT_DAY)
    rows = assert_rows_everywhere(admin_client, run, ROWS_BEFORE)
    assert rows["Từ huyện này sang huyện khác"] == [1, 1]
    assert rows["Tổng cộng"] == [1, 1]


@pytest.mark.parametrize(
    ("date_from", "date_to", "counted"),
    [
        (FIRST_TWO_TIER_DAY, D(2025, 12, 31), "Từ xã lên tỉnh"),
        (D(2026, 1, 1), D(2026, 12, 31), "Từ tỉnh về xã"),
    ],
)
def test_a_report_after_the_reform_has_no_district_rows(
    reform, admin_client, date_from, date_to, counted
):
    run = stored_run("rotation_summary", reform.units.province, date_from, date_to)
    rows = assert_rows_everywhere(admin_client, run, ROWS_AFTER)
    assert rows[counted] == [1, 1] and rows["Tổng cộng"] == [1, 1]
    assert not any(code in DISTRICT_CODES for code in run.result["direction_rows"])
    assert "huyện" not in run.result["sentence"]


def test_a_year_straddling_the_reform_shows_both_sets_of_rows(reform, admin_client):
    run = stored_run("rotation_summary", reform.units.province, D(2025, 1, 1), D(2025, 12, 31))
    rows = assert_rows_everywhere(admin_client, run, ROWS_BEFORE)
    assert rows["Từ huyện này sang huyện khác"] == [1, 1]  # 30/6/2025
    assert rows["Từ xã lên tỉnh"] == [1, 1]  # 1/7/2025
    assert rows["Từ tỉnh về huyện"] == [0, 0] and rows["Từ tỉnh về xã"] == [0, 0]
    assert run.result["sentence"] == (
        "Năm 2025 đã luân chuyển 2 cán bộ, trong đó: từ xã lên tỉnh 1 đồng chí; "
        "từ huyện này sang huyện khác 1 đồng chí."
    )


#: a 2026 period with a district → province move recorded against a unit still "district"
ROWS_WITH_LATE_DISTRICT = ["Từ huyện lên tỉnh", *ROWS_AFTER]
LATE_SENTENCE = (
    "Năm 2026 đã luân chuyển 2 cán bộ, trong đó: từ huyện lên tỉnh 1 đồng chí; "
    "từ tỉnh về xã 1 đồng chí."
)


def test_a_district_direction_counted_after_the_reform_is_still_shown(
    reform, make_official, move, admin_client
):
    _late_district(reform, make_official, move)
    run = stored_run("rotation_summary", reform.units.province, D(2026, 1, 1), D(2026, 12, 31))
    rows = assert_rows_everywhere(admin_client, run, ROWS_WITH_LATE_DISTRICT)
    assert rows["Từ huyện lên tỉnh"] == [1, 1]
    assert rows["Tổng cộng"] == [2, 2]  # the rows add up to the total
    result = run.result
    assert result["sentence"] == LATE_SENTENCE
    assert result["by_direction"] == {"district_to_province": 1, "province_to_commune": 1}
    assert result["impossible_directions"] == ["district_to_province"]
    assert result["chart"]["labels"] == ["Từ huyện lên tỉnh", "Từ tỉnh về xã"]
    # The row lists its cadre, on the page and in the "Danh sách" sheet.
    assert drilled(admin_client, run, "by_direction", "Từ huyện lên tỉnh") == ["Huyện Giang"]
    sheet = [c for row in people_sheet(admin_client, run) for c in row if c]
    assert "Theo hướng luân chuyển – Từ huyện lên tỉnh (1 cán bộ)" in sheet
    assert "Huyện Giang" in sheet


def test_the_email_shows_the_rows_of_the_stored_result(
    reform, make_official, move, settings, admin_client
):
    _late_district(reform, make_official, move)
    settings.REPORT_EMAIL_ALLOWED_DOMAINS = ["example.vn"]
    subscription = delivery.subscription_save(
        subscription=Subscription(
            name="Tổng hợp năm",
            report="rotation_summary",
            scope=reform.units.province,
            period_rule="last_year",
            schedule=CrontabSchedule.objects.create(minute="0", hour="7", day_of_month="1"),
        ),
        recipients=[reform.officer],
    )
    mail.outbox.clear()
    sent = delivery.subscription_deliver(subscription_id=subscription.pk, today=D(2027, 1, 5))
    assert sent.status == DeliveryStatus.SENT
    run = ReportRun.objects.get(report="rotation_summary")
    assert (run.date_from, run.date_to) == (D(2026, 1, 1), D(2026, 12, 31))
    assert_rows_everywhere(admin_client, run, ROWS_WITH_LATE_DISTRICT)
    stored = table(run, "by_direction")["rows"]

    (message,) = mail.outbox
    assert LATE_SENTENCE in message.body
    lines = message.body.splitlines()
    at = lines.index(" | ".join(HEADER))
    text_rows = [line.split(" | ") for line in lines[at + 1 : at + 1 + len(stored)]]
    assert text_rows == [[str(v) for v in row] for row in stored]

    body = message.alternatives[0][0]
    assert LATE_SENTENCE in body
    assert _html_rows(body, "h3") == [[str(v) for v in row] for row in stored]

    _name, content, _mimetype = next(a for a in message.attachments if isinstance(a, tuple))
    assert _labels(_block(_sheet_rows(content))) == ROWS_WITH_LATE_DISTRICT
