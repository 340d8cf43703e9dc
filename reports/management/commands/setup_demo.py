"""Prepare a demo installation: demo data if the database is empty, and a demo admin.

It lives in ``reports``, the app at the top of the dependency order (reports → rotation →
personnel → accounts), because it creates something of each: users, records, a
subscription.

Only in demo mode (``DEMO=1``, which ``make run`` sets): the demo users' password is
published in the README, so a deployment must never get them by accident.
"""

import os

from django.conf import settings
from django.core.management import BaseCommand, call_command

from accounts.choices import Role
from accounts.models import User
from personnel.models import Official, OrgUnit


class Command(BaseCommand):
    help = "Chỉ khi DEMO=1: nạp dữ liệu mẫu nếu cơ sở dữ liệu trống và tạo tài khoản quản trị mẫu."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên của dữ liệu mẫu."
        )

    def handle(self, *args, seed, **options):
        if os.environ.get("DEMO") != "1":
            self._refuse()
            return
        if Official.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có hồ sơ cán bộ: không nạp dữ liệu mẫu.")
        else:
            call_command("seed_demo", seed=seed, stdout=self.stdout)
        username, password = settings.DEMO_ADMIN_USERNAME, settings.DEMO_ADMIN_PASSWORD
        admin, created = User.objects.get_or_create(
            username=username,
            defaults={"is_staff": True, "is_superuser": True, "role": Role.ADMINISTRATOR},
        )
        if created:
            admin.set_password(password)
            admin.email = settings.DEMO_ADMIN_EMAIL
            admin.save(update_fields=["password", "email"])
        self._create_scoped_demo_users(password)
        self._create_demo_subscription(admin)
        self.stdout.write(self.style.SUCCESS("Tài khoản quản trị mẫu:"))
        self.stdout.write(f"  tên đăng nhập: {username}")
        self.stdout.write(
            f"  mật khẩu:      {password}"
            if created or admin.check_password(password)
            else "  mật khẩu:      (đã được đổi, giữ nguyên)"
        )

    def _refuse(self) -> None:
        self.stdout.write(
            self.style.WARNING(
                "Không tạo dữ liệu mẫu và người dùng mẫu: biến môi trường DEMO=1 chưa được đặt "
                "(người dùng mẫu có mật khẩu công khai, chỉ dùng để chạy thử)."
            )
        )
        self.stdout.write(
            "Tạo tài khoản quản trị đầu tiên bằng lệnh: python manage.py createsuperuser\n"
            "Chạy thử với dữ liệu mẫu: DEMO=1 python manage.py setup_demo"
        )

    def _create_demo_subscription(self, admin: User) -> None:
        """A monthly rotation summary emailed to the demo admin (sent mail lands in var/mail)."""
        from django_celery_beat.models import CrontabSchedule

        from reports.delivery import subscription_save
        from reports.models import Subscription
        from reports.periods import PeriodRule

        root = OrgUnit.objects.filter(parent=None).order_by("path").first()
        if (
            root is None
            or Subscription.objects.filter(report="rotation_summary", scope=root).exists()
        ):
            return
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute="0",
            hour="7",
            day_of_month="1",
            month_of_year="*",
            day_of_week="*",
            timezone=settings.TIME_ZONE,
        )
        subscription = Subscription(
            name="Tổng hợp luân chuyển cán bộ hằng tháng",
            report="rotation_summary",
            scope=root,
            period_rule=PeriodRule.THIS_TERM_TO_DATE,
            schedule=schedule,
            created_by=admin,
        )
        subscription_save(subscription=subscription, recipients=[admin])
        self.stdout.write(
            f"  đăng ký báo cáo mẫu: “{subscription.name}” gửi {admin.email} (Quản trị › Đăng ký nhận báo cáo › Gửi ngay)"
        )

    def _create_scoped_demo_users(self, password: str) -> None:
        """One officer per level, to show how scope limits what a user sees."""
        root = OrgUnit.objects.filter(parent=None).order_by("path").first()
        # The first unit under the province that exists today: a commune since the district
        # level ended on 1/7/2025 (a district before).
        local = (
            OrgUnit.objects.current()
            .filter(parent=root, level__in=["district", "commune"])
            .order_by("path")
            .first()
        )
        for username, unit, role in (
            ("canbo.tinh", root, Role.APPROVER),
            ("canbo.xa", local, Role.OFFICER),
        ):
            if unit is None or User.objects.filter(username=username).exists():
                continue
            user = User(username=username, is_staff=True, scope=unit, role=role)
            user.set_password(password)
            user.save()
            self.stdout.write(
                f"  người dùng mẫu {username} (phạm vi: {unit}, vai trò: {user.get_role_display()})"
            )
