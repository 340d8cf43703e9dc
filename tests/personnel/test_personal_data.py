"""Personal identification number, home address and phone: validated, unique, and masked
for viewers in every output (issue 8, point 5)."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.choices import Role
from personnel import exports, services
from personnel.choices import Gender, ManagementTier, OfficialStatus
from personnel.demo.persist import persist_plan
from personnel.demo.plan import build_plan
from personnel.masking import (
    MASKED_FIELDS,
    can_see_personal_data,
    mask_address,
    mask_personal_id,
    mask_phone,
    personal_fields_for,
)
from personnel.models import Official, personal_id_mismatch, validate_personal_id
from tests.factories import UserFactory
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures
from tests.web.conftest import login, users  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

D = dt.date
# Born 15/03/1980 (make_official's default), male: century/gender digit 0, year 80.
PERSONAL_ID = "042080123456"
ADDRESS = "Số 12 Trần Phú, phường Thành Sen, tỉnh Hà Tĩnh"
PHONE = "0912345678"
MASKED = {
    "personal_id": "0420••••••56",
    "home_address": "•••, tỉnh Hà Tĩnh",
    "phone": "091•••••78",
}


@pytest.fixture
def official(world, make_official):  # noqa: F811
    return make_official(
        position=world.positions.a_deputy,
        full_name="Nguyễn Văn Riêng",
        code="A-77",
        personal_id=PERSONAL_ID,
        home_address=ADDRESS,
        phone=PHONE,
    )


def create_data(world, **changes):  # noqa: F811
    data = {
        "code": "NEW-01",
        "personal_id": "042185000123",  # female, born 1985
        "full_name": "Hoàng Thị Lan",
        "gender": Gender.FEMALE,
        "date_of_birth": "15/03/1985",
        "ethnicity": "Kinh",
        "religion": "Không",
        "education_level": "master",
        "political_theory": "intermediate",
        "state_management": "principal",
        "management_tier": ManagementTier.DISTRICT_STANDING,
        "status": OfficialStatus.ACTIVE,
        "home_address": "Thôn 3, xã Thạch Hạ, tỉnh Hà Tĩnh",
        "phone": "0987654321",
        "org_unit": world.units.hu_a.pk,
        "position": world.positions.a_deputy.pk,
        "start_date": "01/08/2024",
    }
    data.update(changes)
    return data


def post_create(client, world, **changes):  # noqa: F811
    return client.post(reverse("official_create"), create_data(world, **changes))


# --- validation ----------------------------------------------------------------------


@pytest.mark.parametrize("number", ["12345", "0421850001234", "04218500012a", "০৪২১৮৫০০০১২৩"])
def test_a_personal_id_is_exactly_twelve_ascii_digits(number):
    with pytest.raises(ValidationError, match="phải gồm đúng 12 chữ số"):
        validate_personal_id(number)


def test_a_personal_id_starts_with_a_province_code():
    validate_personal_id("096185000123")
    for number in ("000185000123", "097185000123"):
        with pytest.raises(ValidationError, match="mã tỉnh"):
            validate_personal_id(number)


@pytest.mark.parametrize(
    ("number", "gender", "born", "wrong"),
    [
        ("042185000123", Gender.FEMALE, D(1985, 3, 15), None),
        ("042080000123", Gender.MALE, D(1980, 1, 1), None),
        ("042203000123", Gender.MALE, D(2003, 1, 1), None),
        ("042085000123", Gender.FEMALE, D(1985, 3, 15), "giới tính"),
        ("042385000123", Gender.FEMALE, D(1985, 3, 15), "năm sinh 2085"),
        ("042186000123", Gender.FEMALE, D(1985, 3, 15), "năm sinh 1986"),
    ],
)
def test_the_century_gender_and_year_digits_must_fit_the_profile(number, gender, born, wrong):
    message = personal_id_mismatch(number, gender, born)
    assert (message is None) if wrong is None else (wrong in message)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("12345", "Số định danh cá nhân phải gồm đúng 12 chữ số"),
        ("0421850001234567", "Số định danh cá nhân phải gồm đúng 12 chữ số"),
        ("04218500012x", "Số định danh cá nhân phải gồm đúng 12 chữ số"),
        ("042085000123", "khác giới tính đã nhập"),
        ("042190000123", "khác năm sinh đã nhập (1985)"),
    ],
)
def test_the_create_form_explains_a_bad_personal_id_and_saves_nothing(
    login,  # noqa: F811
    users,  # noqa: F811
    world,  # noqa: F811
    number,
    message,
):
    response = post_create(login(users.officer_a), world, personal_id=number)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["personal_id"])
    assert message in errors
    assert not Official.objects.filter(code="NEW-01").exists()


def test_spaces_and_plus84_are_normalised_on_create(login, users, world):  # noqa: F811
    response = post_create(
        login(users.officer_a), world, personal_id="042 185 000 123", phone="+84 987.654.321"
    )
    assert response.status_code == 302
    official = Official.objects.get(code="NEW-01")
    assert (official.personal_id, official.phone) == ("042185000123", "0987654321")
    assert official.home_address == "Thôn 3, xã Thạch Hạ, tỉnh Hà Tĩnh"


@pytest.mark.parametrize("phone", ["09123", "0912-ABC-678", "+1 202 555 0100", "091234567890"])
def test_a_bad_phone_is_explained(login, users, world, phone):  # noqa: F811
    response = post_create(login(users.officer_a), world, phone=phone)
    assert "Số điện thoại chỉ gồm chữ số" in " ".join(response.context["form"].errors["phone"])
    assert not Official.objects.filter(code="NEW-01").exists()


def test_a_duplicate_personal_id_is_a_form_error_on_create_and_edit(
    login,  # noqa: F811
    users,  # noqa: F811
    world,  # noqa: F811
    official,
    make_official,  # noqa: F811
):
    client = login(users.officer)
    response = post_create(
        client, world, personal_id=PERSONAL_ID, gender=Gender.MALE, date_of_birth="15/03/1980"
    )
    assert response.status_code == 200
    assert "Số định danh cá nhân này đã có trong hồ sơ cán bộ khác." in " ".join(
        response.context["form"].errors["personal_id"]
    )
    assert not Official.objects.filter(code="NEW-01").exists()

    other = make_official(position=world.positions.b_deputy, code="B-77")
    url = reverse("official_update", args=[other.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(date_of_birth="15/03/1980", personal_id=PERSONAL_ID)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "đã có trong hồ sơ cán bộ khác" in response.content.decode()
    other.refresh_from_db()
    assert other.personal_id is None


def test_the_service_refuses_a_duplicate_with_a_validation_error(world, official):  # noqa: F811
    with pytest.raises(ValidationError) as refused:
        services.official_create(
            first_posting={
                "org_unit": world.units.hu_b,
                "title": "Chuyên viên",
                "start_date": D(2020, 1, 1),
            },
            code="DUP-01",
            personal_id=PERSONAL_ID,
            full_name="Người Trùng Số",
            gender=Gender.MALE,
            date_of_birth=D(1980, 6, 1),
            education_level="university",
        )
    assert "personal_id" in refused.value.message_dict
    assert not Official.objects.filter(code="DUP-01").exists()


def test_officials_without_a_personal_id_do_not_clash(world, make_official):  # noqa: F811
    first = make_official(unit=world.units.hu_a, personal_id="")
    second = make_official(unit=world.units.hu_b, personal_id=None)
    services.official_update(official=first, notes="Chưa có CCCD")
    assert (
        Official.objects.filter(pk__in=[first.pk, second.pk], personal_id__isnull=True).count() == 2
    )


def test_an_officer_edits_the_personal_data(login, users, official):  # noqa: F811
    url = reverse("official_update", args=[official.pk])
    client = login(users.officer_a)
    form = client.get(url).context["form"]
    assert form["personal_id"].value() == PERSONAL_ID  # officers edit the full values
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(date_of_birth="15/03/1980", phone="0239 3855 123", home_address="Thôn 1, xã X")
    assert client.post(url, data).status_code == 302
    official.refresh_from_db()
    assert (official.phone, official.home_address) == ("02393855123", "Thôn 1, xã X")


# --- masking -------------------------------------------------------------------------


def test_mask_functions_keep_the_shape_and_hide_the_rest():
    assert mask_personal_id("038123456745") == "0381••••••45"
    assert mask_phone("0912345678") == "091•••••78"
    assert mask_address("Số 5, phường Bắc Hà, tỉnh Hà Tĩnh") == "•••, tỉnh Hà Tĩnh"
    assert mask_address("Xóm Bến") == "••• (đã ẩn)"
    assert [mask_personal_id(None), mask_phone(""), mask_address("  ")] == ["", "", ""]


def test_only_officers_and_above_see_personal_data(users, world):  # noqa: F811
    root = UserFactory(is_superuser=True)
    retired = UserFactory(scope=world.units.province, role=Role.OFFICER, is_active=False)
    assert [can_see_personal_data(u) for u in (users.viewer, retired, None)] == [False] * 3
    assert all(can_see_personal_data(u) for u in (users.officer_a, users.approver, root))


def test_personal_fields_for_masks_for_a_viewer_only(users, official):  # noqa: F811
    assert personal_fields_for(users.viewer, official) == MASKED
    full = personal_fields_for(users.officer, official)
    assert full == {"personal_id": PERSONAL_ID, "home_address": ADDRESS, "phone": PHONE}
    assert set(full) == set(MASKED_FIELDS)


def assert_masked(text: str) -> None:
    for raw in (PERSONAL_ID, ADDRESS, PHONE, "Trần Phú"):
        assert raw not in text
    for masked in MASKED.values():
        assert masked in text


def assert_full(text: str) -> None:
    for raw in (PERSONAL_ID, ADDRESS, PHONE):
        assert raw in text


@pytest.mark.parametrize("page", ["official_detail", "official_cv"])
def test_profile_and_cv_mask_personal_data_for_a_viewer(login, users, official, page):  # noqa: F811
    url = reverse(page, args=[official.pk])
    viewer = login(users.viewer).get(url).content.decode()
    assert_masked(viewer)
    assert "chỉ chuyên viên trở lên" in viewer
    officer = login(users.officer).get(url).content.decode()
    assert_full(officer)
    assert "chỉ chuyên viên trở lên" not in officer


def export_rows(client, fmt: str) -> list[list[str]]:
    response = client.get(reverse("official_export"), {"format": fmt})
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[str(c.value or "") for c in row] for row in sheet.iter_rows()]
    else:
        body = b"".join(response.streaming_content)
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header = rows.index(exports.columns())
    return [dict(zip(exports.columns(), row, strict=False)) for row in rows[header + 1 :]]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_mask_personal_data_for_a_viewer(login, users, official, fmt):  # noqa: F811
    columns = ("Số định danh cá nhân", "Nơi ở hiện nay", "Số điện thoại")
    (viewer_row,) = export_rows(login(users.viewer), fmt)
    assert [viewer_row[c] for c in columns] == list(MASKED.values())
    (officer_row,) = export_rows(login(users.officer), fmt)
    assert [officer_row[c] for c in columns] == [PERSONAL_ID, ADDRESS, PHONE]


def test_exports_mask_by_default():
    assert exports.to_csv.__kwdefaults__["masked"] is True
    assert exports.to_xlsx.__kwdefaults__["masked"] is True


# --- search --------------------------------------------------------------------------


def test_officers_find_an_official_by_the_whole_personal_id_viewers_do_not(
    login,  # noqa: F811
    users,  # noqa: F811
    official,
):
    # A viewer must not be able to learn whose a number is by searching for it.
    def found(user, text):
        response = login(user).get(reverse("official_list"), {"q": text})
        return [o.pk for o in response.context["officials"]]

    assert found(users.officer, PERSONAL_ID) == [official.pk]
    assert found(users.officer, "042 080 123 456") == [official.pk]
    assert found(users.officer, PERSONAL_ID[:6]) == []  # whole numbers only
    assert found(users.viewer, PERSONAL_ID) == []


# --- demo data -----------------------------------------------------------------------


def assert_plausible_ids(rows):
    numbers = [number for number, _gender, _born in rows]
    assert all(numbers) and len(set(numbers)) == len(numbers)
    for number, gender, born in rows:
        validate_personal_id(number)
        assert personal_id_mismatch(number, gender, born) is None


def test_demo_plan_gives_every_official_a_plausible_unique_personal_id():
    plan = build_plan(7, D(2026, 1, 15))
    assert_plausible_ids([(p.personal_id, p.gender, p.dob) for p in plan.people])
    assert sum(p.personal_id.startswith("042") for p in plan.people) > len(plan.people) * 0.7
    assert all(p.phone.isdigit() and len(p.phone) == 10 for p in plan.people)
    assert all(p.home_address.endswith("Tỉnh Hà Tĩnh") for p in plan.people)
    again = build_plan(7, D(2026, 1, 15))
    assert [p.personal_id for p in again.people] == [p.personal_id for p in plan.people]
    assert [p.phone for p in again.people] == [p.phone for p in plan.people]


def test_seed_demo_writes_the_personal_data():
    # persist_plan is what seed_demo writes, without the rotation demo's decisions (slow).
    persist_plan(build_plan(3, D(2026, 1, 15), officials=200))
    province = Official.objects.filter(code__startswith="HT-")
    rows = list(province.values_list("personal_id", "gender", "date_of_birth"))
    assert len(rows) == 200
    assert_plausible_ids(rows)
    assert not province.filter(phone="").exists()
    assert not province.filter(home_address="").exists()
