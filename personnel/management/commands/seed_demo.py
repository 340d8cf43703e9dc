"""``manage.py seed_demo [--seed N]``: a realistic demo province (Hà Tĩnh), once."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from personnel.demo.persist import demo_exists, persist_plan
from personnel.demo.plan import DEFAULT_OFFICIALS, build_plan
from personnel.signals import demo_seeded


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # Vietnamese thousands separator


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu: tỉnh Hà Tĩnh với đơn vị hành chính, cơ quan, chức danh, khoảng "
        "2.000 cán bộ và quá trình công tác từ 2012. Chạy lại không tạo thêm."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên (mặc định 2025)."
        )
        parser.add_argument(
            "--officials",
            type=int,
            default=DEFAULT_OFFICIALS,
            help="Số cán bộ (mặc định 2000).",
        )

    def handle(self, *args, seed: int, officials: int, **options):
        started = time.monotonic()
        with transaction.atomic():
            if demo_exists():
                self.stdout.write("Dữ liệu mẫu đã có, không tạo thêm.")
                return
            today = timezone.localdate()
            plan = build_plan(seed, today, officials)
            counts = persist_plan(plan)
            demo_seeded.send(sender=self.__class__, seed=seed, today=today, stdout=self.stdout)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo dữ liệu mẫu (seed {seed}) trong {seconds:.1f} giây: "
                f"{_n(counts['localities'])} đơn vị hành chính, "
                f"{_n(counts['units'])} cơ quan, đơn vị, "
                f"{_n(counts['positions'])} chức danh, "
                f"{_n(counts['officials'])} cán bộ, "
                f"{_n(counts['postings'])} quá trình công tác, "
                f"{_n(counts['trainings'])} đào tạo, bồi dưỡng, "
                f"{_n(counts['evaluations'])} kết quả đánh giá, "
                f"{_n(counts['planning'])} lượt quy hoạch."
            )
        )
