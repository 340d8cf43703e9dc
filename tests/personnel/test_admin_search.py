"""Admin search boxes and autocompletes find units, positions, localities and officials
the way people type: without accents, words in any order."""

import json

import pytest
from django.urls import reverse

from tests.factories import LocalityFactory, OfficialFactory, OrgUnitFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    finance = OrgUnitFactory(code="STC", name="Sở Tài chính")
    health = OrgUnitFactory(code="SYT", name="Sở Y tế")
    return {
        "finance": finance,
        "health": health,
        "director": PositionFactory(org_unit=finance, title="Giám đốc Sở Tài chính"),
        "doctor": PositionFactory(org_unit=health, title="Giám đốc Sở Y tế"),
        "locality": LocalityFactory(code="999", name="Xã Đức Thọ"),
        "official": OfficialFactory(full_name="Nguyễn Văn Dũng"),
        "other": OfficialFactory(full_name="Nguyễn Thị Hoa"),
    }


def changelist(client, model, query):
    url = reverse(f"admin:personnel_{model}_changelist")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


@pytest.mark.parametrize("query", ["so tai chinh", "tai chinh so", "SỞ TÀI", "stc"])
def test_unit_search_in_admin(admin_client, records, query):
    assert changelist(admin_client, "orgunit", query) == {records["finance"].pk}


@pytest.mark.parametrize("query", ["giam doc tai chinh", "tai chinh giam doc"])
def test_position_search_in_admin(admin_client, records, query):
    assert changelist(admin_client, "position", query) == {records["director"].pk}


def test_locality_search_in_admin(admin_client, records):
    assert changelist(admin_client, "locality", "duc tho") == {records["locality"].pk}


@pytest.mark.parametrize("query", ["nguyen dung", "dung nguyen"])
def test_official_search_in_admin(admin_client, records, query):
    assert changelist(admin_client, "official", query) == {records["official"].pk}


def test_admin_autocomplete_folds_too(admin_client, records):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "tai chinh so",
            "app_label": "personnel",
            "model_name": "position",
            "field_name": "org_unit",
        },
    )
    assert response.status_code == 200
    ids = {int(item["id"]) for item in json.loads(response.content)["results"]}
    assert ids == {records["finance"].pk}
