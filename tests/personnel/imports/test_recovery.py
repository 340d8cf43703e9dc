"""An import whose worker stopped (the task lost) does not stay "running" for ever: after
STALE_AFTER without progress it goes back to the step before, and nothing was written."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from personnel.imports import services
from personnel.models import Official, RecordImport
from personnel.models_imports import ImportStatus
from tests.personnel.imports.conftest import fill, official_row, posting_row

pytestmark = pytest.mark.django_db


def uploaded(world):
    data = fill({"officials": [official_row("CB-01")], "postings": [posting_row("CB-01")]})
    return services.record_import_create(user=world.officer, data=data, file_name="ho-so.xlsx")


def stall(record, *, minutes_ago, previewed):
    if previewed:
        record = services.record_import_preview(record_import_id=record.pk)
        assert record.status == ImportStatus.PREVIEWED
    RecordImport.objects.filter(pk=record.pk).update(
        status=ImportStatus.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def test_a_stalled_apply_goes_back_to_the_preview_and_can_be_applied(client, world):
    record = uploaded(world)
    stall(record, minutes_ago=16, previewed=True)
    client.force_login(world.officer)
    page = client.get(reverse("record_import_detail", args=[record.pk])).content.decode()
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED
    assert "bị gián đoạn" in page and "không có gì được ghi" in page
    assert not Official.objects.filter(code="CB-01").exists()
    client.post(reverse("record_import_apply", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED
    assert Official.objects.filter(code="CB-01").exists()


def test_a_stalled_check_is_run_again(client, world):
    record = uploaded(world)
    stall(record, minutes_ago=30, previewed=False)
    client.force_login(world.officer)
    client.get(reverse("record_import_detail", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED
    assert record.counts  # checked again, in the request (a small file)


def test_a_run_that_reports_progress_is_left_alone(world):
    record = uploaded(world)
    stall(record, minutes_ago=14, previewed=True)
    assert services.record_import_recover(record_import_id=record.pk) is False
    assert RecordImport.objects.get(pk=record.pk).status == ImportStatus.RUNNING
    # and only a running import is ever put back
    RecordImport.objects.filter(pk=record.pk).update(status=ImportStatus.APPLIED)
    later = timezone.now() + dt.timedelta(days=1)
    assert services.record_import_recover(record_import_id=record.pk, now=later) is False
