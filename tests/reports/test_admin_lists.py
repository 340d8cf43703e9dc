"""The subscription list shows each row's latest delivery without a query per row."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule

from reports import delivery
from reports.choices import DeliveryStatus
from reports.models import Delivery, Subscription


def subscribe(world, n):
    schedule = CrontabSchedule.objects.create(minute="0", hour="7")
    for i in range(n):
        sub = delivery.subscription_save(
            subscription=Subscription(
                name=f"Đăng ký {n}-{i}",
                report="rotation_summary",
                scope=world.units.province,
                period_rule="this_term_to_date",
                schedule=schedule,
            ),
            recipients=[world.officer],
        )
        for day, status in ((1, DeliveryStatus.FAILED), (2, DeliveryStatus.SENT)):
            Delivery.objects.create(
                subscription=sub,
                date_from=dt.date(2025, 1, day),
                date_to=dt.date(2025, 2, day),
                status=status,
            )


def test_the_latest_delivery_of_each_row_in_a_fixed_number_of_queries(admin_client, world):
    url = reverse("admin:reports_subscription_changelist")
    subscribe(world, 2)
    with CaptureQueriesContext(connection) as few:
        page = admin_client.get(url)
    assert page.status_code == 200 and "Đã gửi" in page.content.decode()
    subscribe(world, 8)
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url).status_code == 200
    assert len(many) == len(few)
