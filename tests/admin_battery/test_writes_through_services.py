"""Every write through admin goes through the app's services (issue 10, point 1).

Generated over ``admin.site._registry``: each registered model is either given invalid
changes, posted through its admin the way a browser would (the form read back from the
page, one field changed), that the model's service refuses (the page answers 200 with the
service's own message and the database is unchanged), or named with the reason it has no
rule-bearing service. A model registered later and missing from ``TABLE`` fails
``test_every_registered_model_is_classified``.
"""

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule

from personnel import services_record
from personnel.models import (
    Discipline,
    Evaluation,
    Locality,
    Official,
    OrgUnit,
    PlanningEntry,
    Posting,
    Reward,
    TrainingRecord,
)
from reports import delivery
from reports.models import Subscription
from rotation import services as rotation_services
from rotation.choices import ConsultationOpinion, DecisionStatus, ReviewPeriod
from rotation.models import Alert, Consultation, Decision, Movement, RotationReview
from tests.admin_battery.forms import form_data
from tests.reports.conftest import move  # noqa: F401 - shared fixture
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

D = dt.date


def day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def admin_url(model: type[Model], view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def snapshot(*models: type[Model]) -> dict[str, list[dict]]:
    """Every row of ``models``, every column: what "nothing changed" is compared on."""
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


@dataclass
class Refusal:
    """An invalid POST: the page at ``url`` read back, ``changes`` applied, posted."""

    url: str
    changes: dict
    message: str
    rows: tuple[type[Model], ...]
    form_id: str | None = None  # the admin form of the url's model by default
    field: str | None = None  # or the POST form holding this field (staff pages)
    follow_redirect: bool = False  # admin hands the form to the staff page


@dataclass
class ReadOnly:
    """A POST changing fields the admin shows read-only: answered, and nothing changes."""

    url: str
    changes: dict
    rows: tuple[type[Model], ...]
    absent: tuple[str, ...] = ()  # inputs the page must not offer


@dataclass
class Check:
    """A case that is neither a form nor read-only (an admin action)."""

    run: Callable[[SimpleNamespace], None]


@dataclass
class Case:
    name: str
    build: Callable[[SimpleNamespace], Refusal | ReadOnly | Check]


# --- builders -------------------------------------------------------------------------------


def _official(env, **fields):
    return env.make_official(position=env.world.positions.a_deputy, **fields)


def official_born_2030(env):
    official = _official(env)
    return Refusal(
        admin_url(Official, "change", official.pk),
        {"date_of_birth": "01/01/2030"},
        "Ngày sinh không được sau ngày hôm nay.",
        (Official, Posting),
    )


def official_party_before_adulthood(env):
    official = _official(env, date_of_birth=D(1980, 3, 15))
    return Refusal(
        admin_url(Official, "change", official.pk),
        {"party_joined_on": "01/01/1970"},
        "Ngày này phải từ khi cán bộ đủ 18 tuổi (15/03/1998) trở đi.",
        (Official, Posting),
    )


def official_added_born_2030(env):
    return Refusal(
        admin_url(Official, "add"),
        {
            "code": "CB-MOI",
            "full_name": "Lê Thị Mới",
            "gender": "female",
            "education_level": "university",
            "date_of_birth": "01/01/2030",
        },
        "Ngày sinh không được sau ngày hôm nay.",
        (Official, Posting),
    )


def posting_added_overlapping(env):
    official = _official(env)
    current = official.postings.get()
    return Refusal(
        admin_url(Posting, "add"),
        {
            "official": official.pk,
            "org_unit": env.world.units.hu_b.pk,
            "title": "Phó Bí thư",
            "start_date": "01/06/2022",
            "is_primary": "on",
        },
        (
            f"Thời gian trùng với vị trí công tác chính “{current}”. "
            "Mỗi cán bộ chỉ có một vị trí công tác chính tại một thời điểm; "
            "hãy kết thúc vị trí cũ trước hoặc ghi là kiêm nhiệm."
        ),
        (Official, Posting),
    )


def posting_ending_before_it_starts(env):
    posting = _official(env, since=D(2018, 1, 1)).postings.get()
    return Refusal(
        admin_url(Posting, "change", posting.pk),
        {"end_date": "01/01/2017"},
        "Ngày kết thúc phải sau ngày bắt đầu.",
        (Official, Posting),
    )


def _decision(env, number="1-QĐ/TU"):
    return rotation_services.decision_create(
        number=number, issued_by=env.world.units.province, title="Luân chuyển cán bộ"
    )


DUPLICATE_NUMBER = "Cơ quan này đã có quyết định mang số, ký hiệu này."


def decision_added_with_a_taken_number(env):
    _decision(env)
    return Refusal(
        admin_url(Decision, "add"),
        {
            "number": "1-QĐ/TU",
            "issued_by": env.world.units.province.pk,
            "title": "Điều động cán bộ",
            "movements-TOTAL_FORMS": "0",
            "movements-INITIAL_FORMS": "0",
        },
        DUPLICATE_NUMBER,
        (Decision, Movement),
    )


def decision_renumbered_to_a_taken_number(env):
    _decision(env, "1-QĐ/TU")
    second = _decision(env, "2-QĐ/TU")
    return Refusal(
        admin_url(Decision, "change", second.pk),
        {"number": "1-QĐ/TU"},
        DUPLICATE_NUMBER,
        (Decision, Movement),
    )


def approved_decision_edited(env):
    movement = env.move(_official(env), env.world.positions.b_deputy, D(2024, 6, 1))
    assert Decision.objects.get(pk=movement.decision_id).status == DecisionStatus.APPROVED
    return ReadOnly(
        admin_url(Decision, "change", movement.decision_id),
        {"number": "99-QĐ/TU", "title": "Sửa sau khi ban hành", "signed_on": "01/01/2024"},
        (Decision, Movement),
        absent=("number", "title", "signed_on", "movements-0-effective_on"),
    )


def movement_effective_the_day_after_its_from_posting(env):
    official = _official(env, since=D(2018, 1, 1))
    decision = _decision(env)
    rotation_services.movement_add(
        decision=decision,
        official=official,
        kind="rotation",
        to_position=env.world.positions.b_deputy,
        effective_on=D(2024, 6, 1),
        term_months=36,
    )
    return Refusal(
        admin_url(Decision, "change", decision.pk),
        {"movements-0-effective_on": "02/01/2018"},
        "Ngày hiệu lực phải sau ngày bắt đầu vị trí công tác trước ít nhất hai ngày.",
        (Decision, Movement),
    )


def consultation_answered_before_it_was_asked(env):
    official = _official(env)
    decision = _decision(env)
    rotation_services.movement_add(
        decision=decision,
        official=official,
        kind="rotation",
        to_position=env.world.positions.b_deputy,
        effective_on=D(2030, 6, 1),
        term_months=36,
    )
    rotation_services.decision_request_consultations(decision=decision)
    consultation = decision.consultations.order_by("pk").first()
    assert consultation is not None
    index = list(decision.consultations.order_by("pk")).index(consultation)
    before = consultation.requested_on - dt.timedelta(days=1)
    return Refusal(
        admin_url(Decision, "change", decision.pk),
        {
            f"consultations-{index}-opinion": ConsultationOpinion.AGREE,
            f"consultations-{index}-answered_on": day(before),
        },
        "Ngày trả lời không được trước ngày đề nghị.",
        (Decision, Movement, Consultation),
    )


def _applied(env):
    return env.move(_official(env), env.world.positions.b_deputy, D(2020, 6, 1), apply=True)


def _review_years(movement) -> str:
    return f"({movement.effective_on.year}–{timezone.localdate().year})"


def review_added_for_1990(env):
    movement = _applied(env)
    return Refusal(
        admin_url(RotationReview, "add"),
        {"movement": movement.pk, "period": ReviewPeriod.ANNUAL, "year": "1990", "rating": "good"},
        f"Năm đánh giá phải trong thời gian luân chuyển {_review_years(movement)}.",
        (RotationReview,),
    )


def review_moved_to_1990(env):
    movement = _applied(env)
    review = rotation_services.review_record(
        movement=movement, period=ReviewPeriod.ANNUAL, year=2021, rating="good"
    )
    return Refusal(
        admin_url(RotationReview, "change", review.pk),
        {"year": "1990"},
        f"Năm đánh giá phải trong thời gian luân chuyển {_review_years(movement)}.",
        (RotationReview,),
    )


def _alert(env, **fields):
    official = _official(env)
    return Alert.objects.create(
        kind="ending_soon",
        key=f"ending_soon:{official.pk}",
        official=official,
        message="Sắp hết thời hạn luân chuyển",
        raised_on=D(2025, 1, 1),
        **fields,
    )


def _resolve(env, alert):
    return env.client.post(
        admin_url(Alert, "changelist"), {"action": "resolve", "_selected_action": [alert.pk]}
    )


def alert_resolved_again(env):
    def run(env):
        alert = _alert(env, resolved_at=timezone.now(), resolved_by=env.world.officer)
        before = snapshot(Alert)
        response = _resolve(env, alert)
        assert response.status_code == 302
        assert snapshot(Alert) == before

    return Check(run)


def alert_resolved_records_who(env):
    def run(env):
        alert = _alert(env)
        assert _resolve(env, alert).status_code == 302
        alert.refresh_from_db()
        assert alert.resolved_by == env.superuser and alert.resolved_at is not None

    return Check(run)


def alert_change_form_is_read_only(env):
    alert = _alert(env)
    return ReadOnly(
        admin_url(Alert, "change", alert.pk),
        {"message": "Sửa", "resolved_at_0": "01/01/2025", "resolved_by": env.superuser.pk},
        (Alert,),
        absent=("message", "resolved_by", "official"),
    )


OUTSIDE_DOMAIN = (
    "Không gửi được báo cáo tới “ai.do@gmail.com”: chỉ được gửi tới địa chỉ thuộc các "
    "tên miền hatinh.gov.vn."
)


def _subscription(env):
    schedule = CrontabSchedule.objects.create(minute="0", hour="7", day_of_month="1")
    return delivery.subscription_save(
        subscription=Subscription(
            name="Báo cáo tỉnh hằng tháng",
            report="rotation_summary",
            scope=env.world.units.province,
            period_rule="this_term_to_date",
            schedule=schedule,
        ),
        recipients=[env.world.officer],
    )


def subscription_changed_to_an_outside_address(env):
    subscription = _subscription(env)
    return Refusal(
        admin_url(Subscription, "change", subscription.pk),
        {"extra_emails": "ai.do@gmail.com"},
        OUTSIDE_DOMAIN,
        (Subscription, CrontabSchedule),
        field="extra_emails",
        follow_redirect=True,
    )


def subscription_added_with_an_outside_address(env):
    return Refusal(
        admin_url(Subscription, "add"),
        {
            "name": "Báo cáo mới",
            "report": "rotation_summary",
            "scope": env.world.units.province.pk,
            "param_kind": "all",
            "period_rule": "last_month",
            "frequency": "monthly",
            "day_of_month": "1",
            "hour": "7",
            "recipients": [env.world.officer.pk],
            "extra_emails": "ai.do@gmail.com",
        },
        OUTSIDE_DOMAIN,
        (Subscription, CrontabSchedule),
        field="extra_emails",
        follow_redirect=True,
    )


# --- the other parts of the record (personnel.services_record) -------------------------------

BORN = D(1985, 3, 15)


def training_started_at_15(env):
    official = _official(env, date_of_birth=BORN)
    return Refusal(
        admin_url(TrainingRecord, "add"),
        {
            "official": official.pk,
            "kind": "degree",
            "programme": "Luật",
            "mode": "full_time",
            "start_date": "01/09/2000",
        },
        "Ngày bắt đầu (01/09/2000) trước ngày cán bộ đủ 16 tuổi (15/03/2001, theo ngày sinh "
        "15/03/1985).",
        (TrainingRecord, Official),
    )


def evaluation_moved_to_next_year(env):
    official = _official(env)
    evaluation = services_record.evaluation_create(official=official, year=2022, rating="good")
    year = timezone.localdate().year
    return Refusal(
        admin_url(Evaluation, "change", evaluation.pk),
        {"year": str(year + 1)},
        f"Năm đánh giá ({year + 1}) không được sau năm nay ({year}).",
        (Evaluation,),
    )


def planning_term_reversed(env):
    official = _official(env)
    return Refusal(
        admin_url(PlanningEntry, "add"),
        {
            "official": official.pk,
            "position": env.world.positions.a_secretary.pk,
            "term": "2030-2025",
            "status": "active",
        },
        "Nhiệm kỳ “2030-2025” không hợp lệ: năm cuối phải sau năm đầu, không quá 10 năm.",
        (PlanningEntry,),
    )


def discipline_dated_tomorrow(env):
    official = _official(env)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return Refusal(
        admin_url(Discipline, "add"),
        {
            "official": official.pk,
            "kind": "reprimand",
            "decided_on": day(tomorrow),
            "basis": "12-QĐ/UBKT",
        },
        f"Ngày quyết định kỷ luật ({day(tomorrow)}) không được sau ngày hôm nay.",
        (Discipline,),
    )


def reward_before_working_age(env):
    official = _official(env, date_of_birth=BORN)
    reward = services_record.reward_create(
        official=official,
        kind="merit",
        name="Bằng khen của Chủ tịch UBND tỉnh",
        level="province",
        decided_on=D(2015, 5, 1),
    )
    return Refusal(
        admin_url(Reward, "change", reward.pk),
        {"decided_on": "01/01/1990"},
        "Ngày quyết định khen thưởng (01/01/1990) trước ngày cán bộ đủ 16 tuổi (15/03/2001, "
        "theo ngày sinh 15/03/1985).",
        (Reward,),
    )


TREE_MESSAGE = "Không thể đặt đơn vị trực thuộc chính nó hoặc đơn vị cấp dưới của nó."


def locality_under_its_own_commune(env):
    localities = env.world.localities
    return Refusal(
        admin_url(Locality, "change", localities.a.pk),
        {"parent": localities.a1.pk},
        TREE_MESSAGE,
        (Locality,),
    )


def unit_under_its_own_commune(env):
    units = env.world.units
    return Refusal(
        admin_url(OrgUnit, "change", units.hu_a.pk),
        {"parent": units.xa_a1.pk},
        TREE_MESSAGE,
        (OrgUnit,),
    )


def unit_begun_after_a_posting_held_in_it(env):
    env.make_official(position=env.world.positions.a1_secretary, since=D(2018, 1, 1))
    return Refusal(
        admin_url(OrgUnit, "change", env.world.units.xa_a1.pk),
        {"valid_from": "01/01/2019"},
        "Đơn vị có vị trí công tác bắt đầu ngày 01/01/2018, ngoài thời gian hiệu lực mới",
        (OrgUnit, Posting),
    )


# --- the table ------------------------------------------------------------------------------

THIRD_PARTY = "third-party package's own model and admin; the project has no service for it"

TABLE: dict[str, list[Case] | str] = {
    "personnel.Official": [
        Case("born in 2030", official_born_2030),
        Case("joined the Party at 0", official_party_before_adulthood),
        Case("added, born in 2030", official_added_born_2030),
    ],
    "personnel.Posting": [
        Case("added, overlapping the primary posting", posting_added_overlapping),
        Case("ending before it starts", posting_ending_before_it_starts),
    ],
    "rotation.Decision": [
        Case("added with a number the issuer used", decision_added_with_a_taken_number),
        Case("renumbered to a number the issuer used", decision_renumbered_to_a_taken_number),
        Case("approved: fields read-only", approved_decision_edited),
    ],
    "rotation.Movement": [
        # Read-only in its own admin; written through the decision's inline.
        Case("inline: effective too early", movement_effective_the_day_after_its_from_posting),
    ],
    "rotation.Consultation": [
        # Read-only in its own admin; answered through the decision's inline.
        Case("inline: answered before asked", consultation_answered_before_it_was_asked),
    ],
    "rotation.RotationReview": [
        Case("added for 1990", review_added_for_1990),
        Case("moved to 1990", review_moved_to_1990),
    ],
    "rotation.Alert": [
        Case("resolve action on a resolved alert", alert_resolved_again),
        Case("resolve action records who", alert_resolved_records_who),
        Case("change form read-only", alert_change_form_is_read_only),
    ],
    "reports.Subscription": [
        Case("changed to an outside address", subscription_changed_to_an_outside_address),
        Case("added with an outside address", subscription_added_with_an_outside_address),
    ],
    "accounts.User": (
        "no service: Django's UserAdmin; its scope/role rules live in the admin form "
        "(accounts.admin.ScopedUserFormMixin, tests/accounts/test_admin_access.py)"
    ),
    "accounts.AuditEvent": "read-only in admin (no add, change or delete); written by audit_record",
    "accounts.ApiToken": (
        "no rule-bearing state: a key is issued (knox's digest) or revoked (deleted), never "
        "changed (tests/api/test_access.py)"
    ),
    "auth.Group": "Django's groups; no service",
    "personnel.Locality": [Case("placed under its own commune", locality_under_its_own_commune)],
    "personnel.Sector": (
        "reference data: a code and a name, the model's rules only; written through "
        "reference_create / reference_update (administrators: tests/personnel/"
        "test_unit_services.py)"
    ),
    "personnel.OrgUnit": [
        Case("placed under its own commune", unit_under_its_own_commune),
        Case("begun after a posting held in it", unit_begun_after_a_posting_held_in_it),
    ],
    "personnel.Position": (
        "position_create / position_update add only the scope rule, which admin's own scoped "
        "choices already hold (tests/personnel/test_unit_services.py pins it)"
    ),
    "personnel.PostType": (
        "reference data (the post type catalogue): the model's rules only; written through "
        "reference_create / reference_update"
    ),
    "reports.NonLocalTarget": "reference data (targets): model validation and constraints only",
    "personnel.TrainingRecord": [Case("added, begun at 15", training_started_at_15)],
    "personnel.Evaluation": [Case("moved to next year", evaluation_moved_to_next_year)],
    "personnel.Discipline": [Case("added, dated tomorrow", discipline_dated_tomorrow)],
    "personnel.PlanningEntry": [Case("added, term reversed", planning_term_reversed)],
    "personnel.Reward": [Case("moved before working age", reward_before_working_age)],
    "personnel.RecordImport": (
        "read-only in admin (no add or change); written by the import services "
        "(personnel.imports.services, tests/personnel/imports/)"
    ),
    "personnel.ColumnMapping": (
        "no add in admin (a mapping is made from a file's headers on the import page); a "
        "change is a name, a sheet and a header → field table with no rule beyond the model's"
    ),
    "personnel.Reorganisation": (
        "no admin form: add and change open the staff form (reorganisation_save); the apply "
        "action previews then calls reorganisation_apply (tests/rotation/"
        "test_admin_reorganisations.py); applied ones are read only"
    ),
    "reports.ReportRun": "read-only in admin (no add or change); written by the report runner",
    "reports.Delivery": "read-only in admin (no add or change); written by the delivery task",
    "django_celery_beat.PeriodicTask": THIRD_PARTY
    + " (a subscription's task is written by subscription_save)",
    "django_celery_beat.CrontabSchedule": THIRD_PARTY,
    "django_celery_beat.IntervalSchedule": THIRD_PARTY,
    "django_celery_beat.SolarSchedule": THIRD_PARTY,
    "django_celery_beat.ClockedSchedule": THIRD_PARTY,
    "rotation.MovementSummaryStatus": "read-only for superusers: written by the summary's rebuild",
    "axes.AccessAttempt": THIRD_PARTY + " (login lockouts)",
    "axes.AccessLog": THIRD_PARTY + " (login log)",
    "axes.AccessFailureLog": THIRD_PARTY + " (login log)",
}


def _cases():
    for label, cases in TABLE.items():
        if isinstance(cases, str):
            continue
        for case in cases:
            yield pytest.param(case, id=f"{label}: {case.name}")


def test_every_registered_model_is_classified():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered - set(TABLE) == set(), "classify the new models in TABLE"
    assert set(TABLE) - registered == set(), "TABLE names models admin no longer registers"
    for label, cases in TABLE.items():
        assert cases, f"{label}: give cases or a reason"


# --- running a case -------------------------------------------------------------------------


@pytest.fixture
def env(admin_client, superuser, world, make_official, move, settings):  # noqa: F811
    settings.REPORT_EMAIL_ALLOWED_DOMAINS = ["hatinh.gov.vn"]
    return SimpleNamespace(
        client=admin_client,
        superuser=superuser,
        world=world,
        make_official=make_official,
        move=move,
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def _read_form(client, url, form_id=None, field=None, follow_redirect=False):
    response = client.get(url)
    if follow_redirect:
        assert response.status_code == 302, "admin hands this form to the staff page"
        url = response.url
        response = client.get(url)
    assert response.status_code == 200
    return url, form_data(response.content.decode(), form_id=form_id, field=field)


def _errors(response) -> list:
    """The errors the page shows, for a failing assertion's message."""
    context = response.context or {}
    errors = []
    for key in ("adminform", "form"):
        form = context.get(key)
        form = getattr(form, "form", form)
        if form is not None and hasattr(form, "errors"):
            errors.append(form.errors)
    for inline in context.get("inline_admin_formsets") or []:
        errors.append((inline.formset.errors, inline.formset.non_form_errors()))
    return errors


def _admin_form_id(url: str) -> str:
    for model in admin.site._registry:
        opts = model._meta
        if url.startswith(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")):
            return f"{opts.model_name}_form"
    raise AssertionError(url)


@pytest.mark.parametrize("case", list(_cases()))
def test_an_invalid_change_through_admin_is_refused_by_the_service(env, case):
    spec = case.build(env)
    if isinstance(spec, Check):
        spec.run(env)
        return
    form_id = None if getattr(spec, "field", None) else _admin_form_id(spec.url)
    url, data = _read_form(
        env.client,
        spec.url,
        form_id=form_id,
        field=getattr(spec, "field", None),
        follow_redirect=getattr(spec, "follow_redirect", False),
    )
    if isinstance(spec, ReadOnly):
        offered = set(data) & set(spec.absent)
        assert not offered, f"read-only fields offered as inputs: {offered}"
    data.update(spec.changes)
    before = snapshot(*spec.rows)
    response = env.client.post(url, data)
    if isinstance(spec, Refusal):
        assert response.status_code == 200, f"expected the form again, got {response.status_code}"
        assert spec.message in text(response), _errors(response)
    else:
        assert response.status_code in (200, 302)
    assert snapshot(*spec.rows) == before


def test_deleting_a_posting_in_admin_goes_through_posting_delete(env):
    """``posting_delete`` recomputes the official's current posting and unit; a plain
    delete would leave ``current_unit`` naming the unit of a posting that is gone."""
    official = _official(env)
    posting = official.postings.get()
    assert official.current_unit_id == posting.org_unit_id
    response = env.client.post(admin_url(Posting, "delete", posting.pk), {"post": "yes"})
    assert response.status_code == 302
    official.refresh_from_db()
    assert not Posting.objects.filter(pk=posting.pk).exists()
    assert (official.current_posting_id, official.current_unit_id) == (None, None)
