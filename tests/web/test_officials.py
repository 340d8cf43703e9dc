"""Officials pages: list (filters, sort, paging), export, detail, create/edit, CV, autocomplete."""

import csv
import datetime as dt
import io
import itertools
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.access import CappedPaginator
from accounts.models import AuditEvent
from personnel import exports
from personnel.choices import (
    Gender,
    ManagementTier,
    OfficialStatus,
    PlanningStatus,
    PositionKind,
)
from personnel.models import Official, PlanningEntry
from rotation import services as rotation_services
from rotation.choices import MovementKind, ReviewPeriod
from tests.web.helpers import assert_constant_queries, assert_login_required

pytestmark = pytest.mark.django_db

D = dt.date
LIST = reverse("official_list")
EXPORT = reverse("official_export")
_numbers = itertools.count(1)


def today():
    return timezone.localdate()


def born_aged(years, days_after_birthday=10):
    """A date of birth making the person ``years`` old today."""
    return today() - relativedelta(years=years) - dt.timedelta(days=days_after_birthday)


def rotate(world, official, position, on, term=36, status="approved", apply=True):
    """A rotation of ``official`` to ``position`` effective ``on`` (approved and applied)."""
    decision = rotation_services.decision_create(
        number=f"{next(_numbers)}-QĐ/TU", issued_by=world.units.province, title="Luân chuyển"
    )
    movement = rotation_services.movement_add(
        decision=decision,
        official=official,
        kind=MovementKind.ROTATION,
        to_position=position,
        effective_on=on,
        term_months=term,
    )
    if status == "approved":
        rotation_services.decision_approve(
            decision=decision, signed_on=min(on, today()) - dt.timedelta(days=10)
        )
        if apply:
            movement = rotation_services.movement_apply(movement=movement, today=on)
    return movement


def listed(response) -> list[str]:
    return [o.code for o in response.context["officials"]]


def make_people(world, make_official):
    """Officials in district A (one in its commune), district B and the finance department."""
    p = world.positions
    return type(
        "People",
        (),
        {
            "a": make_official(position=p.a_secretary, full_name="Nguyễn Văn Đặng", code="A-01"),
            "a1": make_official(
                position=p.a1_secretary,
                full_name="Trần Thị Hoa",
                code="A1-01",
                gender=Gender.FEMALE,
                ethnicity="Tày",
                planned=False,
            ),
            "b": make_official(position=p.b_secretary, full_name="Lê Văn Bình", code="B-01"),
            "fin": make_official(
                position=p.finance_head,
                full_name="Phạm Minh Châu",
                code="F-01",
                management_tier=ManagementTier.PROVINCIAL_STANDING,
                planned=False,
            ),
        },
    )


@pytest.fixture
def people(world, make_official):
    return make_people(world, make_official)


# --- access ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, needs_pk",
    [
        ("official_list", False),
        ("official_export", False),
        ("official_create", False),
        ("official_autocomplete", False),
        ("locality_autocomplete", False),
        ("official_detail", True),
        ("official_update", True),
        ("official_cv", True),
    ],
)
def test_every_page_requires_login(client, people, name, needs_pk):
    url = reverse(name, args=[people.a.pk] if needs_pk else [])
    assert_login_required(client, url)


@pytest.mark.parametrize("name", ["official_detail", "official_cv", "official_update"])
def test_official_outside_the_scope_answers_404(login, users, people, name):
    client = login(users.officer_a)
    assert client.get(reverse(name, args=[people.a.pk])).status_code == 200
    assert client.get(reverse(name, args=[people.b.pk])).status_code == 404


def test_viewer_reads_every_page_but_gets_403_on_create_and_edit(login, users, people):
    client = login(users.viewer)
    for url in (
        LIST,
        EXPORT,
        reverse("official_detail", args=[people.a.pk]),
        reverse("official_cv", args=[people.a.pk]),
        reverse("official_autocomplete") + "?q=an",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("official_create")).status_code == 403
    assert client.get(reverse("official_update", args=[people.a.pk])).status_code == 403
    before = Official.objects.count()
    response = client.post(reverse("official_create"), {"code": "X", "full_name": "X"})
    assert response.status_code == 403 and Official.objects.count() == before
    response = client.post(reverse("official_update", args=[people.a.pk]), {"full_name": "X"})
    assert response.status_code == 403
    assert Official.objects.get(pk=people.a.pk).full_name == "Nguyễn Văn Đặng"


