"""The staff pages of an official's record: postings (primary, concurrent, closing),
training, evaluations, planning, discipline, rewards and the photo.

The battery (NetBox style): an officer in scope may, a viewer gets 403, an officer of
another scope 404, an anonymous visitor the login page. Then each rule with its message,
and a hostile-input sweep over every form: never a 500, nothing changed.
"""

import datetime as dt
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from personnel import services
from personnel.models import Evaluation, Official, PlanningEntry, Posting, TrainingRecord
from personnel.models_discipline import Discipline, Reward
from tests.factories import (
    DisciplineFactory,
    EvaluationFactory,
    PlanningEntryFactory,
    TrainingRecordFactory,
)
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures
from tests.web.conftest import login, users  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

D = dt.date
MODELS = (Official, Posting, TrainingRecord, Evaluation, PlanningEntry, Discipline, Reward)


def day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def today() -> dt.date:
    return timezone.localdate()


def text(response) -> str:
    return html.unescape(response.content.decode())


def form_errors(response):
    form = (response.context or {}).get("form")
    return form.errors if form is not None else response.status_code


def snapshot() -> dict:
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in MODELS}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def record(world, make_official):  # noqa: F811
    """An official of district A (born 15/03/1985) with one row of every kind."""
    official = make_official(
        position=world.positions.a_deputy,
        since=D(2018, 1, 1),
        date_of_birth=D(1985, 3, 15),
        planned=False,
    )
    rows = {
        "posting": official.postings.get(),
        "training": TrainingRecordFactory(official=official),
        "evaluation": EvaluationFactory(official=official, year=2022),
        "planning": PlanningEntryFactory(official=official, position=world.positions.a_secretary),
        "discipline": DisciplineFactory(official=official),
        "reward": Reward.objects.create(
            official=official,
            kind="merit",
            name="Bằng khen của Tỉnh ủy",
            level="province",
            decided_on=D(2021, 5, 1),
        ),
    }
    return official, rows


KINDS = ("posting", "training", "evaluation", "planning", "discipline", "reward")


def valid_data(world, kind: str) -> dict:  # noqa: F811
    """A valid new row of ``kind`` for the official of ``record``."""
    return {
        "posting": {
            "org_unit": world.units.ubnd_a.pk,
            "position": world.positions.a_chair.pk,
            "title": "",
            "start_date": "01/06/2023",
            "basis": "45-QĐ/TU",
        },  # is_primary left out: a concurrent post (kiêm nhiệm)
        "training": {
            "kind": "state_management",
            "programme": "Bồi dưỡng chuyên viên chính",
            "mode": "part_time",
            "start_date": "01/03/2019",
            "end_date": "30/06/2019",
        },
        "evaluation": {"year": "2023", "rating": "excellent", "note": "Hoàn thành tốt"},
        "planning": {
            "position": world.positions.a_chair.pk,
            "term": "2025-2030",
            "status": "active",
            "approved_on": "15/06/2025",
            "basis": "12-QĐ/TU",
        },
        "discipline": {
            "kind": "warning",
            "level": "province",
            "decided_on": "10/10/2020",
            "basis": "7-QĐ/UBKT",
            "issued_by": "Ủy ban Kiểm tra Tỉnh ủy",
            "duration_months": "12",
        },
        "reward": {
            "kind": "title",
            "name": "Chiến sĩ thi đua cấp tỉnh",
            "level": "province",
            "decided_on": "02/09/2023",
            "basis": "99/QĐ-UBND",
        },
    }[kind]


def urls(official, rows) -> list[tuple[str, str]]:
    """(name, url) of every page of the record an officer may open."""
    found = []
    for kind in KINDS:
        found.append((f"{kind} create", reverse(f"official_{kind}_create", args=[official.pk])))
        item = rows[kind].pk
        for view in ("update", "delete"):
            found.append(
                (f"{kind} {view}", reverse(f"official_{kind}_{view}", args=[official.pk, item]))
            )
    found.append(
        (
            "posting close",
            reverse("official_posting_close", args=[official.pk, rows["posting"].pk]),
        )
    )
    found.append(("photo upload", reverse("official_photo_upload", args=[official.pk])))
    return found


