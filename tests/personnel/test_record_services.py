"""The services of an official's record (``personnel.services_record``): allowed for an
officer, refused for a viewer, each rule with its message, nothing written on refusal."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.access import RoleRequired
from accounts.choices import Role
from personnel import services_record as records
from personnel.models import Evaluation, Official, PlanningEntry, TrainingRecord
from personnel.models_discipline import Discipline, Reward
from tests.factories import UserFactory
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def official(world, make_official):  # noqa: F811
    return make_official(
        position=world.positions.a_deputy, date_of_birth=D(1985, 3, 15), planned=False
    )


@pytest.fixture
def viewer(world):  # noqa: F811
    return UserFactory(scope=world.units.province, role=Role.VIEWER)


def today():
    return timezone.localdate()


def messages_of(error: ValidationError) -> dict:
    return {field: " ".join(messages) for field, messages in error.message_dict.items()}


# --- allowed ----------------------------------------------------------------------------


def test_an_officer_records_each_kind_of_row(world, official):  # noqa: F811
    by = world.officer
    training = records.training_create(
        official=official,
        by=by,
        kind="political_theory",
        programme="Cao cấp lý luận chính trị",
        start_date=D(2015, 9, 1),
        end_date=D(2017, 6, 30),
    )
    evaluation = records.evaluation_create(official=official, by=by, year=2024, rating="good")
    entry = records.planning_create(
        official=official, by=by, position=world.positions.a_secretary, term="2025-2030"
    )
    discipline = records.discipline_create(
        official=official, by=by, kind="reprimand", decided_on=D(2022, 3, 10), basis="5-QĐ/UBKT"
    )
    reward = records.reward_create(
        official=official,
        by=by,
        kind="merit",
        name="Bằng khen của Chủ tịch UBND tỉnh",
        level="province",
        decided_on=D(2023, 9, 2),
    )
    assert [r.official_id for r in (training, evaluation, entry, discipline, reward)] == [
        official.pk
    ] * 5
    records.training_update(training=training, by=by, qualification="Bằng cao cấp")
    records.evaluation_update(evaluation=evaluation, by=by, rating="excellent")
    records.planning_update(entry=entry, by=by, status="appointed")
    records.discipline_update(discipline=discipline, by=by, duration_months=12)
    records.reward_update(reward=reward, by=by, basis="1234/QĐ-UBND")
    assert TrainingRecord.objects.get().qualification == "Bằng cao cấp"
    assert Evaluation.objects.get().rating == "excellent"
    assert PlanningEntry.objects.get().status == "appointed"
    assert Discipline.objects.get().duration_months == 12
    assert Reward.objects.get().basis == "1234/QĐ-UBND"
    records.training_delete(training=training, by=by)
    records.evaluation_delete(evaluation=evaluation, by=by)
    records.planning_delete(entry=entry, by=by)
    records.discipline_delete(discipline=discipline, by=by)
    records.reward_delete(reward=reward, by=by)
    for model in (TrainingRecord, Evaluation, PlanningEntry, Discipline, Reward):
        assert not model.objects.exists()


def test_the_system_may_write_without_a_user(official):
    records.evaluation_create(official=official, by=None, year=2023, rating="completed")
    assert Evaluation.objects.filter(official=official, year=2023).exists()


def test_a_viewer_is_refused_and_nothing_is_written(official, viewer):
    with pytest.raises(RoleRequired):
        records.evaluation_create(official=official, by=viewer, year=2024, rating="good")
    evaluation = records.evaluation_create(official=official, year=2024, rating="good")
    with pytest.raises(RoleRequired):
        records.evaluation_update(evaluation=evaluation, by=viewer, rating="excellent")
    with pytest.raises(RoleRequired):
        records.evaluation_delete(evaluation=evaluation, by=viewer)
    evaluation.refresh_from_db()
    assert evaluation.rating == "good"


def test_a_field_that_is_not_editable_is_a_programming_error(official, world):  # noqa: F811
    with pytest.raises(TypeError):
        records.reward_create(official=official, by=world.officer, official_id=1, name="x")


# --- the rules --------------------------------------------------------------------------


def test_training_before_the_16th_birthday_is_refused(official, world):  # noqa: F811
    with pytest.raises(ValidationError) as caught:
        records.training_create(
            official=official,
            by=world.officer,
            kind="degree",
            programme="Đại học Luật",
            start_date=D(2000, 9, 1),
        )
    assert messages_of(caught.value)["start_date"] == (
        "Ngày bắt đầu (01/09/2000) trước ngày cán bộ đủ 16 tuổi (15/03/2001, theo ngày sinh "
        "15/03/1985)."
    )
    assert not TrainingRecord.objects.exists()


def test_training_ending_before_it_starts_is_refused(official, world):  # noqa: F811
    with pytest.raises(ValidationError) as caught:
        records.training_create(
            official=official,
            by=world.officer,
            kind="degree",
            programme="Thạc sĩ",
            start_date=D(2015, 9, 1),
            end_date=D(2015, 1, 1),
        )
    assert messages_of(caught.value)["end_date"] == "Ngày kết thúc không được trước ngày bắt đầu."


def test_an_evaluation_of_a_future_year_is_refused(official, world):  # noqa: F811
    year = today().year + 1
    with pytest.raises(ValidationError) as caught:
        records.evaluation_create(official=official, by=world.officer, year=year, rating="good")
    assert messages_of(caught.value)["year"] == (
        f"Năm đánh giá ({year}) không được sau năm nay ({today().year})."
    )
    assert not Evaluation.objects.exists()


def test_a_second_evaluation_of_a_year_is_refused_with_the_year(official, world):  # noqa: F811
    records.evaluation_create(official=official, by=world.officer, year=2022, rating="good")
    other = records.evaluation_create(official=official, by=world.officer, year=2023, rating="good")
    with pytest.raises(ValidationError) as caught:
        records.evaluation_update(evaluation=other, by=world.officer, year=2022)
    assert "đã có kết quả đánh giá của năm 2022" in messages_of(caught.value)["year"]
    other.refresh_from_db()
    assert other.year == 2023


@pytest.mark.parametrize(
    "term, message",
    [
        ("2025/2030", "Nhiệm kỳ ghi theo dạng 2025-2030."),
        ("2030-2025", "năm cuối phải sau năm đầu"),
        ("2025-2099", "năm cuối phải sau năm đầu"),
    ],
)
def test_a_planning_term_not_written_as_a_term_is_refused(official, world, term, message):  # noqa: F811
    with pytest.raises(ValidationError) as caught:
        records.planning_create(
            official=official, by=world.officer, position=world.positions.a_secretary, term=term
        )
    assert message in messages_of(caught.value)["term"]
    assert not PlanningEntry.objects.exists()


def test_planning_twice_for_a_position_and_term_is_refused(official, world):  # noqa: F811
    position = world.positions.a_secretary
    records.planning_create(
        official=official, by=world.officer, position=position, term="2025-2030"
    )
    with pytest.raises(ValidationError) as caught:
        records.planning_create(
            official=official, by=world.officer, position=position, term="2025-2030"
        )
    assert "đã có trong quy hoạch" in messages_of(caught.value)["position"]


def test_a_discipline_dated_tomorrow_is_refused(official, world):  # noqa: F811
    tomorrow = today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        records.discipline_create(
            official=official, by=world.officer, kind="warning", decided_on=tomorrow, basis="1"
        )
    assert "không được sau ngày hôm nay" in messages_of(caught.value)["decided_on"]
    assert not Discipline.objects.exists()


def test_a_reward_out_of_range_is_refused_before_any_arithmetic(official, world):  # noqa: F811
    with pytest.raises(ValidationError) as caught:
        records.reward_create(
            official=official,
            by=world.officer,
            kind="merit",
            name="Bằng khen",
            level="province",
            decided_on=D(1, 1, 1),
        )
    assert "Ngày phải trong khoảng" in messages_of(caught.value)["decided_on"]
    assert not Reward.objects.exists()


# --- the photo --------------------------------------------------------------------------


def image_file(fmt="JPEG", size=(60, 80), name="anh.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


def test_a_jpeg_becomes_the_photo_under_a_random_name(official, world, media):  # noqa: F811
    records.official_set_photo(official=official, photo=image_file(), by=world.officer)
    official.refresh_from_db()
    assert official.photo.name.startswith("photos/") and official.photo.name.endswith(".jpg")
    assert "anh" not in official.photo.name
    with Image.open(official.photo.path) as stored:
        assert stored.format == "JPEG" and stored.size == (60, 80)


def test_a_png_named_jpg_is_stored_as_png(official, world, media):  # noqa: F811
    records.official_set_photo(
        official=official, photo=image_file("PNG", name="anh.jpg"), by=world.officer
    )
    official.refresh_from_db()
    assert official.photo.name.endswith(".png")


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg"),
            "không phải ảnh JPEG hoặc PNG",
        ),
        (image_file("GIF", name="anh.gif"), "không phải ảnh JPEG hoặc PNG"),
        (image_file(size=(4001, 100)), "lớn hơn giới hạn 4000×4000"),
        (
            SimpleUploadedFile("anh.jpg", b"\xff\xd8" + b"0" * (2 * 1024 * 1024)),
            "vượt quá giới hạn 2 MB",
        ),
    ],
    ids=["not an image", "gif", "too many pixels", "too large"],
)
def test_a_photo_that_is_not_a_small_jpeg_or_png_is_refused(
    official,
    world,  # noqa: F811
    media,
    upload,
    message,  # noqa: F811
):
    with pytest.raises(ValidationError) as caught:
        records.official_set_photo(official=official, photo=upload, by=world.officer)
    assert message in messages_of(caught.value)["photo"]
    official.refresh_from_db()
    assert not official.photo
    assert not any(media.rglob("*.*"))


def test_replacing_and_removing_the_photo_removes_the_old_file(
    official,
    world,  # noqa: F811
    media,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        records.official_set_photo(official=official, photo=image_file(), by=world.officer)
    first = Official.objects.get(pk=official.pk).photo.path
    with django_capture_on_commit_callbacks(execute=True):
        records.official_set_photo(official=official, photo=image_file("PNG"), by=world.officer)
    second = Official.objects.get(pk=official.pk).photo.path
    assert first != second
    import os

    assert not os.path.exists(first) and os.path.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        records.official_remove_photo(official=official, by=world.officer)
    assert not Official.objects.get(pk=official.pk).photo
    assert not os.path.exists(second)


def test_a_viewer_cannot_set_the_photo(official, viewer, media):
    with pytest.raises(RoleRequired):
        records.official_set_photo(official=official, photo=image_file(), by=viewer)


# --- admin: the same services ---------------------------------------------------------


def _admin_url(model, view, *args):
    from django.urls import reverse

    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.fixture
def reward(official):
    return Reward.objects.create(
        official=official,
        kind="merit",
        name="Bằng khen",
        level="province",
        decided_on=D(2021, 5, 1),
    )


def test_rewards_have_an_admin_with_their_history(admin_client, reward):
    for url in (
        _admin_url(Reward, "changelist"),
        _admin_url(Reward, "add"),
        _admin_url(Reward, "change", reward.pk),
        _admin_url(Reward, "history", reward.pk),
        _admin_url(Official, "change", reward.official_id),
    ):
        assert admin_client.get(url).status_code == 200, url
    page = admin_client.get(_admin_url(Official, "change", reward.official_id)).content.decode()
    assert "rewards-TOTAL_FORMS" in page


@pytest.mark.parametrize("model", [TrainingRecord, Evaluation, PlanningEntry, Discipline, Reward])
def test_record_admins_keep_history_and_scope(client, world, official, model):  # noqa: F811
    from tests.factories import OrgUnitFactory

    row = {
        TrainingRecord: lambda: records.training_create(
            official=official, kind="other", programme="Lớp", start_date=D(2019, 1, 1)
        ),
        Evaluation: lambda: records.evaluation_create(official=official, year=2020, rating="good"),
        PlanningEntry: lambda: records.planning_create(
            official=official, position=world.positions.a_secretary, term="2025-2030"
        ),
        Discipline: lambda: records.discipline_create(
            official=official, kind="reprimand", decided_on=D(2020, 1, 1), basis="1"
        ),
        Reward: lambda: records.reward_create(
            official=official, kind="merit", name="B", level="province", decided_on=D(2020, 1, 1)
        ),
    }[model]()
    outsider = UserFactory(scope=OrgUnitFactory(), role=Role.OFFICER, is_staff=True)
    client.force_login(outsider)
    assert client.get(_admin_url(model, "change", row.pk)).status_code == 404
    assert client.get(_admin_url(model, "history", row.pk)).status_code == 404
    assert model.history.filter(id=row.pk).exists()


def test_an_evaluation_added_in_admin_for_next_year_is_refused_by_the_service(
    admin_client, official
):
    year = today().year + 1
    response = admin_client.post(
        _admin_url(Evaluation, "add"), {"official": official.pk, "year": year, "rating": "good"}
    )
    assert response.status_code == 200
    assert f"Năm đánh giá ({year}) không được sau năm nay" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_reward_changed_in_admin_goes_through_the_service(admin_client, reward):
    from tests.admin_battery.forms import form_data

    url = _admin_url(Reward, "change", reward.pk)
    data = form_data(admin_client.get(url).content.decode(), form_id="reward_form")
    data["decided_on"] = "01/01/1990"  # before the official (born 1985) turned 16
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "trước ngày cán bộ đủ 16 tuổi" in response.content.decode()
    reward.refresh_from_db()
    assert reward.decided_on == D(2021, 5, 1)
    data["name"] = "Huân chương Lao động hạng Ba"
    data["decided_on"] = "01/05/2021"
    assert admin_client.post(url, data).status_code == 302
    reward.refresh_from_db()
    assert reward.name == "Huân chương Lao động hạng Ba"


def test_an_inline_row_of_the_official_is_refused_by_the_service(admin_client, official):
    from tests.admin_battery.forms import form_data

    url = _admin_url(Official, "change", official.pk)
    data = form_data(admin_client.get(url).content.decode(), form_id="official_form")
    year = today().year + 1
    data.update(
        {
            "evaluations-TOTAL_FORMS": "1",
            "evaluations-0-year": str(year),
            "evaluations-0-rating": "good",
            "evaluations-0-official": str(official.pk),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert f"Năm đánh giá ({year}) không được sau năm nay" in response.content.decode()
    assert not Evaluation.objects.exists()
    data["evaluations-0-year"] = "2023"
    assert admin_client.post(url, data).status_code == 302
    assert Evaluation.objects.get().year == 2023


def test_an_inline_row_deleted_in_admin_is_deleted(admin_client, official, reward):
    from tests.admin_battery.forms import form_data

    url = _admin_url(Official, "change", official.pk)
    data = form_data(admin_client.get(url).content.decode(), form_id="official_form")
    data["rewards-0-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert not Reward.objects.exists()


def test_the_official_admin_records_the_leaving_day_through_the_service(admin_client, official):
    from tests.admin_battery.forms import form_data

    url = _admin_url(Official, "change", official.pk)
    page = admin_client.get(url).content.decode()
    assert 'name="left_on"' in page and 'name="photo"' not in page
    data = form_data(page, form_id="official_form")
    data["left_on"] = "30/06/2025"  # still "đang công tác": the service refuses
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Cán bộ đang công tác thì không có ngày thôi công tác" in response.content.decode()
    data["status"] = "retired"
    assert admin_client.post(url, data).status_code == 302
    official.refresh_from_db()
    assert official.left_on == D(2025, 6, 30)


def test_the_reward_changelist_costs_fixed_queries(admin_client, world, make_official):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for _ in range(n):
            holder = make_official(position=world.positions.a_deputy, planned=False)
            records.reward_create(
                official=holder, kind="merit", name="B", level="province", decided_on=D(2020, 1, 1)
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(_admin_url(Reward, "changelist"))
        assert response.status_code == 200
        return len(queries), len(response.context["cl"].result_list)

    add(2)
    admin_client.get(_admin_url(Reward, "changelist"))
    few, shown_few = count()
    add(5)
    many, shown_many = count()
    assert shown_many == shown_few + 5 and many == few
