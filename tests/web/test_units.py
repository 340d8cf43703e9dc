"""Org units and positions: tree, unit page, position page, autocompletes."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from personnel import services as personnel_services
from personnel.choices import Level, PlanningStatus
from personnel.models import OrgUnit, Position
from personnel.occupancy import Duration, position_timeline
from personnel.views.units import SEARCH_PAGE_SIZE
from tests.factories import (
    OfficialFactory,
    OrgUnitFactory,
    PlanningEntryFactory,
    PositionFactory,
    UserFactory,
)
from tests.web.helpers import assert_constant_queries, assert_login_required

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's HTML with runs of whitespace collapsed, as a reader sees the text flow."""
    return re.sub(r"\s+", " ", response.content.decode())


def hold(position, since, until=None, *, is_primary=True, basis="", official=None, **fields):
    """A new official (or ``official``) holding ``position`` from ``since`` to ``until``."""
    official = official or OfficialFactory(**fields)
    personnel_services.posting_create(
        official=official,
        position=position,
        title="",
        start_date=since,
        end_date=until,
        is_primary=is_primary,
        basis=basis,
    )
    return official


# Access ------------------------------------------------------------------------------


def test_every_page_requires_login(client, world):
    unit, position = world.units.hu_a, world.positions.a_secretary
    for url in (
        reverse("unit_tree"),
        reverse("unit_tree") + "?q=huyen",
        reverse("unit_children", args=[unit.pk]),
        reverse("unit_detail", args=[unit.pk]),
        reverse("position_detail", args=[position.pk]),
        reverse("unit_autocomplete") + "?q=huyen",
        reverse("position_autocomplete") + "?q=bi",
    ):
        assert_login_required(client, url)