# --- the battery --------------------------------------------------------------------------


def test_an_officer_in_scope_opens_every_form(login, users, record):  # noqa: F811
    official, rows = record
    client = login(users.officer_a)
    for name, url in urls(official, rows):
        response = client.get(url)
        assert response.status_code == 200, name
        assert official.full_name in text(response), name


def test_a_viewer_is_refused_every_form_and_every_write(login, users, record):  # noqa: F811
    official, rows = record
    client = login(users.viewer)
    before = snapshot()
    for name, url in [*urls(official, rows), ("photo remove", _photo_remove(official))]:
        assert client.get(url).status_code in (403, 405), name
        assert client.post(url, {}).status_code == 403, name
    assert snapshot() == before


def _photo_remove(official):
    return reverse("official_photo_remove", args=[official.pk])


def test_an_officer_of_another_scope_gets_404(login, users, record):  # noqa: F811
    official, rows = record
    client = login(users.officer_b)
    before = snapshot()
    for name, url in [*urls(official, rows), ("photo remove", _photo_remove(official))]:
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, {}).status_code == 404, name
    assert client.get(reverse("official_photo", args=[official.pk])).status_code == 404
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_login(client, record):
    official, rows = record
    for name, url in urls(official, rows):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_a_row_of_another_official_is_404(login, users, world, record, make_official):  # noqa: F811
    official, rows = record
    other = make_official(position=world.positions.a_secretary, planned=False)
    client = login(users.officer_a)
    for kind in KINDS:
        url = reverse(f"official_{kind}_update", args=[other.pk, rows[kind].pk])
        assert client.get(url).status_code == 404, kind


def test_the_profile_offers_the_buttons_to_officers_only(login, users, record):  # noqa: F811
    official, rows = record
    url = reverse("official_detail", args=[official.pk])
    officer_page = text(login(users.officer_a).get(url))
    viewer_page = text(login(users.viewer).get(url))
    for kind in KINDS:
        create = reverse(f"official_{kind}_create", args=[official.pk])
        update = reverse(f"official_{kind}_update", args=[official.pk, rows[kind].pk])
        delete = reverse(f"official_{kind}_delete", args=[official.pk, rows[kind].pk])
        for link in (create, update, delete):
            assert link in officer_page, link
            assert link not in viewer_page, link
    close = reverse("official_posting_close", args=[official.pk, rows["posting"].pk])
    assert close in officer_page and close not in viewer_page
    assert "Thêm kiêm nhiệm" in officer_page


# --- writes that succeed ------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_an_officer_adds_a_row_and_returns_to_the_profile(login, users, world, record, kind):  # noqa: F811
    official, rows = record
    model = type(rows[kind])
    count = model.objects.filter(official=official).count()
    response = login(users.officer_a).post(
        reverse(f"official_{kind}_create", args=[official.pk]), valid_data(world, kind)
    )
    assert response.status_code == 302, form_errors(response)
    assert response["Location"].startswith(reverse("official_detail", args=[official.pk]))
    assert model.objects.filter(official=official).count() == count + 1
    page = text(login(users.officer_a).get(response["Location"]))
    assert "Đã thêm" in page


