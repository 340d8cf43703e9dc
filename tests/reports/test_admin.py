"""Reports in admin: runs with downloads, subscriptions saved through the service, send now."""

import datetime as dt
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
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


def subscription_form_data(world, **changes):
    data = {
        "name": "Hằng tháng",
        "report": "rotation_summary",
        "param_kind": "all",
        "scope": world.units.province.pk,
        "period_rule": "this_term_to_date",
        "frequency": "monthly",
        "day_of_month": "1",
        "hour": "7",
        "recipients": [world.officer.pk],
        "extra_emails": "",
        "attach_xlsx": "on",
    }
    return {**data, **changes}


def test_admin_add_and_change_open_the_one_subscription_form(admin_client, world):
    add = admin_client.get(reverse("admin:reports_subscription_add"))
    assert add.status_code == 302 and add["Location"] == reverse("subscription_create")
    response = admin_client.post(add["Location"], subscription_form_data(world))
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    change = admin_client.get(reverse("admin:reports_subscription_change", args=[subscription.pk]))
    assert change["Location"] == reverse("subscription_update", args=[subscription.pk])
    assert admin_client.get(change["Location"]).status_code == 200
    missing = admin_client.get(reverse("admin:reports_subscription_change", args=[999999]))
    assert missing.status_code == 404


def test_subscription_made_through_admin_gets_its_beat_task_and_sends_now(
    admin_client, run, world, superuser, django_capture_on_commit_callbacks
):
    response = admin_client.post(reverse("subscription_create"), subscription_form_data(world))
    assert response.status_code == 302
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
    data = subscription_form_data(world, name="Sai", param_kind="promotion", day_of_month="31")
    response = admin_client.post(reverse("subscription_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "param_kind" in errors and "day_of_month" in errors
    assert not Subscription.objects.exists()
