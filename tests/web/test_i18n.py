"""The English catalogue (locale/en): pages switch to English, Vietnamese stays the default.

The msgids are the Vietnamese source strings, so a missing or broken English entry shows
up as Vietnamese text on an English page. The catalogue checks read the committed .po
(and the compiled .mo next to it) with a small parser, so they need no GNU gettext.
"""

import datetime as dt
import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from rotation import services
from rotation.choices import MovementKind

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"

# Strings that each page shows, in English after switching and in Vietnamese by default.
EXPECTED = {
    "dashboard": (
        ["Key indicators", "Unresolved alerts", "Latest alerts", "Log out"],
        ["Các chỉ số chính", "Cảnh báo chưa xử lý", "Cảnh báo mới nhất", "Đăng xuất"],
    ),
    "official_list": (
        ["List of officials", "Filter the list of officials", "Export to Excel", "Current unit"],
        ["Danh sách cán bộ", "Lọc danh sách cán bộ", "Xuất Excel", "Đơn vị hiện tại"],
    ),
    "official_detail": (
        [
            "Personal details",
            "Work history and rotation and transfer movements",
            "Evaluation and rating",
            "Print curriculum vitae (form 2C)",
        ],
        [
            "Sơ yếu",
            "Quá trình công tác và các lượt luân chuyển, điều động",
            "Đánh giá, xếp loại",
            "Sơ yếu lý lịch (mẫu 2C), in",
        ],
    ),
    "decision_detail": (
        [
            "Decision information",
            "Movements in the decision",
            "Request consultation",
            "Draft",
            "From one district to another",
        ],
        [
            "Thông tin quyết định",
            "Các lượt điều chuyển của quyết định",
            "Gửi xin ý kiến",
            "Dự thảo",
            "Từ huyện này sang huyện khác",
        ],
    ),
    "report_catalogue": (
        ["Report catalogue", "Rotation summary", "Training standards", "Run report"],
        ["Danh mục báo cáo", "Tổng hợp luân chuyển cán bộ", "Chuẩn hóa trình độ cán bộ"],
    ),
}


@pytest.fixture
def pages(world, users, make_official):
    """The URL of each page in EXPECTED, with an official and a draft decision to show."""
    official = make_official(position=world.positions.b_deputy, full_name="Lê Văn Bình")
    decision = services.decision_create(
        number="12-QĐ/TU",
        issued_by=world.units.province,
        title="Luân chuyển cán bộ",
        created_by=users.officer,
    )
    services.movement_add(
        decision=decision,
        official=official,
        kind=MovementKind.ROTATION,
        to_position=world.positions.a_deputy,
        effective_on=timezone.localdate() + dt.timedelta(days=60),
        term_months=60,
    )
    return {
        "dashboard": reverse("dashboard"),
        "official_list": reverse("official_list"),
        "official_detail": reverse("official_detail", args=[official.pk]),
        "decision_detail": reverse("decision_detail", args=[decision.pk]),
        "report_catalogue": reverse("report_catalogue"),
    }


def switch_language(client, language):
    response = client.post(
        reverse("set_language"), {"language": language, "next": reverse("dashboard")}
    )
    assert response.status_code == 302


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_page_is_in_english_after_switching(page, pages, users, login):
    client = login(users.officer)
    switch_language(client, "en")
    text = page_text(client, pages[page])
    english, vietnamese = EXPECTED[page]
    for phrase in english:
        assert phrase in text, f"{page}: {phrase!r} missing"
    for phrase in vietnamese:
        assert phrase not in text, f"{page}: {phrase!r} still in Vietnamese"
    assert '<html lang="en"' in text


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_page_is_in_vietnamese_by_default(page, pages, users, login):
    client = login(users.officer)
    text = page_text(client, pages[page])
    english, vietnamese = EXPECTED[page]
    for phrase in vietnamese:
        assert phrase in text, f"{page}: {phrase!r} missing"
    for phrase in english:
        assert phrase not in text, f"{page}: {phrase!r} shown in English by default"


