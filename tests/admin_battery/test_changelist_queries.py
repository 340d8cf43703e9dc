"""Every admin changelist costs a fixed number of queries, whatever its number of rows
(issue 10, point 7).

Generated over ``admin.site._registry``: each registered model has a builder in
``BUILDERS`` that adds rows with every foreign key shown in the list filled (an empty
foreign key costs no query, so it would hide a missing ``list_select_related``), or a
reason it cannot be multiplied. The list is rendered with ``FEW`` rows and again with
``MANY``; the two query counts must be equal.
"""

import datetime as dt
import itertools
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from knox.models import AuthToken

from accounts.choices import Role
from accounts.models import AuditEvent
from personnel.models import PostType
from reports import delivery
from reports.choices import DeliveryStatus, RunStatus
from reports.models import Delivery, NonLocalTarget, ReportRun, Subscription
from rotation import services as rotation_services
from rotation.choices import ReviewPeriod
from rotation.models import Alert
from tests.factories import (
    DisciplineFactory,
    EvaluationFactory,
    LocalityFactory,
    OrgUnitFactory,
    PlanningEntryFactory,
    PositionFactory,
    RewardFactory,
    SectorFactory,
    TrainingRecordFactory,
    UserFactory,
)
from tests.reports.conftest import move  # noqa: F401 - shared fixture
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

D = dt.date
FEW, MANY = 2, 7
serial = itertools.count(1)


def _official(env):
    return env.make_official(position=env.world.positions.a_deputy, planned=False)


def add_users(env, n):
    for _ in range(n):
        UserFactory(scope=env.world.units.hu_a, role=Role.OFFICER)


def add_audit_events(env, n):
    for i in range(n):
        AuditEvent.objects.create(
            user=env.world.officer,
            action=AuditEvent.Action.VIEW_PROFILE,
            object_type="personnel.Official",
            object_id=str(i),
            detail="admin",
        )


def add_api_tokens(env, n):
    for _ in range(n):
        AuthToken.objects.create(user=env.world.officer)


def add_groups(env, n):
    for _ in range(n):
        Group.objects.create(name=f"Nhóm {next(serial)}")


def _crontab():
    return CrontabSchedule.objects.create(minute=str(next(serial) % 60), hour="7")


def add_periodic_tasks(env, n):
    for _ in range(n):
        PeriodicTask.objects.create(name=f"Việc {next(serial)}", task="noop", crontab=_crontab())


def add_crontabs(env, n):
    for _ in range(n):
        _crontab()


def add_intervals(env, n):
    for _ in range(n):
        IntervalSchedule.objects.create(every=next(serial), period=IntervalSchedule.DAYS)


def add_solar(env, n):
    for _ in range(n):
        SolarSchedule.objects.create(event="sunrise", latitude=next(serial), longitude=106)


def add_clocked(env, n):
    for _ in range(n):
        ClockedSchedule.objects.create(
            clocked_time=timezone.now() + dt.timedelta(hours=next(serial))
        )


def _axes(model, n, **extra):
    for _ in range(n):
        model.objects.create(
            username=f"u{next(serial)}",
            ip_address="10.0.0.1",
            user_agent="pytest",
            http_accept="*/*",
            path_info="/accounts/login/",
            **extra,
        )


def add_access_attempts(env, n):
    from axes.models import AccessAttempt

    _axes(AccessAttempt, n, get_data="", post_data="", failures_since_start=1)


def add_access_logs(env, n):
    from axes.models import AccessLog

    _axes(AccessLog, n, logout_time=timezone.now())


def add_access_failures(env, n):
    from axes.models import AccessFailureLog

    _axes(AccessFailureLog, n)


def add_localities(env, n):
    for _ in range(n):
        LocalityFactory(parent=env.world.localities.p)


def add_sectors(env, n):
    for _ in range(n):
        i = next(serial)
        SectorFactory(code=f"s{i}", name=f"Ngành {i}")


def add_units(env, n):
    units, sectors, localities = env.world.units, env.world.sectors, env.world.localities
    for _ in range(n):
        OrgUnitFactory(parent=units.hu_a, sector=sectors.party, locality=localities.a)


def add_positions(env, n):
    for _ in range(n):
        PositionFactory(org_unit=env.world.units.hu_a, title=f"Phó Chánh Văn phòng {next(serial)}")


