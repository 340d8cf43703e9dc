"""Every admin and staff page in Vietnamese, dates dd/mm/yyyy (issue 16, items 2 and 3).

A superuser whose language is Vietnamese opens every URL pattern of the project, filled
with real objects by the access matrix's fillers (tests/accounts): every admin changelist,
add, change, delete, history and version page of each registered model, every staff page,
and the login pages. The visible text (text nodes, and the ``aria-label``, ``title``,
``placeholder`` and ``alt`` attributes and button labels, scripts and styles left out)
must hold none of the English phrases users found or that Django and the packages
(django-celery-beat, django-simple-history, django-axes) write, and no ISO date.

The catalogues: every English msgid of ``locale/vi`` is translated and none is fuzzy; the
compiled ``.mo`` matches the ``.po``; every msgid of Django's admin, auth, sessions,
content types and core catalogues and of the packages' catalogues has a Vietnamese
translation; and ``locale/en`` has no untranslated or fuzzy entry.
"""

import gettext
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import axes
import django
import django_celery_beat
import django_filters
import pytest
import simple_history
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.translation import trans_real

from accounts.models import User
from tests.accounts.matrix_support import build_world, walk_urlconf
from tests.accounts.test_access_matrix import EXEMPT, UnknownPattern, get_targets
from tests.i18n.catalogues import read_po

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"

# English seen on the pages before the Vietnamese catalogue covered them, whole phrases.
KNOWN_ENGLISH = (
    # Django admin
    "Skip to main content",
    "Toggle theme",
    "Show counts",
    "Hide counts",
    "Please correct the error below.",
    "Please correct the errors below.",
    "Breadcrumbs",
    "Sidebar",
    "Toggle navigation",
    "Filter navigation items",
    "Start typing to filter",
    "Select all objects on this page for an action",
    "Select this object for an action",
    "Model name",
    "Add link",
    "Change or view list link",
    "Site administration",
    "Django administration",
    "Recent actions",
    "My actions",
    "Welcome",
    "View site",
    "Documentation",
    "Change password",
    "Log out",
    "Home",
    "Add",
    "Change",
    "Delete",
    "Save",
    "Save and continue editing",
    "Save and add another",
    "History",
    "Filter",
    "Search",
    "Clear all filters",
    "Show all",
    "Go",
    "Action:",
    "Date/time",
    "Are you sure?",
    "True",
    "False",
    # users and groups
    "Reset password",
    "Set password",
    "Password-based authentication",
    "Enabled",
    "Disabled",
    "Raw passwords are not stored",
    "If disabled, the current password for this user will be lost.",
    "After you’ve created a user",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "historical",
    "Sessions",
    # django-celery-beat
    "Periodic Tasks",
    "Periodic tasks",
    "Periodic task",
    "Clocked",
    "Crontab",
    "Crontabs",
    "Intervals",
    "Solar events",
    "Solar event",
    "Task Name",
    "Task (registered)",
    "Task (custom)",
    "Human readable",
    "Enable selected tasks",
    "Run selected tasks",
    "Last Run Datetime",
    "Start Datetime",
    "Keyword Arguments",
    "Positional Arguments",
    "Execution Options",
    "every day",
    "(m/h/dM/MY/d)",
    "Sunrise",
    # django-simple-history
    "Choose a date from the list below",
    "Object",
    "Comment",
    "Changed by",
    "Change reason",
    "Changes",
    "Created",
    "Changed",
    "Deleted",
    "None",
    "Revert",
    "entries",
    "Press the 'Revert' button",
    # django-axes
    "Axes",
    "Access attempts",
    "Access logs",
    "Access failures",
    "Attempted Access",
    "Access Log for",
    "Failed access",
    "Attempt Remaining",
    "Locked Out",
    "Status",
    "IP Address",
    "User Agent",
    "Username",
    "Attempt Time",
    # the audit list's and reports' internal names
    "reports.ReportRun",
    "personnel.Official",
    "rotation_summary",
    "tenure_watchlist",
)
PHRASES = [
    (phrase, re.compile(rf"(?<![\w.]){re.escape(phrase)}(?![\w])")) for phrase in KNOWN_ENGLISH
]
ISO_DATE = re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w-])")
CHECKED_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

