"""Hostile input never reaches the database or date arithmetic: a 4xx or a form error.

Dates outside 01/01/1900 – 31/12/2100 are refused by every form, filter, admin filter and
service (``personnel.dates``); NUL and other control characters by one middleware
(``config.middleware.RefuseControlCharactersMiddleware``). NUL bytes only break
PostgreSQL (``DataError``): run these tests there too (DATABASE_URL).
"""

import datetime as dt
import html
import re

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import AuditEvent
from personnel import services as personnel_services
from personnel.dates import LATEST, SaneDateField, validate_sane_date
from personnel.models import Official, Posting
from reports import registry
from rotation import services
from rotation.choices import DecisionStatus, MovementKind
from rotation.models import Decision, Movement
from tests.factories import EvaluationFactory, PlanningEntryFactory, UserFactory

pytestmark = pytest.mark.django_db

D = dt.date
OUT_OF_RANGE = "Ngày phải trong khoảng từ 01/01/1900 đến 31/12/2100."
BAD_REQUEST = "Yêu cầu không hợp lệ"
HOSTILE_DATES = ["01/01/0001", "31/12/9999", "31/12/1899", "01/01/2101"]
HUGE = "9" * 30


def page(response) -> str:
    return html.unescape(response.content.decode())


def assert_bad_request(response):
    assert response.status_code == 400, response.status_code
    assert BAD_REQUEST in page(response)


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def draft(world, make_official):
    """A draft decision of the province with one movement (effective 01/09/2025)."""
    decision = services.decision_create(
        number="7-QĐ/TU", issued_by=world.units.province, title="Luân chuyển cán bộ"
    )
    mover = make_official(position=world.positions.a_deputy, full_name="Lê Văn Bình")
    movement = services.movement_add(
        decision=decision,
        official=mover,
        kind=MovementKind.ROTATION,
        to_position=world.positions.b_deputy,
        effective_on=D(2025, 9, 1),
        term_months=36,
    )
    return decision, movement


def movement_data(official, position, effective_on, **extra):
    return {
        "official": official.pk,
        "kind": MovementKind.ROTATION,
        "to_position": position.pk,
        "effective_on": effective_on,
        "term_months": 36,
        **extra,
    }


# --- the accepted range --------------------------------------------------------------


@pytest.mark.parametrize(
    "day, ok",
    [
        (D(1, 1, 1), False),
        (D(1899, 12, 31), False),
        (D(1900, 1, 1), True),
        (D(2100, 12, 31), True),
        (D(2101, 1, 1), False),
        (D(9999, 12, 31), False),
        (dt.datetime(9999, 12, 31, 23, 59), False),  # noqa: DTZ001 - a naive value as forms give
        (None, True),
    ],
)
def test_the_validator_accepts_1900_to_2100(day, ok):
    if ok:
        validate_sane_date(day)
    else:
        with pytest.raises(ValidationError) as error:
            validate_sane_date(day)
        assert error.value.messages == [OUT_OF_RANGE]


def test_every_model_date_field_carries_the_validator():
    """Installed when the app is ready: the admin's forms and full_clean refuse too."""
    from django.apps import apps

    date_fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.DateField)
    ]
    assert date_fields
    assert all(validate_sane_date in field.validators for field in date_fields)


def _project_forms():
    """Every form and filter set class defined in the project's apps, but the admin's.

    The admin's forms are refused the same dates by the model fields' validator
    (``test_every_model_date_field_carries_the_validator``, ``test_admin_forms_...``).
    """
    import importlib
    import pkgutil

    import django_filters
    from django import forms

    found = []
    for app in ("accounts", "personnel", "rotation", "reports", "config"):
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if re.search(r"\.(migrations|management|admin)\b", info.name):
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if not isinstance(value, type) or value.__module__ != module.__name__:
                    continue
                if issubclass(value, forms.BaseForm | django_filters.FilterSet):
                    found.append(value)
    return found


