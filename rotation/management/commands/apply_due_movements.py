import datetime as dt

from django.core.management import BaseCommand, CommandError

from rotation import jobs


class Command(BaseCommand):
    help = (
        "Thi hành các lượt điều chuyển đã đến ngày hiệu lực và phát sinh cảnh báo (việc hằng ngày)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Chạy như vào ngày này (YYYY-MM-DD); mặc định hôm nay.")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"Ngày không hợp lệ: {date} (cần dạng YYYY-MM-DD).") from error
        result = jobs.apply_due_movements(today)
        self.stdout.write(f"Đã thi hành: {result.applied}; không thi hành được: {result.failed}.")
        for kind, count in sorted(result.alerts.items()):
            self.stdout.write(f"Cảnh báo mới {kind}: {count}")