def test_buttons_follow_the_role(login, users, people):
    detail = reverse("official_detail", args=[people.a.pk])
    edit, create = reverse("official_update", args=[people.a.pk]), reverse("official_create")
    viewer = login(users.viewer)
    assert create not in viewer.get(LIST).content.decode()
    assert edit not in viewer.get(detail).content.decode()
    officer = login(users.officer)
    assert create in officer.get(LIST).content.decode()
    assert edit in officer.get(detail).content.decode()


def test_admin_link_only_for_staff_users(login, users, people):
    admin_url = reverse("admin:personnel_official_change", args=[people.a.pk])
    detail = reverse("official_detail", args=[people.a.pk])
    users.officer.is_staff = False
    users.officer.save()
    assert admin_url not in login(users.officer).get(detail).content.decode()
    users.officer.is_staff = True
    users.officer.save()
    assert admin_url in login(users.officer).get(detail).content.decode()


# --- list --------------------------------------------------------------------------


def test_list_shows_only_officials_within_the_scope(login, users, people):
    assert sorted(listed(login(users.officer_a).get(LIST))) == ["A-01", "A1-01"]
    assert sorted(listed(login(users.viewer).get(LIST))) == ["A-01", "A1-01", "B-01", "F-01"]


def test_search_ignores_diacritics_and_matches_the_code(login, users, people):
    client = login(users.viewer)
    assert listed(client.get(LIST, {"q": "nguyen van dang"})) == ["A-01"]
    assert listed(client.get(LIST, {"q": "Đặng"})) == ["A-01"]
    assert listed(client.get(LIST, {"q": "b-01"})) == ["B-01"]


def test_unit_filter_takes_the_whole_subtree(login, users, world, people):
    client = login(users.viewer)
    response = client.get(LIST, {"unit": world.units.hu_a.pk})
    assert sorted(listed(response)) == ["A-01", "A1-01"]
    # The selected unit is rendered as the only option of the autocomplete select.
    assert f'<option value="{world.units.hu_a.pk}" selected>Huyện ủy A</option>' in (
        response.content.decode()
    )


def test_unit_outside_the_scope_is_refused_not_applied(login, users, world, people):
    response = login(users.officer_a).get(LIST, {"unit": world.units.hu_b.pk})
    assert "Một số điều kiện lọc không hợp lệ" in response.content.decode()
    assert sorted(listed(response)) == ["A-01", "A1-01"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"level": "commune"}, ["A1-01"]),
        ({"level": "district"}, ["A-01", "B-01"]),
        ({"position_kind": PositionKind.HEAD}, ["A-01", "A1-01", "B-01", "F-01"]),
        ({"gender": Gender.FEMALE}, ["A1-01"]),
        ({"tier": ManagementTier.PROVINCIAL_STANDING}, ["F-01"]),
        ({"ethnicity": "Tày"}, ["A1-01"]),
        ({"in_planning": "1"}, ["A-01", "B-01"]),
        ({"status": OfficialStatus.ACTIVE}, ["A-01", "A1-01", "B-01", "F-01"]),
    ],
)
def test_filters_of_the_contract(login, users, people, params, expected):
    assert sorted(listed(login(users.viewer).get(LIST, params))) == expected


def test_sector_and_position_kind_filters(login, users, world, make_official, people):
    deputy = make_official(position=world.positions.a_deputy, code="A-02", planned=False)
    client = login(users.viewer)
    assert listed(client.get(LIST, {"sector": world.sectors.finance.pk})) == ["F-01"]
    assert listed(client.get(LIST, {"position_kind": PositionKind.DEPUTY})) == [deputy.code]


def test_age_range_counts_full_years_today(login, users, world, make_official):
    for years in (30, 40, 45, 50, 51):
        make_official(unit=world.units.hu_a, code=f"AGE{years}", date_of_birth=born_aged(years))
    response = login(users.viewer).get(LIST, {"age_min": 40, "age_max": 50, "sort": "code"})
    assert listed(response) == ["AGE40", "AGE45", "AGE50"]


