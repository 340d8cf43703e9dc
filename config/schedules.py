"""Periodic tasks, declared in one place.

They are created in django-celery-beat's tables after migrations if missing;
administrators then edit or disable them in Django admin (an edit is never
overwritten).
"""

SCHEDULES = [
    {
        "name": "Thi hành quyết định đến hạn và cảnh báo hằng ngày",
        "task": "rotation.tasks.apply_due_movements",
        "crontab": {"minute": "15", "hour": "1"},
        "description": "Thi hành các lượt điều chuyển đã đến ngày hiệu lực; cảnh báo sắp hết hạn, "
        "quá hạn, thiếu đánh giá, giữ chức vụ quá hai nhiệm kỳ.",
    },
    {
        "name": "Kiểm tra và dựng lại bảng tổng hợp luân chuyển",
        "task": "rotation.tasks.rebuild_movement_summary",
        "crontab": {"minute": "45", "hour": "1"},
        "description": "Tính lại bảng tổng hợp lượt điều chuyển (báo cáo tổng hợp luân chuyển, "
        "trang tổng quan) từ các lượt điều chuyển; ghi số dòng sai lệch nếu có.",
    },
    {
        "name": "Tiếp nhận lượt chạy báo cáo và lượt gửi thư bị treo",
        "task": "reports.tasks.sweep_report_runs",
        "crontab": {"minute": "*/5", "hour": "*"},
        "description": "Lượt chạy báo cáo hết hạn giữ (bộ xử lý nền bị mất) được xếp hàng tính "
        "lại, hoặc ghi lỗi sau nhiều lần; lượt gửi thư bị treo được ghi lỗi để gửi lại.",
    },
    {
        "name": "Xóa tệp xuất quá hạn",
        "task": "personnel.tasks.delete_expired_exports",
        "crontab": {"minute": "40", "hour": "*"},
        "description": "Xóa các tệp xuất lớn đã quá 24 giờ (mỗi giờ một lần, nên tệp không được "
        "giữ quá 25 giờ); ghi lỗi các lần xuất mà bộ xử lý nền đã dừng giữa chừng.",
    },
]


def ensure_schedules(**kwargs) -> None:
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for entry in SCHEDULES:
        if PeriodicTask.objects.filter(name=entry["name"]).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            **{"day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **entry["crontab"]},
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.create(
            name=entry["name"],
            task=entry["task"],
            crontab=crontab,
            description=entry["description"],
        )
