"""``make bench``: generate scale data in PostgreSQL and time the pages and reports.

    .venv/bin/python bench/run.py [--officials 1000000] [--keep]

Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cadre_bench): the
database is dropped and created anew. Times are server times measured in process
with Django's test client (median of several runs after a warm-up), written with
the query counts to bench/RESULTS.md.
"""

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cadre_bench"


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(client, url: str, runs: int = 5) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(ctx.captured_queries)


def timed_call(func, runs: int = 5) -> float:
    func()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officials", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the data of the last run")
    parser.add_argument(
        "--import-officials",
        type=int,
        default=100_000,
        help="officials in the workbook of the Excel import benchmark",
    )
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    if not args.keep:
        recreate_database(url)
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.choices import Role
    from accounts.models import User
    from bench import generate
    from personnel.models import Official, OrgUnit, Posting
    from reports import registry
    from rotation.models import Decision, Movement

    scale = generate.Scale(args.officials)
    generated = "an earlier run; this one used --keep"
    call_command("migrate", verbosity=0)
    if not args.keep:
        started = time.perf_counter()
        generate.generate(scale)
        generated = f"{time.perf_counter() - started:.0f} s"
    setup_test_environment()
    counts = {
        "officials": Official.objects.count(),
        "postings": Posting.objects.count(),
        "decisions": Decision.objects.count(),
        "movements": Movement.objects.count(),
        "units": OrgUnit.objects.count(),
    }
    root = OrgUnit.objects.get(code="B")
    province = OrgUnit.objects.get(code="B0")
    district = OrgUnit.objects.get(code="B0.3")
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    local, _ = User.objects.get_or_create(
        username="bench-district", defaults={"scope": district, "role": Role.OFFICER}
    )
    as_admin, as_local = Client(), Client()
    as_admin.force_login(admin)
    as_local.force_login(local)
    official = Official.objects.filter(current_unit=district).first()
    decision = Decision.objects.order_by("id").first()

    rows = []
    for who, client, url in [
        ("superuser", as_admin, "/officials/"),
        ("superuser", as_admin, "/officials/?q=nguyen+van+an"),
        ("superuser", as_admin, "/officials/?sort=-date_of_birth&page=200"),
        ("superuser", as_admin, f"/officials/?unit={district.pk}"),
        ("superuser", as_admin, "/officials/?rotated=1"),
        ("district", as_local, "/officials/"),
        ("district", as_local, "/officials/?q=tran+thi"),
        ("district", as_local, f"/officials/{official.pk}/"),
        ("superuser", as_admin, "/decisions/"),
        ("superuser", as_admin, f"/decisions/{decision.pk}/"),
        ("district", as_local, "/decisions/"),
        ("superuser", as_admin, f"/?scope={root.pk}"),
        ("district", as_local, "/"),
        ("superuser", as_admin, "/units/"),
        ("superuser", as_admin, f"/units/{district.pk}/"),
    ]:
        ms, queries = timed(as_admin if who == "superuser" else client, url)
        rows.append((who, url, ms, queries))

    definition = registry.get("rotation_summary")
    term = (dt.date(2020, 10, 1), dt.date(2025, 9, 30))
    report_rows = []
    for label, scope in [
        ("whole country", root),
        ("one province", province),
        ("one district", district),
    ]:
        context = registry.Context(
            scope, *term, definition.clean_params({}), today=generate.today()
        )
        ms = timed_call(lambda context=context: definition.compute(context))
        report_rows.append((label, ms))

    from bench import import_bench

    imported = import_bench.measure(args.import_officials, repeat=3)
    write_results(args, scale, counts, generated, rows, report_rows)
    import_bench.write_section(import_bench.section(imported, "make bench"))


LIST_PAGES = ("/officials/", "/decisions/")


def _mark(url: str, ms: float) -> str:
    """List pages have a budget; other pages are shown for reference."""
    if url.split("?")[0] not in LIST_PAGES:
        return ""
    return "✓" if ms <= 50 else "✗"


def write_results(args, scale, counts, generated, rows, report_rows) -> None:
    try:
        pg = subprocess.run(
            ["psql", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        pg = "PostgreSQL"
    lines = [
        "# Benchmark results",
        "",
        f"Command: `make bench` (`.venv/bin/python bench/run.py --officials {args.officials}`), "
        f"{dt.datetime.now(dt.UTC):%d/%m/%Y}, on {os.cpu_count()} cores, Python {platform.python_version()}, {pg}.",
        "",
        "Data: "
        + ", ".join(f"{n:,} {what}" for what, n in counts.items())
        + f" (generated in {generated}).",
        "Times are server times in process (Django test client), median of 5 runs after a warm-up.",
        "Budget (shared DESIGN.md, at this scale): list pages ≤ 50 ms with a fixed number of queries;",
        "a term report by direction ≤ 300 ms. Rows over budget are marked ✗.",
        "",
        "| user | page | ms | queries | |",
        "| --- | --- | ---: | ---: | --- |",
        *[
            f"| {who} | `{url}` | {ms:.0f} | {queries} | {_mark(url, ms)} |"
            for who, url, ms, queries in rows
        ],
        "",
        "Report `rotation_summary`, one term (01/10/2020 – 30/09/2025), computed in process:",
        "",
        "| scope | ms | |",
        "| --- | ---: | --- |",
        *[f"| {label} | {ms:.0f} | {'✓' if ms <= 300 else '✗'} |" for label, ms in report_rows],
        "",
    ]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