def test_records_outside_the_scope_answer_404(login, users, world):
    client = login(users.officer_b)
    for url in (
        reverse("unit_children", args=[world.units.hu_a.pk]),
        reverse("unit_detail", args=[world.units.hu_a.pk]),
        reverse("unit_detail", args=[world.units.province.pk]),
        reverse("position_detail", args=[world.positions.a_secretary.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("unit_detail", args=[world.units.hu_b.pk])).status_code == 200


def test_a_viewer_reads_every_page(login, users, world):
    client = login(users.viewer)
    for url in (
        reverse("unit_tree"),
        reverse("unit_tree") + "?q=huyen",
        reverse("unit_children", args=[world.units.hu_a.pk]),
        reverse("unit_detail", args=[world.units.hu_a.pk]),
        reverse("position_detail", args=[world.positions.a_secretary.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_pages_only_accept_reading(login, users, world):
    client = login(users.approver)
    response = client.post(reverse("unit_detail", args=[world.units.hu_a.pk]))
    assert response.status_code == 405


# Tree --------------------------------------------------------------------------------


def test_tree_starts_at_the_scope_with_its_children_loaded(login, users, world):
    response = login(users.viewer).get(reverse("unit_tree"))
    content = response.content.decode()
    assert [root.name for root in response.context["roots"]] == ["Tỉnh ủy P"]
    children = response.context["roots"][0].loaded_children
    assert {child.name for child in children} == {"Sở Tài chính", "Huyện ủy A", "Huyện ủy B"}
    # Grandchildren come on demand: Huyện ủy A's node asks for them.
    assert reverse("unit_children", args=[world.units.hu_a.pk]) in content
    assert "UBND huyện A" not in content
    assert 'hx-trigger="toggle once"' in content


def test_tree_of_a_district_user_shows_only_the_district(login, users, world):
    response = login(users.officer_a).get(reverse("unit_tree"))
    assert [root.name for root in response.context["roots"]] == ["Huyện ủy A"]
    names = {child.name for child in response.context["roots"][0].loaded_children}
    assert names == {"UBND huyện A", "Đảng ủy xã A1"}
    assert "Huyện ủy B" not in response.content.decode()


def test_tree_of_a_superuser_starts_at_every_root(admin_client, world):
    other_root = OrgUnitFactory(name="Ban Tổ chức Trung ương", level=Level.CENTRAL, locality=None)
    response = admin_client.get(reverse("unit_tree"))
    assert {root.pk for root in response.context["roots"]} == {
        world.units.province.pk,
        other_root.pk,
    }


def test_tree_tells_a_user_without_scope_why_it_is_empty(login, world):
    response = login(UserFactory(scope=None)).get(reverse("unit_tree"))
    assert response.status_code == 403  # every staff page says the same (NoScopeMiddleware)
    assert "roots" not in response.context
    assert "chưa được giao phạm vi quản lý" in response.content.decode()


def test_tree_nodes_count_active_positions_and_vacancies(login, users, world, make_official):
    make_official(position=world.positions.a_secretary, planned=False)
    PositionFactory(org_unit=world.units.hu_a, title="Chức danh cũ", is_active=False)
    hold(world.positions.a_deputy, dt.date(2020, 1, 1), is_primary=False)  # concurrent only
    response = login(users.viewer).get(reverse("unit_tree"))
    hu_a = next(c for c in response.context["roots"][0].loaded_children if c.name == "Huyện ủy A")
    assert (hu_a.position_count, hu_a.filled_count, hu_a.vacancy_count) == (2, 1, 1)
    assert hu_a.child_count == 2
    assert "1 trống" in response.content.decode()


def test_children_partial_lists_the_children_of_one_unit(login, users, world):
    response = login(users.officer_a).get(reverse("unit_children", args=[world.units.hu_a.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "UBND huyện A" in content and "Đảng ủy xã A1" in content
    assert "<html" not in content  # a fragment for HTMX, not a page


def test_search_ignores_diacritics_and_shows_the_path(login, users, world):
    response = login(users.viewer).get(reverse("unit_tree"), {"q": "huyen uy a"})
    units = list(response.context["page"].object_list)
    assert [unit.name for unit in units] == ["Huyện ủy A"]
    assert [a.name for a in units[0].ancestors_in_scope] == ["Tỉnh ủy P"]
    assert "Tỉnh ủy P" in response.content.decode()


def test_search_with_diacritics_and_other_case(login, users, world):
    response = login(users.viewer).get(reverse("unit_tree"), {"q": "ĐẢNG ỦY XÃ"})
    assert [unit.name for unit in response.context["page"].object_list] == ["Đảng ủy xã A1"]


def test_search_stays_inside_the_scope(login, users, world):
    response = login(users.officer_b).get(reverse("unit_tree"), {"q": "huyện ủy"})
    assert [unit.name for unit in response.context["page"].object_list] == ["Huyện ủy B"]
    response = login(users.officer_b).get(reverse("unit_tree"), {"q": "UBND"})
    assert response.context["page"].paginator.count == 0
    assert "Không tìm thấy cơ quan, đơn vị nào" in response.content.decode()


def test_search_filters_by_level_and_sorts(login, users, world):
    client = login(users.viewer)
    response = client.get(reverse("unit_tree"), {"level": Level.DISTRICT, "sort": "-name"})
    names = [unit.name for unit in response.context["page"].object_list]
    assert names == ["UBND huyện A", "Huyện ủy B", "Huyện ủy A"]


def test_search_with_an_invalid_filter_explains_it(login, users, world):
    response = login(users.viewer).get(reverse("unit_tree"), {"level": "galaxy"})
    assert response.context["page"] is None
    assert "Điều kiện tìm kiếm không hợp lệ" in response.content.decode()


def test_search_results_are_paginated(login, users, world):
    for n in range(SEARCH_PAGE_SIZE + 5):
        OrgUnitFactory(name=f"Phòng số {n}", parent=world.units.province)
    client = login(users.viewer)
    first = client.get(reverse("unit_tree"), {"q": "phong so"})
    assert first.context["page"].paginator.count == SEARCH_PAGE_SIZE + 5
    assert len(first.context["page"].object_list) == SEARCH_PAGE_SIZE
    second = client.get(reverse("unit_tree"), {"q": "phong so", "page": 2})
    assert len(second.context["page"].object_list) == 5


def add_children(parent):
    def add(n):
        for _ in range(n):
            child = OrgUnitFactory(parent=parent, sector=parent.sector)
            PositionFactory(org_unit=child)
            OrgUnitFactory(parent=child, sector=parent.sector)

    return add


def test_tree_queries_do_not_grow_with_units(login, users, world):
    client = login(users.viewer)
    assert_constant_queries(client, reverse("unit_tree"), add_children(world.units.province))


def test_children_partial_queries_do_not_grow_with_units(login, users, world):
    client = login(users.viewer)
    url = reverse("unit_children", args=[world.units.hu_b.pk])
    assert_constant_queries(client, url, add_children(world.units.hu_b))


def test_search_queries_do_not_grow_with_results(login, users, world):
    client = login(users.viewer)
    url = reverse("unit_tree") + "?q=huyen"
    assert_constant_queries(client, url, add_children(world.units.hu_b))


# Unit page ---------------------------------------------------------------------------


def test_unit_page_shows_holders_and_vacancies(login, users, world, make_official):
    holder = make_official(
        position=world.positions.a_secretary, since=dt.date(2021, 6, 1), full_name="Trần Văn Bình"
    )
    response = login(users.viewer).get(reverse("unit_detail", args=[world.units.hu_a.pk]))
    content = response.content.decode()
    occupancy = response.context["occupancy"]
    assert (occupancy.positions, occupancy.filled, occupancy.vacant) == (2, 1, 1)
    assert reverse("official_detail", args=[holder.pk]) in content
    assert "từ 01/06/2021" in content
    assert "Trống" in content
    assert reverse("position_detail", args=[world.positions.a_deputy.pk]) in content
    assert f"{reverse('official_list')}?unit={world.units.hu_a.pk}" in content


def test_unit_page_shows_facts_children_and_consultation_setting(login, users, world):
    OrgUnit.objects.filter(pk=world.units.hu_a.pk).update(requires_consultation_answers=True)
    response = login(users.viewer).get(reverse("unit_detail", args=[world.units.hu_a.pk]))
    content = response.content.decode()
    assert "HUA" in content and "huyenuy.a@example.vn" in content
    assert "chỉ được phê duyệt khi đã có đủ ý kiến" in content
    assert {child.name for child in response.context["children"]} == {
        "UBND huyện A",
        "Đảng ủy xã A1",
    }
    assert reverse("unit_detail", args=[world.units.province.pk]) in content  # parent link


def test_unit_page_counts_officials_here_and_below(login, users, world, make_official):
    make_official(position=world.positions.a_secretary)
    make_official(position=world.positions.a_chair)
    make_official(position=world.positions.b_secretary)
    response = login(users.viewer).get(reverse("unit_detail", args=[world.units.hu_a.pk]))
    assert response.context["official_counts"] == {"here": 1, "subtree": 2}


def test_unit_page_lists_concurrent_holders_without_filling_the_post(
    login, users, world, make_official
):
    outsider = make_official(position=world.positions.b_secretary, full_name="Lê Thị Cúc")
    hold(world.positions.a_deputy, dt.date(2022, 1, 1), is_primary=False, official=outsider)
    client = login(users.officer_a)
    response = client.get(reverse("unit_detail", args=[world.units.hu_a.pk]))
    content = response.content.decode()
    assert "Kiêm nhiệm:" in content and "Lê Thị Cúc" in content
    # The concurrent holder works in district B: named, but not linked for district A.
    assert reverse("official_detail", args=[outsider.pk]) not in content
    assert response.context["occupancy"].filled == 0


def test_unit_page_of_a_district_user_does_not_link_the_province(login, users, world):
    response = login(users.officer_a).get(reverse("unit_detail", args=[world.units.hu_a.pk]))
    content = response.content.decode()
    assert "Tỉnh ủy P" in content  # the parent is named…
    assert reverse("unit_detail", args=[world.units.province.pk]) not in content  # …not linked


def test_admin_link_only_for_staff_who_may_change_units(login, users, world, superuser):
    url = reverse("unit_detail", args=[world.units.hu_a.pk])
    assert "Sửa trong trang quản trị" not in login(users.viewer).get(url).content.decode()
    response = login(superuser).get(url)
    assert "Sửa trong trang quản trị" in response.content.decode()
    assert reverse("admin:personnel_orgunit_change", args=[world.units.hu_a.pk]) in (
        response.content.decode()
    )


def test_unit_page_queries_do_not_grow_with_positions(login, users, world):
    client = login(users.viewer)
    unit = world.units.hu_b

    def add_positions(n):
        for i in range(n):
            position = PositionFactory(org_unit=unit, title=f"Ủy viên {i}")
            hold(position, dt.date(2020, 1, 1))
            hold(position, dt.date(2021, 1, 1), is_primary=False)
            OrgUnitFactory(parent=unit, sector=unit.sector)

    assert_constant_queries(client, reverse("unit_detail", args=[unit.pk]), add_positions)


# Position page -----------------------------------------------------------------------


def test_position_timeline_shows_holders_newest_first_with_gaps(login, users, world):
    position = world.positions.a_secretary
    first = hold(position, dt.date(2015, 1, 1), dt.date(2017, 12, 31), full_name="Phạm Văn Một")
    second = hold(position, dt.date(2019, 1, 1), basis="12-QĐ/TU", full_name="Hoàng Thị Hai")
    response = login(users.viewer).get(reverse("position_detail", args=[position.pk]))
    timeline = response.context["timeline"]
    assert [entry.posting.official if entry.posting else "gap" for entry in timeline] == [
        second,
        "gap",
        first,
    ]
    content = text_of(response)
    assert "Trống từ 01/01/2018 đến 31/12/2018" in content
    assert "01/01/2019 – nay" in content
    assert "01/01/2015 – 31/12/2017 · 3 năm" in content
    assert "12-QĐ/TU" in content
    assert response.context["holders"][0].official == second


def test_position_page_shows_a_vacancy_until_now(login, users, world):
    position = world.positions.b_deputy
    hold(position, dt.date(2016, 3, 1), dt.date(2024, 2, 29))
    response = login(users.viewer).get(reverse("position_detail", args=[position.pk]))
    content = response.content.decode()
    assert "Trống từ 01/03/2024 đến nay" in content
    assert "chưa có người đảm nhiệm từ 01/03/2024" in content
    assert response.context["holders"] == []


def test_position_page_without_history_says_so(login, users, world):
    response = login(users.viewer).get(
        reverse("position_detail", args=[world.positions.b_deputy.pk])
    )
    assert "chưa ghi nhận người đảm nhiệm nào" in response.content.decode()


def test_position_page_lists_concurrent_holders_separately(login, users, world, make_official):
    concurrent = make_official(position=world.positions.a_deputy, full_name="Đỗ Văn Kiêm")
    hold(world.positions.a_secretary, dt.date(2023, 5, 1), is_primary=False, official=concurrent)
    response = login(users.viewer).get(
        reverse("position_detail", args=[world.positions.a_secretary.pk])
    )
    assert response.context["timeline"] == []
    assert [entry.posting.official for entry in response.context["concurrent"]] == [concurrent]
    assert "Đỗ Văn Kiêm" in response.content.decode()


def test_position_page_lists_planned_candidates_of_the_current_term(login, users, world):
    position = world.positions.b_secretary
    current = PlanningEntryFactory(position=position, term="2025-2030", basis="05-QĐ/TU")
    PlanningEntryFactory(position=position, term="2020-2025")
    removed = PlanningEntryFactory(
        position=position, term="2025-2030", status=PlanningStatus.REMOVED
    )
    for entry in (current, removed):
        hold(world.positions.b_deputy, dt.date(2020, 1, 1), official=entry.official)
    response = login(users.viewer).get(reverse("position_detail", args=[position.pk]))
    assert response.context["term"] == "2025-2030"
    assert response.context["candidates"] == [current, removed]
    content = response.content.decode()
    assert "Quy hoạch nhiệm kỳ 2025-2030" in content and "05-QĐ/TU" in content


def test_position_page_hides_candidates_outside_the_scope(login, users, world, make_official):
    make_official(position=world.positions.b_deputy)  # planned for a_secretary, works in B
    client = login(users.officer_a)
    response = client.get(reverse("position_detail", args=[world.positions.a_secretary.pk]))
    assert response.context["candidates"] == []
    assert "Chưa có cán bộ nào" in response.content.decode()


def test_position_page_links_only_officials_in_scope(login, users, world):
    position = world.positions.a_secretary
    moved = hold(position, dt.date(2015, 1, 1), dt.date(2019, 12, 31))
    hold(world.positions.b_deputy, dt.date(2020, 1, 1), official=moved)
    staying = hold(position, dt.date(2020, 1, 1))
    content = (
        login(users.officer_a).get(reverse("position_detail", args=[position.pk])).content.decode()
    )
    assert reverse("official_detail", args=[staying.pk]) in content
    assert reverse("official_detail", args=[moved.pk]) not in content


def test_position_page_queries_do_not_grow_with_postings(login, users, world):
    client = login(users.viewer)
    position = world.positions.a_deputy
    state = {"month": 0}  # one posting a month from January 2000, within the holders' lives

    def add_postings(n):
        for _ in range(n):
            year, month = divmod(state["month"], 12)
            year, month = 2000 + year, month + 1
            hold(position, dt.date(year, month, 1), dt.date(year, month, 20))
            hold(position, dt.date(year, month, 2), dt.date(year, month, 10), is_primary=False)
            PlanningEntryFactory(position=position, term="2025-2030")
            state["month"] += 1

    assert_constant_queries(client, reverse("position_detail", args=[position.pk]), add_postings)


def test_duration_counts_whole_years_and_months():
    assert Duration.between(dt.date(2015, 1, 1), dt.date(2017, 12, 31)) == Duration(3, 0)
    assert Duration.between(dt.date(2020, 1, 15), dt.date(2022, 4, 14)) == Duration(2, 3)
    assert str(Duration(2, 3)) == "2 năm 3 tháng"
    assert str(Duration(0, 0)) == "dưới 1 tháng"


def test_timeline_merges_overlapping_holders_before_finding_gaps(world):
    position = world.positions.a_deputy
    hold(position, dt.date(2010, 1, 1), dt.date(2014, 12, 31))
    hold(position, dt.date(2012, 1, 1), dt.date(2013, 12, 31))
    hold(position, dt.date(2015, 1, 1), dt.date(2016, 12, 31))
    postings = list(position.postings.all())
    timeline = position_timeline(postings, today=dt.date(2026, 1, 1))
    gaps = [(entry.start, entry.end) for entry in timeline if entry.is_gap]
    assert gaps == [(dt.date(2017, 1, 1), None)]


def test_a_post_shared_by_two_current_holders_renders(login, users, world):
    # Two deputies share one post: the earlier has no end date (the case that crashed).
    position = world.positions.a_deputy
    first = hold(position, dt.date(2018, 1, 1), full_name="Phó Thứ Nhất")
    second = hold(position, dt.date(2020, 6, 1), full_name="Phó Thứ Hai")
    response = login(users.officer_a).get(reverse("position_detail", args=[position.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert first.full_name in content and second.full_name in content
    timeline = position_timeline(list(position.postings.all()), today=dt.date(2026, 1, 1))
    assert [entry for entry in timeline if entry.is_gap] == []


# Autocompletes -----------------------------------------------------------------------


def test_unit_autocomplete_matches_without_diacritics_inside_the_scope(login, users, world):
    client = login(users.officer_a)
    data = client.get(reverse("unit_autocomplete"), {"q": "huyen"}).json()
    assert data == {
        "results": [
            {"id": world.units.hu_a.pk, "text": "Huyện ủy A"},
            {"id": world.units.ubnd_a.pk, "text": "UBND huyện A"},
        ]
    }


def test_unit_autocomplete_returns_at_most_20(login, users, world):
    for n in range(25):
        OrgUnitFactory(name=f"Phòng {n}", parent=world.units.province)
    data = login(users.viewer).get(reverse("unit_autocomplete"), {"q": "phòng"}).json()
    assert len(data["results"]) == 20


def test_position_autocomplete_labels_title_and_unit(login, users, world):
    client = login(users.officer_a)
    data = client.get(reverse("position_autocomplete"), {"q": "BÍ THƯ"}).json()
    assert data["results"] == [
        {"id": world.positions.a_secretary.pk, "text": "Bí thư Huyện ủy A – Huyện ủy A"},
        {"id": world.positions.a_deputy.pk, "text": "Phó Bí thư Huyện ủy A – Huyện ủy A"},
        {"id": world.positions.a1_secretary.pk, "text": "Bí thư Đảng ủy xã A1 – Đảng ủy xã A1"},
    ]


def test_position_autocomplete_matches_the_unit_name_and_skips_inactive(login, users, world):
    Position.objects.filter(pk=world.positions.a_deputy.pk).update(is_active=False)
    client = login(users.viewer)
    data = client.get(reverse("position_autocomplete"), {"q": "huyen uy a"}).json()
    assert [row["id"] for row in data["results"]] == [world.positions.a_secretary.pk]
    data = client.get(reverse("position_autocomplete"), {"q": "ubnd"}).json()
    assert [row["id"] for row in data["results"]] == [world.positions.a_chair.pk]


def test_position_autocomplete_restricts_to_a_unit_subtree(login, users, world):
    client = login(users.viewer)
    url = reverse("position_autocomplete")
    data = client.get(url, {"q": "bi thu", "unit": world.units.ubnd_a.pk}).json()
    assert data["results"] == []
    data = client.get(url, {"q": "chu tich", "unit": world.units.hu_a.pk}).json()
    assert [row["id"] for row in data["results"]] == [world.positions.a_chair.pk]
    data = client.get(url, {"q": "bi thu", "unit": world.units.xa_a1.pk}).json()
    assert [row["id"] for row in data["results"]] == [world.positions.a1_secretary.pk]
    # A unit outside the scope (or not a number) finds nothing rather than everything.
    other = login(users.officer_b)
    assert other.get(url, {"q": "bi thu", "unit": world.units.hu_a.pk}).json() == {"results": []}
    assert other.get(url, {"q": "bi thu", "unit": "x"}).json() == {"results": []}


def test_autocompletes_answer_with_the_first_records_when_nothing_is_typed(login, users, world):
    client = login(users.officer_b)
    units = client.get(reverse("unit_autocomplete")).json()["results"]
    assert [row["text"] for row in units] == ["Huyện ủy B"]
    positions = client.get(reverse("position_autocomplete")).json()["results"]
    assert len(positions) == 2


def test_today_is_used_for_vacancies(login, users, world):
    # A posting ending yesterday no longer fills the post today.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    hold(world.positions.b_deputy, dt.date(2020, 1, 1), yesterday)
    response = login(users.viewer).get(reverse("unit_detail", args=[world.units.hu_b.pk]))
    assert response.context["occupancy"].vacant == 2


def test_search_by_state_finds_dissolved_units(login, users, world):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    OrgUnit.objects.filter(pk=world.units.xa_a1.pk).update(valid_to=yesterday)
    response = login(users.viewer).get(reverse("unit_tree"), {"status": "ended"})
    assert [unit.name for unit in response.context["page"].object_list] == ["Đảng ủy xã A1"]
    assert "Đã kết thúc" in text_of(response)
    # As of the day before, it was in force.
    response = login(users.viewer).get(
        reverse("unit_tree"), {"status": "ended", "on": (yesterday).isoformat()}
    )
    assert list(response.context["page"].object_list) == []
