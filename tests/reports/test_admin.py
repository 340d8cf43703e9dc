"""Reports in admin: runs with downloads, subscriptions saved through the service, send now."""

import datetime as dt
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from openpyxl import load_workbook

from reports import services
from reports.models import Delivery, Subscription

D = dt.date


@pytest.fixture
def run(world, make_official, move, superuser):
    official = make_official(position=world.positions.a_deputy)
    move(official, world.positions.province_deputy, D(2021, 3, 1))
    return services.report_run_now(
        report="rotation_summary",
        scope=world.units.province,
        date_from=D(2020, 10, 1),
        date_to=D(2022, 12, 31),
        requested_by=superuser,
    )


def test_run_page_shows_the_result_and_downloads(admin_client, run):
    page = admin_client.get(reverse("admin:reports_reportrun_change", args=[run.pk]))
    assert page.status_code == 200
    assert "đã luân chuyển 1 cán bộ" in page.content.decode()
    xlsx = admin_client.get(reverse("admin:reports_reportrun_download", args=[run.pk, "xlsx"]))
    assert xlsx["Content-Disposition"].startswith('attachment; filename="rotation_summary_TU_')
    assert (
        load_workbook(io.BytesIO(xlsx.content)).active["A1"].value == "TỔNG HỢP LUÂN CHUYỂN CÁN BỘ"
    )
    csv = admin_client.get(reverse("admin:reports_reportrun_download", args=[run.pk, "csv"]))
    assert "Từ huyện lên tỉnh,1,1" in csv.content.decode("utf-8-sig")
    assert (
        admin_client.get(
            reverse("admin:reports_reportrun_download", args=[run.pk, "pdf"])
        ).status_code
        == 404
    )


def test_subscription_added_in_admin_gets_its_beat_task_and_sends_now(
    admin_client, run, world, superuser, django_capture_on_commit_callbacks
):
    schedule = CrontabSchedule.objects.create(minute="0", hour="7", day_of_month="1")
    data = {
        "name": "Hằng tháng",
        "report": "rotation_summary",
        "scope": world.units.province.pk,
        "period_rule": "this_term_to_date",
        "params": "{}",
        "recipients": [world.officer.pk],
        "extra_emails": "",
        "attach_xlsx": "on",
        "schedule": schedule.pk,
        "is_active": "on",
    }
    response = admin_client.post(reverse("admin:reports_subscription_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    subscription = Subscription.objects.get()
    assert PeriodicTask.objects.get(pk=subscription.periodic_task_id).args == f"[{subscription.pk}]"
    assert list(subscription.recipients.all()) == [world.officer]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:reports_subscription_changelist"),
            {"action": "send_now", ACTION_CHECKBOX_NAME: [subscription.pk]},
            follow=True,
        )
    assert "Đã đưa 1 đăng ký vào hàng đợi" in response.content.decode()
    assert Delivery.objects.get().status == "sent"
    assert mail.outbox[-1].to == ["officer@example.vn"]
    assert (
        admin_client.get(
            reverse("admin:reports_delivery_change", args=[Delivery.objects.get().pk])
        ).status_code
        == 200
    )


def test_subscription_form_refuses_bad_parameters(admin_client, world):
    schedule = CrontabSchedule.objects.create(minute="0", hour="7")
    data = {
        "name": "Sai",
        "report": "rotation_summary",
        "scope": world.units.province.pk,
        "period_rule": "last_month",
        "params": '{"kind": "promotion"}',
        "extra_emails": "",
        "schedule": schedule.pk,
    }
    response = admin_client.post(reverse("admin:reports_subscription_add"), data)
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()
    assert not Subscription.objects.exists()
