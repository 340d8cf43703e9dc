"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

No browser is downloaded: Chromium comes from the system (``apt-get install chromium``).
Without it these tests skip visibly; CI sets ``E2E_REQUIRED=1`` so that they cannot.
"""

import os
from pathlib import Path

import pytest

from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the test
# makes between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


CSP_VIOLATION = ("Content Security Policy", "Content-Security-Policy", "Refused to")


def _open_page(browser, viewport):
    """A fresh page; the test fails if the browser reports any Content-Security-Policy violation."""
    context = browser.new_context(viewport=viewport, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(15_000)
    opened = context.new_page()
    violations = []

    def collect(message):
        if any(marker in message.text for marker in CSP_VIOLATION):
            violations.append(f"{opened.url}: {message.text}")

    opened.on("console", collect)
    yield opened
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(browser):
    yield from _open_page(browser, {"width": 1366, "height": 900})


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_page(browser):
    """The same at a phone's width (390 × 844 CSS pixels)."""
    yield from _open_page(browser, PHONE)


@pytest.fixture
def screenshot(page):
    """screenshot("name") saves a full-page PNG under tests/artifacts/screenshots/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
