"""Requests per second of the officials list under gunicorn, against the minimal 25-row
list view (``bench/urls.py``) on the same server and data, with ``wrk`` on loopback.

    .venv/bin/python bench/throughput.py [--user bench-province] [--seconds 20]

Uses the database ``make bench`` left (BENCH_DATABASE_URL; run ``bench/run.py`` first)
and writes its section of bench/RESULTS.md. Needs ``wrk`` (``apt-get install wrk``).
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MARK = "<!-- throughput bench -->"
PORT = 8765
WORKERS = 2
CONNECTIONS = 16
PAGES = [
    ("minimal 25-row list view (the floor)", "/bench/minimal/"),
    ("officials list", "/officials/"),
    ("officials list, searched", "/officials/?q=tran+thi"),
    ("decisions list", "/decisions/"),
]
# Not the dashboard: a server cannot be run on the data's own day (30/09/2025), and on
# today's date the term is another one, with no snapshot (bench/run.py times it in
# process on that day).


def session_cookie(username: str) -> str:
    """A logged-in session of ``username``, made as the login view would."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.throughput_settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def wrk(url: str, cookie: str, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--user", default="bench-province")
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cadre_bench")
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.throughput_settings"}
    os.environ.update(env)
    cookie = session_cookie(args.user)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
         f"127.0.0.1:{PORT}", "--workers", str(WORKERS), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(1)
        rows = []
        for label, path in PAGES:
            request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                # A redirect (to the login page) would be counted as success by wrk.
                assert response.status == 200 and response.url == base + path, path
            wrk(base + path, cookie, 3)  # warm-up
            rows.append((label, path, wrk(base + path, cookie, args.seconds)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    floor = rows[0][2]["rps"]
    lines = [
        MARK,
        f"Throughput (`.venv/bin/python bench/throughput.py --user {args.user}`): gunicorn, "
        f"{WORKERS} sync workers, `wrk -t2 -c{CONNECTIONS} -d{args.seconds}s` on loopback, "
        "logged in, on the data above; the minimal view (`bench/urls.py`) is 25 officials of "
        "the scope through the same middleware and nothing else. Budget: the officials list "
        "≥ 50% of the minimal view's requests per second, p99 ≤ 150 ms.",
        "",
        "| page | URL | req/s | of the floor | p50, ms | p99, ms | non-2xx |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| {label} | `{path}` | {r['rps']:.0f} | {r['rps'] / floor:.0%} | {r['p50']:.0f} | "
            f"{r['p99']:.0f} | {r['errors']} |"
            for label, path, r in rows
        ],
        MARK,
    ]
    from bench.import_bench import write_section

    write_section(lines, MARK)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