def test_in_planning_needs_an_active_entry_covering_this_year(login, users, world, make_official):
    stale = make_official(unit=world.units.hu_a, code="OLD", planned=False)
    PlanningEntry.objects.create(
        official=stale,
        position=world.positions.a_deputy,
        term=f"{today().year - 6}-{today().year - 1}",
    )
    removed = make_official(unit=world.units.hu_a, code="OUT", planned=False)
    PlanningEntry.objects.create(
        official=removed,
        position=world.positions.a_deputy,
        term="2025-2030",
        status=PlanningStatus.REMOVED,
    )
    make_official(unit=world.units.hu_a, code="IN")
    assert listed(login(users.viewer).get(LIST, {"in_planning": "1"})) == ["IN"]


def test_rotated_filter_and_badge(login, users, world, people):
    rotate(world, people.a, world.positions.b_deputy, today() - relativedelta(months=6), term=36)
    client = login(users.viewer)
    response = client.get(LIST, {"rotated": "1"})
    assert listed(response) == ["A-01"]
    assert "Đang luân chuyển</span>" in response.content.decode()
    assert "Đang luân chuyển</span>" not in client.get(LIST, {"q": "B-01"}).content.decode()


def test_rotation_states(login, users, world, make_official):
    p = world.positions
    overdue = make_official(position=p.a_deputy, code="OVERDUE", since=D(2015, 1, 1))
    soon = make_official(position=p.a1_secretary, code="SOON", since=D(2015, 1, 1))
    fresh = make_official(position=p.b_deputy, code="FRESH", since=D(2015, 1, 1))
    reviewed = make_official(position=p.a_chair, code="REVIEWED", since=D(2015, 1, 1))
    now = today()
    rotate(world, overdue, p.b_secretary, now - relativedelta(years=4), term=36)
    rotate(world, soon, p.finance_head, now - relativedelta(months=36) + dt.timedelta(days=30))
    rotate(world, fresh, p.province_deputy, D(now.year, 1, 1), term=60)
    done = rotate(world, reviewed, p.a_secretary, D(now.year - 1, 6, 1), term=60)
    rotation_services.review_record(
        movement=done, period=ReviewPeriod.ANNUAL, year=now.year - 1, rating="good"
    )
    client = login(users.viewer)
    get = lambda state: sorted(listed(client.get(LIST, {"rotation_state": state})))  # noqa: E731
    assert get("overdue") == ["OVERDUE"]
    assert get("ending_soon") == ["SOON"]
    assert get("missing_review") == ["OVERDUE", "SOON"]
    assert sorted(listed(client.get(LIST, {"rotated": "1"}))) == [
        "FRESH",
        "OVERDUE",
        "REVIEWED",
        "SOON",
    ]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("name", ["B-01", "A-01", "F-01", "A1-01"]),
        ("-name", ["A1-01", "F-01", "A-01", "B-01"]),
        ("code", ["A-01", "A1-01", "B-01", "F-01"]),
        ("-date_of_birth", ["F-01", "B-01", "A1-01", "A-01"]),
    ],
)
def test_sorting(login, users, people, sort, expected):
    for offset, official in enumerate([people.a, people.a1, people.b, people.fin]):
        Official.objects.filter(pk=official.pk).update(date_of_birth=D(1970 + offset, 1, 1))
    response = login(users.viewer).get(LIST, {"sort": sort})
    assert listed(response) == expected
    assert 'aria-sort="' in response.content.decode()


def test_bad_age_is_shown_in_vietnamese_and_not_applied(login, users, people):
    response = login(users.viewer).get(LIST, {"age_min": "bốn mươi", "age_max": "200"})
    page = response.content.decode()
    assert "Nhập tuổi bằng số nguyên, ví dụ 40." in page and "Tuổi phải từ 0 đến 120." in page
    assert len(listed(response)) == 4


def test_sorting_by_unit_name(login, users, people):
    # Huyện ủy A < Huyện ủy B < Sở Tài chính under any collation; Đảng ủy xã A1 depends on it.
    client = login(users.viewer)
    ascending = [c for c in listed(client.get(LIST, {"sort": "unit"})) if c != "A1-01"]
    descending = [c for c in listed(client.get(LIST, {"sort": "-unit"})) if c != "A1-01"]
    assert ascending == ["A-01", "B-01", "F-01"] == descending[::-1]


