"""The records through the API: scope, roles, masking, audit, the services' rules."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.models import AuditEvent
from personnel.models import Official, Posting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = dt.date


def url(name, *args):
    return reverse(f"api:{name}", args=args)


@pytest.fixture
def people(world, make_official):
    """An official in district A and one in district B."""
    return type(
        "People",
        (),
        {
            "a": make_official(
                position=world.positions.a_deputy,
                full_name="Trần Văn An",
                personal_id="042080001234",
                phone="0912345678",
            ),
            "b": make_official(position=world.positions.b_deputy, full_name="Lê Văn Bình"),
        },
    )


def test_a_list_holds_only_the_scope_and_filters_as_the_page(api, users, people):
    client = api(users.officer_a)
    response = client.get(url("official-list"))
    assert response.status_code == 200
    names = [row["full_name"] for row in response.json()["results"]]
    assert names == ["Trần Văn An"]
    assert client.get(url("official-list"), {"q": "binh"}).json()["results"] == []
    assert len(api(users.officer).get(url("official-list"), {"q": "binh"}).json()["results"]) == 1


def test_out_of_scope_is_404_and_reads_are_audited(api, users, people):
    client = api(users.officer_a)
    assert client.get(url("official-detail", people.b.pk)).status_code == 404
    response = client.get(url("official-detail", people.a.pk))
    assert response.status_code == 200 and response.json()["personal_id"] == "042080001234"
    assert AuditEvent.objects.filter(
        user=users.officer_a, action=AuditEvent.Action.VIEW_PROFILE, object_id=str(people.a.pk)
    ).exists()
    client.get(url("official-list"))
    assert AuditEvent.objects.filter(user=users.officer_a, action=AuditEvent.Action.EXPORT).exists()


def test_a_viewer_reads_masked_personal_data_and_cannot_write(api, users, people, world):
    client = api(users.viewer)
    data = client.get(url("official-detail", people.a.pk)).json()
    assert data["personal_id"] != "042080001234" and data["personal_id"].startswith("04")
    assert "0912345678" not in str(data)
    response = client.patch(url("official-detail", people.a.pk), {"notes": "x"}, format="json")
    assert response.status_code == 403
    assert Official.objects.get(pk=people.a.pk).notes == ""


def test_an_officer_creates_an_official_with_the_first_posting_through_the_service(
    api, users, world
):
    payload = {
        "code": "API1",
        "full_name": "Nguyễn Thị Mới",
        "gender": "female",
        "date_of_birth": "1985-03-15",
        "education_level": "university",
        "first_posting": {"position": world.positions.a1_secretary.pk, "start_date": "2020-01-01"},
    }
    response = api(users.officer_a).post(url("official-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    official = Official.objects.get(code="API1")
    assert official.current_unit == world.units.xa_a1
    assert official.current_posting.title == "Bí thư Đảng ủy xã A1"
    assert official.history.first().history_user == users.officer_a


def test_a_service_rule_is_a_400_with_the_field_named_and_nothing_changes(api, users, world):
    payload = {
        "code": "API2",
        "full_name": "Nguyễn Văn Trẻ",
        "gender": "male",
        "date_of_birth": timezone.localdate()
        .replace(year=timezone.localdate().year - 10)
        .isoformat(),
        "education_level": "university",
        "first_posting": {"position": world.positions.a1_secretary.pk, "start_date": "2020-01-01"},
    }
    response = api(users.officer_a).post(url("official-list"), payload, format="json")
    assert response.status_code == 400
    assert "date_of_birth" in response.json()
    assert not Official.objects.filter(code="API2").exists()


def test_a_unit_outside_the_scope_reads_as_missing(api, users, world):
    payload = {
        "code": "API3",
        "full_name": "Nguyễn Văn Ngoài",
        "gender": "male",
        "date_of_birth": "1980-01-01",
        "education_level": "university",
        "first_posting": {"position": world.positions.b_deputy.pk, "start_date": "2020-01-01"},
    }
    response = api(users.officer_a).post(url("official-list"), payload, format="json")
    assert response.status_code == 400 and "first_posting" in response.json()
    assert not Official.objects.filter(code="API3").exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("date_of_birth", "0001-01-01"),
        ("date_of_birth", "9999-12-31"),
        ("date_of_birth", "2024-02-30"),
        ("full_name", "Tên\x00có NUL"),
        ("full_name", "x" * 10_000),
        ("code", 10**40),
        ("left_on", "31/12/9999"),
    ],
)
def test_hostile_values_are_refused_with_a_message_never_a_500(api, users, world, field, value):
    payload = {
        "code": "API4",
        "full_name": "Nguyễn Văn Thử",
        "gender": "male",
        "date_of_birth": "1980-01-01",
        "education_level": "university",
        "first_posting": {"position": world.positions.a1_secretary.pk, "start_date": "2020-01-01"},
        field: value,
    }
    response = api(users.officer_a).post(url("official-list"), payload, format="json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()
    assert (
        not Official.objects.exclude(code="")
        .filter(full_name__startswith="Nguyễn Văn Thử")
        .exists()
    )


def test_record_rows_go_through_the_record_services(api, users, people, world):
    client = api(users.officer_a)
    before = Posting.objects.count()
    born_before = {
        "official": people.a.pk,
        "org_unit": world.units.hu_a.pk,
        "title": "Chuyên viên",
        "start_date": "1970-01-01",
        "is_primary": False,
    }
    response = client.post(url("posting-list"), born_before, format="json")
    assert response.status_code == 400 and "start_date" in response.json()
    concurrent = {**born_before, "start_date": "2021-01-01"}
    response = client.post(url("posting-list"), concurrent, format="json")
    assert response.status_code == 201, response.json()
    assert Posting.objects.count() == before + 1
    evaluation = {"official": people.a.pk, "year": 2023, "rating": "good"}
    response = client.post(url("evaluation-list"), evaluation, format="json")
    assert response.status_code == 201, response.json()
    row = response.json()["id"]
    response = client.patch(url("evaluation-detail", row), {"rating": "excellent"}, format="json")
    assert response.status_code == 200 and response.json()["rating"] == "excellent"
    other = api(users.officer_b)
    assert (
        other.patch(url("evaluation-detail", row), {"rating": "good"}, format="json").status_code
        == 404
    )
    assert other.post(url("evaluation-list"), evaluation, format="json").status_code == 400


def test_every_list_answers_for_every_role_and_pages_by_cursor(api, users, people):
    from config.api_urls import router

    whole_personal_data = {"national-record"}  # officers and above (test_national_records)
    for prefix, _viewset, basename in router.registry:
        for user in (users.viewer, users.officer_a):
            response = api(user).get(url(f"{basename}-list"), {"page_size": 1})
            if user is users.viewer and basename in whole_personal_data:
                assert response.status_code == 403, prefix
                continue
            assert response.status_code == 200, (prefix, response.content[:200])
            assert "results" in response.json() and "next" in response.json()
    response = api(users.officer).get(url("official-list"), {"page_size": 1})
    following = api(users.officer).get(response.json()["next"])
    assert following.status_code == 200
    assert following.json()["results"][0]["id"] != response.json()["results"][0]["id"]
    assert api(users.officer).get(url("official-list"), {"cursor": "bz1hYmM="}).status_code == 404


def test_a_user_without_a_scope_gets_nothing(api, world):
    nobody = UserFactory(username="noscope", scope=None, role=Role.OFFICER)
    assert api(nobody).get(url("official-list")).status_code == 403
    assert api(None).get(url("official-list")).status_code == 401


def test_report_runs_are_read_in_scope_with_their_stored_result_and_audited(api, users, world):
    from reports import registry
    from tests.reports.drill_support import stored_run

    code = registry.all_reports()[0].code
    day = dt.date(2025, 12, 31)
    run_a = stored_run(code, world.units.hu_a, dt.date(2025, 1, 1), day)
    run_b = stored_run(code, world.units.hu_b, dt.date(2025, 1, 1), day)
    client = api(users.officer_a)
    listed = client.get(url("report-run-list")).json()["results"]
    assert [row["id"] for row in listed] == [run_a.pk] and "result" not in listed[0]
    assert client.get(url("report-run-detail", run_b.pk)).status_code == 404
    detail = client.get(url("report-run-detail", run_a.pk)).json()
    assert detail["result"] == run_a.result
    assert AuditEvent.objects.filter(
        user=users.officer_a, action=AuditEvent.Action.VIEW_REPORT, object_id=str(run_a.pk)
    ).exists()
    assert client.patch(url("report-run-detail", run_a.pk), {}, format="json").status_code == 405


def test_decisions_filter_as_the_decisions_page(api, users, world):
    from rotation import services as rotation_services

    def draft(number, issuer, title):
        return rotation_services.decision_create(
            number=number, issued_by=issuer, title=title, created_by=users.officer
        )

    a = draft("1-QĐ/HU", world.units.hu_a, "Điều động cán bộ xã")
    p = draft("7-QĐ/TU", world.units.province, "Luân chuyển cán bộ tỉnh")
    rotation_services.decision_cancel(decision=p, by=users.approver, reason="Không thực hiện")
    client = api(users.officer)

    def numbers(**query):
        response = client.get(url("decision-list"), query)
        assert response.status_code == 200, response.content
        return sorted(row["number"] for row in response.json()["results"])

    assert numbers() == ["1-QĐ/HU", "7-QĐ/TU"]
    assert numbers(status="draft") == ["1-QĐ/HU"]
    assert numbers(issuer=world.units.province.pk) == ["7-QĐ/TU"]
    assert numbers(q="cán bộ xã") == ["1-QĐ/HU"]
    assert api(users.officer_b).get(url("decision-list"), {"q": "1-QĐ"}).json()["results"] == []
    for bad in ({"date_from": "31/02/2024"}, {"status": "nope"}, {"issuer": "x" * 10_000}):
        assert client.get(url("decision-list"), bad).status_code == 400, bad
    assert a.pk != p.pk


def test_units_are_searched_as_on_the_unit_tree_page(api, users, world):
    client = api(users.officer)

    def codes(**query):
        response = client.get(url("org-unit-list"), query)
        assert response.status_code == 200, response.content
        return sorted(row["code"] for row in response.json()["results"])

    assert codes(q="huyen uy") == ["HUA", "HUB"]  # typed without marks
    assert codes(q="huyen uy", sector=world.sectors.party.pk, level="district") == ["HUA", "HUB"]
    assert codes(parent=world.units.hu_a.pk) == ["UBA", "XA1"]
    assert (
        api(users.officer_a).get(url("org-unit-list"), {"q": "huyen uy b"}).json()["results"] == []
    )
    assert client.get(url("org-unit-list"), {"status": "sometimes"}).status_code == 400


@pytest.mark.parametrize("sort", ["-date_of_birth", "name", "code"])
def test_officials_come_in_the_order_the_page_names_page_after_page(
    api, users, world, make_official, sort
):
    for i, (name, born) in enumerate(
        [("Vũ An", D(1970, 5, 1)), ("Lê Bình", D(1985, 1, 2)), ("Trần Chi", D(1979, 9, 9))]
    ):
        make_official(position=world.positions.a_deputy, full_name=name, date_of_birth=born,
                      code=f"K{i}")  # fmt: skip
    expected = list(
        Official.objects.for_user(users.officer_a)
        .order_by(
            *{"-date_of_birth": ["-date_of_birth"], "name": ["search_key"], "code": ["code"]}[sort],
            "id",
        )  # fmt: skip
        .values_list("pk", flat=True)
    )
    client = api(users.officer_a)
    seen, response = [], client.get(url("official-list"), {"sort": sort, "page_size": 1})
    while True:
        seen += [row["id"] for row in response.json()["results"]]
        if not response.json()["next"]:
            break
        response = client.get(response.json()["next"])
    assert seen == expected


@pytest.mark.parametrize("position", ["abc", "1\x00", "9" * 40, "2020-13-45", "x\x01y"], ids=repr)
@pytest.mark.parametrize("sort", ["", "date_of_birth", "name"])
def test_a_forged_cursor_is_a_404_never_a_server_error(api, users, people, position, sort):
    import base64
    from urllib.parse import urlencode

    token = base64.b64encode(urlencode({"p": position}).encode()).decode()
    response = api(users.officer).get(url("official-list"), {"cursor": token, "sort": sort})
    assert response.status_code in (200, 404), response.content


@pytest.mark.parametrize("name", ["Ban\x01 Tổ chức", "Ban\x1b[31m", "Ban\x7f"], ids=repr)
def test_control_characters_are_refused_where_no_form_would_take_them(api, users, world, name):
    response = api(users.officer).post(
        url("org-unit-list"),
        {"code": "BTC", "name": name, "level": "district", "sector": world.sectors.party.pk,
         "parent": world.units.hu_a.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "name" in response.json()
