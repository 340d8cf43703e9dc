"""Officials pages: detail, CV (form 2C), create/edit forms and the autocomplete endpoints."""

import datetime as dt
import itertools

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import AuditEvent
from personnel.choices import Gender, ManagementTier, OfficialStatus
from personnel.forms import AutocompleteSelect, OfficialCreateForm
from personnel.models import Evaluation, Official, Posting, TrainingRecord
from rotation.choices import AlertKind
from rotation.models import Alert
from tests.web.helpers import assert_constant_queries
from tests.web.test_officials import make_people, rotate, today

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def people(world, make_official):
    return make_people(world, make_official)


# --- detail ------------------------------------------------------------------------


def test_detail_shows_profile_timeline_training_evaluations_and_planning(
    login, users, world, people
):
    official = people.a
    TrainingRecord.objects.create(
        official=official,
        kind="political_theory",
        programme="Cao cấp lý luận chính trị",
        start_date=D(2015, 1, 1),
        end_date=D(2016, 6, 30),
    )
    Evaluation.objects.create(official=official, year=2024, rating="excellent")
    rotate(world, official, world.positions.b_deputy, D(2024, 3, 1))
    response = login(users.viewer).get(reverse("official_detail", args=[official.pk]))
    page = response.content.decode()
    for text in (
        "Nguyễn Văn Đặng",
        "15/03/1980",
        f"({official.retirement_date:%d/%m/%Y}"[1:],
        "Cao cấp lý luận chính trị",
        "Hoàn thành xuất sắc nhiệm vụ",
        "Nhiệm kỳ 2025-2030",
        "Từ huyện này sang huyện khác",
    ):
        assert text in page, text
    kinds = [entry.kind for entry in response.context["timeline"]]
    dates = [entry.date for entry in response.context["timeline"]]
    assert dates == sorted(dates, reverse=True) and kinds[:2] == ["movement", "posting"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW_PROFILE, object_id=str(official.pk), user=users.viewer
    ).exists()


def test_detail_shows_findings_of_movements_not_applied_and_open_alerts(
    login, users, world, people
):
    rotate(world, people.a, world.positions.b_deputy, today(), term=12, status="draft")
    Alert.objects.create(
        kind=AlertKind.TWO_TERM,
        key="two_term:test",
        official=people.a,
        message="Giữ chức vụ quá hai nhiệm kỳ.",
        raised_on=today(),
    )
    page = login(users.viewer).get(reverse("official_detail", args=[people.a.pk])).content
    page = page.decode()
    assert (
        '<li class="finding">Thời hạn luân chuyển 12 tháng, ít hơn 36 tháng theo quy định.</li>'
        in page
    )
    assert "Giữ chức vụ quá hai nhiệm kỳ." in page


def test_detail_queries_do_not_grow_with_rows(login, users, world, people):
    official, years = people.a, itertools.count(1900)

    def add_rows(n):
        for i in range(n):
            year = next(years)
            Posting.objects.create(
                official=official,
                org_unit=world.units.ubnd_a,
                title=f"Kiêm nhiệm {i}",
                start_date=D(year, 1, 1),
                is_primary=False,
            )
            Evaluation.objects.create(official=official, year=year, rating="good")
            TrainingRecord.objects.create(
                official=official, kind="other", programme="Bồi dưỡng", start_date=D(year, 1, 1)
            )

    for name in ("official_detail", "official_cv"):
        client = login(users.viewer)
        assert_constant_queries(client, reverse(name, args=[official.pk]), add_rows)


# --- CV ----------------------------------------------------------------------------


def test_cv_is_form_2c_ready_to_print_and_audited(login, users, people):
    response = login(users.viewer).get(reverse("official_cv", args=[people.a.pk]))
    page = response.content.decode()
    for text in (
        "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC",
        'class="cv-photo"',
        "Ảnh 3x4",
        "Họ và tên khai sinh (viết chữ in hoa)",
        "NGUYỄN VĂN ĐẶNG",
        "Tóm tắt quá trình công tác",
        "Bí thư Huyện ủy A, Huyện ủy A",
        "data-print",  # printed by static/js/app.js: no inline handler under the CSP
        "css/cv.css",
    ):
        assert text in page, text
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_CV).count() == 1


# --- create and edit ---------------------------------------------------------------


def create_data(world, **changes):
    data = {
        "code": "NEW-01",
        "full_name": "Hoàng  Thị   Lan",
        "gender": Gender.FEMALE,
        "date_of_birth": "15/03/1985",
        "hometown": world.localities.a1.pk,
        "ethnicity": "Kinh",
        "religion": "Không",
        "party_joined_on": "01/05/2008",
        "party_confirmed_on": "01/05/2009",
        "education_level": "master",
        "political_theory": "intermediate",
        "state_management": "principal",
        "management_tier": ManagementTier.DISTRICT_STANDING,
        "status": OfficialStatus.ACTIVE,
        "org_unit": world.units.hu_a.pk,
        "position": world.positions.a_deputy.pk,
        "title": "",
        "start_date": "01/08/2024",
        "basis": "12-QĐ/HU",
    }
    data.update(changes)
    return data