def add_post_types(env, n):
    for _ in range(n):
        i = next(serial)
        PostType.objects.create(code=f"test.{i}", name=f"Loại {i}", kind="member")


def add_targets(env, n):
    post_type = PostType.objects.get(code="province.committee_chair")
    for _ in range(n):
        NonLocalTarget.objects.create(
            post_type=post_type,
            share=90,
            deadline=dt.date(2030, 1, 1) + dt.timedelta(next(serial)),
            basis="Nghị quyết",
        )


def add_officials(env, n):
    for _ in range(n):
        _official(env)  # with a posting: current unit and current posting filled


def add_trainings(env, n):
    for _ in range(n):
        TrainingRecordFactory(official=_official(env))


def add_evaluations(env, n):
    for _ in range(n):
        EvaluationFactory(official=_official(env))


def add_disciplines(env, n):
    for _ in range(n):
        DisciplineFactory(official=_official(env))


def add_rewards(env, n):
    for _ in range(n):
        RewardFactory(official=_official(env))


def add_planning(env, n):
    for _ in range(n):
        PlanningEntryFactory(official=_official(env), position=env.world.positions.a_secretary)


def add_movements(env, n):
    """One decision with one movement each (decisions, movements)."""
    return [env.move(_official(env), env.world.positions.b_deputy, D(2024, 6, 1)) for _ in range(n)]


def add_consultations(env, n):
    for _ in range(n):
        decision = rotation_services.decision_create(
            number=f"{next(serial)}-QĐ/TU", issued_by=env.world.units.province, title="Luân chuyển"
        )
        rotation_services.movement_add(
            decision=decision,
            official=_official(env),
            kind="rotation",
            to_position=env.world.positions.b_deputy,
            effective_on=D(2030, 6, 1),
            term_months=36,
        )
        rotation_services.decision_request_consultations(decision=decision)


def _applied(env):
    return env.move(_official(env), env.world.positions.b_deputy, D(2020, 6, 1), apply=True)


def add_reviews(env, n):
    for _ in range(n):
        rotation_services.review_record(
            movement=_applied(env), period=ReviewPeriod.ANNUAL, year=2021, rating="good"
        )


def add_alerts(env, n):
    for _ in range(n):
        movement = _applied(env)
        Alert.objects.create(
            kind="missing_review",
            key=f"missing_review:{movement.pk}",
            official=movement.official,
            movement=movement,
            message="Chưa có đánh giá hằng năm",
            raised_on=D(2025, 1, 1),
            resolved_at=timezone.now(),
            resolved_by=env.world.officer,
        )


def add_report_runs(env, n):
    for i in range(n):
        ReportRun.objects.create(
            report="rotation_summary",
            scope=env.world.units.province,
            date_from=D(2024, 1, 1),
            date_to=D(2024, 12, 31),
            request_key=f"k{next(serial)}",
            status=RunStatus.FAILED if i % 2 else RunStatus.SUCCEEDED,
            error="Lỗi" if i % 2 else "",
            requested_by=env.world.officer,
        )


def _subscription(env):
    subscription = delivery.subscription_save(
        subscription=Subscription(
            name=f"Đăng ký {next(serial)}",
            report="rotation_summary",
            scope=env.world.units.province,
            period_rule="this_term_to_date",
            schedule=_crontab(),
            created_by=env.world.officer,
        ),
        recipients=[env.world.officer],
    )
    return subscription


def add_subscriptions(env, n):
    for _ in range(n):
        subscription = _subscription(env)
        for day, status in ((1, DeliveryStatus.FAILED), (2, DeliveryStatus.SENT)):
            Delivery.objects.create(
                subscription=subscription,
                date_from=D(2025, 1, day),
                date_to=D(2025, 2, day),
                status=status,
            )


def add_deliveries(env, n):
    for _ in range(n):
        Delivery.objects.create(
            subscription=_subscription(env),
            date_from=D(2025, 1, 1),
            date_to=D(2025, 1, 31),
            status=DeliveryStatus.SENT,
            recipients="officer@example.vn",
            sent_at=timezone.now(),
        )


