"""Searching by post type, "as of" a day, and the scope's vacant posts by post type."""

import datetime as dt

import pytest
from django.urls import reverse

from personnel import services as personnel_services
from personnel.models import PostType
from tests.web.test_units import text_of

D = dt.date


@pytest.fixture
def secretaries(world, make_official):
    a = make_official(position=world.positions.a_secretary, full_name="Bí Thư A")
    b = make_official(position=world.positions.b_secretary, full_name="Bí Thư B")
    deputy = make_official(position=world.positions.a_deputy, full_name="Phó Bí Thư A")
    return a, b, deputy


def names(response):
    return sorted(official.full_name for official in response.context["page"].object_list)


def test_every_district_secretary_whatever_the_title_says(login, users, world, secretaries):
    post_type = PostType.objects.get(code="district.party_secretary")
    assert world.positions.a_secretary.post_type == world.positions.b_secretary.post_type
    response = login(users.viewer).get(reverse("official_list"), {"post_type": post_type.pk})
    assert names(response) == ["Bí Thư A", "Bí Thư B"]


def test_officials_as_of_a_day_are_counted_by_the_post_they_held_then(
    login, users, world, secretaries
):
    a, _b, _deputy = secretaries
    posting = a.postings.get()
    personnel_services.posting_close(posting=posting, end_date=D(2022, 12, 31))
    personnel_services.posting_create(
        official=a, position=world.positions.province_deputy, title="", start_date=D(2023, 1, 1)
    )
    post_type = PostType.objects.get(code="district.party_secretary")
    client = login(users.viewer)
    today = client.get(reverse("official_list"), {"post_type": post_type.pk})
    assert names(today) == ["Bí Thư B"]
    then = client.get(reverse("official_list"), {"post_type": post_type.pk, "on": "01/06/2022"})
    assert names(then) == ["Bí Thư A", "Bí Thư B"]
    unit = client.get(reverse("official_list"), {"unit": world.units.hu_a.pk, "on": "01/06/2022"})
    assert names(unit) == ["Bí Thư A", "Phó Bí Thư A"]
    before = client.get(reverse("official_list"), {"on": "01/01/2017"})
    assert names(before) == []


@pytest.mark.parametrize("value", ["31/12/9999", "01/01/0001", "x" * 10_000, "30/02/2024"])
def test_an_impossible_day_is_refused_with_a_message(login, users, secretaries, value):
    response = login(users.viewer).get(reverse("official_list"), {"on": value})
    assert response.status_code == 200
    assert "Tại ngày" in text_of(response) and "không hợp lệ" in text_of(response)


def test_vacant_posts_by_post_type(login, users, world, secretaries):
    client = login(users.viewer)
    response = client.get(reverse("vacant_posts"))
    summary = {row["post_type__name"]: row["n"] for row in response.context["summary"]}
    vacant = {p.title for p in response.context["page"].object_list}
    assert "Bí thư Huyện ủy A" not in vacant and "Chủ tịch UBND huyện A" in vacant
    assert response.context["total"] == sum(summary.values()) == len(vacant)
    chair = world.positions.a_chair.post_type
    response = client.get(reverse("vacant_posts"), {"post_type": chair.pk})
    assert [p.title for p in response.context["page"].object_list] == ["Chủ tịch UBND huyện A"]
    # As of a day before anyone held the secretaries' posts, they were vacant too.
    response = client.get(reverse("vacant_posts"), {"on": "01/01/2017"})
    assert "Bí thư Huyện ủy A" in {p.title for p in response.context["page"].object_list}
    # Outside the scope: an officer of district B sees only B's posts.
    response = login(users.officer_b).get(reverse("vacant_posts"))
    assert {p.org_unit for p in response.context["page"].object_list} <= {world.units.hu_b}
