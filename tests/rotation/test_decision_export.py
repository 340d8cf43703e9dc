"""The decisions list exports to XLSX: the filtered decisions and the movements each user
may see (the same need-to-know as the decision page), audited."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.choices import Role
from accounts.models import AuditEvent
from rotation import services
from rotation.choices import MovementKind
from tests.factories import UserFactory

D = dt.date


def table(sheet):
    """The rows under the header row (the title block ends with a blank row)."""
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    start = next(
        i for i, row in enumerate(rows) if row and row[0] in ("STT", "Số, ký hiệu quyết định")
    )
    return rows[start + 1 :]


@pytest.fixture
def decision(world, make_official):
    decision = services.decision_create(
        number="12-QĐ/TU", issued_by=world.units.province, title="Điều động cán bộ",
        created_by=world.officer,
    )  # fmt: skip
    a_cadre = make_official(position=world.positions.a_deputy, full_name="Lê Văn A")
    b_cadre = make_official(position=world.positions.b_deputy, full_name="Trần Văn B")
    services.movement_add(
        decision=decision, official=a_cadre, kind=MovementKind.TRANSFER,
        to_position=world.positions.finance_head, effective_on=D(2025, 3, 1), by=world.officer,
    )  # fmt: skip
    services.movement_add(
        decision=decision, official=b_cadre, kind=MovementKind.ROTATION,
        to_position=world.positions.province_deputy, effective_on=D(2025, 3, 1),
        term_months=36, by=world.officer,
    )  # fmt: skip
    return decision


def test_the_issuer_exports_every_movement_and_the_export_is_audited(client, world, decision):
    client.force_login(world.officer)
    response = client.get(reverse("decision_export"), {"q": "12-QĐ"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="danh-sach-quyet-dinh_')
    book = load_workbook(io.BytesIO(response.content))
    decisions = table(book.worksheets[0])
    assert [(row[1], row[6]) for row in decisions] == [("12-QĐ/TU", 2)]
    movements = table(book.worksheets[1])
    assert sorted(row[2] for row in movements) == ["Lê Văn A", "Trần Văn B"]
    rotation = next(row for row in movements if row[2] == "Trần Văn B")
    assert rotation[3] == "Luân chuyển" and rotation[8] == 36
    assert AuditEvent.objects.filter(
        user=world.officer, action=AuditEvent.Action.EXPORT, object_type="rotation.Decision"
    ).exists()


def test_another_side_sees_only_its_own_cadres_movement(client, world, decision):
    side = UserFactory(username="b-viewer", scope=world.units.hu_b, role=Role.VIEWER)
    client.force_login(side)
    book = load_workbook(io.BytesIO(client.get(reverse("decision_export")).content))
    assert [row[2] for row in table(book.worksheets[1])] == ["Trần Văn B"]


def test_a_filter_that_excludes_everything_gives_an_empty_workbook(client, world, decision):
    client.force_login(world.officer)
    book = load_workbook(
        io.BytesIO(client.get(reverse("decision_export"), {"q": "không có"}).content)
    )
    assert table(book.worksheets[0]) == [] and table(book.worksheets[1]) == []


@pytest.mark.parametrize("bad", [{"date_from": "31/02/2025"}, {"date_to": "01/01/0001"}])
def test_a_bad_filter_redirects_to_the_list_with_a_message(client, world, decision, bad):
    client.force_login(world.officer)
    response = client.get(reverse("decision_export"), bad, follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith("/decisions/?")
    assert "Bộ lọc có giá trị không hợp lệ" in response.content.decode()


def test_a_nul_byte_in_the_query_is_a_bad_request_not_an_error(client, world, decision):
    client.force_login(world.officer)
    assert client.get(reverse("decision_export"), {"q": "x\x00y"}).status_code == 400


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("decision_export"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_export_costs_the_same_queries_whatever_the_number_of_decisions(
    client, world, make_official
):
    """It looped once per decision another unit issued (1,100 decisions: 1,111 queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    side = UserFactory(username="b-officer", scope=world.units.hu_b, role=Role.VIEWER)
    client.force_login(side)

    def add(n, start):
        for i in range(start, start + n):
            decision = services.decision_create(
                number=f"{i}-QĐ/TU", issued_by=world.units.province, title="Điều động"
            )
            cadre = make_official(position=world.positions.b_deputy, code=f"B{i}", planned=False)
            services.movement_add(
                decision=decision, official=cadre, kind=MovementKind.TRANSFER,
                to_position=world.positions.finance_head, effective_on=D(2025, 3, 1),
            )  # fmt: skip

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("decision_export")).status_code == 200
        return len(queries)

    add(2, 100)
    few = count()
    add(8, 200)
    assert count() == few
