"""Machinery of the access matrix (tests/accounts/test_access_matrix.py).

- ``walk_urlconf()``: every URL pattern of the project, walked from ``get_resolver()``.
- ``build_world()``: a province with two sibling districts A and B, canary names planted
  on B's personal data, at least one object of every admin-registered model on each side.
- ``fingerprint()``: an md5 per table of the project's apps (audit, sessions, admin log
  and axes excluded; ``last_login`` ignored), computed in Python so it works on SQLite
  and PostgreSQL alike.
- ``FormScraper`` and ``response_text()``: read a page's POST form back as a payload,
  and a response body as text (JSON unescaped, XLSX cell values, CSV).
"""

import csv
import datetime as dt
import hashlib
import html
import io
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from knox.models import AuthToken

from accounts.choices import Role
from accounts.models import ApiToken, AuditEvent
from personnel import services as personnel_services
from personnel.choices import Level, LocalityLevel, PositionKind
from tests.factories import (
    DisciplineFactory,
    EvaluationFactory,
    LocalityFactory,
    OfficialFactory,
    OrgUnitFactory,
    PlanningEntryFactory,
    PositionFactory,
    RewardFactory,
    SectorFactory,
    TrainingRecordFactory,
    UserFactory,
)


def _portrait() -> bytes:
    """A tiny PNG, the photo of the officials whose records the matrix reads."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 180, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


PORTRAIT = _portrait()

# --- URL configuration -------------------------------------------------------------


@dataclass
class Entry:
    """One URL pattern: its key (name, or a stable label for unnamed patterns)."""

    key: str
    route: str
    pattern: URLPattern
    model: type | None = None  # the admin model, for admin model URLs
    suffix: str | None = None  # changelist, add, change, delete, history, simple_history, ...

    @property
    def view_class(self):
        return getattr(self.pattern.callback, "view_class", None)


def _admin_model_of(name: str):
    """(model, suffix) for an ``admin:<app>_<model>_<suffix>`` URL name."""
    if name == "admin:auth_user_password_change":  # Django's UserAdmin hard-codes this name
        from django.contrib.auth import get_user_model

        return get_user_model(), "password"
    if not name.startswith("admin:"):
        return None, None
    bare = name.removeprefix("admin:")
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if bare.startswith(prefix):
            return model, bare.removeprefix(prefix)
    return None, None


def walk_urlconf() -> list[Entry]:
    entries: list[Entry] = []

    def walk(resolver, prefix: str, namespace: str | None):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p, prefix + str(p.pattern), ns)
                continue
            assert isinstance(p, URLPattern)
            route = prefix + str(p.pattern)
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            model_admin = getattr(p.callback, "model_admin", None)
            if name:
                model, suffix = _admin_model_of(name)
                entries.append(Entry(name, route, p, model, suffix))
            elif model_admin is not None:
                # Django's unnamed ``<id>/`` pattern redirecting to the change page.
                model = model_admin.model
                key = f"admin:{model._meta.app_label}_{model._meta.model_name}_<redirect>"
                entries.append(Entry(key, route, p, model, "redirect"))
            elif getattr(p.callback, "__name__", "") == "catch_all_view":
                entries.append(Entry("admin:<catch_all>", route, p))
            else:
                entries.append(Entry(f"<unnamed {route}>", route, p))

    walk(get_resolver(), "/", None)
    return entries


# --- table fingerprints --------------------------------------------------------------

FINGERPRINT_APPS = ("personnel", "rotation", "reports", "accounts", "django_celery_beat", "auth")
FINGERPRINT_EXCLUDED = {"accounts.auditevent", "auth.permission"}
IGNORED_COLUMNS = {"last_login"}


def fingerprinted_models():
    models = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in FINGERPRINT_APPS:
            continue
        if model._meta.label_lower in FINGERPRINT_EXCLUDED:
            continue
        models.append(model)
    return models


def fingerprint() -> dict[str, str]:
    """md5 of every row of every table of the project's apps, by table."""
    prints = {}
    for model in fingerprinted_models():
        columns = [
            f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED_COLUMNS
        ]
        digest = hashlib.md5(usedforsecurity=False)
        rows = model._base_manager.order_by("pk").values_list(*columns)
        count = 0
        for row in rows.iterator():
            digest.update(repr(row).encode())
            count += 1
        prints[model._meta.db_table] = f"{count}:{digest.hexdigest()}"
    return prints


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


