"""Excel import throughput: rows per second with full validation, then with the writes.

    DATABASE_URL=postgres://… .venv/bin/python bench/import_bench.py [--officials 20000]

Builds a workbook of N officials, N postings and N evaluations in the template layout,
then times reading + checking every row (the preview), applying it (bulk writes with
history), and importing it again (every row unchanged). Everything runs in one
transaction that is rolled back: the database is left as it was (it must be migrated).
The budget (DESIGN.md): ≥ 10,000 rows/s with full validation.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Rollback(Exception):
    pass


def workbook(officials: int, units: list[str]) -> bytes:
    from openpyxl import Workbook

    from personnel.imports.columns import SHEETS_BY_KEY

    book = Workbook(write_only=True)

    def sheet(key, rows):
        spec = SHEETS_BY_KEY[key]
        ws = book.create_sheet(spec.name)
        fields = [column.field for column in spec.columns]
        ws.append([column.header_text for column in spec.columns])
        for values in rows:
            ws.append([values.get(name) for name in fields])

    sheet(
        "officials",
        (
            {
                "code": f"BENCH{n:07d}",
                "full_name": f"Nguyễn Văn Thử {n}",
                "gender": "Nam",
                "date_of_birth": f"{n % 28 + 1:02d}/{n % 12 + 1:02d}/{1970 + n % 25}",
                "education_level": "Đại học",
                "political_theory": "Trung cấp",
            }
            for n in range(officials)
        ),
    )
    sheet(
        "postings",
        (
            {
                "official": f"BENCH{n:07d}",
                "unit": units[n % len(units)],
                "title": "Chuyên viên",
                "start_date": "01/03/2016",
            }
            for n in range(officials)
        ),
    )
    sheet(
        "evaluations",
        (
            {"official": f"BENCH{n:07d}", "year": 2024, "rating": "Hoàn thành tốt nhiệm vụ"}
            for n in range(officials)
        ),
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def setup_world():
    from accounts.choices import Role
    from accounts.models import User
    from personnel.choices import Level
    from personnel.models import OrgUnit, Sector

    sector, _ = Sector.objects.get_or_create(code="bench", defaults={"name": "Bench"})
    root = OrgUnit.objects.create(
        code="BENCH-ROOT", name="Tỉnh ủy Bench", level=Level.PROVINCE, sector=sector
    )
    codes = []
    for n in range(50):
        unit = OrgUnit.objects.create(
            code=f"BENCH-U{n:03d}",
            name=f"Đơn vị {n}",
            level=Level.DISTRICT,
            sector=sector,
            parent=root,
        )
        codes.append(unit.code)
    user = User.objects.create(username="bench-importer", scope=root, role=Role.OFFICER)
    return user, codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--officials", type=int, default=20_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from personnel.imports.apply import apply_plan
    from personnel.imports.engine import build_plan
    from personnel.imports.reader import read_workbook

    print(f"database: {connection.vendor}, officials: {args.officials:,}")
    try:
        with transaction.atomic():
            user, units = setup_world()
            started = time.perf_counter()
            data = workbook(args.officials, units)
            print(
                f"workbook built: {len(data) / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s"
            )
            rows = 3 * args.officials

            started = time.perf_counter()
            result = read_workbook(data)
            read = time.perf_counter() - started
            plan = build_plan(result, user=user)
            checked = time.perf_counter() - started
            assert plan.ok, plan.errors[:5]
            print(f"read:              {rows / read:>10,.0f} rows/s ({read:.2f} s)")
            print(
                f"read + check:      {rows / checked:>10,.0f} rows/s ({checked:.2f} s)  <- budget 10,000"
            )
            print(f"  check only:      {rows / (checked - read):>10,.0f} rows/s")

            started = time.perf_counter()
            apply_plan(plan, user=user, reason="bench")
            applied = time.perf_counter() - started
            print(f"apply (writes):    {rows / applied:>10,.0f} rows/s ({applied:.2f} s)")

            started = time.perf_counter()
            again = build_plan(read_workbook(data), user=user)
            second = time.perf_counter() - started
            assert again.totals()["created"] == 0 and again.totals()["updated"] == 0
            print(
                f"re-import check:   {rows / second:>10,.0f} rows/s ({second:.2f} s), all unchanged"
            )
            raise Rollback
    except Rollback:
        print("rolled back: nothing kept")


if __name__ == "__main__":
    main()
