"""The officials as records of the national database (Decree 27/2026/NĐ-CP): keyed by the
personal identification number, in the field order of ``personnel.national.GROUPS``, as
JSON through the API and as an XLSX hand-over from the officials page. Both hold the
personal data whole: officers and above, scope only, audited."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst
from openpyxl import load_workbook

from accounts.choices import Role
from accounts.models import AuditEvent
from personnel import national, services_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = dt.date
LIST = "api:national-record-list"


@pytest.fixture
def people(world, make_official, users):
    an = make_official(
        position=world.positions.a_deputy,
        full_name="Trần Văn An",
        personal_id="042080001234",
        date_of_birth=D(1980, 3, 15),
        birthplace=world.localities.a1,
        party_joined_on=D(2005, 5, 19),
    )
    services_record.training_create(
        official=an,
        kind="degree",
        programme="Cử nhân Luật",
        start_date=D(1998, 9, 1),
        end_date=D(2002, 6, 30),
        by=users.officer,
    )
    services_record.evaluation_create(official=an, year=2024, rating="excellent", by=users.officer)
    services_record.reward_create(
        official=an,
        kind="certificate",
        name='=HYPERLINK("http://x")',
        level="province",
        decided_on=D(2023, 1, 10),
        by=users.officer,
    )
    unnumbered = make_official(position=world.positions.a_deputy, full_name="Lê Thị Chưa Số")
    other = make_official(
        position=world.positions.b_deputy, full_name="Phạm Văn Bình", personal_id="042080009999"
    )
    return type("People", (), {"an": an, "unnumbered": unnumbered, "b": other})


def test_the_records_of_the_scope_keyed_in_the_national_order(api, users, people):
    response = api(users.officer_a).get(reverse(LIST))
    assert response.status_code == 200, response.content
    records = response.json()["results"]
    assert [r["personal_id"] for r in records] == ["042080001234"]  # not B's, not unnumbered
    record = records[0]
    assert list(record) == ["personal_id", *(group.key for group in national.GROUPS)]
    for group in national.GROUPS:
        rows = record[group.key] if group.is_list else [record[group.key]]
        for row in rows:
            assert list(row) == [column.key for column in group.columns]
    assert record["identity"]["full_name"] == "Trần Văn An"
    assert record["identity"]["date_of_birth"] == "1980-03-15"
    assert record["identity"]["birthplace_code"] == "18001"
    assert record["party"]["party_joined_on"] == "2005-05-19"
    assert record["current_post"]["title"] == "Phó Bí thư Huyện ủy A"
    assert [p["unit_code"] for p in record["postings"]] == ["HUA"]
    assert record["training"][0]["programme"] == "Cử nhân Luật"
    assert record["evaluations"] == [{"year": 2024, "rating": "excellent", "note": ""}]
    assert record["discipline"] == []
    assert AuditEvent.objects.filter(
        user=users.officer_a, action=AuditEvent.Action.EXPORT, detail="api national: 1"
    ).exists()


def test_the_officials_pages_filters_apply(api, users, people):
    client = api(users.officer)
    everyone = client.get(reverse(LIST)).json()["results"]
    assert [r["personal_id"] for r in everyone] == ["042080001234", "042080009999"]
    found = client.get(reverse(LIST), {"q": "binh"}).json()["results"]
    assert [r["personal_id"] for r in found] == ["042080009999"]
    assert client.get(reverse(LIST), {"on": "31/02/2020"}).status_code == 400


def test_viewers_who_see_masks_get_no_national_records(api, world, people):
    viewer = UserFactory(username="viewer_a", scope=world.units.hu_a, role=Role.VIEWER)
    response = api(viewer).get(reverse(LIST))
    assert response.status_code == 403
    assert "042080001234" not in response.content.decode()


def test_a_page_costs_the_same_queries_whatever_its_size(api, users, world, make_official):
    def queries(n):
        for i in range(n):
            make_official(
                position=world.positions.a_deputy,
                full_name=f"Cán Bộ {len(connection.queries)} {i}",
                personal_id=f"0420{n:04d}{i:04d}",
            )
        client = api(users.officer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(LIST), {"page_size": 500}).status_code == 200
        return len(captured)

    assert queries(2) == queries(6)


# --- the XLSX hand-over ------------------------------------------------------------------------


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    return load_workbook(io.BytesIO(response.content))


def test_the_xlsx_holds_the_groups_in_order_one_sheet_per_list(login, users, people):
    response = login(users.officer_a).get(reverse("official_export"), {"format": "national"})
    assert "ho-so-csdl-quoc-gia" in response["Content-Disposition"]
    book = workbook(response)
    assert book.sheetnames == [
        "Hồ sơ",
        *(f"{g.number}. {g.title}"[:31] for g in national.LIST_GROUPS),
        "Chưa có số định danh",
    ]
    main = [list(row) for row in book["Hồ sơ"].iter_rows(values_only=True)]
    labels_at = next(i for i, row in enumerate(main) if row[0] == "Số định danh cá nhân")
    titles, labels = main[labels_at - 1], main[labels_at]
    expected = [capfirst(c.label) for g in national.PROFILE_GROUPS for c in g.columns]
    assert labels[1:] == expected
    assert [t for t in titles if t] == [f"{g.number}. {g.title}" for g in national.PROFILE_GROUPS]
    data = main[labels_at + 1 :]
    assert [row[0] for row in data] == ["042080001234"]
    row = dict(zip(labels, data[0], strict=True))
    assert row["Họ và tên khai sinh"] == "Trần Văn An"
    assert row["Ngày sinh"].date() == D(1980, 3, 15)
    assert row["Giới tính"] == "Nam"
    rewards = list(book["8. Khen thưởng"].iter_rows(values_only=True))
    assert rewards[1][:2] == ("042080001234", "Trần Văn An")
    assert rewards[1][3] == '\'=HYPERLINK("http://x")'  # text, not a formula
    missing = [row[1] for row in book["Chưa có số định danh"].iter_rows(values_only=True)]
    assert missing == ["Họ và tên", "Lê Thị Chưa Số"]
    assert AuditEvent.objects.filter(user=users.officer_a, action=AuditEvent.Action.EXPORT).exists()


def test_a_viewer_is_refused_the_xlsx_with_a_message(login, world, people):
    viewer = UserFactory(username="viewer_a", scope=world.units.hu_a, role=Role.VIEWER)
    response = login(viewer).get(reverse("official_export"), {"format": "national"}, follow=True)
    assert response.redirect_chain and response.status_code == 200
    assert "cần vai trò chuyên viên trở lên" in response.content.decode()
    assert not AuditEvent.objects.filter(user=viewer, action=AuditEvent.Action.EXPORT).exists()
