"""Django admin keeps the access policy: history pages, users and roles, reference data,
audit of what is read, and the page a user without scope sees."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.choices import Role
from accounts.models import AuditEvent, User
from personnel import services
from personnel.models import Official
from tests.factories import (
    OfficialFactory,
    OrgUnitFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    province = OrgUnitFactory(code="P", name="Tỉnh ủy")
    district_a = OrgUnitFactory(code="A", name="Huyện ủy A", parent=province)
    district_b = OrgUnitFactory(code="B", name="Huyện ujy B", parent=province)
    return province, district_a, district_b


def _official_in(unit, name):
    official = OfficialFactory(full_name=name)
    services.posting_create(
        official=official,
        position=PositionFactory(org_unit=unit),
        title="Chuyên viên",
        start_date=dt.date(2020, 1, 1),
    )
    official.refresh_from_db()
    return official


@pytest.fixture
def officials(units):
    _province, district_a, district_b = units
    return _official_in(district_a, "Lê Văn An"), _official_in(district_b, "Canary Trần Bí Mật")


def _client(client, user):
    client.force_login(user)
    return client


def _history_urls(official):
    version = official.history.latest("history_date").history_id
    return (
        reverse("admin:personnel_official_history", args=[official.pk]),
        reverse("admin:personnel_official_simple_history", args=[official.pk, version]),
    )


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OFFICER, Role.ADMINISTRATOR])
def test_history_pages_of_another_unit_are_not_found(client, units, officials, role):
    _own, other = officials
    user = UserFactory(role=role, scope=units[1])
    c = _client(client, user)
    for url in _history_urls(other):
        response = c.get(url)
        assert response.status_code == 404, url
        assert "Canary" not in response.content.decode()
    version = other.history.latest("history_date").history_id
    c.post(
        reverse("admin:personnel_official_simple_history", args=[other.pk, version]),
        {"full_name": "Đổi tên", "code": other.code},
    )
    assert Official.objects.get(pk=other.pk).full_name == "Canary Trần Bí Mật"


def test_history_of_a_deleted_record_is_for_superusers_only(client, units):
    official = OfficialFactory(full_name="Canary Đã Xóa")
    pk = official.pk
    official.delete()
    viewer = UserFactory(role=Role.ADMINISTRATOR, scope=units[0])
    url = reverse("admin:personnel_official_history", args=[pk])
    assert _client(client, viewer).get(url).status_code == 404


def test_viewer_reads_history_in_scope_but_cannot_revert(client, units, officials):
    own, _other = officials
    viewer = UserFactory(role=Role.VIEWER, scope=units[1])
    c = _client(client, viewer)
    history, version = _history_urls(own)
    assert c.get(history).status_code == 200
    page = c.get(version)
    assert page.status_code == 200
    assert "Lê Văn An" in page.content.decode()
    response = c.post(version, {"full_name": "Đổi tên", "code": own.code})
    assert response.status_code == 403
    assert Official.objects.get(pk=own.pk).full_name == "Lê Văn An"
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_HISTORY, user=viewer)
    assert {e.object_id for e in events} == {str(own.pk)}
    assert events.count() == 2
    assert all("Lê" not in e.detail for e in events)


def test_history_detail_with_a_version_of_another_record_is_not_found(client, units, officials):
    own, other = officials
    officer = UserFactory(role=Role.OFFICER, scope=units[1])
    foreign_version = other.history.latest("history_date").history_id
    url = reverse("admin:personnel_official_simple_history", args=[own.pk, foreign_version])
    assert _client(client, officer).get(url).status_code == 404


def test_admin_official_page_is_audited(client, units, officials):
    own, _other = officials
    viewer = UserFactory(role=Role.VIEWER, scope=units[1])
    url = reverse("admin:personnel_official_change", args=[own.pk])
    response = _client(client, viewer).get(url, HTTP_X_REQUEST_ID="req-12345678")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_PROFILE)
    assert (event.user, event.object_id, event.request_id) == (viewer, str(own.pk), "req-12345678")
    assert response["X-Request-ID"] == "req-12345678"


# Users and roles ----------------------------------------------------------


def _user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "scope": user.scope_id or "",
        "role": user.role,
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "01/01/2024",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_scoped_administrator_cannot_raise_its_own_rights(client, units):
    province, district_a, _b = units
    admin_a = UserFactory(role=Role.ADMINISTRATOR, scope=district_a)
    url = reverse("admin:accounts_user_change", args=[admin_a.pk])
    c = _client(client, admin_a)
    assert c.get(url).status_code == 200
    c.post(url, _user_form(admin_a, is_superuser="on", scope=province.pk, groups=[]))
    admin_a.refresh_from_db()
    assert not admin_a.is_superuser
    assert admin_a.scope == district_a
    assert admin_a.role == Role.ADMINISTRATOR


def test_scoped_administrator_sees_and_edits_only_users_of_its_subtree(client, units):
    province, district_a, district_b = units
    admin_a = UserFactory(role=Role.ADMINISTRATOR, scope=district_a)
    colleague = UserFactory(username="cb.a", role=Role.VIEWER, scope=district_a)
    stranger = UserFactory(username="cb.b", role=Role.VIEWER, scope=district_b)
    root = UserFactory(username="root2", is_superuser=True)
    c = _client(client, admin_a)
    listing = c.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "cb.a" in listing
    assert "cb.b" not in listing and "root2" not in listing
    for other in (stranger, root):
        assert c.get(reverse("admin:accounts_user_change", args=[other.pk])).status_code == 404
        assert (
            c.get(reverse("admin:auth_user_password_change", args=[other.pk])).status_code == 404
            if _has_url("admin:auth_user_password_change")
            else True
        )
    # Moving a colleague out of the subtree is refused with a message.
    url = reverse("admin:accounts_user_change", args=[colleague.pk])
    page = c.post(url, _user_form(colleague, scope=province.pk))
    assert page.status_code == 200
    colleague.refresh_from_db()
    assert colleague.scope == district_a
    # Inside the subtree, the role can be changed.
    c.post(url, _user_form(colleague, role=Role.OFFICER))
    colleague.refresh_from_db()
    assert colleague.role == Role.OFFICER


def _has_url(name):
    from django.urls import NoReverseMatch

    try:
        reverse(name, args=[1])
    except NoReverseMatch:
        return False
    return True


def test_scoped_administrator_creates_users_inside_its_scope_only(client, units):
    province, district_a, _b = units
    admin_a = UserFactory(role=Role.ADMINISTRATOR, scope=district_a)
    c = _client(client, admin_a)
    url = reverse("admin:accounts_user_add")
    base = {
        "username": "moi",
        "usable_password": "true",
        "password1": "Mat-khau-rat-dai-2026",
        "password2": "Mat-khau-rat-dai-2026",
        "role": Role.VIEWER,
        "is_staff": "on",
        "is_superuser": "on",
    }
    c.post(url, {**base, "scope": province.pk})
    assert not User.objects.filter(username="moi").exists()
    c.post(url, {**base})
    assert not User.objects.filter(username="moi").exists()
    c.post(url, {**base, "scope": district_a.pk})
    created = User.objects.get(username="moi")
    assert created.scope == district_a
    assert not created.is_superuser


def test_officer_cannot_add_reference_data(client, units):
    officer = UserFactory(role=Role.OFFICER, scope=units[1])
    c = _client(client, officer)
    assert c.get(reverse("admin:personnel_locality_add")).status_code == 403
    assert c.get(reverse("admin:personnel_sector_add")).status_code == 403
    assert c.get(reverse("admin:personnel_locality_changelist")).status_code == 200


def test_user_without_scope_sees_a_clear_message(client):
    lost = UserFactory(role=Role.ADMINISTRATOR, scope=None)
    c = _client(client, lost)
    response = c.get(reverse("official_list"))
    assert response.status_code == 403
    assert "chưa được giao phạm vi" in response.content.decode().lower()
    admin_index = c.get(reverse("admin:index"))
    assert "personnel" not in admin_index.content.decode().split("<main")[-1]


def test_scoped_administrator_cannot_move_its_own_scope_unit(client, units):
    province, district_a, _b = units
    child = OrgUnitFactory(code="A1", name="Xã A1", parent=district_a)
    admin_a = UserFactory(role=Role.ADMINISTRATOR, scope=district_a)
    c = _client(client, admin_a)
    page = c.get(reverse("admin:personnel_orgunit_change", args=[district_a.pk]))
    assert page.status_code == 200
    assert "parent" not in page.context["adminform"].form.fields
    # A unit placed under its own descendant is refused with a message, not a 500.
    url = reverse("admin:personnel_orgunit_change", args=[child.pk])
    form = c.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    grandchild = OrgUnitFactory(code="A11", name="Thôn", parent=child)
    data["parent"] = grandchild.pk
    response = c.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"]
    child.refresh_from_db()
    assert child.parent == district_a
    assert province.pk != child.parent_id


def test_view_on_site_of_another_unit_is_not_found(client, units, officials):
    from django.contrib.contenttypes.models import ContentType

    own, other = officials
    viewer = UserFactory(role=Role.VIEWER, scope=units[1])
    c = _client(client, viewer)
    ct = ContentType.objects.get_for_model(Official).pk
    assert c.get(reverse("admin:view_on_site", args=[ct, other.pk])).status_code == 404
    assert c.get(reverse("admin:view_on_site", args=[ct, own.pk])).status_code == 302


@pytest.mark.parametrize(("role", "masked"), [(Role.VIEWER, True), (Role.OFFICER, False)])
def test_admin_masks_personal_data_for_viewers(client, units, officials, role, masked):
    own, _other = officials
    Official.objects.filter(pk=own.pk).update(phone="0912345678")
    own.refresh_from_db()
    own.personal_id = "042080123456"
    own.save()  # a history row whose diff carries the number
    user = UserFactory(role=role, scope=units[1])
    c = _client(client, user)
    pages = [
        c.get(reverse("admin:personnel_official_change", args=[own.pk])),
        *(c.get(url) for url in _history_urls(own)),
    ]
    for page in pages:
        assert page.status_code == 200
        body = page.content.decode()
        assert ("042080123456" in body) is not masked
    if masked:
        assert "0420••••••56" in pages[0].content.decode()


def test_admin_refuses_an_impossible_profile(client, units, officials):
    own, _other = officials
    officer = UserFactory(role=Role.OFFICER, scope=units[1])
    c = _client(client, officer)
    url = reverse("admin:personnel_official_change", args=[own.pk])
    page = c.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for inline in formset.formset.forms:
            data.update(
                {inline.add_prefix(k): v for k, v in inline.initial.items() if v is not None}
            )
            data[inline.add_prefix("id")] = inline.instance.pk
            data[inline.add_prefix("official")] = own.pk
    data.update({"date_of_birth": "01/01/2030", "party_joined_on": "01/01/1970"})
    response = c.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    own.refresh_from_db()
    assert own.date_of_birth.year != 2030
