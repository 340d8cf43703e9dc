"""The import holds the rules the staff pages hold: new rows only in units of the user's
scope, no record outside the scope named, a leaving day after a recorded posting refused;
and the column-mapping page answers hostile input without an error."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from accounts.choices import Role
from personnel.imports import services
from personnel.imports.services import check_data
from personnel.models import Official, PlanningEntry, Posting
from tests.factories import UserFactory
from tests.personnel.imports.conftest import fill, official_row, posting_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_officer(world):
    return UserFactory(username="officer-a", scope=world.units.hu_a, role=Role.OFFICER)


def messages_of(data, user):
    return " | ".join(check_data(data, user=user).messages())


def test_a_new_posting_or_planning_entry_in_another_district_is_refused(world, district_officer):
    """An officer of district A imported an official with a posting and a planning entry
    in district B, outside the scope: both were written."""
    data = fill(
        {
            "officials": [official_row("Z1")],
            "postings": [
                posting_row("Z1", unit="HUA", start_date="01/01/2015"),
                posting_row("Z1", unit="HUB", start_date="01/01/2010", end_date="31/12/2014"),
            ],
            "planning": [
                {"official": "Z1", "unit": "HUB", "position": "Bí thư Huyện ủy B",
                 "term": "2025-2030"},
            ],
        }
    )  # fmt: skip
    outcome = check_data(data, user=district_officer)
    text = " | ".join(outcome.messages())
    assert text.count("Huyện ủy B” nằm ngoài phạm vi quản lý của bạn") == 2
    record = services.record_import_create(user=district_officer, data=data, file_name="z.xlsx")
    services.record_import_preview(record_import_id=record.pk)
    services.record_import_apply(record_import_id=record.pk, user=district_officer)
    assert not Official.objects.filter(code="Z1").exists()
    assert not Posting.objects.filter(org_unit=world.units.hu_b).exists()
    assert not PlanningEntry.objects.exists()


def test_the_same_rows_are_accepted_from_the_province(world, make_official):
    data = fill(
        {
            "officials": [official_row("Z1")],
            "postings": [
                posting_row("Z1", unit="HUA", start_date="01/01/2015"),
                posting_row("Z1", unit="HUB", start_date="01/01/2010", end_date="31/12/2014"),
            ],
        }
    )
    assert check_data(data, user=world.officer).messages() == []


def test_a_record_outside_the_scope_is_not_named(world, make_official, district_officer):
    """A district officer could learn any record's code from a personal identification
    number."""
    make_official(unit=world.units.hu_b, code="SECRET-B", personal_id="001080000123",
                  date_of_birth=dt.date(1980, 3, 15))  # fmt: skip
    new_code = messages_of(
        fill({"officials": [official_row("Z9", personal_id="001080000123")]}), district_officer
    )
    no_code = messages_of(
        fill({"officials": [official_row("", personal_id="001080000123")]}), district_officer
    )
    assert "001080000123" in new_code
    assert "SECRET-B" not in new_code and "SECRET-B" not in no_code
    assert "ngoài phạm vi" in no_code
    # In the scope, the record is named: the user may open it anyway.
    assert "SECRET-B" in messages_of(
        fill({"officials": [official_row("Z9", personal_id="001080000123")]}), world.officer
    )


def test_a_leaving_day_before_a_recorded_posting_is_refused(world, make_official):
    """The service refused it; the import applied it."""
    official = make_official(unit=world.units.hu_a, code="L1", since=dt.date(2015, 2, 1))
    row = official_row(
        "L1",
        full_name=official.full_name,
        date_of_birth=official.date_of_birth.strftime("%d/%m/%Y"),
        status="Đã nghỉ hưu",
        left_on="01/01/2010",
    )
    text = messages_of(fill({"officials": [row]}), world.officer)
    assert "bắt đầu sau ngày thôi công tác này" in text
    assert Official.objects.get(pk=official.pk).left_on is None


def test_the_mapping_page_answers_hostile_input(client, world):
    client.force_login(world.officer)
    book = Workbook()
    book.active.title = "Hướng dẫn"
    buffer = io.BytesIO()
    book.save(buffer)
    record = services.record_import_create(
        user=world.officer, data=buffer.getvalue(), file_name="chi-huong-dan.xlsx"
    )
    url = reverse("record_import_mapping", args=[record.pk])
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "không có trang dữ liệu nào" in response.content.decode()
    assert client.post(url, {"use": "abc"}).status_code == 404
    assert client.post(url, {"use": "9" * 40}).status_code in (400, 404)