def test_every_date_field_of_the_project_forms_and_filters_is_sane():
    """The one policy: a date field in a form or filter set of ours is a SaneDateField."""
    import django_filters
    from django import forms

    checked = []
    for cls in _project_forms():
        if issubclass(cls, django_filters.FilterSet):
            fields = {name: f.field_class for name, f in cls.base_filters.items()}
        else:
            fields = {name: type(f) for name, f in cls.base_fields.items()}
        for name, field_class in fields.items():
            if issubclass(field_class, forms.DateField):
                checked.append(f"{cls.__name__}.{name}")
                assert issubclass(field_class, SaneDateField), f"{cls.__module__}.{name}"
    assert "MovementForm.effective_on" in checked and "DecisionFilterSet.date_from" in checked


# --- movements: the failures found -------------------------------------------------------


class TestMovementDates:
    @pytest.mark.parametrize("day", HOSTILE_DATES)
    def test_add_refuses_and_changes_nothing(self, login, users, world, make_official, draft, day):
        decision, _movement = draft
        other = make_official(position=world.positions.a1_secretary)
        before = list(Movement.objects.values_list("pk", "effective_on"))
        response = login(users.officer).post(
            reverse("movement_add", args=[decision.pk]),
            movement_data(other, world.positions.a_deputy, day),
        )
        assert response.status_code == 200
        assert OUT_OF_RANGE in page(response)
        assert list(Movement.objects.values_list("pk", "effective_on")) == before

    @pytest.mark.parametrize("day", HOSTILE_DATES)
    def test_update_refuses_and_changes_nothing(self, login, users, world, draft, day):
        decision, movement = draft
        response = login(users.officer).post(
            reverse("movement_update", args=[decision.pk, movement.pk]),
            movement_data(movement.official, world.positions.b_deputy, day),
        )
        assert response.status_code == 200 and OUT_OF_RANGE in page(response)
        movement.refresh_from_db()
        assert movement.effective_on == D(2025, 9, 1)

    @pytest.mark.parametrize("day", HOSTILE_DATES)
    def test_live_check_shows_the_message(self, login, users, world, make_official, draft, day):
        decision, movement = draft
        other = make_official(position=world.positions.a1_secretary)
        client = login(users.officer)
        for url, official in (
            (reverse("movement_check", args=[decision.pk]), other),
            (
                reverse("movement_check_existing", args=[decision.pk, movement.pk]),
                movement.official,
            ),
        ):
            response = client.post(url, movement_data(official, world.positions.a_deputy, day))
            assert response.status_code == 200, url

    def test_a_term_ending_after_2100_is_refused_with_a_message(
        self, login, users, world, make_official, draft
    ):
        decision, _movement = draft
        other = make_official(position=world.positions.a1_secretary)
        response = login(users.officer).post(
            reverse("movement_add", args=[decision.pk]),
            movement_data(other, world.positions.a_deputy, "01/06/2100"),
        )
        assert response.status_code == 200
        assert "Thời hạn quá dài: ngày kết thúc dự kiến không được sau 31/12/2100." in page(
            response
        )
        assert not Movement.objects.filter(official=other).exists()

    @pytest.mark.parametrize("day", [D(1, 1, 1), D(1, 1, 2), D(9999, 12, 31), D(2101, 1, 1)])
    def test_services_refuse(self, world, make_official, draft, day):
        decision, movement = draft
        other = make_official(position=world.positions.a1_secretary)
        with pytest.raises(ValidationError) as error:
            services.movement_add(
                decision=decision,
                official=other,
                kind=MovementKind.ROTATION,
                to_position=world.positions.a_deputy,
                effective_on=day,
                term_months=36,
            )
        assert error.value.message_dict == {"effective_on": [OUT_OF_RANGE]}
        with pytest.raises(ValidationError) as error:
            services.movement_update(movement=movement, effective_on=day)
        assert error.value.message_dict == {"effective_on": [OUT_OF_RANGE]}
        assert Movement.objects.get(pk=movement.pk).effective_on == D(2025, 9, 1)
        assert not Movement.objects.filter(official=other).exists()

    @pytest.mark.parametrize(
        "start, months",
        [(D(1, 1, 1), 36), (D(9999, 12, 31), 1), (D(2100, 1, 1), 36), (D(2100, 1, 1), 10**6)],
    )
    def test_expected_end_never_overflows(self, start, months):
        with pytest.raises(ValidationError):
            services.expected_end(start, months)

    def test_expected_end_inside_the_range(self):
        assert services.expected_end(D(2097, 1, 1), 48) == LATEST