def add_reorganisations(env, n):
    from personnel.choices import ReorganisationKind
    from personnel.models import Reorganisation
    from rotation.reorganisations import reorganisation_save

    for _ in range(n):
        i = next(serial)
        reorganisation_save(
            reorganisation=Reorganisation(
                kind=ReorganisationKind.RENAME,
                name=f"Sắp xếp {i}",
                issued_by=env.world.units.province,
                basis_number=f"{i}-NQ/TU",
                basis_date=D(2025, 6, 1),
                effective_on=D(2025, 7, 1),
            ),
            unit_rows=[{"predecessor": env.world.units.hu_b, "new_name": f"Thị ủy B{i}"}],
        )


def add_record_imports(env, n):
    from personnel.models import RecordImport

    for _ in range(n):
        i = next(serial)
        RecordImport.objects.create(
            org_unit=env.world.units.hu_a,
            file=f"imports/{i}.xlsx",
            file_name=f"ho-so-{i}.xlsx",
            created_by=env.world.officer,
        )


def add_column_mappings(env, n):
    from personnel.models import ColumnMapping

    for _ in range(n):
        i = next(serial)
        ColumnMapping.objects.create(
            org_unit=env.world.units.hu_a,
            name=f"Danh sách của huyện {i}",
            sheet="officials",
            columns={"Họ tên": "full_name"},
            created_by=env.world.officer,
        )


#: label -> a builder adding n rows of that model, or why its list cannot be measured
BUILDERS: dict[str, Callable | str] = {
    "accounts.User": add_users,
    "accounts.AuditEvent": add_audit_events,
    "accounts.ApiToken": add_api_tokens,
    "auth.Group": add_groups,
    "django_celery_beat.PeriodicTask": add_periodic_tasks,
    "django_celery_beat.CrontabSchedule": add_crontabs,
    "django_celery_beat.IntervalSchedule": add_intervals,
    "django_celery_beat.SolarSchedule": add_solar,
    "django_celery_beat.ClockedSchedule": add_clocked,
    "axes.AccessAttempt": add_access_attempts,
    "axes.AccessLog": add_access_logs,
    "axes.AccessFailureLog": add_access_failures,
    "personnel.Locality": add_localities,
    "personnel.Sector": add_sectors,
    "personnel.OrgUnit": add_units,
    "personnel.Position": add_positions,
    "personnel.PostType": add_post_types,
    "reports.NonLocalTarget": add_targets,
    "personnel.Official": add_officials,
    "personnel.Posting": add_officials,  # one posting each
    "personnel.TrainingRecord": add_trainings,
    "personnel.Evaluation": add_evaluations,
    "personnel.Discipline": add_disciplines,
    "personnel.Reward": add_rewards,
    "personnel.RecordImport": add_record_imports,
    "personnel.ColumnMapping": add_column_mappings,
    "personnel.PlanningEntry": add_planning,
    "personnel.Reorganisation": add_reorganisations,
    "rotation.Decision": add_movements,  # one movement each (the movement count column)
    "rotation.Movement": add_movements,
    "rotation.Consultation": add_consultations,
    "rotation.RotationReview": add_reviews,
    "rotation.Alert": add_alerts,
    "rotation.MovementSummaryStatus": "one row at most: the movement summary's status",
    "reports.ReportRun": add_report_runs,
    "reports.Subscription": add_subscriptions,
    "reports.Delivery": add_deliveries,
}


def test_every_registered_changelist_is_measured():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered - set(BUILDERS) == set(), "give the new models a builder in BUILDERS"
    assert set(BUILDERS) - registered == set(), "BUILDERS names models admin no longer registers"


def _params():
    for model in admin.site._registry:
        label = model._meta.label
        builder = BUILDERS.get(label)
        if not callable(builder):
            continue
        yield pytest.param(model, builder, id=label)


@pytest.fixture
def env(admin_client, world, make_official, move):  # noqa: F811
    return SimpleNamespace(client=admin_client, world=world, make_official=make_official, move=move)


def _count(client, url) -> tuple[int, int]:
    """Queries run, rows listed."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


@pytest.mark.parametrize("model, builder", list(_params()))
def test_the_changelist_costs_the_same_queries_for_few_and_many_rows(env, model, builder):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    builder(env, FEW)
    env.client.get(url)  # caches warmed (content types, site)
    few, shown_few = _count(env.client, url)
    builder(env, MANY - FEW)
    many, shown_many = _count(env.client, url)
    assert shown_many >= shown_few + (MANY - FEW), "the rows added are listed"
    assert many == few, (
        f"{opts.label}: {few} queries with {shown_few} rows, {many} with {shown_many}"
    )
