import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from personnel.models import OrgUnit
from reports import exports, registry, services
from reports.choices import RunStatus


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Ngày không hợp lệ: {text} (cần dạng YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = "Chạy một báo cáo và in kết quả (JSON, CSV) hoặc ghi ra tệp (XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("report", help="Mã báo cáo, ví dụ rotation_summary.")
        parser.add_argument("--scope", required=True, help="Mã cơ quan, đơn vị (phạm vi báo cáo).")
        parser.add_argument("--from", dest="date_from", required=True, help="Từ ngày, YYYY-MM-DD.")
        parser.add_argument("--to", dest="date_to", required=True, help="Đến ngày, YYYY-MM-DD.")
        parser.add_argument("--format", choices=["json", "xlsx", "csv"], default="json")
        parser.add_argument("--output", help="Ghi ra tệp này thay vì in ra màn hình.")
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="TÊN=GIÁ_TRỊ",
            help="Tham số riêng của báo cáo.",
        )

    def handle(self, *args, report, scope, date_from, date_to, format, output, param, **options):
        try:
            registry.get(report)
        except ValidationError as error:
            known = ", ".join(d.code for d in registry.all_reports())
            raise CommandError(f"{error.messages[0]} Các báo cáo: {known}.") from error
        unit = OrgUnit.objects.filter(code=scope).first()
        if unit is None:
            raise CommandError(f"Không có cơ quan, đơn vị mã “{scope}”.")
        params = dict(item.split("=", 1) for item in param if "=" in item)
        try:
            run = services.report_run_now(
                report=report,
                scope=unit,
                date_from=_date(date_from),
                date_to=_date(date_to),
                params=params,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"Báo cáo lỗi: {run.error}")
        result = run.result
        if format == "json":
            content = json.dumps(result, ensure_ascii=False, indent=2)
        elif format == "csv":
            content = exports.to_csv(result)
        else:
            target = Path(output or exports.filename(result, "xlsx"))
            target.write_bytes(exports.run_xlsx(run))
            self.stderr.write(f"Đã ghi {target}")
            return
        if output:
            Path(output).write_text(content, encoding="utf-8")
            self.stderr.write(f"Đã ghi {output}")
        else:
            self.stdout.write(content)
