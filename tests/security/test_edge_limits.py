"""Limits at the edge, for every page and admin list (the packages' included): searches
read a bounded number of words, and a number longer than any id is refused."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from config.middleware import MAX_SEARCH_WORDS


def test_a_long_admin_search_reads_the_first_words_and_says_so(admin_client):
    words = " ".join(f"tu{i}" for i in range(200))
    response = admin_client.get(reverse("admin:auth_group_changelist"), {"q": words})
    assert response.status_code == 200
    searched = response.context["cl"].query
    assert searched.split() == [f"tu{i}" for i in range(MAX_SEARCH_WORDS)]
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"Chỉ tìm theo {MAX_SEARCH_WORDS} từ đầu tiên của ô tìm kiếm." in notes


def test_a_short_search_is_left_as_typed(admin_client):
    response = admin_client.get(reverse("admin:auth_group_changelist"), {"q": "  Ban   Tổ chức "})
    assert response.context["cl"].query == "  Ban   Tổ chức "


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("admin:personnel_orgunit_changelist", "sector"),
        ("admin:rotation_decision_changelist", "issued_by__id__exact"),
        ("decision_list", "issuer"),
        ("official_list", "age_max"),
    ],
)
def test_a_number_longer_than_any_id_is_refused_in_vietnamese(admin_client, url, param):
    response = admin_client.get(reverse(url), {param: "9" * 30})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert admin_client.get(reverse(url), {param: "-" + "9" * 19}).status_code == 400
    assert admin_client.get(reverse(url), {param: "9" * 18}).status_code < 500