@pytest.mark.parametrize("kind", KINDS)
def test_an_officer_corrects_a_row(login, users, world, record, kind):  # noqa: F811
    official, rows = record
    row = rows[kind]
    url = reverse(f"official_{kind}_update", args=[official.pk, row.pk])
    client = login(users.officer_a)
    data = {
        "posting": {
            "org_unit": world.units.hu_a.pk,
            "position": world.positions.a_deputy.pk,
            "title": "Phó Bí thư Thường trực",
            "start_date": "01/01/2018",
            "is_primary": "on",
            "basis": "3-QĐ/TU",
        },
        "training": {**valid_data(world, "training"), "programme": "Đã sửa"},
        "evaluation": {"year": "2022", "rating": "completed"},
        "planning": {**valid_data(world, "planning"), "status": "removed"},
        "discipline": {**valid_data(world, "discipline"), "basis": "8-QĐ/UBKT"},
        "reward": {**valid_data(world, "reward"), "name": "Đã sửa"},
    }[kind]
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    row.refresh_from_db()
    expected = {
        "posting": ("title", "Phó Bí thư Thường trực"),
        "training": ("programme", "Đã sửa"),
        "evaluation": ("rating", "completed"),
        "planning": ("status", "removed"),
        "discipline": ("basis", "8-QĐ/UBKT"),
        "reward": ("name", "Đã sửa"),
    }[kind]
    assert getattr(row, expected[0]) == expected[1]


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "posting"])
def test_an_officer_deletes_a_row_after_confirming(login, users, record, kind):  # noqa: F811
    official, rows = record
    row = rows[kind]
    url = reverse(f"official_{kind}_delete", args=[official.pk, row.pk])
    client = login(users.officer_a)
    assert "Xóa" in text(client.get(url))
    response = client.post(url)
    assert response.status_code == 302
    assert not type(row).objects.filter(pk=row.pk).exists()


def test_a_concurrent_post_is_added_beside_the_primary_posting(login, users, world, record):  # noqa: F811
    official, rows = record
    client = login(users.officer_a)
    page = text(
        client.get(reverse("official_posting_create", args=[official.pk]) + "?kiem_nhiem=1")
    )
    assert "Thêm chức vụ kiêm nhiệm" in page
    response = client.post(
        reverse("official_posting_create", args=[official.pk]), valid_data(world, "posting")
    )
    assert response.status_code == 302
    concurrent = official.postings.get(is_primary=False)
    assert concurrent.title == "Chủ tịch UBND huyện A" and concurrent.basis == "45-QĐ/TU"
    official.refresh_from_db()
    assert official.current_posting == rows["posting"]


def test_closing_a_posting_asks_its_last_day(login, users, record):  # noqa: F811
    official, rows = record
    posting = rows["posting"]
    url = reverse("official_posting_close", args=[official.pk, posting.pk])
    client = login(users.officer_a)
    assert "Ngày kết thúc" in text(client.get(url))
    response = client.post(url, {"end_date": "31/07/2024"})
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.end_date == D(2024, 7, 31)
    assert client.get(url).status_code == 404  # closed already


def test_closing_before_the_start_is_refused_with_the_services_message(login, users, record):  # noqa: F811
    official, rows = record
    url = reverse("official_posting_close", args=[official.pk, rows["posting"].pk])
    response = login(users.officer_a).post(url, {"end_date": "01/01/2017"})
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu." in text(response)
    rows["posting"].refresh_from_db()
    assert rows["posting"].end_date is None


def test_a_new_primary_posting_after_closing_the_old_one(login, users, world, record):  # noqa: F811
    official, rows = record
    client = login(users.officer_a)
    client.post(
        reverse("official_posting_close", args=[official.pk, rows["posting"].pk]),
        {"end_date": "31/05/2024"},
    )
    response = client.post(
        reverse("official_posting_create", args=[official.pk]),
        {
            "org_unit": world.units.hu_a.pk,
            "position": world.positions.a_secretary.pk,
            "start_date": "01/06/2024",
            "is_primary": "on",
            "basis": "12-QĐ/TU",
        },
    )
    assert response.status_code == 302, form_errors(response)
    official.refresh_from_db()
    assert official.current_posting.title == "Bí thư Huyện ủy A"


