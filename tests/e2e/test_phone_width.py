"""Every main staff page fits a phone (390 × 844): nothing pans sideways, nothing is cut.

A browser at phone width logs in as a superuser and visits each page listed below, with
its collapsed panels opened (the menu, the filter panel, a consultation's answer form, the
cancel form). On each page the document and the body are no wider than the window; no
element reaches past the right edge unless a box that scrolls or clips sideways (a
table's ``.table-responsive``) holds it; and no table column is squeezed so narrow that a
title or a unit name breaks into a word per line. The list of pages is checked against the
project's URL names, so a new page has to be added here or named as no page of its own.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule

from personnel.choices import (
    EvaluationRating,
    Gender,
    Level,
    PositionKind,
    ReorganisationKind,
    TrainingKind,
    TrainingMode,
)
from personnel.models import Reorganisation
from reports import delivery
from reports import services as report_services
from reports.models import Subscription
from rotation import services
from rotation.choices import AlertKind, MovementKind
from rotation.models import Alert
from rotation.reorganisations import reorganisation_save
from tests.e2e.conftest import PHONE
from tests.factories import (
    EvaluationFactory,
    OrgUnitFactory,
    PositionFactory,
    TrainingRecordFactory,
    UserFactory,
)
from tests.reports.conftest import move  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory
# A table cell holding three words or more is at least this wide (CSS pixels, 6rem):
# narrower, a title or a unit name breaks into a word per line.
MIN_TEXT_CELL = 96

# The pages: (URL name, the records filling its arguments, query string).
# FROM_RUN_PAGE: the query of the first figure's link on the report run page.
FROM_RUN_PAGE = "from the run page"
PAGES = [
    ("dashboard", (), ""),
    ("official_list", (), ""),
    ("official_list", (), "?gender=female&status=active"),  # results with the filter panel open
    ("official_detail", ("official",), ""),
    ("official_cv", ("official",), ""),
    ("official_create", (), ""),
    ("official_update", ("official",), ""),
    ("unit_tree", (), ""),
    ("unit_tree", (), "?q=huyen"),  # search results
    ("unit_detail", ("province",), ""),
    ("position_detail", ("position",), ""),
    ("decision_list", (), ""),
    ("decision_create", (), ""),
    ("decision_detail", ("draft",), ""),  # movements with their edit buttons
    ("decision_detail", ("consulting",), ""),  # consultations with answer forms
    ("decision_detail", ("approved",), ""),
    ("decision_update", ("draft",), ""),
    ("movement_add", ("draft",), ""),
    ("movement_update", ("draft", "draft_movement"), ""),
    ("decision_approve", ("consulting",), ""),
    ("consultation_answer", ("consultation",), ""),
    ("report_catalogue", (), ""),
    ("report_run", ("report_code",), ""),
    ("report_run_detail", ("run",), ""),
    ("report_run_people", ("run",), FROM_RUN_PAGE),
    ("subscription_list", (), ""),
    ("subscription_create", (), ""),
    ("subscription_update", ("subscription",), ""),
    ("alert_list", (), ""),
    ("vacant_posts", (), ""),
    ("reorganisation_list", (), ""),
    ("reorganisation_create", (), ""),
    ("reorganisation_detail", ("reorganisation",), ""),  # the preview of every effect
    ("reorganisation_update", ("reorganisation",), ""),
    # The parts of the record on the profile page: one form template for all of them.
    ("official_posting_create", ("official",), ""),
    ("official_posting_update", ("official", "posting"), ""),
    ("official_posting_close", ("official", "posting"), ""),
    ("official_training_create", ("official",), ""),
    ("official_evaluation_create", ("official",), ""),
    ("official_planning_create", ("official",), ""),
    ("official_discipline_create", ("official",), ""),
    ("official_reward_create", ("official",), ""),
    ("official_photo_upload", ("official",), ""),
    ("official_roster", (), ""),
    ("record_import_upload", (), ""),
    ("record_import_detail", ("record_import",), ""),  # the preview with its errors
    ("record_import_mapping", ("record_import",), ""),
    ("official_export_job", ("export_job",), ""),  # a finished job: download, size, expiry
]
SIGNED_OUT_PAGES = ["login"]
# URL names that answer with no page of their own.
NOT_PAGES = {
    "api_schema": "the API's OpenAPI schema (YAML)",
    "api_docs": "Swagger UI's own page for developers (tests/e2e/test_api_docs.py)",
    "logout": "POST only",
    "set_language": "POST only",
    "admin_view_on_site_scoped": "a redirect to the object's page",
    "official_export": "a file",
    "official_export_download": "a file",
    "official_export_job_progress": "an htmx fragment of the export job page",
    "official_filter_fields": "an htmx fragment of the officials list's filter panel",
    "report_run_download": "a file",
    "official_autocomplete": "JSON",
    "locality_autocomplete": "JSON",
    "unit_autocomplete": "JSON",
    "position_autocomplete": "JSON",
    "unit_children": "an htmx fragment of the unit tree",
    "movement_check": "an htmx fragment of the movement form",
    "movement_check_existing": "an htmx fragment of the movement form",
    "movement_remove": "POST only",
    "decision_request_consultations": "POST only",
    "decision_apply": "POST only",
    "decision_cancel": "POST only (its form is on the decision page)",
    "subscription_toggle": "POST only",
    "subscription_send": "POST only",
    "alert_resolve": "POST only",
    "reorganisation_apply": "POST only (its form is on the reorganisation page)",
    "official_photo": "an image",
    "official_photo_remove": "POST only",
    "decision_export": "a file",
    "record_import_template": "a file",
    "record_import_errors": "a file",
    "record_import_progress": "an htmx fragment of the import page",
    "record_import_apply": "POST only",
    "official_posting_delete": "a confirmation like every other (personnel/record/confirm_delete.html)",
    "official_training_update": "the same form as official_training_create",
    "official_training_delete": "a confirmation like every other (personnel/record/confirm_delete.html)",
    "official_evaluation_update": "the same form as official_evaluation_create",
    "official_evaluation_delete": "a confirmation like every other (personnel/record/confirm_delete.html)",
    "official_planning_update": "the same form as official_planning_create",
    "official_planning_delete": "a confirmation like every other (personnel/record/confirm_delete.html)",
    "official_discipline_update": "the same form as official_discipline_create",
    "official_discipline_delete": "a confirmation like every other (personnel/record/confirm_delete.html)",
    "official_reward_update": "the same form as official_reward_create",
    "official_reward_delete": "a confirmation like every other (personnel/record/confirm_delete.html)",
}

# Opens what a user can open: the collapsed menu and panels, the <details> (not the unit
# tree's, which load their children over the network).
REVEAL = """() => {
  document.querySelectorAll(".collapse").forEach((e) => e.classList.add("show"));
  document.querySelectorAll("details:not([hx-get])").forEach((d) => { d.open = true; });
}"""

MEASURE = """(minTextCell) => {
  const width = window.innerWidth;
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && e !== document.body && parts.length < 5; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(`${part}#${e.id}`); break; }
      const classes = [...e.classList].slice(0, 3);
      if (classes.length) part += "." + classes.join(".");
      const same = e.parentElement ? [...e.parentElement.children].filter((s) => s.tagName === e.tagName) : [];
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(e) + 1})`;
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  // Held by an ancestor that scrolls or clips sideways, unless an absolutely positioned
  // box on the way has its containing block outside that ancestor: that is how a
  // screen-reader-only label escapes a table's scrolling box and widens the page.
  const held = (el) => {
    const absolute = [];
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (e !== el && style.overflowX !== "visible"
          && absolute.every((a) => a.offsetParent && e.contains(a.offsetParent))) return true;
      if (style.position === "fixed") return false;
      if (style.position === "absolute") absolute.push(e);
    }
    return false;
  };
  const cut = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if ((box.width === 0 && box.height === 0) || box.right <= width + 1) continue;
    if (getComputedStyle(el).visibility === "hidden" || held(el)) continue;
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    cut.push(`${describe(el)} reaches ${Math.round(box.right)}px (“${text}”)`);
  }
  const squeezed = [];
  for (const cell of document.querySelectorAll("main td")) {
    const box = cell.getBoundingClientRect();
    if (!box.width) continue;
    const visible = cell.cloneNode(true);
    visible.querySelectorAll(".visually-hidden").forEach((e) => e.remove());
    const words = visible.textContent.trim().split(/\\s+/).filter(Boolean);
    const style = getComputedStyle(cell);
    if (style.whiteSpace === "nowrap") continue;  // one line, however narrow
    const inner = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (words.length >= 3 && inner < minTextCell) {
      squeezed.push(`${describe(cell)} is ${Math.round(inner)}px wide for “${words.join(" ").slice(0, 40)}”`);
    }
  }
  return {
    width,
    documentWidth: document.documentElement.scrollWidth,
    bodyWidth: document.body.scrollWidth,
    cut: cut.slice(0, 5),
    squeezed: [...new Set(squeezed)].slice(0, 5),
  };
}"""


def staff_url_names() -> set[str]:
    """Every named URL of the project outside Django admin and the REST API (JSON)."""
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace not in ("admin", "api"):
                    walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_the_phone_check_names_every_staff_page():
    listed = {name for name, _args, _query in PAGES} | set(SIGNED_OUT_PAGES)
    assert listed.isdisjoint(NOT_PAGES)
    assert staff_url_names() == listed | set(NOT_PAGES)


@pytest.fixture
def records(world, make_official, move):  # noqa: F811
    """Demo-like records for every page: long titles and unit names, each decision state."""
    today = timezone.localdate()
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    finance_office = OrgUnitFactory(
        code="TCKHA",
        name="Phòng Tài chính - Kế hoạch huyện A",
        level=Level.DISTRICT,
        sector=world.sectors.finance,
        locality=world.localities.a,
        parent=world.units.ubnd_a,
    )
    finance_deputy = PositionFactory(
        org_unit=finance_office,
        title="Phó Trưởng phòng Tài chính - Kế hoạch huyện A",
        kind=PositionKind.DEPUTY,
    )
    official = make_official(
        position=world.positions.a_deputy, full_name="Nguyễn Thị Minh Khai", gender=Gender.FEMALE
    )
    TrainingRecordFactory(
        official=official,
        kind=TrainingKind.STATE_MANAGEMENT,
        programme="Bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên chính",
        institution="Trường Chính trị Trần Phú tỉnh Hà Tĩnh",
        mode=TrainingMode.PART_TIME,
        qualification="Chứng chỉ quản lý nhà nước ngạch chuyên viên chính",
        start_date=dt.date(2019, 3, 1),
        end_date=dt.date(2019, 6, 30),
    )
    TrainingRecordFactory(official=official, end_date=dt.date(2020, 6, 30))
    EvaluationFactory(official=official, year=today.year - 1, rating=EvaluationRating.EXCELLENT)
    # Approved and applied: a movement in the official's history and in the report.
    moved_on = today - dt.timedelta(days=40)
    approved = move(official, finance_deputy, moved_on, apply=True).decision
    for name in ("Trần Thị Thu Hương", "Lê Thị Bích Ngọc"):
        make_official(unit=finance_office, full_name=name, gender=Gender.FEMALE)

    draft = services.decision_create(
        number="15-QĐ/TU",
        issued_by=world.units.province,
        title="Về việc luân chuyển, điều động cán bộ lãnh đạo, quản lý các huyện năm 2026",
    )
    movers = [
        (make_official(position=world.positions.b_secretary, full_name="Phạm Văn Trường"), "a"),
        (make_official(position=world.positions.a_secretary, full_name="Hoàng Thị Lan"), "b"),
    ]
    draft_movements = [
        services.movement_add(
            decision=draft,
            official=mover,
            kind=MovementKind.ROTATION,
            to_position=getattr(world.positions, f"{to}_secretary"),
            effective_on=today + dt.timedelta(days=30),
            term_months=24,
        )
        for mover, to in movers
    ]
    consulting = services.decision_create(
        number="16-QĐ/TU", issued_by=world.units.province, title="Về việc điều động cán bộ"
    )
    services.movement_add(
        decision=consulting,
        official=make_official(position=world.positions.b_deputy, full_name="Đỗ Văn Hùng"),
        kind=MovementKind.TRANSFER,
        to_position=world.positions.a_chair,
        effective_on=today + dt.timedelta(days=45),
    )
    services.decision_request_consultations(decision=consulting, notify=False)

    Alert.objects.create(
        kind=AlertKind.TWO_TERM,
        key="phone:two-term",
        official=official,
        message=(
            "Cán bộ Nguyễn Thị Minh Khai giữ chức vụ “Phó Trưởng phòng Tài chính - Kế hoạch "
            "huyện A” liên tục từ 8 năm trở lên."
        ),
        raised_on=today,
    )
    schedule = CrontabSchedule.objects.create(
        minute="0", hour="7", day_of_month="1", timezone="Asia/Ho_Chi_Minh"
    )
    subscription = delivery.subscription_save(
        subscription=Subscription(
            name="Tổng hợp luân chuyển cán bộ hằng tháng gửi Thường trực Tỉnh ủy",
            report="rotation_summary",
            scope=world.units.province,
            period_rule="last_month",
            schedule=schedule,
        ),
        recipients=[superuser],
    )
    run = report_services.report_request(
        report="rotation_summary",
        scope=world.units.province,
        date_from=moved_on - dt.timedelta(days=30),
        date_to=today,
        requested_by=superuser,
        enqueue=False,
    )
    run = report_services.report_run_execute(run_id=run.pk, today=today)
    reorganisation = reorganisation_save(
        reorganisation=Reorganisation(
            kind=ReorganisationKind.MERGE,
            name="Sắp xếp đơn vị hành chính cấp xã thuộc huyện A theo Nghị quyết của UBTVQH",
            issued_by=world.units.province,
            basis_number="1665/NQ-UBTVQH15",
            basis_date=dt.date(2025, 6, 16),
            effective_on=dt.date(2025, 7, 1),
        ),
        unit_rows=[
            {
                "predecessor": world.units.xa_a1,
                "new_name": "Đảng ủy xã Hương Minh Quang Thọ",
                "new_parent": world.units.province,
            }
        ],
    )
    from personnel.imports.services import record_import_create, record_import_preview
    from tests.personnel.imports.conftest import fill, official_row

    uploaded = record_import_create(
        user=superuser,
        data=fill({"officials": [official_row("CB-NHAP-01", date_of_birth="31/02/1980")]}),
        file_name="Danh sách cán bộ của Ban Tổ chức Huyện ủy A năm 2026.xlsx",
    )
    from personnel.models_exports import ExportJob

    export_job = ExportJob.objects.create(
        requested_by=superuser,
        format="national",
        query="unit=1&q=Nguy%E1%BB%85n+Th%E1%BB%8B+Minh+Khai",
        status="failed",
        rows_total=120_000,
        rows_done=64_000,
        error_message="Bộ xử lý nền đã dừng giữa chừng khi đang ghi tệp hồ sơ theo cơ sở dữ liệu "
        "quốc gia; hãy xuất lại.",
    )
    return SimpleNamespace(
        export_job=export_job,
        reorganisation=reorganisation,
        record_import=record_import_preview(record_import_id=uploaded.pk),
        posting=official.postings.get(end_date__isnull=True, is_primary=True),
        superuser=superuser,
        official=official,
        province=world.units.province,
        position=world.positions.a_secretary,
        draft=draft,
        draft_movement=draft_movements[0],
        consulting=consulting,
        consultation=consulting.consultations.filter(answered_on__isnull=True).first(),
        approved=approved,
        report_code="rotation_summary",
        run=run,
        subscription=subscription,
    )


def problems(page, url: str, label: str) -> list[str]:
    response = page.goto(url)
    if response is None or not response.ok:
        return [f"{label} ({url}): HTTP {response.status if response else 'no answer'}"]
    page.wait_for_load_state("networkidle")
    page.evaluate(REVEAL)
    found = page.evaluate(MEASURE, MIN_TEXT_CELL)
    width = found["width"]
    where = f"{label} ({url})"
    listed = []
    for part in ("document", "body"):
        if found[f"{part}Width"] > width:
            listed.append(
                f"{where}: the {part} is {found[f'{part}Width']}px wide, the window {width}px"
            )
    listed += [f"{where}: {item}" for item in found["cut"]]
    listed += [f"{where}: squeezed column: {item}" for item in found["squeezed"]]
    return listed


def test_every_main_staff_page_fits_a_phone(phone_page, live_server, records):
    page = phone_page
    assert page.viewport_size == PHONE
    base = live_server.url
    failures = []
    for name in SIGNED_OUT_PAGES:
        failures += problems(page, f"{base}{reverse(name)}", name)

    page.get_by_label("Tên đăng nhập").fill(records.superuser.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")

    run_page = reverse("report_run_detail", args=[records.run.pk])
    for name, fields, query in PAGES:
        values = [getattr(records, field) for field in fields]
        path = reverse(name, args=[getattr(value, "pk", value) for value in values])
        if query == FROM_RUN_PAGE:
            page.goto(f"{base}{run_page}")
            link = page.locator(f"main a[href^='{path}']").first.get_attribute("href")
            query = link[len(path) :]
        failures += problems(page, f"{base}{path}{query}", name)

    assert failures == [], f"Pages that do not fit a {PHONE['width']}px phone:\n" + "\n".join(
        failures
    )