def test_pages_of_25_and_a_capped_count(login, users, world, make_official, monkeypatch):
    for n in range(30):
        make_official(unit=world.units.hu_a, code=f"P{n:03d}", planned=False)
    client = login(users.viewer)
    first = client.get(LIST, {"sort": "code"})
    assert len(listed(first)) == 25 and "Có 30 cán bộ." in first.content.decode()
    assert listed(client.get(LIST, {"sort": "code", "page": 2}))[-1] == "P029"
    monkeypatch.setattr(CappedPaginator, "cap", 20)
    assert "Có hơn 20 cán bộ" in client.get(LIST).content.decode()


@pytest.mark.parametrize("sort", ["", "-date_of_birth", "unit"])
def test_the_capped_count_neither_sorts_nor_computes_columns(login, users, world, sort):
    """Which rows are counted does not change how many: the count's subquery has no
    ORDER BY (at national size it walked 100,000 index rows) and selects the id only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert login(users.viewer).get(LIST, {"sort": sort}).status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the page counts its rows"
    for sql in counts:
        assert "ORDER BY" not in sql.upper(), sql
        assert "date_of_birth" not in sql and "is_rotated" not in sql, sql


def test_empty_states(login, users, people):
    client = login(users.viewer)
    assert "Không có cán bộ nào khớp với bộ lọc." in client.get(LIST, {"q": "zzz"}).content.decode()
    Official.objects.all().delete()
    assert "Chưa có hồ sơ cán bộ nào" in client.get(LIST).content.decode()


def test_list_queries_do_not_grow_with_rows(login, users, world, make_official):
    client = login(users.viewer)

    def add_rows(n):
        for _ in range(n):
            official = make_official(unit=world.units.hu_a, planned=False)
            rotate(world, official, world.positions.a1_secretary, D(2024, 1, 1), apply=False)

    assert_constant_queries(client, f"{LIST}?sort=unit&unit={world.units.hu_a.pk}", add_rows)


# --- export ------------------------------------------------------------------------


def test_xlsx_export_has_a_title_block_a_bold_header_and_the_filtered_rows(
    login, users, world, people
):
    response = login(users.viewer).get(EXPORT, {"format": "xlsx", "unit": world.units.hu_a.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "DANH SÁCH CÁN BỘ"
    assert rows[1][:2] == ["Người xuất", f"{users.viewer} ({users.viewer.username})"]
    assert rows[3][0] == "Bộ lọc" and "Huyện ủy A" in rows[3][1]
    header_row = next(i for i, row in enumerate(rows) if row[0] == "STT")
    assert all(cell.font.bold for cell in sheet[header_row + 1] if cell.value)
    data = rows[header_row + 1 :]
    assert sorted(row[1] for row in data) == ["A-01", "A1-01"]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_export_is_utf8_with_bom_and_filtered(login, users, people):
    response = login(users.viewer).get(EXPORT, {"format": "csv", "gender": Gender.FEMALE})
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["DANH SÁCH CÁN BỘ"]
    assert ["Bộ lọc", "Giới tính: Nữ"] in rows
    header_row = rows.index(exports.columns())
    assert [row[2] for row in rows[header_row + 1 :]] == ["Trần Thị Hoa"]


def test_export_keeps_to_the_scope_and_is_audited(login, users, people):
    response = login(users.officer_a).get(EXPORT, {"format": "csv"})
    codes = [row[1] for row in list(csv.reader(io.StringIO(body(response).decode()[1:])))[6:]]
    assert sorted(codes) == ["A-01", "A1-01"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == users.officer_a and event.detail == "2 dòng, csv"


def test_export_over_the_cap_fails_its_job_with_a_message(
    login, users, people, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "ASYNC_EXPORT_ROWS", 1)
    monkeypatch.setattr(exports, "MAX_EXPORT_ROWS", 2)
    client = login(users.viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(EXPORT, {"format": "xlsx", "gender": Gender.MALE})
    response = client.get(response["Location"])
    assert "hơn 2 cán bộ" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_export_with_an_unknown_format_goes_back_with_a_message(login, users, people):
    response = login(users.viewer).get(EXPORT, {"format": "pdf"})
    assert response.status_code == 302
    assert "Định dạng xuất không hợp lệ" in str(next(iter(get_messages(response.wsgi_request))))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_queries_do_not_grow_with_rows(login, users, world, make_official, fmt):
    def add_rows(n):
        for _ in range(n):
            make_official(unit=world.units.ubnd_a, planned=False)

    assert_constant_queries(login(users.viewer), f"{EXPORT}?format={fmt}", add_rows)


def test_export_refuses_invalid_filters_instead_of_exporting_everything(
    world, users, login, make_official
):
    make_official(unit=world.units.hu_a)
    client = login(users.officer)
    response = client.get(
        reverse("official_export"), {"format": "csv", "age_min": "abc"}, follow=True
    )
    assert "Bộ lọc có giá trị không hợp lệ" in response.content.decode()
    assert response.get("Content-Disposition") is None


def test_exported_text_is_never_run_as_a_formula(world, users, login, make_official):
    make_official(unit=world.units.hu_a, full_name='=HYPERLINK("http://x.invalid","bấm")')
    text = body(login(users.officer).get(reverse("official_export"), {"format": "csv"}))
    assert "'=HYPERLINK" in text.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("query", "trigrams"), [("van", True), ("nguyen van", True), ("an", False)]
)
def test_a_name_search_sorts_its_matches_instead_of_walking_the_name_index(
    login, users, world, make_official, query, trigrams
):
    """Same rows, same order; the order is the folded name as an expression (sorted after
    the trigram index found the matches) when a word has 3 letters or more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for code, name in [
        ("S1", "Vũ Văn An"),
        ("S2", "Nguyễn Văn Bình"),
        ("S3", "Nguyễn Văn An"),
        ("S4", "Lê Thị Vân"),
        ("S5", "Trần An"),
    ]:
        make_official(unit=world.units.hu_a, code=code, full_name=name, planned=False)  # fmt: skip
    client = login(users.viewer)
    with CaptureQueriesContext(connection) as captured:
        found = listed(client.get(LIST, {"q": query}))
    expected = list(
        Official.objects.search(query).order_by("search_key", "id").values_list("code", flat=True)
    )
    assert [code for code in found if code.startswith("S")] == expected
    rows = [
        q["sql"]
        for q in captured.captured_queries
        if re.search(r'search_key"(::text)? (I)?LIKE', q["sql"])
        and "ORDER BY" in q["sql"]
        and "COUNT(" not in q["sql"].upper()
    ]
    assert rows, "the page's row query"
    by_column = '"personnel_official"."search_key" ASC' in rows[0].split("ORDER BY")[-1]
    assert by_column is not trigrams, rows[0]