# --- other forms and services --------------------------------------------------------------


class TestOtherDates:
    @pytest.mark.parametrize("day", HOSTILE_DATES)
    def test_decision_form(self, login, users, world, day):
        response = login(users.officer).post(
            reverse("decision_create"),
            {
                "number": "99-QĐ/TU",
                "issued_by": world.units.province.pk,
                "title": "Điều động",
                "signed_on": day,
            },
        )
        assert response.status_code == 200 and OUT_OF_RANGE in page(response)
        assert not Decision.objects.filter(number="99-QĐ/TU").exists()

    def test_approval_and_answer(self, login, users, world, draft):
        decision, _movement = draft
        response = login(users.approver).post(
            reverse("decision_approve", args=[decision.pk]), {"signed_on": "31/12/9999"}
        )
        assert response.status_code in (200, 302)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.DRAFT and decision.signed_on is None
        services.decision_request_consultations(decision=decision, notify=False)
        consultation = decision.consultations.first()
        response = login(users.officer).post(
            reverse("consultation_answer", args=[consultation.pk]),
            {"opinion": "agree", "answered_on": "01/01/0001"},
        )
        assert response.status_code in (200, 302)
        consultation.refresh_from_db()
        assert consultation.answered_on is None

    @pytest.mark.parametrize(
        "field", ["date_of_birth", "party_joined_on", "party_confirmed_on", "start_date"]
    )
    def test_official_create(self, login, users, world, field):
        data = {
            "code": "CB777",
            "full_name": "Nguyễn Văn Hạn",
            "gender": "male",
            "date_of_birth": "15/03/1980",
            "management_tier": "",
            "status": "active",
            "org_unit": world.units.province.pk,
            "title": "Chuyên viên",
            "start_date": "01/01/2020",
            field: "01/01/0001",
        }
        response = login(users.officer).post(reverse("official_create"), data)
        assert response.status_code == 200 and OUT_OF_RANGE in page(response)
        assert not Official.objects.filter(code="CB777").exists()

    @pytest.mark.parametrize("field", ["start_date", "end_date"])
    def test_posting_services(self, world, make_official, field):
        official = make_official(position=world.positions.a_deputy)
        posting = official.postings.get()
        dates = {"start_date": D(2024, 1, 1), "end_date": None, field: D(9999, 12, 31)}
        with pytest.raises(ValidationError) as error:
            personnel_services.posting_create(
                official=official,
                org_unit=world.units.hu_b,
                title="Kiêm nhiệm",
                is_primary=False,
                **dates,
            )
        assert error.value.message_dict == {field: [OUT_OF_RANGE]}
        with pytest.raises(ValidationError):
            personnel_services.posting_update(posting=posting, **{field: D(1, 1, 1)})
        assert list(Posting.objects.filter(official=official)) == [posting]
        posting.refresh_from_db()
        assert posting.start_date == D(2018, 1, 1) and posting.end_date is None

    def test_official_services(self, world, make_official):
        official = make_official(unit=world.units.hu_a)
        with pytest.raises(ValidationError) as error:
            personnel_services.official_update(official=official, date_of_birth=D(1, 1, 1))
        assert error.value.message_dict == {"date_of_birth": [OUT_OF_RANGE]}
        official.refresh_from_db()
        assert official.date_of_birth == D(1980, 3, 15)

    @pytest.mark.parametrize("day", HOSTILE_DATES)
    def test_decision_list_filter(self, login, users, draft, day):
        client = login(users.officer)
        for name in ("date_from", "date_to"):
            response = client.get(reverse("decision_list"), {name: day})
            assert response.status_code == 200 and OUT_OF_RANGE in page(response)

    @pytest.mark.parametrize("day", HOSTILE_DATES)
    def test_report_run_form(self, login, users, world, day):
        from reports.models import ReportRun

        response = login(users.officer).post(
            reverse("report_run", args=["rotation_summary"]),
            {
                "scope": world.units.province.pk,
                "period": "custom",
                "date_from": day,
                "date_to": "31/12/2024",
            },
        )
        assert response.status_code == 200 and OUT_OF_RANGE in page(response)
        assert not ReportRun.objects.exists()

    def test_admin_forms_refuse_through_the_model_fields(self, client, root, world, make_official):
        """A form the project does not declare (the admin's) refuses the same dates."""
        official = make_official(position=world.positions.a_deputy, planned=False)
        entry = PlanningEntryFactory(
            official=official, position=world.positions.a_secretary, term="2025-2030"
        )
        client.force_login(root)
        url = reverse("admin:personnel_planningentry_change", args=[entry.pk])
        response = client.post(
            url,
            {
                "official": official.pk,
                "position": world.positions.a_secretary.pk,
                "term": "2025-2030",
                "status": entry.status,
                "approved_on": "9999-12-31",
            },
        )
        assert response.status_code == 200 and OUT_OF_RANGE in page(response)
        entry.refresh_from_db()
        assert entry.approved_on is None

    def test_admin_movement_form(self, draft, world):
        from rotation.admin import MovementForm

        decision, movement = draft
        form = MovementForm(
            data=movement_data(movement.official, world.positions.b_deputy, "0001-01-01"),
            instance=movement,
        )
        assert not form.is_valid()
        assert form.errors["effective_on"] == [OUT_OF_RANGE]