# URL patterns not rendered, each with its reason (the access matrix still requests them).
NOT_PAGES = {
    "admin:autocomplete": "JSON of the rows a select offers: data only",
    "admin:view_on_site": "a redirect to a page checked anyway",
    "admin_view_on_site_scoped": "a redirect to a page checked anyway",
    "admin:<catch_all>": "a redirect to a page checked anyway",
    "official_export": "a spreadsheet download",
    "official_export_download": "a spreadsheet download",
    "record_import_template": "a spreadsheet download",
    "record_import_errors": "a spreadsheet download",
    "decision_export": "a spreadsheet download",
    "report_run_download": "a spreadsheet download",
}
NOT_PAGE_SUFFIXES = {"redirect", "download"}
# Admin pages of one object: one object of each model is enough (the same template).
ONE_OBJECT_SUFFIXES = {"change", "delete", "history", "simple_history", "password"}


class VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes (no scripts, no styles), text
    alternatives and labels (``aria-label``, ``title``, ``placeholder``, ``alt``) and the
    labels of buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attributes = dict(attrs)
        for name in CHECKED_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        button = tag == "input" and attributes.get("type") in ("submit", "button", "reset")
        if button and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(content: str) -> list[str]:
    parser = VisibleText()
    parser.feed(content)
    return parser.parts


@dataclass
class Page:
    key: str
    url: str
    status: int
    texts: list[str] = field(default_factory=list)


def render(client: Client, key: str, url: str) -> Page:
    """GET ``url`` (following redirects) in a savepoint rolled back afterwards."""
    with transaction.atomic():
        response = client.get(url, follow=True)
        html = "text/html" in response.get("Content-Type", "")
        texts = visible_text(response.content.decode()) if html else []
        transaction.set_rollback(True)
    return Page(key, url, response.status_code, texts)


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    """Every filled URL of the project as a Vietnamese-speaking superuser sees it, and the
    login pages as anyone sees them."""
    quiet = [logging.getLogger(name) for name in ("django.request", "django.security", "axes")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL)
    with django_db_blocker.unblock():
        from config.celery import app

        app.conf.task_always_eager = True
        with transaction.atomic():
            world = build_world()
            root = world.users.superuser
            User.objects.filter(pk=root.pk).update(language="vi")
            client = Client(raise_request_exception=False)
            client.force_login(root)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
            rendered, unknown, seen = [], [], set()
            for entry in walk_urlconf():
                if entry.key in EXEMPT or entry.key in NOT_PAGES:
                    continue
                if entry.suffix in NOT_PAGE_SUFFIXES:
                    continue
                try:
                    targets = get_targets(world, entry)
                except UnknownPattern as error:
                    unknown.append(str(error))
                    continue
                if entry.key.startswith("admin:") and entry.suffix in ONE_OBJECT_SUFFIXES:
                    targets = targets[:1]
                for target in targets:
                    if target.url not in seen:
                        seen.add(target.url)
                        rendered.append(render(client, entry.key, target.url))
            anonymous = Client(raise_request_exception=False)
            for key in ("login", "admin:login"):
                rendered.append(render(anonymous, key, reverse(key)))
            # The same admin page in English, for the check of the check.
            User.objects.filter(pk=root.pk).update(language="en")
            english = render(client, "english", reverse("admin:accounts_user_changelist"))
            yield rendered, unknown, english
            transaction.set_rollback(True)
    for logger, level in zip(quiet, levels, strict=True):
        logger.setLevel(level)


def test_every_admin_and_staff_page_is_rendered(pages):
    rendered, unknown, _english = pages
    assert not unknown, "URL patterns with no filler:\n" + "\n".join(unknown)
    # 403: an admin that refuses adding or deleting (audit rows, movements); 405: POST only.
    broken = [f"{p.key} {p.url}: {p.status}" for p in rendered if p.status in (404, 500)]
    assert not broken, "pages a superuser cannot open:\n" + "\n".join(broken)
    keys = {p.key for p in rendered if p.texts}
    for kind in ("changelist", "add", "change", "history", "simple_history", "delete"):
        assert any(k.startswith("admin:") and k.endswith(f"_{kind}") for k in keys), kind
    assert {"official_list", "decision_detail", "admin:index", "login"} <= keys


def test_no_english_on_admin_and_staff_pages(pages):
    rendered, _unknown, _english = pages
    found = {}
    for page in rendered:
        for text in page.texts:
            for phrase in english_found([text]):
                found.setdefault((phrase, text[:120]), page.url)
    report = [f"{phrase!r} in {text!r} ({url})" for (phrase, text), url in sorted(found.items())]
    assert not report, f"{len(report)} English texts:\n" + "\n".join(report)