# --- responses and forms -------------------------------------------------------------


def response_text(response) -> str:
    """The body as text: HTML unescaped, JSON with its escapes decoded, XLSX cell values."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type or content[:2] == b"PK":
        try:
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
            cells = []
            for sheet in book.worksheets:
                cells.append(sheet.title)
                for row in sheet.iter_rows(values_only=True):
                    cells.extend(str(v) for v in row if v is not None)
            return "\n".join(cells)
        except Exception as error:  # not a workbook after all
            return f"<unreadable workbook: {error}>" + content.decode("utf-8", "replace")
    text = content.decode("utf-8", "replace").lstrip("\ufeff")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    if "csv" in content_type:
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(text)))
    return html.unescape(text)


@dataclass
class ScrapedForm:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)  # name -> option values


class FormScraper(HTMLParser):
    """The forms of a page with the values a browser would submit (no submit buttons)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[ScrapedForm] = []
        self._form: ScrapedForm | None = None
        self._select: tuple[str, bool] | None = None
        self._select_selected: list[str] = []
        self._select_options: list[str] = []
        self._textarea: str | None = None
        self._textarea_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = ScrapedForm(
                (a.get("method") or "get").lower(), a.get("action") or "", [], {}
            )
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, a.get("value") or "on"))
                return
            self._form.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = (name, "multiple" in a)
            self._select_selected, self._select_options = [], []
        elif tag == "option" and self._select is not None:
            value = a.get("value") or ""
            self._select_options.append(value)
            if "selected" in a:
                self._select_selected.append(value)
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea_text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            chosen = self._select_selected
            if not chosen and not multiple and self._select_options:
                chosen = [self._select_options[0]]
            self._form.fields.extend((name, v) for v in chosen)
            self._form.selects[name] = list(self._select_options)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._textarea_text)
            self._form.fields.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None


def post_form_of(page: str) -> ScrapedForm | None:
    """The page's main POST form (the one with the most fields)."""
    scraper = FormScraper()
    scraper.feed(page)
    forms = [f for f in scraper.forms if f.method == "post"]
    if not forms:
        return None
    return max(forms, key=lambda f: len(f.fields))


# --- the world -------------------------------------------------------------------------

CANARY_WORD = "Canary"


