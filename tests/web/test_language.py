"""The site's language is Vietnamese unless the user chose otherwise.

A browser's Accept-Language never decides; the choice made in the menu is kept in a
cookie and, for a logged-in user, on the account, so it follows them to another browser.
"""

import html

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_an_english_browser_gets_the_login_page_in_vietnamese(client):
    body = text(client.get(reverse("login"), **ENGLISH_BROWSER))
    assert '<html lang="vi"' in body
    assert "Đăng nhập" in body


def test_an_english_browser_gets_staff_pages_and_admin_in_vietnamese(users, login):
    client = login(users.officer)
    body = text(client.get(reverse("dashboard"), **ENGLISH_BROWSER))
    assert '<html lang="vi"' in body and "Các chỉ số chính" in body
    superuser_client = Client()
    users.officer.is_superuser = True
    users.officer.save()
    superuser_client.force_login(users.officer)
    admin = text(superuser_client.get(reverse("admin:index"), **ENGLISH_BROWSER))
    assert '<html lang="vi"' in admin


def test_the_choice_is_remembered_on_the_account(users, login):
    client = login(users.officer)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    users.officer.refresh_from_db()
    assert users.officer.language == "en"
    # Another browser, no cookie, a Vietnamese Accept-Language: still English.
    other = Client()
    other.force_login(users.officer)
    body = text(other.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="vi"))
    assert '<html lang="en"' in body and "Key indicators" in body


def test_an_anonymous_choice_lasts_in_its_cookie(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = text(client.get(reverse("login")))
    assert '<html lang="en"' in body


def test_an_unknown_language_changes_nothing(users, login):
    client = login(users.officer)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    users.officer.refresh_from_db()
    assert users.officer.language == ""
    assert '<html lang="vi"' in text(client.get(reverse("dashboard")))


@pytest.mark.parametrize("chosen", ["vi", "en"])
def test_the_menu_names_each_language_in_its_own_language(users, login, chosen):
    client = login(users.officer)
    client.post(reverse("set_language"), {"language": chosen, "next": "/"})
    for url in (reverse("dashboard"), reverse("admin:index")):
        users.officer.is_superuser = url.startswith("/admin")
        users.officer.save()
        body = text(client.get(url))
        assert '<option value="vi" lang="vi"' in body and "Tiếng Việt" in body
        assert '<option value="en" lang="en"' in body and ">English<" in body
        assert "Tiếng Anh" not in body and "Vietnamese" not in body