def test_officer_creates_an_official_with_the_first_posting(login, users, world):
    response = login(users.officer_a).post(reverse("official_create"), create_data(world))
    official = Official.objects.get(code="NEW-01")
    assert response.status_code == 302
    assert response["Location"] == reverse("official_detail", args=[official.pk])
    assert official.full_name == "Hoàng Thị Lan" and official.hometown == world.localities.a1
    assert official.current_unit == world.units.hu_a
    assert official.current_posting.title == "Phó Bí thư Huyện ủy A"
    assert official.current_posting.basis == "12-QĐ/HU"
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert message == "Đã thêm cán bộ Hoàng Thị Lan (NEW-01), công tác tại Huyện ủy A."


def test_create_form_uses_autocomplete_selects(login, users):
    page = login(users.officer).get(reverse("official_create")).content.decode()
    assert f'data-autocomplete-url="{reverse("locality_autocomplete")}"' in page
    for name in ("birthplace", "hometown", "org_unit", "position"):
        assert f'name="{name}"' in page
    assert "Vị trí công tác hiện tại" in page


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"date_of_birth": "01/01/2099"},
            "date_of_birth",
            "Ngày sinh không được sau ngày hôm nay.",
        ),
        ({"date_of_birth": "01/01/1940"}, "date_of_birth", "Cán bộ đang công tác không quá 70"),
        ({"date_of_birth": "01/01/2020"}, "date_of_birth", "Cán bộ phải đủ 18 tuổi; theo ngày"),
        (
            {"date_of_birth": "32/01/1985"},
            "date_of_birth",
            "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/03/1980.",
        ),
        (
            {"party_confirmed_on": "01/01/2008"},
            "party_confirmed_on",
            "Ngày chính thức phải sau ngày vào Đảng.",
        ),
        (
            {"party_joined_on": "01/01/2001", "party_confirmed_on": ""},
            "party_joined_on",
            "Ngày này phải từ khi cán bộ đủ 18 tuổi (15/03/2003) trở đi.",
        ),
        (
            {"party_joined_on": ""},
            "party_joined_on",
            "Đã có ngày chính thức thì phải nhập ngày vào Đảng.",
        ),
        ({"code": "A-01"}, "code", "Số hiệu hồ sơ này đã được dùng cho cán bộ khác."),
        ({"full_name": ""}, "full_name", "Trường này là bắt buộc."),
        (
            {"position": "", "title": ""},
            "title",
            "Nhập chức danh, công việc hoặc chọn chức vụ.",
        ),
        (
            {"position": "POSITION_B"},
            "position",
            "Chức vụ đã chọn không thuộc cơ quan, đơn vị đã chọn.",
        ),
    ],
)
def test_create_refuses_bad_input_in_vietnamese_and_changes_nothing(
    login, users, world, people, changes, field, message
):
    if changes.get("position") == "POSITION_B":
        changes["position"] = world.positions.a_chair.pk
    before = Official.objects.count(), Posting.objects.count()
    response = login(users.officer).post(reverse("official_create"), create_data(world, **changes))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert (Official.objects.count(), Posting.objects.count()) == before


def test_create_refuses_a_unit_outside_the_scope(login, users, world):
    data = create_data(world, org_unit=world.units.hu_b.pk, position="")
    data["title"] = "Chuyên viên"
    response = login(users.officer_a).post(reverse("official_create"), data)
    assert response.context["form"].errors["org_unit"] == [
        "Cơ quan, đơn vị đã chọn không có hoặc nằm ngoài phạm vi quản lý của bạn."
    ]
    assert not Official.objects.filter(code="NEW-01").exists()


def test_create_service_checks_the_scope_too(users, world):
    from django.core.exceptions import ValidationError

    from personnel import services

    with pytest.raises(ValidationError) as caught:
        services.official_create(
            first_posting={
                "org_unit": world.units.hu_b,
                "title": "Chuyên viên",
                "start_date": D(2020, 1, 1),
            },
            by=users.officer_a,
            code="S",
            full_name="S",
            gender=Gender.MALE,
            date_of_birth=D(1980, 1, 1),
            education_level="university",
        )
    assert "ngoài phạm vi quản lý" in caught.value.message_dict["org_unit"][0]
    assert not Official.objects.filter(code="S").exists()


def test_officer_edits_the_profile_and_is_told_what_changed(login, users, world, people):
    url = reverse("official_update", args=[people.a.pk])
    client = login(users.officer_a)
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        date_of_birth="15/03/1980", full_name="Nguyễn Văn Đăng", major="Luật", party_joined_on=""
    )
    response = client.post(url, data)
    assert response.status_code == 302
    official = Official.objects.get(pk=people.a.pk)
    assert (official.full_name, official.major, official.search_key) == (
        "Nguyễn Văn Đăng",
        "Luật",
        "nguyen van dang",
    )
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert message == "Đã cập nhật hồ sơ cán bộ Nguyễn Văn Đăng: họ và tên khai sinh, chuyên ngành."


