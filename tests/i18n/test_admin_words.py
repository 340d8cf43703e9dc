"""Admin says things in words (issue 16, item 3): schedules, dates, report titles and
parameters, record types, audit details, permissions and history values."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, PeriodicTask

from accounts.models import AuditEvent
from config import admin_display
from personnel.choices import Gender
from personnel.models import Official, TrainingRecord
from reports.delivery import subscription_save
from reports.models import ReportRun, Subscription
from rotation.models import Movement
from tests.factories import OfficialFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


def crontab(minute="0", hour="7", day_of_month="*", month_of_year="*", day_of_week="*", **kw):
    return CrontabSchedule.objects.create(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
        timezone=kw.get("timezone", "Asia/Ho_Chi_Minh"),
    )


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"day_of_month": "1"}, "Ngày 1 hằng tháng, lúc 07:00"),
        ({"day_of_week": "1"}, "Thứ Hai hằng tuần, lúc 07:00"),
        ({}, "Hằng ngày, lúc 07:00"),
        ({"minute": "15", "hour": "1"}, "Hằng ngày, lúc 01:15"),
        ({"minute": "*/5", "hour": "*"}, "Mỗi 5 phút"),
        ({"minute": "0", "hour": "8,20"}, "Hằng ngày, lúc 08:00, 20:00"),
        ({"minute": "30", "hour": "8", "day_of_week": "1-5"},
         "Thứ Hai, Thứ Ba, Thứ Tư, Thứ Năm, Thứ Sáu hằng tuần, lúc 08:30"),
        ({"day_of_week": "0,7"}, "Chủ nhật hằng tuần, lúc 07:00"),
        ({"day_of_month": "1,15"}, "Ngày 1, 15 hằng tháng, lúc 07:00"),
        ({"day_of_month": "1", "month_of_year": "1,7"}, "Ngày 1 tháng 1, 7, lúc 07:00"),
        ({"minute": "10", "hour": "*/2"}, "Mỗi 2 giờ, vào phút thứ 10"),
        ({"day_of_month": "1", "timezone": "UTC"}, "Ngày 1 hằng tháng, lúc 07:00 (múi giờ UTC)"),
    ],
)  # fmt: skip
def test_a_crontab_is_said_in_words(fields, words):
    schedule = crontab(**fields)
    assert admin_display.crontab_text(schedule) == words
    assert str(schedule) == words  # wherever admin names it: titles, selects, labels


def test_a_crontab_words_cannot_say_keeps_its_expression():
    schedule = crontab(day_of_month="1", day_of_week="1")  # cron: either one
    assert admin_display.crontab_text(schedule) == "Lịch riêng (crontab: 0 7 1 * 1)"


def test_a_one_off_schedule_is_said_with_a_local_time():
    clocked = ClockedSchedule.objects.create(
        clocked_time=dt.datetime(2025, 5, 1, 0, 30, tzinfo=ZoneInfo("UTC"))
    )
    assert str(clocked) == "Một lần, lúc 07:30 01/05/2025"


def test_dates_and_values_in_words():
    field = Official._meta.get_field("gender")
    assert admin_display.value_text(field, Gender.FEMALE) == str(Gender.FEMALE.label)
    birth = Official._meta.get_field("date_of_birth")
    assert admin_display.value_text(birth, dt.date(1978, 4, 12)) == "12/04/1978"
    assert admin_display.value_text(birth, None) == "—"
    assert admin_display.datetime_text(dt.date(2045, 3, 31)) == "31/03/2045"
    findings = Movement._meta.get_field("findings")  # JSON: no label to look up, no error
    assert admin_display.value_text(findings, [{"rule": "x"}]) == "[{'rule': 'x'}]"


def test_record_types_and_audit_details_in_words():
    assert admin_display.model_text("reports.ReportRun") == "Lượt chạy báo cáo"
    assert admin_display.model_text("personnel.Official") == "Cán bộ"
    assert admin_display.model_text("no.Such") == "no.Such"
    title = admin_display.report_title("rotation_summary")
    assert title != "rotation_summary"
    cases = {
        "admin": "Trang quản trị",
        "admin history": "Trang quản trị, lịch sử thay đổi",
        "admin history version 12": "Trang quản trị, phiên bản lịch sử số 12",
        "admin xlsx": "Trang quản trị, tải tệp Excel",
        "rotation_summary": title,
        "rotation_summary csv: a.csv": f"{title}, tải tệp CSV: a.csv",
        "rotation_summary: by_direction[0]": f"{title}, danh sách người của dòng 1 (bảng by_direction)",
        "decision_approved; unit=3; movements=2; recipients=4": (
            "Thư thông báo quyết định đã ban hành gửi đơn vị số 3: 2 lượt, 4 người nhận"
        ),
        "12 dòng, xlsx": "12 dòng, xlsx",
    }
    for detail, words in cases.items():
        assert admin_display.audit_detail_text(detail) == words


def test_report_parameters_in_words():
    text = admin_display.params_text("tenure_watchlist", {"months": 12})
    assert "months" not in text and "12" in text
    assert admin_display.params_text("tenure_watchlist", {}) == "—"


def test_permissions_in_words():
    official = ContentType.objects.get_for_model(Official)
    add = Permission.objects.get(content_type=official, codename="add_official")
    assert admin_display.permission_text(add) == "Hồ sơ cán bộ | Cán bộ | Thêm cán bộ"
    historical = ContentType.objects.get_for_model(Official.history.model)
    view = Permission.objects.get(content_type=historical, codename="view_historicalofficial")
    assert admin_display.permission_text(view).endswith("| Lịch sử cán bộ | Xem lịch sử cán bộ")


# --- admin pages -------------------------------------------------------------------------------


def test_official_page_shows_the_retirement_date_dd_mm_yyyy(admin_client):
    official = OfficialFactory(date_of_birth=dt.date(1985, 3, 10), gender=Gender.MALE)
    page = admin_client.get(reverse("admin:personnel_official_change", args=[official.pk]))
    assert official.retirement_date is not None
    assert official.retirement_date.strftime("%d/%m/%Y") in page.content.decode()
    assert official.retirement_date.isoformat() not in page.content.decode()


def test_subscription_list_shows_the_report_title_and_the_schedule_in_words(
    admin_client, superuser
):
    subscription_save(
        subscription=Subscription(
            name="Tổng hợp hằng tháng",
            report="rotation_summary",
            scope=OrgUnitFactory(),
            schedule=crontab(day_of_month="1"),
            created_by=superuser,
        ),
        recipients=[superuser],
    )
    page = admin_client.get(reverse("admin:reports_subscription_changelist")).content.decode()
    assert admin_display.report_title("rotation_summary") in page
    assert "Ngày 1 hằng tháng, lúc 07:00" in page
    assert "(m/h/dM/MY/d)" not in page
    assert ">rotation_summary<" not in page
    tasks = admin_client.get(reverse("admin:django_celery_beat_periodictask_changelist"))
    assert PeriodicTask.objects.filter(crontab__isnull=False).exists()
    assert "Ngày 1 hằng tháng, lúc 07:00" in tasks.content.decode()


def test_audit_list_names_record_types_and_yes_no_icons_in_words(admin_client, superuser):
    AuditEvent.objects.create(
        user=superuser, action=AuditEvent.Action.VIEW_REPORT, object_type=ReportRun._meta.label
    )
    page = admin_client.get(reverse("admin:accounts_auditevent_changelist")).content.decode()
    assert "Lượt chạy báo cáo" in page
    assert ">reports.ReportRun<" not in page  # (the filter's links keep it as their value)
    users = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert 'alt="Có"' in users
    assert 'alt="True"' not in users


@pytest.mark.parametrize("language", ["vi", "en"])
def test_admin_date_fields_show_and_accept_dd_mm_yyyy(rf, superuser, language):
    request = rf.get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[TrainingRecord]
    with translation.override(language):
        field = model_admin.formfield_for_dbfield(
            TrainingRecord._meta.get_field("start_date"), request
        )
        assert field.clean("05/03/2024") == dt.date(2024, 3, 5)
        assert 'value="05/03/2024"' in field.widget.render("start_date", dt.date(2024, 3, 5))


def test_login_lockout_clean_up_says_what_it_did_in_vietnamese(admin_client):
    attempt = AccessAttempt.objects.create(
        username="someone", ip_address="10.0.0.9", user_agent="x", failures_since_start=1
    )
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "cleanup_expired_attempts", "_selected_action": [attempt.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Đã dọn ") for m in messages), messages