def test_deleting_the_posting_that_keeps_the_record_in_scope_is_refused(login, users, record):  # noqa: F811
    official, rows = record
    url = reverse("official_posting_delete", args=[official.pk, rows["posting"].pk])
    response = login(users.officer_a).post(url)
    assert response.status_code == 200
    assert "không còn thuộc phạm vi quản lý của bạn" in text(response)
    assert Posting.objects.filter(pk=rows["posting"].pk).exists()


def test_deleting_a_concurrent_post(login, users, world, record):  # noqa: F811
    official, _rows = record
    concurrent = services.posting_create(
        official=official,
        position=world.positions.a_chair,
        title="",
        start_date=D(2022, 1, 1),
        is_primary=False,
    )
    url = reverse("official_posting_delete", args=[official.pk, concurrent.pk])
    assert login(users.officer_a).post(url).status_code == 302
    assert not Posting.objects.filter(pk=concurrent.pk).exists()


def test_the_profile_edit_form_records_the_day_the_official_left(login, users, record):  # noqa: F811
    official, _rows = record
    client = login(users.officer_a)
    url = reverse("official_update", args=[official.pk])
    page = text(client.get(url))
    assert "Ngày thôi công tác" in page
    from tests.admin_battery.forms import form_data

    data = form_data(client.get(url).content.decode(), field="full_name")
    data.update({"status": "retired", "left_on": "30/06/2025"})
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    official.refresh_from_db()
    assert official.left_on == D(2025, 6, 30) and official.status == "retired"


# --- the rules, with their messages --------------------------------------------------------


