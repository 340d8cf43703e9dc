"""The change history on an official's profile ("Lịch sử thay đổi"): who, when, which
field from what to what, for the whole record; personal data masked for viewers; a fixed
number of queries however long the history."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from personnel.selectors_history import HISTORY_LIMIT, official_history
from tests.admin_battery.forms import form_data
from tests.reports.conftest import move  # noqa: F401 - shared fixture
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures
from tests.web.conftest import login, users  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

D = dt.date


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def official(world, make_official):  # noqa: F811
    return make_official(
        position=world.positions.a_deputy,
        since=D(2018, 1, 1),
        date_of_birth=D(1985, 3, 15),
        planned=False,
    )


def edit_profile(client, official, **changes):
    url = reverse("official_update", args=[official.pk])
    data = form_data(client.get(url).content.decode(), field="full_name")
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    return response


def history_section(page: str) -> str:
    """The text of the history section, tags dropped."""
    start = page.index('id="history-heading"')
    section = page[start : page.index("</section>", start)]
    return " ".join(re.sub(r"<[^>]+>", "", section).split())


def test_the_history_shows_who_when_and_each_field_from_and_to(login, users, official):  # noqa: F811
    users.officer_a.first_name, users.officer_a.last_name = "Trần Thu", "Hà"
    users.officer_a.save()
    client = login(users.officer_a)
    edit_profile(client, official, major="Luật kinh tế", political_theory="advanced")
    page = text(client.get(reverse("official_detail", args=[official.pk])))
    section = history_section(page)
    assert "Lịch sử thay đổi" in page
    assert "Trần Thu Hà" in section
    assert "Sửa cán bộ" in section
    assert "Chuyên ngành: — → Luật kinh tế" in section
    assert "Lý luận chính trị: Chưa qua đào tạo → Cao cấp" in section
    entry = official_history(official=official, user=users.officer_a)[0][0]
    assert entry.when is not None and entry.who == "Trần Thu Hà"


def test_the_rows_of_the_record_are_in_the_history_with_the_decision(login, users, world, official):  # noqa: F811
    client = login(users.officer_a)
    posting = official.postings.get()
    client.post(
        reverse("official_posting_close", args=[official.pk, posting.pk]),
        {"end_date": "31/05/2024"},
    )
    client.post(
        reverse("official_posting_create", args=[official.pk]),
        {
            "org_unit": world.units.hu_a.pk,
            "position": world.positions.a_secretary.pk,
            "start_date": "01/06/2024",
            "is_primary": "on",
            "basis": "45-QĐ/TU",
        },
    )
    client.post(
        reverse("official_evaluation_create", args=[official.pk]),
        {"year": "2024", "rating": "excellent"},
    )
    client.post(
        reverse("official_reward_create", args=[official.pk]),
        {"kind": "merit", "name": "Bằng khen", "level": "province", "decided_on": "02/09/2023"},
    )
    section = history_section(text(client.get(reverse("official_detail", args=[official.pk]))))
    assert "Thêm quá trình công tác: Bí thư Huyện ủy A, Huyện ủy A (01/06/2024 – nay)" in section
    assert "(theo quyết định 45-QĐ/TU)" in section
    assert (
        "Sửa quá trình công tác: Phó Bí thư Huyện ủy A, Huyện ủy A (01/01/2018 – 31/05/2024) "
        "(theo quyết định 45-QĐ/TU) Đến ngày: — → 31/05/2024"
    ) in section
    assert "Thêm đánh giá, xếp loại: 2024: Hoàn thành xuất sắc nhiệm vụ" in section
    assert "Thêm khen thưởng: Bằng khen (02/09/2023)" in section
    # newest first
    assert section.index("Thêm khen thưởng") < section.index("Thêm đánh giá, xếp loại")
    assert "officer_a" in section


def test_a_movement_taking_effect_shows_its_decision(login, users, world, official, move):  # noqa: F811
    movement = move(official, world.positions.b_deputy, D(2024, 6, 1), apply=True)
    number = movement.decision.number
    section = history_section(
        text(login(users.officer).get(reverse("official_detail", args=[official.pk])))
    )
    assert (
        f"Thêm quá trình công tác: Phó Bí thư Huyện ủy B, Huyện ủy B (01/06/2024 – nay) "
        f"Lý do: Thi hành quyết định {number}"
    ) in section
    assert (
        f"(01/01/2018 – 31/05/2024) Lý do: Thi hành quyết định {number} Đến ngày: — → 31/05/2024"
    ) in section
    assert "theo quyết định" not in section  # named once, by the reason


def test_a_change_reason_is_shown(login, users, official):  # noqa: F811
    official.notes = "Nhập bổ sung"
    official._change_reason = "Nhập từ Excel: ho-so-2025.xlsx"
    official.save()
    page = text(login(users.officer_a).get(reverse("official_detail", args=[official.pk])))
    section = history_section(page)
    assert "Lý do: Nhập từ Excel: ho-so-2025.xlsx" in section
    assert "Hệ thống" in section  # no user: written by the system


def test_a_viewer_sees_personal_data_masked_in_the_history(login, users, official):  # noqa: F811
    edit_profile(
        login(users.officer_a),
        official,
        phone="0912345678",
        home_address="Số 5 Trần Phú, phường Thành Sen, tỉnh Hà Tĩnh",
        personal_id="042085001234",
    )
    url = reverse("official_detail", args=[official.pk])
    officer_section = history_section(text(login(users.officer_a).get(url)))
    assert "Số điện thoại: — → 0912345678" in officer_section
    assert "042085001234" in officer_section
    viewer_page = text(login(users.viewer).get(url))
    for secret in ("0912345678", "042085001234", "Trần Phú", "Thành Sen"):
        assert secret not in viewer_page, secret
    viewer_section = history_section(viewer_page)
    assert "Số điện thoại: — → 091•••••78" in viewer_section
    assert "0420••••••34" in viewer_section
    assert "•••, tỉnh Hà Tĩnh" in viewer_section


def test_the_latest_changes_are_listed_with_a_link_to_more(login, users, official):  # noqa: F811
    for i in range(HISTORY_LIMIT + 5):
        official.notes = f"Ghi chú {i}"
        official.save()
    client = login(users.officer_a)
    url = reverse("official_detail", args=[official.pk])
    response = client.get(url)
    assert len(response.context["history"]) == HISTORY_LIMIT
    assert f"?history={2 * HISTORY_LIMIT}" in text(response)
    more = client.get(url, {"history": 2 * HISTORY_LIMIT})
    assert len(more.context["history"]) > HISTORY_LIMIT
    assert more.context["more_history_limit"] is None
    assert client.get(url, {"history": "9" * 30}).status_code in (200, 400)
    assert client.get(url, {"history": "abc"}).status_code == 200


def _edit_everything(client, world, official, rounds: range):  # noqa: F811
    """Changes to the profile and to every kind of row, once for each of ``rounds``."""
    for i in rounds:
        edit_profile(client, official, notes=f"Lần {i}", phone=f"09123456{i % 10}{i % 7}")
        posting = official.postings.get(is_primary=True)
        writes = {
            "official_evaluation_create": {"year": str(2010 + i), "rating": "good"},
            "official_training_create": {
                "kind": "other",
                "programme": f"Lớp {i}",
                "mode": "full_time",
                "start_date": f"01/0{1 + i % 9}/2019",
            },
            "official_discipline_create": {
                "kind": "reprimand",
                "decided_on": "01/01/2020",
                "basis": f"{i}-QĐ/UBKT",
            },
            "official_reward_create": {
                "kind": "merit",
                "name": f"Bằng khen {i}",
                "level": "province",
                "decided_on": "02/09/2023",
            },
            "official_planning_create": {
                "position": world.positions.a_chair.pk,
                "term": f"{2030 + 5 * i}-{2035 + 5 * i}",
                "status": "active",
            },
        }
        for name, data in writes.items():
            response = client.post(reverse(name, args=[official.pk]), data)
            assert response.status_code == 302, (name, response.context["form"].errors)
        response = client.post(
            reverse("official_posting_update", args=[official.pk, posting.pk]),
            {
                "org_unit": posting.org_unit_id,
                "position": posting.position_id,
                "title": f"Phó Bí thư {i}",
                "start_date": "01/01/2018",
                "is_primary": "on",
                "basis": f"{i}-QĐ/TU",
            },
        )
        assert response.status_code == 302, response.context["form"].errors


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_profile_costs_a_fixed_number_of_queries_whatever_the_history(
    login,  # noqa: F811
    users,  # noqa: F811
    world,  # noqa: F811
    official,  # noqa: F811
):
    client = login(users.officer_a)
    url = reverse("official_detail", args=[official.pk])
    _edit_everything(client, world, official, range(2))
    client.get(url)  # caches warmed
    few = _queries(client, url)
    _edit_everything(client, world, official, range(2, 14))
    entries, _more = official_history(official=official, user=users.officer_a, limit=500)
    assert len(entries) >= 5 * HISTORY_LIMIT
    many = _queries(client, url)
    longer = _queries(client, url + "?history=200")
    assert many <= few and longer <= few, (few, many, longer)