def english_found(texts: list[str]) -> set[str]:
    return {phrase for text in texts for phrase, pattern in PHRASES if pattern.search(text)}


def test_the_check_finds_english_on_a_page_in_english(pages):
    """The same check on the admin in English finds what it looks for (no vacuous pass)."""
    _rendered, _unknown, english = pages
    found = english_found(english.texts)
    assert {"Skip to main content", "Log out", "Breadcrumbs", "Search", "Show counts"} <= found


def test_no_iso_dates_on_admin_and_staff_pages(pages):
    rendered, _unknown, _english = pages
    found = {
        text[:120]: page.url for page in rendered for text in page.texts if ISO_DATE.search(text)
    }
    report = [f"{text!r} ({url})" for text, url in sorted(found.items())]
    assert not report, "dates written yyyy-mm-dd:\n" + "\n".join(report)


# --- the catalogues -----------------------------------------------------------------------


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_vietnamese_catalogue_translates_every_english_msgid(domain):
    """Our own msgids are Vietnamese (their entries, if any, may stay empty); every English
    msgid here is an override of Django's or a package's catalogue and must be translated."""
    header, entries = read_po(LOCALE / "vi" / "LC_MESSAGES" / f"{domain}.po")
    assert "nplurals=1; plural=0;" in header.msgstr[0]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    untranslated = [e.msgid for e in entries if not e.vietnamese_msgid and not e.translated]
    assert not untranslated, f"English msgids without a translation: {untranslated}"
    plurals = [e.msgid for e in entries if e.msgid_plural and set(e.msgstr) != {0}]
    assert not plurals, f"Vietnamese has one plural form (msgstr[0] only): {plurals}"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_vietnamese_catalogue_matches_its_source(domain):
    """The committed .mo is the .po compiled (``compilemessages -l vi`` after each edit)."""
    folder = LOCALE / "vi" / "LC_MESSAGES"
    _header, entries = read_po(folder / f"{domain}.po")
    with (folder / f"{domain}.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    stale = []
    for e in entries:
        if not e.translated or e.fuzzy:
            continue
        msgid = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
        key = (msgid, 0) if e.msgid_plural else msgid
        if compiled.get(key) != e.msgstr[0]:
            stale.append(e.msgid)
    assert not stale, f"compile the catalogue again; stale or missing in the .mo: {stale}"


def _package_po(module, language: str) -> Path:
    return Path(module.__file__).parent / "locale" / language / "LC_MESSAGES" / "django.po"


DJANGO = Path(django.__file__).parent
SOURCES = {
    "django": [
        DJANGO / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po",
        *(
            DJANGO / "contrib" / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
            for app in ("admin", "auth", "contenttypes", "sessions")
        ),
        # The packages ship no Vietnamese; their French catalogues list their strings.
        *(_package_po(m, "fr") for m in (django_celery_beat, simple_history, axes, django_filters)),
    ],
    "djangojs": [DJANGO / "contrib" / "admin" / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"],
}


def _vietnamese(domain: str):
    if domain == "django":
        return trans_real.translation("vi")._catalog
    admin_locale = DJANGO / "contrib" / "admin" / "locale"
    return trans_real.DjangoTranslation("vi", domain=domain, localedirs=[admin_locale])._catalog


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_django_admin_and_packages_have_every_string_in_vietnamese(domain):
    """Each msgid of Django's admin, auth, sessions, content types and core catalogues, and
    of django-celery-beat, django-simple-history, django-axes and django-filter, has a
    Vietnamese translation (theirs or ours)."""
    catalogue = _vietnamese(domain)
    missing = []
    for source in SOURCES[domain]:
        for e in read_po(source)[1]:
            msgid = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
            if ((msgid, 0) if e.msgid_plural else msgid) not in catalogue:
                missing.append(f"{source.parts[-5]}/{source.parts[-4]}: {e.msgid!r}")
    assert not missing, f"{len(missing)} msgids with no Vietnamese:\n" + "\n".join(missing)


def test_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    """locale/en translates our Vietnamese msgids. It is regenerated with ``makemessages -l
    en`` when strings change: new entries come in empty and this test fails until they are
    translated (and fuzzy ones checked)."""
    _header, entries = read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    empty = [e.msgid for e in entries if not e.translated]
    assert not fuzzy, f"fuzzy entries in locale/en: {fuzzy}"
    assert not empty, f"untranslated entries in locale/en: {empty}"