def test_edit_with_bad_input_changes_nothing(login, users, people):
    url = reverse("official_update", args=[people.a.pk])
    client = login(users.officer)
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(date_of_birth="15/03/1980", full_name="Tên mới", code="B-01")
    response = client.post(url, data)
    assert "Số hiệu hồ sơ này đã được dùng cho cán bộ khác." in response.content.decode()
    assert "Sửa hồ sơ cán bộ Nguyễn Văn Đặng" in response.content.decode()
    assert Official.objects.get(pk=people.a.pk).full_name == "Nguyễn Văn Đặng"


def test_edit_without_changes_says_so(login, users, people):
    url = reverse("official_update", args=[people.a.pk])
    client = login(users.officer)
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["date_of_birth"] = "15/03/1980"
    response = client.post(url, data)
    assert response.status_code == 302
    assert (
        str(next(iter(get_messages(response.wsgi_request)))) == "Không có thông tin nào thay đổi."
    )


def test_services_refuse_a_viewer(users, world):
    from django.core.exceptions import PermissionDenied

    from personnel import services

    with pytest.raises(PermissionDenied):
        services.official_create(
            first_posting={
                "org_unit": world.units.hu_a,
                "title": "Chuyên viên",
                "start_date": D(2020, 1, 1),
            },
            by=users.viewer,
            code="V",
            full_name="V",
            gender=Gender.MALE,
            date_of_birth=D(1980, 1, 1),
            education_level="university",
        )
    assert not Official.objects.filter(code="V").exists()


# --- autocomplete ------------------------------------------------------------------


def test_official_autocomplete_follows_the_contract(login, users, world, make_official, people):
    for n in range(25):
        make_official(unit=world.units.hu_a, full_name=f"Nguyễn Văn Số {n}", planned=False)
    client = login(users.officer_a)
    url = reverse("official_autocomplete")
    results = client.get(url, {"q": "nguyen"}).json()["results"]
    assert len(results) == 20
    results = client.get(url, {"q": "dang"}).json()["results"]
    assert results == [{"id": people.a.pk, "text": "Nguyễn Văn Đặng (A-01) – Bí thư Huyện ủy A"}]
    assert client.get(url, {"q": "Bình"}).json()["results"] == []  # district B: out of scope


def test_locality_autocomplete_matches_with_or_without_diacritics(login, users, world):
    client = login(users.viewer)
    url = reverse("locality_autocomplete")
    for q in ("Xã A1", "xa a1", "18001"):
        assert client.get(url, {"q": q}).json()["results"] == [
            {"id": world.localities.a1.pk, "text": "Xã A1 – Huyện A"}
        ], q


def test_autocomplete_select_renders_only_the_selected_option(world):
    form = OfficialCreateForm({"org_unit": world.units.hu_a.pk}, user=world.officer)
    html = str(form["org_unit"])
    assert html.count("<option") == 2 and "Huyện ủy A" in html and "Huyện ủy B" not in html
    widget = AutocompleteSelect("no_such_url")
    widget.choices = form.fields["org_unit"].choices
    fallback = widget.render("org_unit", world.units.hu_a.pk)
    assert "Huyện ủy B" in fallback and "data-autocomplete-url" not in fallback


def test_form_shows_the_profile_rules_with_the_other_errors(login, users, world):
    data = create_data(world, date_of_birth="01/01/2099", full_name="")
    response = login(users.officer).post(reverse("official_create"), data)
    errors = response.context["form"].errors
    assert errors["date_of_birth"] == ["Ngày sinh không được sau ngày hôm nay."]
    assert errors["full_name"] == ["Trường này là bắt buộc."]


def test_service_errors_land_on_the_form(login, users, world, monkeypatch):
    from django.core.exceptions import ValidationError

    from personnel import services

    def refuse(**kwargs):
        raise ValidationError({"code": "Mã bị trùng.", "end_date": "Ngày kết thúc sai."})

    monkeypatch.setattr(services, "official_create", refuse)
    response = login(users.officer).post(reverse("official_create"), create_data(world))
    form = response.context["form"]
    assert form.errors["code"] == ["Mã bị trùng."]
    assert form.non_field_errors() == ["Ngày kết thúc sai."]
    assert "Ngày kết thúc sai." in response.content.decode()


def test_age_limit_of_70_applies_to_active_officials_only(login, users, world):
    data = create_data(
        world,
        date_of_birth="01/01/1940",
        status=OfficialStatus.RETIRED,
        party_joined_on="",
        party_confirmed_on="",
    )
    response = login(users.officer).post(reverse("official_create"), data)
    assert response.status_code == 302
    assert Official.objects.get(code="NEW-01").status == OfficialStatus.RETIRED