def build_world() -> SimpleNamespace:
    """Tỉnh ủy P with sibling districts A and B; canary names on B's personal data.

    A's personal data is named "Mẫu … A"; every string planted on B's side contains the
    word ``Canary`` so any trace of it in a response of an A user is a leak.
    """
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    from reports import delivery as report_delivery
    from reports import services as report_services
    from reports.models import Delivery, Subscription
    from rotation import services as rotation_services
    from rotation.choices import (
        AlertKind,
        ConsultationOpinion,
        MovementKind,
        ReviewPeriod,
    )
    from rotation.models import Alert, Consultation

    w = SimpleNamespace()
    canaries: dict[str, str] = {}  # canary text -> what it is

    def canary(text: str, what: str) -> str:
        assert CANARY_WORD in text
        canaries[text] = what
        return text

    party = SectorFactory(code="party", name="Đảng")
    SectorFactory(code="government", name="Chính quyền")
    loc_p = LocalityFactory(code="42", name="Tỉnh P", level=LocalityLevel.PROVINCE)
    loc_a = LocalityFactory(code="436", name="Huyện A", parent=loc_p)
    loc_b = LocalityFactory(code="437", name="Huyện B", parent=loc_p)
    province = OrgUnitFactory(
        code="TU", name="Tỉnh ủy P", level=Level.PROVINCE, sector=party, locality=loc_p
    )
    hu_a = OrgUnitFactory(
        code="HUA", name="Huyện ủy A", sector=party, locality=loc_a, parent=province
    )
    hu_b = OrgUnitFactory(
        code="HUB", name="Huyện ủy B", sector=party, locality=loc_b, parent=province
    )
    w.localities = SimpleNamespace(p=loc_p, a=loc_a, b=loc_b)
    w.sectors = SimpleNamespace(party=party)
    w.units = SimpleNamespace(province=province, a=hu_a, b=hu_b)
    pos = SimpleNamespace(
        p_deputy=PositionFactory(org_unit=province, title="Phó Trưởng Ban Tổ chức Tỉnh ủy"),
        a_secretary=PositionFactory(org_unit=hu_a, title="Bí thư Huyện ủy A", is_key=True),
        a_deputy=PositionFactory(
            org_unit=hu_a, title="Phó Bí thư Huyện ủy A", kind=PositionKind.DEPUTY
        ),
        a_member=PositionFactory(
            org_unit=hu_a, title="Ủy viên Ban Thường vụ Huyện ủy A", kind=PositionKind.MEMBER
        ),
        b_secretary=PositionFactory(org_unit=hu_b, title="Bí thư Huyện ủy B", is_key=True),
        b_deputy=PositionFactory(
            org_unit=hu_b, title="Phó Bí thư Huyện ủy B", kind=PositionKind.DEPUTY
        ),
        b_member=PositionFactory(
            org_unit=hu_b, title="Ủy viên Ban Thường vụ Huyện ủy B", kind=PositionKind.MEMBER
        ),
    )
    w.positions = pos

    # --- users -------------------------------------------------------------------------
    def user(username, scope, role, **extra):
        extra.setdefault("email", f"{username}@example.vn")
        return UserFactory(username=username, scope=scope, role=role, **extra)

    w.users = SimpleNamespace(
        viewer_a=user("viewer_a", hu_a, Role.VIEWER, first_name="Mẫu Xem", last_name="A"),
        officer_a=user("officer_a", hu_a, Role.OFFICER, first_name="Mẫu Chuyên", last_name="A"),
        approver_a=user("approver_a", hu_a, Role.APPROVER, first_name="Mẫu Duyệt", last_name="A"),
        admin_a=user("admin_a", hu_a, Role.ADMINISTRATOR, first_name="Mẫu Quản", last_name="A"),
        province_viewer=user("viewer_p", province, Role.VIEWER, first_name="Mẫu Tỉnh"),
        noscope=user("noscope", None, Role.ADMINISTRATOR, first_name="Mẫu Không Phạm Vi"),
        inactive=user("inactive_a", hu_a, Role.ADMINISTRATOR, is_active=False),
        superuser=user("root", None, Role.ADMINISTRATOR, is_superuser=True),
    )
    for role in Role:
        name = canary(f"Canary Người Dùng {role.label} B", f"B staff user ({role.value})")
        setattr(
            w.users,
            f"{role.value}_b",
            user(f"{role.value}_b", hu_b, role, first_name=name, last_name=""),
        )
    # the user whose record stands for "a user of A" in the admin user URLs
    w.users.clerk_a = user("clerk_a", hu_a, Role.VIEWER, first_name="Mẫu Văn Thư", last_name="A")
    # API keys of a user of A and of B (Django admin's token pages)
    w.tokens = SimpleNamespace(
        **{
            side: ApiToken.objects.get(pk=AuthToken.objects.create(user=owner)[0].pk)
            for side, owner in (("a", w.users.clerk_a), ("b", w.users.viewer_b))
        }
    )

    # --- officials ------------------------------------------------------------------------
    def official(name, *, unit=None, position=None, since=dt.date(2016, 1, 1), **fields):
        fields.setdefault("date_of_birth", dt.date(1978, 4, 12))
        fields.setdefault("hometown", w.localities.p)
        o = OfficialFactory(full_name=name, **fields)
        personnel_services.posting_create(
            official=o,
            position=position,
            org_unit=unit if position is None else None,
            title="Chuyên viên" if position is None else "",
            start_date=since,
        )
        o.refresh_from_db()
        return o

    off = SimpleNamespace()
    off.a1 = official("Mẫu Phạm Văn Một A", position=pos.a_deputy)
    off.a2 = official("Mẫu Đỗ Thị Hai A", unit=hu_a)
    off.a3 = official("Mẫu Vũ Văn Ba A", position=pos.a_secretary)
    off.a4 = official("Mẫu Lý Văn Bốn A", unit=hu_a)
    off.a5 = official("Mẫu Tạ Thị Năm A", unit=hu_a)
    off.a6 = official("Mẫu Ngô Văn Sáu A", unit=hu_a)
    off.b1 = official(
        canary("Canary Nguyễn Bí Mật B", "B official holding b_deputy"),
        position=pos.b_deputy,
        date_of_birth=dt.date(1966, 2, 3),
        religion="Canary Tôn Giáo B",
    )
    canaries["Canary Tôn Giáo B"] = "B official's religion"
    off.b2 = official(canary("Canary Trần Ẩn Danh B", "B official (province decision)"), unit=hu_b)
    off.b3 = official(canary("Canary Lê Thị Kín B", "B official (B's decisions)"), unit=hu_b)
    off.b4 = official(canary("Canary Hồ Văn Giấu B", "B official (B's draft)"), unit=hu_b)
    off.b5 = official(canary("Canary Mai Thị Che B", "B official (B's approved)"), unit=hu_b)
    off.b6 = official(canary("Canary Đinh Văn Phủ B", "B official (B's due)"), unit=hu_b)
    off.p1 = official("Mẫu Hoàng Văn Tỉnh P", position=pos.p_deputy)
    w.officials = off
    for o, side in ((off.a1, "A"), (off.b1, "B")):
        prefix = "Mẫu" if side == "A" else CANARY_WORD
        TrainingRecordFactory(
            official=o, programme=f"{prefix} Chương Trình {side}", institution="Học viện"
        )
        EvaluationFactory(official=o, year=2023, note=f"{prefix} Nhận Xét Năm {side}")
        DisciplineFactory(official=o, note=f"{prefix} Ghi Chú Kỷ Luật {side}")
        RewardFactory(official=o, note=f"{prefix} Ghi Chú Khen Thưởng {side}")
        o.photo.save(f"{side}.png", ContentFile(PORTRAIT), save=True)
        PlanningEntryFactory(
            official=o,
            position=pos.a_secretary if side == "A" else pos.b_secretary,
            term="2025-2030",
            basis=f"{prefix} Căn Cứ Quy Hoạch {side}",
        )
    for text in (
        "Canary Chương Trình B",
        "Canary Nhận Xét Năm B",
        "Canary Ghi Chú Kỷ Luật B",
        "Canary Ghi Chú Khen Thưởng B",
        "Canary Căn Cứ Quy Hoạch B",
    ):
        canaries[text] = "B training/evaluation/discipline/planning text"
    off.a1.notes = "Mẫu ghi chú hồ sơ A"
    off.b1.notes = canary("Canary Ghi Chú Hồ Sơ B", "B official's notes")
    for o in (off.a1, off.b1):
        o.save()  # a second history row

    # --- decisions ------------------------------------------------------------------------
    past = dt.date(2023, 3, 1)
    system = None  # services run as the system (no user checks)

    def decision(number, issuer, note, moves, *, state, answer=None):
        d = rotation_services.decision_create(
            number=number, issued_by=issuer, title="Luân chuyển cán bộ", note=note
        )
        movements = []
        for official_, position, move_note in moves:
            movements.append(
                rotation_services.movement_add(
                    decision=d,
                    official=official_,
                    kind=MovementKind.ROTATION,
                    to_position=position,
                    effective_on=past if state in ("approved", "due") else dt.date(2031, 1, 1),
                    term_months=36,
                    note=move_note,
                    by=system,
                )
            )
        if state in ("consulting", "approved", "due"):
            rotation_services.decision_request_consultations(
                decision=d, requested_on=dt.date(2023, 1, 2), notify=False
            )
            for consultation in Consultation.objects.filter(decision=d):
                text = (answer or {}).get(consultation.org_unit_id)
                if text:
                    rotation_services.consultation_answer(
                        consultation=consultation,
                        opinion=ConsultationOpinion.values[0],
                        opinion_text=text,
                        answered_on=dt.date(2023, 1, 10),
                    )
        if state in ("approved", "due"):
            rotation_services.decision_approve(
                decision=d, signed_on=dt.date(2023, 2, 1), notify=False
            )
        if state == "approved":
            for i, m in enumerate(movements):
                movements[i] = rotation_services.movement_apply(movement=m, today=past)
        d.refresh_from_db()
        return d, movements

    dec = SimpleNamespace()
    dec.a_draft, (dec.a_draft_m,) = decision(
        "1-QĐ/HUA", hu_a, "Mẫu ghi chú QĐ A", [(off.a2, pos.a_member, "Mẫu ghi chú lượt A")],
        state="draft",
    )  # fmt: skip
    dec.a_cons, (dec.a_cons_m,) = decision(
        "2-QĐ/HUA",
        hu_a,
        "Mẫu ghi chú QĐ A",
        [(off.a4, pos.a_member, "Mẫu ghi chú lượt A")],
        state="consulting",
        answer={hu_a.pk: "Mẫu Ý Kiến A"},
    )
    dec.a_appr, (dec.a_appr_m,) = decision(
        "3-QĐ/HUA", hu_a, "Mẫu ghi chú QĐ A", [(off.a5, pos.a_member, "Mẫu ghi chú lượt A")],
        state="approved",
    )  # fmt: skip
    dec.a_due, (dec.a_due_m,) = decision(
        "4-QĐ/HUA", hu_a, "Mẫu ghi chú QĐ A", [(off.a6, pos.a_member, "Mẫu ghi chú lượt A")],
        state="due",
    )  # fmt: skip
    b_note = canary("Canary Ghi Chú QĐ B", "B decision note")
    b_move = canary("Canary Ghi Chú Lượt B", "B movement note")
    dec.b_draft, (dec.b_draft_m,) = decision(
        "1-QĐ/HUB", hu_b, b_note, [(off.b4, pos.b_member, b_move)], state="draft"
    )
    dec.b_cons, (dec.b_cons_m,) = decision(
        "2-QĐ/HUB",
        hu_b,
        b_note,
        [(off.b3, pos.b_member, b_move)],
        state="consulting",
        answer={hu_b.pk: canary("Canary Ý Kiến B", "B consultation opinion (B decision)")},
    )
    dec.b_appr, (dec.b_appr_m,) = decision(
        "3-QĐ/HUB", hu_b, b_note, [(off.b5, pos.b_member, b_move)], state="approved"
    )
    dec.b_due, (dec.b_due_m,) = decision(
        "4-QĐ/HUB", hu_b, b_note, [(off.b6, pos.b_member, b_move)], state="due"
    )
    # A province decision that A sees (it moves A's cadres) and that also moves B's: A must
    # see neither B's movement nor B's answer, nor the name of B's holder in the findings.
    dec.mixed, mixed_moves = decision(
        "9-QĐ/TU",
        province,
        "Mẫu ghi chú QĐ tỉnh",
        [
            (off.a1, pos.a_secretary, "Mẫu ghi chú lượt tỉnh A"),
            (off.b2, pos.b_secretary, canary("Canary Lượt Tỉnh B", "B movement note (province)")),
            (off.a3, pos.b_deputy, "Mẫu ghi chú lượt tỉnh A sang B"),
        ],
        state="consulting",
        answer={
            hu_a.pk: "Mẫu Ý Kiến Tỉnh A",
            hu_b.pk: canary("Canary Ý Kiến Tỉnh B", "B consultation opinion (province decision)"),
        },
    )
    dec.mixed_m_a, dec.mixed_m_b, dec.mixed_m_ab = mixed_moves
    w.decisions = dec
    w.consultations = SimpleNamespace(
        a=Consultation.objects.filter(decision=dec.a_cons, org_unit=hu_a).earliest("pk"),
        b=Consultation.objects.filter(decision=dec.b_cons, org_unit=hu_b).earliest("pk"),
        mixed_a=Consultation.objects.filter(decision=dec.mixed, org_unit=hu_a).earliest("pk"),
        mixed_b=Consultation.objects.filter(decision=dec.mixed, org_unit=hu_b).earliest("pk"),
    )

    # --- reviews and alerts -----------------------------------------------------------------
    w.reviews = SimpleNamespace(
        a=rotation_services.review_record(
            movement=dec.a_appr_m,
            period=ReviewPeriod.ANNUAL,
            year=2023,
            rating="good",
            text="Mẫu đánh giá A",
        ),
        b=rotation_services.review_record(
            movement=dec.b_appr_m,
            period=ReviewPeriod.ANNUAL,
            year=2023,
            rating="good",
            text=canary("Canary Đánh Giá Luân Chuyển B", "B rotation review text"),
        ),
    )
    w.alerts = SimpleNamespace(
        a=Alert.objects.create(
            kind=AlertKind.MISSING_REVIEW,
            key="matrix-a",
            official=off.a5,
            movement=dec.a_appr_m,
            message="Mẫu cảnh báo A",
            raised_on=dt.date(2024, 1, 5),
        ),
        b=Alert.objects.create(
            kind=AlertKind.MISSING_REVIEW,
            key="matrix-b",
            official=off.b5,
            movement=dec.b_appr_m,
            message=canary("Canary Cảnh Báo B", "B alert message"),
            raised_on=dt.date(2024, 1, 5),
        ),
    )

    # --- reports ------------------------------------------------------------------------------
    def run(scope, by, marker):
        r = report_services.report_run_now(
            report="tenure_watchlist",
            scope=scope,
            date_from=dt.date(2024, 1, 1),
            date_to=dt.date(2024, 12, 31),
            requested_by=by,
            today=dt.date(2024, 12, 31),
        )
        assert r.status == "succeeded", r.error
        # Plant the marker as a result row (whatever the report found), so every rendering
        # (page, XLSX, CSV, email) of B's run carries a canary.
        result = r.result
        table = result["tables"][0]
        width = len(table["columns"]) if "columns" in table else len(table["rows"][0])
        table["rows"].append([marker] + [""] * (width - 1))
        r.result = result
        r.save(update_fields=["result"])
        return r

    w.runs = SimpleNamespace(
        a=run(hu_a, w.users.officer_a, "Mẫu Dòng Báo Cáo A"),
        b=run(hu_b, w.users.officer_b, canary("Canary Dòng Báo Cáo B", "B report run row")),
    )

    def summary(scope, by):
        """A run whose rows drill down to the people they count (the movements of 2023)."""
        r = report_services.report_run_now(
            report="rotation_summary",
            scope=scope,
            date_from=dt.date(2023, 1, 1),
            date_to=dt.date(2023, 12, 31),
            params={"kind": "all"},
            requested_by=by,
            today=dt.date(2024, 12, 31),
        )
        assert r.status == "succeeded", r.error
        return r

    w.drill_runs = SimpleNamespace(
        a=summary(hu_a, w.users.officer_a), b=summary(hu_b, w.users.officer_b)
    )
    crontab = CrontabSchedule.objects.create(minute="0", hour="7", day_of_month="1")

    def subscription(name, scope, recipients, by):
        s = Subscription(
            name=name,
            report="tenure_watchlist",
            scope=scope,
            schedule=crontab,
            created_by=by,
            extra_emails="",
        )
        return report_delivery.subscription_save(subscription=s, recipients=recipients)

    w.subscriptions = SimpleNamespace(
        a=subscription("Mẫu Đăng Ký A", hu_a, [w.users.viewer_a], w.users.officer_a),
        b=subscription(
            canary("Canary Đăng Ký B", "B subscription name"),
            hu_b,
            [w.users.viewer_b],
            w.users.officer_b,
        ),
    )
    w.deliveries = SimpleNamespace(
        a=Delivery.objects.create(
            subscription=w.subscriptions.a,
            date_from=dt.date(2024, 1, 1),
            date_to=dt.date(2024, 1, 31),
            run=w.runs.a,
            recipients="viewer_a@example.vn",
            note="Mẫu gửi A",
        ),
        b=Delivery.objects.create(
            subscription=w.subscriptions.b,
            date_from=dt.date(2024, 1, 1),
            date_to=dt.date(2024, 1, 31),
            run=w.runs.b,
            recipients="viewer_b@example.vn",
            note=canary("Canary Gửi Thư B", "B delivery note"),
        ),
    )
    w.schedules = SimpleNamespace(
        crontab=crontab,
        interval=IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS),
        solar=SolarSchedule.objects.create(event="sunrise", latitude=21.03, longitude=105.85),
        clocked=ClockedSchedule.objects.create(clocked_time=timezone.now()),
    )
    w.periodic_tasks = SimpleNamespace(
        a=PeriodicTask.objects.get(pk=w.subscriptions.a.periodic_task_id),
        b=PeriodicTask.objects.get(pk=w.subscriptions.b.periodic_task_id),
    )
    w.group = Group.objects.create(name="Nhóm mẫu")
    w.audit = SimpleNamespace(
        a=AuditEvent.objects.create(
            user=w.users.officer_a, action="view_profile", object_type="official", object_id="1"
        ),
        b=AuditEvent.objects.create(
            user=w.users.officer_b, action="view_profile", object_type="official", object_id="2"
        ),
    )

    def reorganisation(name, unit, by):
        from personnel.choices import ReorganisationKind
        from personnel.models import Reorganisation
        from rotation.reorganisations import reorganisation_save

        return reorganisation_save(
            reorganisation=Reorganisation(
                kind=ReorganisationKind.RENAME,
                name=name,
                issued_by=unit,
                basis_number=f"RX-{unit.code}",
                basis_date=dt.date(2025, 6, 1),
                effective_on=dt.date(2025, 7, 1),
            ),
            unit_rows=[{"predecessor": unit, "new_name": name}],
            by=by,
        )

    w.reorganisations = SimpleNamespace(
        a=reorganisation("Mẫu Sắp Xếp A", hu_a, w.users.admin_a),
        b=reorganisation(
            canary("Canary Sắp Xếp B", "B reorganisation name"), hu_b, w.users.administrator_b
        ),
    )

    def record_import(name, user):
        """An uploaded workbook of the side, previewed: one official row with a bad date."""
        from personnel.imports.services import record_import_create, record_import_preview
        from tests.personnel.imports.conftest import fill, official_row

        data = fill({"officials": [official_row(f"NHAP-{user.pk}", date_of_birth="31/02/1980")]})
        created = record_import_create(user=user, data=data, file_name=name)
        return record_import_preview(record_import_id=created.pk)

    w.imports = SimpleNamespace(
        a=record_import("Mẫu Tệp Nhập A.xlsx", w.users.officer_a),
        b=record_import(canary("Canary Tệp Nhập B.xlsx", "B import file name"), w.users.officer_b),
    )

    def export_job(query):
        """A large export, built: a job is its requester's alone, so both sides' jobs are
        the superuser's and every other user (A's included) must get 404."""
        from personnel.export_jobs import export_job_request, export_job_run

        job, _created = export_job_request(user=w.users.superuser, fmt="xlsx", query=query)
        return export_job_run(job_id=job.pk)

    w.export_jobs = SimpleNamespace(
        a=export_job(f"unit={hu_a.pk}"), b=export_job(f"unit={hu_b.pk}")
    )
    from personnel.models import ColumnMapping

    w.mappings = SimpleNamespace(
        a=ColumnMapping.objects.create(
            org_unit=hu_a, name="Mẫu Ghép Cột A", sheet="officials",
            columns={"Họ tên": "full_name"}, created_by=w.users.officer_a,
        ),
        b=ColumnMapping.objects.create(
            org_unit=hu_b, name=canary("Canary Ghép Cột B", "B column mapping name"),
            sheet="officials", columns={"Họ tên": "full_name"}, created_by=w.users.officer_b,
        ),
    )  # fmt: skip
    w.extra = _optional_models(w)
    w.canaries = canaries
    return w


def _optional_models(w) -> dict:
    """Rows of admin-registered models of optional apps (django-axes when installed)."""
    extra = {}
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for side, username in (("a", "officer_a"), ("b", "officer_b")):
            common = {
                "user_agent": "pytest",
                "ip_address": "10.0.0.1" if side == "a" else "10.0.0.2",
                "username": username,
                "http_accept": "*/*",
                "path_info": "/accounts/login/",
            }
            extra[("axes.accessattempt", side)] = AccessAttempt.objects.create(
                failures_since_start=1, **common
            )
            extra[("axes.accesslog", side)] = AccessLog.objects.create(**common)
            extra[("axes.accessfailurelog", side)] = AccessFailureLog.objects.create(
                locked_out=False, **common
            )
    return extra