# --- control characters --------------------------------------------------------------------


class TestControlCharacters:
    @pytest.mark.parametrize(
        "url_name, param",
        [
            ("official_autocomplete", "q"),
            ("locality_autocomplete", "q"),
            ("unit_autocomplete", "q"),
            ("position_autocomplete", "q"),
            ("official_list", "q"),
            ("official_list", "ethnicity"),
            ("unit_tree", "q"),
            ("decision_list", "q"),
            ("alert_list", "q"),
            ("subscription_list", "q"),
        ],
    )
    @pytest.mark.parametrize("value", ["a\x00b", "\x00", "x\x01", "\x1b[31m", "a\x7f\x00"])
    def test_staff_pages_answer_400(self, login, users, url_name, param, value):
        assert_bad_request(login(users.officer).get(reverse(url_name), {param: value}))

    @pytest.mark.parametrize(
        "url",
        [
            "/admin/autocomplete/?app_label=rotation&model_name=movement&field_name=official&term=a%00",
            "/admin/rotation/decision/?status=a%00",
            "/admin/rotation/decision/?status__exact=%00",
            "/admin/personnel/official/?q=a%00b",
            "/admin/personnel/posting/?org_unit__level__exact=%00",
            "/admin/personnel/official/%00/change/",
        ],
    )
    def test_admin_answers_400(self, client, root, url):
        client.force_login(root)
        assert_bad_request(client.get(url))

    def test_a_name_with_nul_is_refused_too(self, login, users):
        assert_bad_request(login(users.officer).get(reverse("official_list") + "?a%00=1"))

    def test_tab_line_feed_and_carriage_return_pass(self, login, users):
        response = login(users.officer).get(reverse("official_list"), {"q": "an\t\r\nbinh"})
        assert response.status_code == 200

    def test_a_form_with_nul_is_refused_and_nothing_is_saved(self, login, users, world):
        response = login(users.officer).post(
            reverse("decision_create"),
            {"number": "8\x00-QĐ", "issued_by": world.units.province.pk, "title": "Điều động"},
        )
        assert_bad_request(response)
        assert not Decision.objects.exists()

    def test_a_movement_note_with_nul_changes_nothing(self, login, users, world, draft):
        decision, movement = draft
        response = login(users.officer).post(
            reverse("movement_update", args=[decision.pk, movement.pk]),
            movement_data(movement.official, world.positions.b_deputy, "01/10/2025", note="a\x00"),
        )
        assert_bad_request(response)
        movement.refresh_from_db()
        assert movement.effective_on == D(2025, 9, 1) and movement.note == ""

    def test_a_textarea_keeps_its_line_breaks(self, login, users, world, draft):
        decision, movement = draft
        response = login(users.officer).post(
            reverse("movement_update", args=[decision.pk, movement.pk]),
            movement_data(
                movement.official, world.positions.b_deputy, "01/09/2025", note="một\r\nhai\tba"
            ),
        )
        assert response.status_code == 302
        movement.refresh_from_db()
        assert movement.note == "một\r\nhai\tba"


