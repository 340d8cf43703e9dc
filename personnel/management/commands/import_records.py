"""Import records from an Excel workbook in the template's layout.

    manage.py import_records FILE.xlsx --user USERNAME [--dry-run]

Prints what each sheet would create, update or leave unchanged, and every error with its
sheet, row and column. A file with any error changes nothing (exit code 1); ``--dry-run``
checks and prints without writing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from personnel.imports.services import import_data
from personnel.models_imports import ImportStatus


class Command(BaseCommand):
    help = "Nhập hồ sơ cán bộ từ tệp Excel theo mẫu nhập (kiểm tra trước, có lỗi thì không ghi gì)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx theo mẫu nhập")
        parser.add_argument(
            "--user",
            required=True,
            help="Tên đăng nhập của người nhập (vai trò chuyên viên trở lên)",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(
                _("Không có người dùng “%(name)s”.") % {"name": options["user"]}
            ) from None
        try:
            outcome, record = import_data(
                data=path.read_bytes(), file_name=path.name, user=user, dry_run=options["dry_run"]
            )
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        if outcome.plan is not None:
            for key, counted in outcome.plan.counts().items():
                title = outcome.plan.sheet_titles.get(key, key)
                self.stdout.write(
                    _(
                        "%(sheet)s: %(created)d thêm mới, %(updated)d cập nhật, %(unchanged)d không đổi"
                    )
                    % {"sheet": title, **counted}
                )
        messages = self._errors(outcome)
        if record is not None and record.status == ImportStatus.FAILED:
            messages.append(record.error_message)
        if messages:
            for message in messages:
                self.stderr.write(message)
            raise CommandError(
                _("Tệp có %(n)d lỗi; không có thay đổi nào được ghi.") % {"n": len(messages)}
            )
        if options["dry_run"]:
            self.stdout.write(_("Chạy thử: không ghi gì."))
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Đã nhập (lần nhập #%(id)d).") % {"id": record.pk})
            )

    @staticmethod
    def _errors(outcome) -> list[str]:
        if outcome.rejected is not None:
            return outcome.rejected.messages
        if outcome.plan is None:
            return []
        lines = []
        for error in outcome.plan.errors:
            where = error.sheet
            if error.row is not None:
                where += _(", dòng %(row)d") % {"row": error.row}
            if error.column:
                where += f", {error.column}"
            lines.append(f"{where}: {error.message}")
        return lines
