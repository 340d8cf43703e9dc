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
from unittest import mock

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


def vacuum_analyze() -> None:
    """Statistics and the visibility map as a database that has lived (autovacuum would
    have run): timing right after a bulk load measures dead tuples and guesses."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed_sql(sql: str, params=(), runs: int = 5) -> float:
    """The median time of hand-written SQL (fetched whole), after a warm-up."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return timed_call(run, runs)


#: The officials list's rows as one would write them by hand: the page's 25 rows with their
#: unit and whether each serves a rotation, and the capped count; {scope} is "" (everyone)
#: or a condition on the current unit's path.
OFFICIALS_SQL = """
WITH page AS (
  SELECT o.id, o.code, o.full_name, o.gender, o.date_of_birth, o.status, o.search_key,
         u.name, p.title
  FROM personnel_official o
  LEFT JOIN personnel_orgunit u ON u.id = o.current_unit_id
  LEFT JOIN personnel_posting p ON p.id = o.current_posting_id
  {scope}
  ORDER BY o.search_key, o.id LIMIT 25)
SELECT page.*,
       EXISTS (SELECT 1 FROM rotation_movement m
               JOIN rotation_decision d ON d.id = m.decision_id AND d.status = 'approved'
               WHERE m.official_id = page.id AND m.kind = 'rotation'
                 AND m.applied_at IS NOT NULL AND m.ended_on IS NULL)
FROM page ORDER BY page.search_key, page.id
"""
COUNT_SQL = """
SELECT count(*) FROM (
  SELECT 1 FROM personnel_official o
  LEFT JOIN personnel_orgunit u ON u.id = o.current_unit_id {scope} LIMIT 10001) s
"""


#: rotation_summary's figures from the movements in one statement, as one would write it:
#: cadres (distinct) and movements by kind, direction and tier in the scope and period.
SUMMARY_SQL = """
WITH units AS (SELECT id FROM personnel_orgunit WHERE path LIKE %(path)s || '%%')
SELECT m.kind, m.direction, m.management_tier,
       count(DISTINCT m.official_id) AS cadres, count(*) AS movements
FROM rotation_movement m JOIN rotation_decision d ON d.id = m.decision_id
WHERE d.status = 'approved' AND m.effective_on BETWEEN %(start)s AND %(end)s
  AND (d.issued_by_id IN (SELECT id FROM units) OR m.to_unit_id IN (SELECT id FROM units)
       OR m.from_unit_id IN (SELECT id FROM units))
GROUP BY GROUPING SETS ((m.kind), (m.kind, m.direction), (m.kind, m.management_tier),
                        (m.management_tier), ())
"""


def officials_sql_ms(path: str | None) -> float:
    scope = "" if path is None else "WHERE u.path LIKE %s"
    params = () if path is None else (path + "%",)
    return timed_sql(OFFICIALS_SQL.format(scope=scope), params) + timed_sql(
        COUNT_SQL.format(scope=scope), params
    )


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
    parser.add_argument(
        "--skip-import",
        action="store_true",
        help="keep the import section of bench/RESULTS.md as it is (bench/import_bench.py)",
    )
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    if not args.keep:
        recreate_database(url)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from accounts.choices import Role
    from accounts.models import User
    from bench import generate
    from personnel.models import Official, OrgUnit, Posting
    from reports import registry
    from reports.definitions.rotation_summary import live_figures, summary_figures
    from rotation.models import Decision, Movement, MovementSummaryStatus
    from rotation.summary import summary_rebuild

    scale = generate.Scale(args.officials)
    generated = "an earlier run; this one used --keep"
    call_command("migrate", verbosity=0)
    if not args.keep:
        started = time.perf_counter()
        generate.generate(scale)
        generated = f"{time.perf_counter() - started:.0f} s"
        # Written past the services (INSERT … SELECT): the summary is rebuilt, not "drifted".
        MovementSummaryStatus.objects.update(stale_since=dt.datetime.now(dt.UTC))
    # The nightly check: the summary rebuilt from the movements (built here the first time).
    started = time.perf_counter()
    drift = summary_rebuild()
    rebuilt = f"{time.perf_counter() - started:.0f} s, drift {drift}"
    vacuum_analyze()
    # Not setup_test_environment(): its instrumented template rendering (for the test
    # client's response.context) would be timed too. Only the test client's host is added.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
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
    provincial, _ = User.objects.get_or_create(
        username="bench-province", defaults={"scope": province, "role": Role.OFFICER}
    )
    as_admin, as_local, as_province = Client(), Client(), Client()
    as_admin.force_login(admin)
    as_local.force_login(local)
    as_province.force_login(provincial)
    clients = {"superuser": as_admin, "province": as_province, "district": as_local}
    official = Official.objects.filter(current_unit=district).first()
    decision = Decision.objects.order_by("id").first()

    pages = []
    for who in ("superuser", "province", "district"):
        pages += [
            (who, "/officials/"),
            (who, "/officials/?q=nguyen+van"),  # common words
            (who, "/officials/?q=tran+thi"),
            (who, "/officials/?q=vu+vinh"),  # late in the alphabet
            (who, "/officials/?sort=-date_of_birth&page=200"),
            (who, "/decisions/"),
            (who, "/"),
        ]
    pages += [
        ("superuser", f"/officials/?unit={district.pk}"),
        ("superuser", "/officials/?rotated=1"),
        ("district", f"/officials/{official.pk}/"),
        ("superuser", f"/decisions/{decision.pk}/"),
        ("superuser", f"/?scope={root.pk}"),
        ("superuser", "/units/"),
        ("superuser", f"/units/{district.pk}/"),
    ]
    #: the same rows by hand, in the same run, for the ratio
    by_hand = {
        ("superuser", "/officials/"): officials_sql_ms(None),
        ("province", "/officials/"): officials_sql_ms(province.path),
        ("district", "/officials/"): officials_sql_ms(district.path),
    }
    # The pages are timed on the data's own day: the last day of the term the generated
    # movements fill (01/10/2020 – 30/09/2025), after the daily job (its snapshot of the
    # dashboard's serving figures, timed here too).
    from rotation.snapshots import snapshot_take

    with mock.patch("django.utils.timezone.localdate", return_value=generate.today()):
        started = time.perf_counter()
        snapshot_take(generate.today())
        snapshot = f"{time.perf_counter() - started:.1f} s"
        rows = []
        for who, url in pages:
            ms, queries = timed(clients[who], url)
            rows.append((who, url, ms, queries, by_hand.get((who, url))))

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
        # The summary must give what the movements give, at this size too.
        assert summary_figures(context) == live_figures(context), label
        ms = timed_call(lambda context=context: definition.compute(context))
        live = timed_call(lambda context=context: live_figures(context), runs=3)
        hand = timed_sql(SUMMARY_SQL, {"path": scope.path, "start": term[0], "end": term[1]}, 3)
        report_rows.append((label, ms, live, hand))

    from bench import import_bench

    results = ROOT / "bench" / "RESULTS.md"
    if args.skip_import:
        text = results.read_text(encoding="utf-8") if results.exists() else ""
        kept = text.split(import_bench.MARK)
        section = [import_bench.MARK + kept[1] + import_bench.MARK] if len(kept) == 3 else []
    else:
        section = import_bench.section(import_bench.measure(args.import_officials, repeat=3),
                                       "make bench")  # fmt: skip
    write_results(
        args,
        scale,
        counts,
        generated,
        rows,
        report_rows,
        f"{rebuilt}; the daily snapshot took {snapshot}",
    )
    if section:
        import_bench.write_section(section)


