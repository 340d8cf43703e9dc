"""Report pages: catalogue, run form, run progress and result, downloads, subscriptions."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from openpyxl import load_workbook

from accounts.models import AuditEvent
from reports import delivery, services
from reports.choices import DeliveryStatus, RunStatus
from reports.models import Delivery, ReportRun, Subscription
from tests.reports.conftest import move  # noqa: F401 - shared fixture
from tests.web.helpers import assert_constant_queries, assert_login_required

pytestmark = pytest.mark.django_db

D = dt.date
CATALOGUE = reverse("report_catalogue")
RUN_SUMMARY = reverse("report_run", args=["rotation_summary"])
SUBSCRIPTIONS = reverse("subscription_list")
NEW_SUBSCRIPTION = reverse("subscription_create")


@pytest.fixture
def rotated(world, make_official, move):  # noqa: F811
    official = make_official(position=world.positions.a_deputy, full_name="Nguyễn Văn An")
    move(official, world.positions.province_deputy, D(2021, 3, 1))
    return world


def make_run(scope, user=None, execute=False, **extra):
    kwargs = {
        "report": "rotation_summary",
        "scope": scope,
        "date_from": D(2020, 10, 1),
        "date_to": D(2022, 12, 31),
        "requested_by": user,
        "enqueue": False,
    }
    run = services.report_request(**{**kwargs, **extra})
    if execute:
        run = services.report_run_execute(run_id=run.pk, today=D(2023, 1, 1))
    return run


def detail(run):
    return reverse("report_run_detail", args=[run.pk])


def download(run, fmt):
    return reverse("report_run_download", args=[run.pk, fmt])


# --- catalogue ---------------------------------------------------------------------------


def test_catalogue_requires_login(client):
    assert_login_required(client, CATALOGUE)


def test_catalogue_lists_every_report_with_a_run_link(users, login):
    from reports.registry import all_reports

    content = login(users.viewer).get(CATALOGUE).content.decode()
    for definition in all_reports():
        assert str(definition.title) in content
        assert reverse("report_run", args=[definition.code]) in content
    assert "Bạn chưa chạy báo cáo nào." in content


def test_catalogue_shows_only_the_users_own_recent_runs(users, login, rotated):
    mine = make_run(rotated.units.hu_a, users.officer_a, execute=True)
    theirs = make_run(rotated.units.hu_a, users.officer, execute=True, params={"kind": "all"})
    runs = login(users.officer_a).get(CATALOGUE).context["runs"]
    assert runs == [mine]
    assert theirs not in runs


def test_catalogue_costs_constant_queries(users, login, world):
    def add_rows(n):
        for i in range(n):
            make_run(world.units.province, users.viewer, date_to=D(2021, 1, 1) + dt.timedelta(i))

    assert_constant_queries(login(users.viewer), CATALOGUE, add_rows)


# --- run form --------------------------------------------------------------------------------


def test_run_form_requires_login_and_a_known_report(client, users, login):
    assert_login_required(client, RUN_SUMMARY)
    assert (
        login(users.viewer).get(reverse("report_run", args=["no_such_report"])).status_code == 404
    )


def test_run_form_is_prefilled_from_the_query_string(users, login, world):
    response = login(users.viewer).get(
        RUN_SUMMARY, {"period": "this_year", "scope": world.units.hu_a.pk, "param_kind": "all"}
    )
    form = response.context["form"]
    assert form["period"].value() == "this_year"
    assert str(form["scope"].value()) == str(world.units.hu_a.pk)
    assert form["param_kind"].value() == "all"
    assert "Từ đầu nhiệm kỳ đến nay" in response.content.decode()


def test_run_form_offers_only_units_in_scope(users, login, world):
    form = login(users.officer_a).get(RUN_SUMMARY).context["form"]
    units = set(form.fields["scope"].queryset)
    assert units == {world.units.hu_a, world.units.ubnd_a, world.units.xa_a1}
    assert form["scope"].value() == world.units.hu_a.pk


def test_submitting_queues_a_run_that_celery_computes(
    users, login, rotated, django_capture_on_commit_callbacks
):
    client = login(users.viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            RUN_SUMMARY,
            {
                "scope": rotated.units.province.pk,
                "period": "custom",
                "date_from": "01/10/2020",
                "date_to": "31/12/2022",
                "param_kind": "rotation",
            },
        )
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(run)
    assert (run.date_from, run.date_to) == (D(2020, 10, 1), D(2022, 12, 31))
    assert run.requested_by == users.viewer
    assert run.params == {"kind": "rotation", "tier": "all", "geography": "as_they_were"}
    assert run.status == RunStatus.SUCCEEDED and run.result["total_cadres"] == 1


def test_a_preset_period_resolves_to_its_dates(users, login, world):
    login(users.viewer).post(RUN_SUMMARY, {"scope": world.units.province.pk, "period": "last_year"})
    run = ReportRun.objects.get()
    year = timezone.localdate().year - 1
    assert (run.date_from, run.date_to) == (D(year, 1, 1), D(year, 12, 31))


def test_an_identical_request_in_flight_shares_the_run(users, login, world):
    data = {"scope": world.units.province.pk, "period": "last_year"}
    login(users.officer).post(RUN_SUMMARY, data)
    response = login(users.viewer).post(RUN_SUMMARY, data, follow=True)
    assert ReportRun.objects.count() == 1
    assert "Báo cáo giống hệt đang được tính theo yêu cầu khác" in response.content.decode()


@pytest.mark.parametrize(
    ("code", "data", "field", "message"),
    [
        (
            "rotation_summary",
            {"period": "custom", "date_to": "31/12/2022"},
            "date_from",
            "Nhập ngày bắt đầu của kỳ báo cáo (dd/mm/yyyy).",
        ),
        (
            "rotation_summary",
            {"period": "custom", "date_from": "01/01/2023", "date_to": "31/12/2022"},
            "date_from",
            "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.",
        ),
        (
            "rotation_summary",
            {"period": "custom", "date_from": "31/02/2022", "date_to": "31/12/2022"},
            "date_from",
            "Nhập một ngày hợp lệ.",
        ),
        (
            "tenure_watchlist",
            {"period": "this_year", "param_months": "500"},
            "param_months",
            "Số tháng tới phải từ 1 đến 60.",
        ),
        (
            "tenure_watchlist",
            {"period": "this_year", "param_months": "mười"},
            "param_months",
            "Số tháng tới phải là số nguyên.",
        ),
        (
            "rotation_summary",
            {"period": "this_year", "param_kind": "everything"},
            "param_kind",
            "Giá trị “everything” không hợp lệ cho Hình thức.",
        ),
    ],
)
def test_bad_input_is_explained_and_runs_nothing(users, login, world, code, data, field, message):
    response = login(users.viewer).post(
        reverse("report_run", args=[code]), {"scope": world.units.province.pk, **data}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ReportRun.objects.exists()


def test_a_scope_outside_the_users_is_refused(users, login, world):
    response = login(users.officer_a).post(
        RUN_SUMMARY, {"scope": world.units.hu_b.pk, "period": "this_year"}
    )
    assert "scope" in response.context["form"].errors
    assert not ReportRun.objects.exists()


# --- run detail -------------------------------------------------------------------------------


def test_run_detail_requires_login_and_hides_runs_outside_scope(client, users, login, world):
    run = make_run(world.units.hu_b)
    assert_login_required(client, detail(run))
    assert login(users.officer_a).get(detail(run)).status_code == 404
    assert login(users.officer_b).get(detail(run)).status_code == 200


def test_a_queued_run_shows_a_progress_indicator_that_polls(users, login, world):
    run = make_run(world.units.province, users.viewer)
    client = login(users.viewer)
    content = client.get(detail(run)).content.decode()
    assert 'hx-trigger="every 1s"' in content and f'hx-get="{detail(run)}"' in content
    assert "Yêu cầu đang chờ xử lý" in content
    assert '<meta http-equiv="refresh"' in content  # without JavaScript
    partial = client.get(detail(run), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    assert "<html" not in partial.content.decode()
    services.report_run_execute(run_id=run.pk, today=D(2023, 1, 1))
    finished = client.get(detail(run), HTTP_HX_REQUEST="true")
    assert finished["HX-Refresh"] == "true"


def test_a_long_queued_run_says_the_worker_may_be_down(users, login, world):
    run = make_run(world.units.province, users.viewer)
    ReportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    content = login(users.viewer).get(detail(run)).content.decode()
    assert "Yêu cầu đã chờ lâu hơn bình thường" in content


def test_a_finished_run_shows_sentence_chart_tables_and_downloads(users, login, rotated):
    run = make_run(rotated.units.province, users.viewer, execute=True)
    response = login(users.viewer).get(detail(run))
    content = response.content.decode()
    assert (
        'class="report-sentence">Từ đầu nhiệm kỳ đến hết năm 2022 đã luân chuyển 1 cán bộ'
        in content
    )
    assert 'id="result-chart" type="application/json"' in content
    for table in run.result["tables"]:
        assert table["title"] in content
    assert download(run, "xlsx") in content and download(run, "csv") in content
    assert "hx-trigger" not in content
    assert "Hình thức" in content and "Luân chuyển" in content  # the parameter, for people


def test_a_failed_run_explains_in_vietnamese_and_offers_to_run_again(users, login, world):
    run = make_run(world.units.hu_a, users.officer_a, params={"kind": "all"})
    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error="KeyError: 'x'", finished_at=timezone.now()
    )
    client = login(users.officer_a)
    content = client.get(detail(run)).content.decode()
    assert "Không tính được báo cáo" in content and "KeyError" in content
    rerun = client.get(detail(run)).context["rerun_url"]
    assert rerun.startswith(RUN_SUMMARY) and "period=custom" in rerun
    form = client.get(rerun).context["form"]
    assert form["date_from"].value() == "01/10/2020" and form["date_to"].value() == "31/12/2022"
    assert form["param_kind"].value() == "all"
    assert str(form["scope"].value()) == str(world.units.hu_a.pk)


def test_run_detail_costs_constant_queries(users, login, world):
    run = make_run(world.units.province, users.viewer, execute=True)

    def add_rows(n):
        run.refresh_from_db()
        table = run.result["tables"][0]
        table["rows"] += [[f"Dòng {i}", i, i] for i in range(n)]
        ReportRun.objects.filter(pk=run.pk).update(result=run.result)

    assert_constant_queries(login(users.viewer), detail(run), add_rows)


# --- downloads ---------------------------------------------------------------------------------


def test_xlsx_download_has_a_filename_and_is_audited(users, login, rotated):
    run = make_run(rotated.units.province, users.viewer, execute=True)
    response = login(users.viewer).get(download(run, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="rotation_summary_TU_2020-10-01_2022-12-31.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "TỔNG HỢP LUÂN CHUYỂN CÁN BỘ"
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.object_id) == (
        users.viewer,
        AuditEvent.Action.DOWNLOAD_REPORT,
        str(run.pk),
    )


def test_csv_download_is_utf8_with_bom(users, login, rotated):
    run = make_run(rotated.units.province, users.viewer, execute=True)
    response = login(users.viewer).get(download(run, "csv"))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffTổng hợp luân chuyển cán bộ")
    assert response["Content-Disposition"].endswith('.csv"')


def test_downloads_refuse_other_formats_unfinished_runs_and_other_scopes(
    client, users, login, world
):
    finished = make_run(world.units.hu_b, users.officer_b, execute=True)
    queued = make_run(world.units.hu_b, users.officer_b, params={"kind": "all"})
    assert_login_required(client, download(finished, "xlsx"))
    officer_b = login(users.officer_b)
    assert officer_b.get(download(finished, "pdf")).status_code == 404
    assert officer_b.get(download(queued, "xlsx")).status_code == 404
    assert login(users.officer_a).get(download(finished, "xlsx")).status_code == 404
    assert not AuditEvent.objects.exists()


# --- subscriptions -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def example_vn_is_an_allowed_email_domain(settings):
    # The subscription data below sends to lanhdao@example.vn; the rule itself is
    # tested in tests/reports/test_subscription_recipients.py.
    settings.REPORT_EMAIL_ALLOWED_DOMAINS = ["example.vn"]


@pytest.fixture
def subscription(world, users):
    schedule = CrontabSchedule.objects.create(
        minute="0", hour="7", day_of_month="1", timezone="Asia/Ho_Chi_Minh"
    )
    sub = Subscription(
        name="Tổng hợp hằng tháng",
        report="rotation_summary",
        scope=world.units.province,
        period_rule="last_month",
        schedule=schedule,
    )
    return delivery.subscription_save(subscription=sub, recipients=[users.viewer])


def subscription_data(world, users, **changes):
    data = {
        "name": "Báo cáo tháng cho Thường trực",
        "report": "rotation_summary",
        "param_kind": "all",
        "scope": world.units.province.pk,
        "period_rule": "last_month",
        "frequency": "monthly",
        "day_of_month": "1",
        "weekday": "",
        "hour": "7",
        "recipients": [users.viewer.pk],
        "extra_emails": "lanhdao@example.vn",
        "attach_xlsx": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_subscription_pages_require_login(client, subscription):
    for url in (
        SUBSCRIPTIONS,
        NEW_SUBSCRIPTION,
        reverse("subscription_update", args=[subscription.pk]),
    ):
        assert_login_required(client, url)


def test_viewers_read_the_list_without_the_officer_buttons(users, login, subscription):
    content = login(users.viewer).get(SUBSCRIPTIONS).content.decode()
    assert "Tổng hợp hằng tháng" in content and "Ngày 1 hằng tháng, lúc 07:00" in content
    assert NEW_SUBSCRIPTION not in content
    assert reverse("subscription_toggle", args=[subscription.pk]) not in content
    officer = login(users.officer).get(SUBSCRIPTIONS).content.decode()
    assert NEW_SUBSCRIPTION in officer and "data-confirm=" in officer


def test_the_list_shows_the_last_delivery_and_only_subscriptions_in_scope(
    users, login, subscription
):
    Delivery.objects.create(
        subscription=subscription,
        date_from=D(2024, 1, 1),
        date_to=D(2024, 1, 31),
        status=DeliveryStatus.FAILED,
        note="SMTP lỗi",
    )
    content = login(users.viewer).get(SUBSCRIPTIONS).content.decode()
    assert "Gửi lỗi" in content and "SMTP lỗi" in content
    assert "Tổng hợp hằng tháng" not in login(users.officer_a).get(SUBSCRIPTIONS).content.decode()


def test_subscription_list_costs_constant_queries(users, login, world, subscription):
    def add_rows(n):
        for i in range(n):
            sub = Subscription(
                name=f"Đăng ký {i}",
                report="rotated_serving",
                scope=world.units.hu_a,
                schedule=subscription.schedule,
            )
            delivery.subscription_save(subscription=sub, recipients=[users.viewer])
            Delivery.objects.create(
                subscription=sub, date_from=D(2024, 1, 1), date_to=D(2024, 1, 31)
            )

    assert_constant_queries(login(users.viewer), SUBSCRIPTIONS, add_rows)


def test_viewers_may_not_create_edit_or_pause(users, login, world, subscription):
    client = login(users.viewer)
    assert client.get(NEW_SUBSCRIPTION).status_code == 403
    assert client.post(NEW_SUBSCRIPTION, subscription_data(world, users)).status_code == 403
    update = reverse("subscription_update", args=[subscription.pk])
    assert client.post(update, subscription_data(world, users)).status_code == 403
    assert client.post(reverse("subscription_toggle", args=[subscription.pk])).status_code == 403
    subscription.refresh_from_db()
    assert Subscription.objects.count() == 1
    assert subscription.name == "Tổng hợp hằng tháng" and subscription.is_active


def test_an_officer_creates_a_monthly_subscription(users, login, world):
    response = login(users.officer).post(NEW_SUBSCRIPTION, subscription_data(world, users))
    assert response.status_code == 302 and response["Location"] == SUBSCRIPTIONS
    sub = Subscription.objects.get()
    assert sub.params == {"kind": "all", "tier": "all", "geography": "as_they_were"}
    assert sub.created_by == users.officer
    assert list(sub.recipients.all()) == [users.viewer]
    schedule = sub.schedule
    assert (schedule.minute, schedule.hour, schedule.day_of_month, schedule.day_of_week) == (
        "0",
        "7",
        "1",
        "*",
    )
    assert str(schedule.timezone) == "Asia/Ho_Chi_Minh"
    task = PeriodicTask.objects.get(pk=sub.periodic_task_id)
    assert task.enabled and task.crontab == schedule


def test_a_weekly_schedule_reuses_an_existing_crontab(users, login, world):
    client = login(users.officer)
    weekly = {"frequency": "weekly", "weekday": "1", "day_of_month": "", "hour": "8"}
    client.post(NEW_SUBSCRIPTION, subscription_data(world, users, **weekly))
    client.post(NEW_SUBSCRIPTION, subscription_data(world, users, name="Bản thứ hai", **weekly))
    first, second = Subscription.objects.order_by("id")
    assert first.schedule == second.schedule
    assert (first.schedule.hour, first.schedule.day_of_week, first.schedule.day_of_month) == (
        "8",
        "1",
        "*",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"day_of_month": ""}, "day_of_month", "Chọn ngày gửi trong tháng (từ 1 đến 28)."),
        ({"day_of_month": "31"}, "day_of_month", "Ngày gửi trong tháng phải là số từ 1 đến 28."),
        ({"frequency": "weekly", "weekday": ""}, "weekday", "Chọn thứ gửi trong tuần."),
        (
            {"extra_emails": "khong-phai-email"},
            "extra_emails",
            "Địa chỉ “khong-phai-email” không hợp lệ.",
        ),
        (
            {"recipients": None, "extra_emails": ""},
            "recipients",
            "Chọn ít nhất một người nhận hoặc nhập một địa chỉ thư điện tử khác.",
        ),
        ({"param_kind": "moi_thu"}, "param_kind", "Giá trị “moi_thu” không hợp lệ cho Hình thức."),
        ({"name": ""}, "name", ""),
    ],
)
def test_bad_subscription_input_is_explained_and_saves_nothing(
    users, login, world, changes, field, message
):
    crontabs, tasks = CrontabSchedule.objects.count(), PeriodicTask.objects.count()
    response = login(users.officer).post(
        NEW_SUBSCRIPTION, subscription_data(world, users, **changes)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert not Subscription.objects.exists()
    assert (CrontabSchedule.objects.count(), PeriodicTask.objects.count()) == (crontabs, tasks)


def test_recipients_outside_the_officers_scope_cannot_be_picked(users, login, world):
    client = login(users.officer_a)
    choices = set(client.get(NEW_SUBSCRIPTION).context["form"].fields["recipients"].queryset)
    assert users.officer_a in choices and users.officer not in choices
    response = client.post(
        NEW_SUBSCRIPTION,
        subscription_data(world, users, scope=world.units.hu_a.pk, recipients=[users.officer.pk]),
    )
    assert "recipients" in response.context["form"].errors
    assert not Subscription.objects.exists()


def test_choosing_another_report_shows_its_parameters(users, login):
    response = login(users.officer).get(
        NEW_SUBSCRIPTION, {"report": "tenure_watchlist"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert 'name="param_months"' in content and 'name="param_kind"' not in content
    assert 'hx-select="#report-params"' in content


def test_edit_form_starts_from_the_saved_schedule_and_parameters(users, login, subscription):
    url = reverse("subscription_update", args=[subscription.pk])
    form = login(users.officer).get(url).context["form"]
    assert form["frequency"].value() == "monthly"
    assert form["day_of_month"].value() == 1 and form["hour"].value() == "7"
    assert form["param_kind"].value() == "rotation"


def test_an_officer_edits_a_subscription(users, login, world, subscription):
    url = reverse("subscription_update", args=[subscription.pk])
    data = subscription_data(
        world, users, name="Tổng hợp hằng tuần", frequency="weekly", weekday="5", day_of_month=""
    )
    response = login(users.officer).post(url, data, follow=True)
    assert "Đã lưu thay đổi của đăng ký “Tổng hợp hằng tuần”" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.name == "Tổng hợp hằng tuần" and subscription.schedule.day_of_week == "5"
    task = PeriodicTask.objects.get(pk=subscription.periodic_task_id)
    assert task.crontab == subscription.schedule and Subscription.objects.count() == 1


def test_a_bad_edit_is_explained_and_changes_nothing(users, login, world, subscription):
    url = reverse("subscription_update", args=[subscription.pk])
    data = subscription_data(
        world, users, name="Tên mới", hour="9", extra_emails="a@example.vn\nsai-dia-chi"
    )
    response = login(users.officer).post(url, data)
    content = response.content.decode()
    assert "Địa chỉ “sai-dia-chi” không hợp lệ." in content
    assert "Sửa đăng ký “Tổng hợp hằng tháng”" in content
    subscription.refresh_from_db()
    assert subscription.name == "Tổng hợp hằng tháng" and subscription.schedule.hour == "7"
    assert subscription.extra_emails == ""


def test_an_admin_made_crontab_is_kept_unless_changed(users, login, world, subscription):
    custom = CrontabSchedule.objects.create(minute="30", hour="6", day_of_week="1-5")
    Subscription.objects.filter(pk=subscription.pk).update(schedule=custom)
    url = reverse("subscription_update", args=[subscription.pk])
    client = login(users.officer)
    form = client.get(url).context["form"]
    assert form["frequency"].value() == "keep"
    client.post(url, subscription_data(world, users, frequency="keep"))
    subscription.refresh_from_db()
    assert subscription.schedule == custom


def test_recipients_outside_the_editors_scope_are_kept(users, login, world, subscription):
    subscription.scope = world.units.hu_a
    delivery.subscription_save(subscription=subscription, recipients=[users.officer])
    url = reverse("subscription_update", args=[subscription.pk])
    data = subscription_data(
        world, users, scope=world.units.hu_a.pk, recipients=[users.officer_a.pk]
    )
    login(users.officer_a).post(url, data)
    assert set(subscription.recipients.all()) == {users.officer, users.officer_a}


def test_editing_or_toggling_outside_scope_is_404(users, login, world, subscription):
    client = login(users.officer_a)
    assert client.get(reverse("subscription_update", args=[subscription.pk])).status_code == 404
    assert client.post(reverse("subscription_toggle", args=[subscription.pk])).status_code == 404
    subscription.refresh_from_db()
    assert subscription.is_active


def test_an_officer_pauses_and_resumes_a_subscription(users, login, subscription):
    url = reverse("subscription_toggle", args=[subscription.pk])
    client = login(users.officer)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Đã tạm dừng đăng ký “Tổng hợp hằng tháng”" in response.content.decode()
    subscription.refresh_from_db()
    task = PeriodicTask.objects.get(pk=subscription.periodic_task_id)
    assert not subscription.is_active and not task.enabled
    response = client.post(url, follow=True)
    assert "Đã tiếp tục gửi báo cáo theo đăng ký “Tổng hợp hằng tháng”" in response.content.decode()
    subscription.refresh_from_db()
    task.refresh_from_db()
    assert subscription.is_active and task.enabled
    assert list(subscription.recipients.all()) == [users.viewer]
