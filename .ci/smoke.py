"""Fetch the running embedded default: login page, admin login, officials list and history."""

import argparse
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

USERNAME, PASSWORD = "admin", "luanchuyen-demo"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--wait", type=int, default=120)
    args = parser.parse_args()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(path):
        with opener.open(args.base + path, timeout=30) as response:
            return response.status, response.read().decode()

    deadline = time.monotonic() + args.wait
    while True:
        try:
            status, body = get("/admin/login/")
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                print("the server did not answer in time")
                return 1
            time.sleep(2)
    check(status == 200 and "csrfmiddlewaretoken" in body, f"login page answered {status}")
    print("login page: 200")

    token = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode(
        {
            "username": USERNAME,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(args.base + "/admin/login/", data=form)
    request.add_header("Referer", args.base + "/admin/login/")
    with opener.open(request, timeout=30) as response:
        check("logout-form" in response.read().decode(), "the demo admin could not log in")
    print("demo admin logged in")

    started = time.monotonic()
    status, body = get("/admin/personnel/official/")
    elapsed = time.monotonic() - started
    rows = re.findall(r"/admin/personnel/official/(\d+)/change/", body)
    check(status == 200 and rows, f"officials list answered {status} with {len(rows)} rows")
    print(f"officials list: 200, {len(set(rows))} officials on the first page, {elapsed:.2f} s")

    status, body = get(f"/admin/personnel/official/{rows[0]}/change/")
    check(
        status == 200 and "postings-TOTAL_FORMS" in body, "official page lacks the postings inline"
    )
    status, body = get(f"/admin/personnel/official/{rows[0]}/history/")
    check(status == 200, f"history answered {status}")
    print("official page with postings inline and history: 200")

    # The staff pages, with the same session.
    for path, marker in (
        ("/", "stat-card"),
        ("/officials/", "/officials/"),
        ("/decisions/", "/decisions/"),
        ("/reports/", "rotation_summary"),
    ):
        started = time.monotonic()
        status, body = get(path)
        check(status == 200 and marker in body, f"{path} answered {status}")
        print(f"{path}: 200, {time.monotonic() - started:.2f} s")
    status, body = get("/accounts/login/")
    check(status == 200, f"staff login page answered {status}")
    return 0


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


if __name__ == "__main__":
    sys.exit(main())