LIST_PAGES = ("/officials/", "/decisions/")


LIST_BUDGET_MS, SEARCH_BUDGET_MS, DASHBOARD_BUDGET_MS = 30, 60, 100


def _mark(url: str, ms: float) -> str:
    """List pages, searches and the dashboard have a budget; other pages are for reference."""
    path = url.split("?")[0]
    if path == "/":
        budget = DASHBOARD_BUDGET_MS
    elif path in LIST_PAGES:
        budget = SEARCH_BUDGET_MS if "q=" in url else LIST_BUDGET_MS
    else:
        return ""
    return "✓" if ms <= budget else "✗"


def _ratio(ms: float, by_hand: float | None) -> str:
    return "" if by_hand is None else f"{by_hand:.1f} | {ms / by_hand:.1f}×"


def write_results(args, scale, counts, generated, rows, report_rows, rebuilt) -> None:
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
        "Times are server times in process (Django test client), median of 5 runs after a "
        'warm-up, after `VACUUM ANALYZE`; "by hand" is the hand-written SQL for the same rows '
        "(bench/run.py, `OFFICIALS_SQL` and `COUNT_SQL`) in the same run, and the ratio.",
        "Budget (shared DESIGN.md, at this scale): list pages ≤ 30 ms with a fixed number of "
        "queries, name search ≤ 60 ms, dashboard ≤ 100 ms; a term report ≤ 50 ms. "
        "Rows over budget are marked ✗. Pages are timed on the data's own day, 30/09/2025, "
        "the last day of the term the movements fill (so the dashboard is at the end of a "
        "term with applied movements), after the daily job's snapshot.",
        "",
        "| user | page | ms | queries | by hand, ms | ratio | |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
        *[
            f"| {who} | `{url}` | {ms:.0f} | {queries} | "
            f"{_ratio(ms, by_hand) or ' | '} | {_mark(url, ms)} |"
            for who, url, ms, queries, by_hand in rows
        ],
        "",
        "Report `rotation_summary`, one term (01/10/2020 – 30/09/2025), computed in process "
        "from the maintained summary (budget 50 ms); the live computation from the movements "
        "(`live_figures`, what a scope below the district level and the nightly check use) "
        "beside the hand-written single statement for the same figures (`SUMMARY_SQL`, "
        "budget ≤ 1.3×). The run checks that both give the same figures. "
        f"The nightly rebuild and check of the summary took {rebuilt}.",
        "",
        "| scope | from the summary, ms | | live, ms | by hand, ms | ratio |",
        "| --- | ---: | --- | ---: | ---: | ---: |",
        *[
            f"| {label} | {ms:.1f} | {'✓' if ms <= 50 else '✗'} | {live:.0f} | {hand:.0f} | "
            f"{live / hand:.1f}× |"
            for label, ms, live, hand in report_rows
        ],
        "",
    ]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