# --- admin filters --------------------------------------------------------------------------


class TestAdminDateFilters:
    @pytest.mark.parametrize(
        "query",
        [
            f"start_date__year={HUGE}",
            "start_date__year=9999&start_date__month=12&start_date__day=31",
            "start_date__year=1&start_date__month=1&start_date__day=1",
            "start_date__year=2024&start_date__month=13",
            "start_date__year=2024&start_date__month=2&start_date__day=99",
            "start_date__year=-5",
            "start_date__year=²",
            "start_date__gte=0001-01-01",
            "start_date__lt=9999-12-31",
            f"start_date__gte={HUGE}",
        ],
    )
    def test_posting_date_hierarchy_and_filter(self, client, root, query):
        client.force_login(root)
        assert_bad_request(client.get(f"/admin/personnel/posting/?{query}"))

    @pytest.mark.parametrize(
        "url",
        [
            f"/admin/rotation/decision/?signed_on__year={HUGE}",
            "/admin/rotation/decision/?signed_on__gte=0001-01-01",
            f"/admin/accounts/auditevent/?at__year={HUGE}",
            "/admin/accounts/auditevent/?at__year=9999&at__month=12&at__day=31",
            "/admin/rotation/alert/?raised_on__gte=9999-12-31",
        ],
    )
    def test_other_date_filters(self, client, root, url):
        client.force_login(root)
        assert_bad_request(client.get(url))

    def test_sane_values_still_filter(self, client, root, world, make_official):
        make_official(position=world.positions.a_deputy, since=D(2024, 3, 5))
        client.force_login(root)
        year = client.get("/admin/personnel/posting/?start_date__year=2024&start_date__month=3")
        assert year.status_code == 200 and "1 kết quả" in page(year) or "(1)" in page(year)
        none = client.get("/admin/personnel/posting/?start_date__year=2023")
        assert none.status_code == 200
        today = timezone.localdate()
        this_year = client.get(
            f"/admin/personnel/posting/?start_date__gte={today.year}-01-01"
            f"&start_date__lt={today.year + 1}-01-01"
        )
        assert this_year.status_code == 200

    @pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", "1e400", "²"])
    def test_year_list_filters(self, client, root, world, make_official, value):
        EvaluationFactory(official=make_official(unit=world.units.hu_a), year=2024)
        client.force_login(root)
        for url in (
            f"/admin/personnel/evaluation/?year={value}",
            f"/admin/personnel/evaluation/?year__exact={value}",
            f"/admin/rotation/rotationreview/?year={value}",
        ):
            assert client.get(url).status_code < 500, url

    def test_audit_events_are_not_written_by_a_refused_filter(self, client, root):
        client.force_login(root)
        before = AuditEvent.objects.count()
        client.get(f"/admin/accounts/auditevent/?at__year={HUGE}")
        assert AuditEvent.objects.count() == before


# --- the sweep: every list and filter page, every parameter it offers -------------------------