def test_switching_back_to_vietnamese(pages, users, login):
    client = login(users.officer)
    switch_language(client, "en")
    assert "Report catalogue" in page_text(client, pages["report_catalogue"])
    switch_language(client, "vi")
    text = page_text(client, pages["report_catalogue"])
    assert "Danh mục báo cáo" in text and "Report catalogue" not in text


def test_summary_sentence_counts_directions_in_english():
    from reports.definitions.rotation_summary import sentence_part

    with translation.override("en"):
        assert sentence_part("province_to_district", 14) == "from province to district: 14"
        assert sentence_part("central_to_province", 3) == "from Central to province: 3"
        assert sentence_part("commune_to_commune", 2) == "from one commune to another: 2"
    with translation.override("vi"):
        assert sentence_part("province_to_district", 14) == "từ tỉnh về huyện 14 đồng chí"


# --- the catalogue file itself ------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(literal: str) -> str:
    assert literal.startswith('"') and literal.endswith('"'), literal
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], literal[1:-1])


def parse_po(path: Path) -> list[dict]:
    """Entries as dicts: flags, msgctxt, msgid, msgid_plural, msgstr (a list of forms)."""
    entries, entry, field = [], None, None

    def finish():
        if entry and entry.get("msgid") is not None:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if line.startswith("#"):
            if entry and entry.get("msgid") is not None:
                finish()
                entry, field = None, None
            entry = entry or {"flags": set(), "msgstr": {}}
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        entry = entry or {"flags": set(), "msgstr": {}}
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            keyword, index, literal = match.groups()
            if keyword.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = _unquote(literal)
            else:
                field = keyword
                entry[keyword] = _unquote(literal)
        else:
            assert line.startswith('"'), f"unexpected line in {path.name}: {raw!r}"
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field] += _unquote(line)
    finish()
    for item in entries:
        item["msgstr"] = [item["msgstr"][k] for k in sorted(item["msgstr"])]
    return entries


PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[sdif%]|\{\w*\}")


@pytest.fixture(scope="module")
def catalogue():
    entries = parse_po(CATALOGUE / "django.po")
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    return header, messages


def test_catalogue_header_is_english_with_two_plural_forms(catalogue):
    header, messages = catalogue
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]
    assert "fuzzy" not in header["flags"]
    assert len(messages) > 1000


def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    _header, messages = catalogue
    untranslated = [m["msgid"] for m in messages if not all(s.strip() for s in m["msgstr"])]
    fuzzy = [m["msgid"] for m in messages if "fuzzy" in m["flags"]]
    assert untranslated == []
    assert fuzzy == []
    for m in messages:
        assert len(m["msgstr"]) == (2 if m.get("msgid_plural") is not None else 1), m["msgid"]


def test_translations_keep_the_placeholders(catalogue):
    _header, messages = catalogue
    broken = []
    for m in messages:
        expected = set(PLACEHOLDER.findall(m["msgid"]))
        if m.get("msgid_plural") is not None:
            expected |= set(PLACEHOLDER.findall(m["msgid_plural"]))
        for form in m["msgstr"]:
            if set(PLACEHOLDER.findall(form)) != expected:
                broken.append((m["msgid"], form))
    assert broken == []


def test_translations_keep_leading_and_trailing_spaces(catalogue):
    """Sentence fragments ("; trong đó: ") are glued together by the reports."""
    _header, messages = catalogue
    for m in messages:
        for form in m["msgstr"]:
            assert form[:1].isspace() == m["msgid"][:1].isspace(), m["msgid"]
            assert form[-1:].isspace() == m["msgid"][-1:].isspace(), m["msgid"]


def test_compiled_catalogue_matches_the_po(catalogue):
    """django.mo is committed too: it must be compiled from the current django.po."""
    _header, messages = catalogue
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for m in messages:
        if m.get("msgctxt") is not None:
            continue
        if m.get("msgid_plural") is None:
            assert compiled.gettext(m["msgid"]) == m["msgstr"][0], m["msgid"]
        else:
            assert compiled.ngettext(m["msgid"], m["msgid_plural"], 1) == m["msgstr"][0]
            assert compiled.ngettext(m["msgid"], m["msgid_plural"], 2) == m["msgstr"][1]