def test_a_posting_before_the_16th_birthday_is_refused_on_its_start(login, users, world, record):  # noqa: F811
    official, _rows = record
    before = snapshot()
    response = login(users.officer_a).post(
        reverse("official_posting_create", args=[official.pk]),
        {**valid_data(world, "posting"), "start_date": "01/08/1980"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["start_date"] == [
        "Ngày bắt đầu (01/08/1980) trước ngày cán bộ đủ 16 tuổi (15/03/2001, theo ngày sinh "
        "15/03/1985)."
    ]
    assert snapshot() == before


def test_a_posting_starting_in_the_future_is_refused(login, users, world, record):  # noqa: F811
    official, _rows = record
    start = today() + dt.timedelta(days=30)
    before = snapshot()
    response = login(users.officer_a).post(
        reverse("official_posting_create", args=[official.pk]),
        {**valid_data(world, "posting"), "start_date": day(start)},
    )
    assert response.status_code == 200
    assert "sau ngày hôm nay" in " ".join(response.context["form"].errors["start_date"])
    assert snapshot() == before


def test_a_primary_posting_overlapping_the_current_one_is_refused(login, users, world, record):  # noqa: F811
    official, _rows = record
    response = login(users.officer_a).post(
        reverse("official_posting_create", args=[official.pk]),
        {**valid_data(world, "posting"), "is_primary": "on"},
    )
    assert response.status_code == 200
    assert "Mỗi cán bộ chỉ có một vị trí công tác chính tại một thời điểm" in text(response)


def test_a_position_of_another_unit_is_refused(login, users, world, record):  # noqa: F811
    official, _rows = record
    response = login(users.officer_a).post(
        reverse("official_posting_create", args=[official.pk]),
        {**valid_data(world, "posting"), "position": world.positions.a1_secretary.pk},
    )
    assert response.status_code == 200
    assert "Chức vụ đã chọn không thuộc cơ quan, đơn vị đã chọn." in text(response)


def test_the_position_picker_sends_the_chosen_unit(login, users, record):  # noqa: F811
    official, _rows = record
    page = text(login(users.officer_a).get(reverse("official_posting_create", args=[official.pk])))
    assert 'data-autocomplete-forward="org_unit:org_unit"' in page


def test_an_evaluation_of_a_future_year_is_refused(login, users, world, record):  # noqa: F811
    official, _rows = record
    year = today().year + 1
    response = login(users.officer_a).post(
        reverse("official_evaluation_create", args=[official.pk]),
        {"year": str(year), "rating": "good"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        f"Năm đánh giá ({year}) không được sau năm nay ({today().year})."
    ]
    assert not Evaluation.objects.filter(year=year).exists()


# --- the photo ---------------------------------------------------------------------------


def jpeg(size=(60, 80)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "JPEG")
    return SimpleUploadedFile("chan-dung.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_photo_is_uploaded_and_streamed_privately(login, users, record, media):  # noqa: F811
    official, _rows = record
    client = login(users.officer_a)
    response = client.post(reverse("official_photo_upload", args=[official.pk]), {"photo": jpeg()})
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.photo
    photo_url = reverse("official_photo", args=[official.pk])
    viewer = login(users.viewer)
    streamed = viewer.get(photo_url)
    assert streamed.status_code == 200
    assert streamed["Content-Type"] == "image/jpeg"
    assert "private" in streamed["Cache-Control"]
    assert b"".join(streamed.streaming_content)[:2] == b"\xff\xd8"
    assert photo_url in text(viewer.get(reverse("official_detail", args=[official.pk])))
    assert photo_url in text(viewer.get(reverse("official_cv", args=[official.pk])))


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg"),
            "không phải ảnh JPEG hoặc PNG",
        ),
        (
            SimpleUploadedFile("anh.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 10)),
            "vượt quá giới hạn 2 MB",
        ),
    ],
    ids=["not an image", "too large"],
)
def test_a_photo_that_is_not_an_image_or_too_large_is_refused(
    login,  # noqa: F811
    users,  # noqa: F811
    record,
    media,
    upload,
    message,  # noqa: F811
):
    official, _rows = record
    response = login(users.officer_a).post(
        reverse("official_photo_upload", args=[official.pk]), {"photo": upload}
    )
    assert response.status_code == 200
    assert message in text(response)
    official.refresh_from_db()
    assert not official.photo


def test_the_photo_is_removed(login, users, record, media):  # noqa: F811
    official, _rows = record
    client = login(users.officer_a)
    client.post(reverse("official_photo_upload", args=[official.pk]), {"photo": jpeg()})
    response = client.post(_photo_remove(official))
    assert response.status_code == 302
    official.refresh_from_db()
    assert not official.photo
    assert client.get(reverse("official_photo", args=[official.pk])).status_code == 404


def test_media_files_are_not_served_publicly(client, record, media):
    official, _rows = record
    from personnel.services_record import official_set_photo

    official_set_photo(official=official, photo=jpeg())
    official.refresh_from_db()
    assert client.get(f"/media/{official.photo.name}").status_code == 404


# --- hostile input ----------------------------------------------------------------------------

HOSTILE_VALUES = ["01/01/0001", "31/12/9999", "x" * 10_000, "9" * 30, "-1", "1e999", "<script>"]


def _hostile_cases():
    for kind in KINDS:
        for value in HOSTILE_VALUES:
            yield pytest.param(kind, value, id=f"{kind}: {value[:12]}")


@pytest.mark.parametrize("kind, value", list(_hostile_cases()))
def test_hostile_input_in_every_field_changes_nothing(login, users, world, record, kind, value):  # noqa: F811
    official, _rows = record
    client = login(users.officer_a)
    url = reverse(f"official_{kind}_create", args=[official.pk])
    valid = valid_data(world, kind)
    before = snapshot()
    for field in valid:
        response = client.post(url, {**valid, field: value})
        assert response.status_code in (200, 302), (field, response.status_code)
        if response.status_code == 302:
            # a value that is valid for this field (a title, a basis): written like any other
            assert field in {"title", "basis", "programme", "name", "issued_by", "note"} and (
                len(value) <= 255
            ), field
            before = snapshot()
            continue
        assert response.context["form"].errors, field
        assert snapshot() == before, field


@pytest.mark.parametrize("kind", KINDS)
def test_a_nul_byte_is_refused_and_nothing_changes(login, users, world, record, kind):  # noqa: F811
    official, _rows = record
    valid = valid_data(world, kind)
    before = snapshot()
    field = next(iter(valid))
    response = login(users.officer_a).post(
        reverse(f"official_{kind}_create", args=[official.pk]), {**valid, field: "a\x00b"}
    )
    assert response.status_code == 400
    assert snapshot() == before


def test_hostile_input_on_the_update_and_close_forms(login, users, world, record):  # noqa: F811
    official, rows = record
    client = login(users.officer_a)
    before = snapshot()
    close = reverse("official_posting_close", args=[official.pk, rows["posting"].pk])
    for value in HOSTILE_VALUES:
        response = client.post(close, {"end_date": value})
        assert response.status_code == 200 and response.context["form"].errors, value
        response = client.post(
            reverse("official_evaluation_update", args=[official.pk, rows["evaluation"].pk]),
            {"year": value, "rating": "good"},
        )
        assert response.status_code == 200 and response.context["form"].errors, value
    assert snapshot() == before


def test_the_error_messages_are_in_vietnamese(login, users, world, record):  # noqa: F811
    official, _rows = record
    client = login(users.officer_a)
    response = client.post(
        reverse("official_discipline_create", args=[official.pk]),
        {**valid_data(world, "discipline"), "basis": "x" * 10_000, "duration_months": "9" * 30},
    )
    errors = response.context["form"].errors
    assert errors["basis"] == ["Tối đa 200 ký tự (đã nhập 10000 ký tự)."]
    assert errors["duration_months"] == ["Thời hạn không quá 120 tháng."]
    response = client.post(
        reverse("official_training_create", args=[official.pk]),
        {**valid_data(world, "training"), "start_date": "31/12/9999"},
    )
    assert response.context["form"].errors["start_date"] == [
        "Ngày phải trong khoảng từ 01/01/1900 đến 31/12/2100."
    ]


def test_a_posting_a_decision_refers_to_is_not_deleted(login, users, world, record):  # noqa: F811
    from rotation import services as rotation_services

    official, rows = record
    concurrent = services.posting_create(
        official=official,
        position=world.positions.a_chair,
        title="",
        start_date=D(2022, 1, 1),
        is_primary=False,
    )
    decision = rotation_services.decision_create(
        number="9-QĐ/TU", issued_by=world.units.province, title="Luân chuyển cán bộ"
    )
    rotation_services.movement_add(
        decision=decision,
        official=official,
        kind="rotation",
        to_position=world.positions.b_deputy,
        effective_on=today() + dt.timedelta(days=60),
        term_months=36,
        from_posting=concurrent,
    )
    before = snapshot()
    response = login(users.officer_a).post(
        reverse("official_posting_delete", args=[official.pk, concurrent.pk])
    )
    assert response.status_code == 200
    assert "đang được một quyết định hoặc bản ghi khác tham chiếu" in text(response)
    assert snapshot() == before


def test_every_field_has_a_vietnamese_label_and_help_text(users):  # noqa: F811
    from personnel.forms import OfficialPhotoForm
    from personnel.forms_record import (
        DisciplineForm,
        EvaluationForm,
        PlanningForm,
        PostingCloseForm,
        PostingRecordForm,
        RewardForm,
        TrainingForm,
    )

    for form_class in (
        PostingRecordForm,
        PostingCloseForm,
        TrainingForm,
        EvaluationForm,
        PlanningForm,
        DisciplineForm,
        RewardForm,
        OfficialPhotoForm,
    ):
        form = (
            form_class(user=users.officer) if form_class is not OfficialPhotoForm else form_class()
        )
        for name, field in form.fields.items():
            assert field.label and str(field.label)[0].isupper(), (form_class, name)
            assert str(field.help_text), (form_class, name)