HOSTILE_VALUES = [
    "a\x00b",
    "\x1b",
    "x" * 10_000,
    "an " * 3_400,
    "01/01/0001",
    "31/12/9999",
    "9999-12-31",
    HUGE,
    f"-{HUGE}",
    "1e400",
    "²",
    "٣",
    "' OR '1'='1",
    "%_\\",
]
ALWAYS = {"q", "page", "sort", "o", "p", "unit", "term", "date_from", "date_to", "year"}


def _get_urls():
    """Names of the URL patterns that take no argument (lists, filters, autocompletes)."""
    names = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin" or pattern.app_name == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif (
                isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.converters
            ) and not re.search(r"[<(]", str(pattern.pattern)):
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return sorted(set(names) - {"logout", "set_language"})


def _page_parameters(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code < 500, url
    if "html" not in response.get("Content-Type", ""):
        return set()
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', page(response)))


@pytest.fixture
def busy_world(world, make_official, move, root):
    """A little of everything, so that list pages have rows to filter."""
    official = make_official(position=world.positions.a_deputy)
    move(official, world.positions.b_deputy, D(2024, 6, 1), apply=True)
    EvaluationFactory(official=official, year=2023)
    return world


@pytest.mark.parametrize("url_name", _get_urls())
def test_sweep_staff_pages(login, users, busy_world, url_name):
    client = login(users.officer)
    url = reverse(url_name)
    params = (_page_parameters(client, url) | ALWAYS) - {"csrfmiddlewaretoken"}
    for name in sorted(params):
        for value in HOSTILE_VALUES:
            response = client.get(url, {name: value})
            assert response.status_code < 500, (url, name, value[:20])


@pytest.mark.parametrize("code", [definition.code for definition in registry.all_reports()])
def test_sweep_report_forms(login, users, busy_world, code):
    client = login(users.officer)
    url = reverse("report_run", args=[code])
    params = _page_parameters(client, url) - {"csrfmiddlewaretoken"}
    for name in sorted(params):
        for value in HOSTILE_VALUES:
            assert client.get(url, {name: value}).status_code < 500, (url, name)
            data = {"scope": busy_world.units.province.pk, "period": "custom", name: value}
            assert client.post(url, data).status_code < 500, (url, name, value[:20])


def _admin_parameters(model_admin) -> set[str]:
    names = {"q", "o", "p", "all", "_to_field", "e"}
    fields = []
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            fields.append(entry)
        elif isinstance(entry, (tuple, list)):
            fields.append(entry[0])
        elif getattr(entry, "parameter_name", None):  # a SimpleListFilter class
            names.add(entry.parameter_name)
    for field in fields:
        names |= {field, f"{field}__exact", f"{field}__gte", f"{field}__lt", f"{field}__isnull"}
    if model_admin.date_hierarchy:
        names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    return names


ADMINS = sorted(
    (f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry),
)


@pytest.mark.parametrize("label", ADMINS)
def test_sweep_admin_changelists(client, busy_world, root, label):
    from django.apps import apps

    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    client.force_login(root)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for name in sorted(_admin_parameters(model_admin)):
        for value in HOSTILE_VALUES:
            response = client.get(url, {name: value})
            assert response.status_code < 500, (url, name, value[:20])
    if model_admin.date_hierarchy:
        for year, month, day in (("9999", "12", "31"), ("1", "1", "1"), (HUGE, "1", "1")):
            query = {
                f"{model_admin.date_hierarchy}__year": year,
                f"{model_admin.date_hierarchy}__month": month,
                f"{model_admin.date_hierarchy}__day": day,
            }
            assert client.get(url, query).status_code < 500, (url, query)


def test_sweep_admin_autocomplete(client, busy_world, root):
    client.force_login(root)
    url = "/admin/autocomplete/"
    base = {"app_label": "rotation", "model_name": "movement", "field_name": "official"}
    for name in ("term", "page", "app_label", "model_name", "field_name"):
        for value in HOSTILE_VALUES:
            assert client.get(url, {**base, name: value}).status_code < 500, (name, value[:20])