FILTER_FIELDS = reverse("official_filter_fields")


def test_the_closed_filter_panel_is_fetched_when_opened_not_rendered(login, users, people):
    client = login(users.officer_a)
    content = client.get(LIST).content.decode()
    assert 'name="gender"' not in content and 'name="sector"' not in content
    assert f'hx-get="{FILTER_FIELDS}"' in content
    # The panel's fields keep the values of the query string.
    fields = client.get(FILTER_FIELDS, {"q": "an", "gender": "female"}).content.decode()
    assert 'name="gender"' in fields and 'name="sector"' in fields
    assert re.search(r'<option value="female" selected>', fields)


def test_with_a_filter_in_use_the_panel_opens_with_its_fields(login, users, people):
    content = login(users.officer_a).get(LIST, {"gender": "female"}).content.decode()
    assert 'id="official-filters"' in content and 'name="gender"' in content
    assert 'hx-trigger="show.bs.collapse once"' not in content


def test_the_panel_s_fields_require_login_and_refuse_hostile_values(client, login, users):
    assert_login_required(client, FILTER_FIELDS)
    response = login(users.officer_a).get(
        FILTER_FIELDS, {"age_min": "9" * 40, "on": "31/02/2024", "unit": "\x00"}
    )
    assert response.status_code in (200, 400)


def test_is_rotated_is_read_for_the_page_s_rows_only(login, users, world, people):
    """The list's rows query carries no subquery over movements (planned for the whole
    list, PostgreSQL hashed every serving rotation for 25 rows); one query for the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rotate(world, people.a, world.positions.b_deputy, today() - relativedelta(months=6))
    with CaptureQueriesContext(connection) as queries:
        content = login(users.viewer).get(LIST).content.decode()
    rows = [
        q["sql"] for q in queries if 'FROM "personnel_official"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert rows and all("rotation_movement" not in sql for sql in rows)
    assert content.count("Đang luân chuyển</span>") == 1
