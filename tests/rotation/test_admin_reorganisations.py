"""Reorganisations in admin: add/change open the staff form; the apply action previews the
service's dry run and applies on confirmation; applied ones are read only."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from personnel.models import OrgUnit, Reorganisation
from tests.rotation.test_reorganisations import communes, merge_communes  # noqa: F401

CHANGELIST = "admin:personnel_reorganisation_changelist"


@pytest.fixture
def reorganisation(communes):  # noqa: F811
    return merge_communes(communes)


def apply(client, reorganisation, follow=False, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": "apply_selected", ACTION_CHECKBOX_NAME: [reorganisation.pk], **extra},
        follow=follow,
    )


def test_the_action_previews_then_applies_on_confirmation(admin_client, reorganisation):
    response = apply(admin_client, reorganisation)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đảng ủy xã A12" in page and "Lê Thị Cúc" in page and 'name="confirm_apply"' in page
    assert not OrgUnit.objects.filter(name="Đảng ủy xã A12").exists()
    response = apply(admin_client, reorganisation, confirm_apply="1")
    assert response.status_code == 302
    reorganisation.refresh_from_db()
    assert reorganisation.is_applied and OrgUnit.objects.filter(name="Đảng ủy xã A12").exists()
    # Applied: read only, cannot be deleted, applying again says so and changes nothing.
    response = apply(admin_client, reorganisation, confirm_apply="1")
    assert OrgUnit.objects.filter(name="Đảng ủy xã A12").count() == 1
    delete = reverse("admin:personnel_reorganisation_delete", args=[reorganisation.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Reorganisation.objects.filter(pk=reorganisation.pk).exists()


def test_a_reorganisation_with_problems_is_not_applied(admin_client, communes):  # noqa: F811
    OrgUnit.objects.filter(pk=communes.xa_a2.pk).update(valid_to=dt.date(2025, 1, 1))
    reorganisation = merge_communes(communes)
    response = apply(admin_client, reorganisation, confirm_apply="1", follow=True)
    reorganisation.refresh_from_db()
    assert not reorganisation.is_applied
    assert "chưa áp dụng được" in response.content.decode()


def test_add_and_change_open_the_staff_pages(admin_client, reorganisation):
    add = admin_client.get(reverse("admin:personnel_reorganisation_add"))
    assert add["Location"] == reverse("reorganisation_create")
    change = admin_client.get(
        reverse("admin:personnel_reorganisation_change", args=[reorganisation.pk])
    )
    assert change["Location"] == reverse("reorganisation_detail", args=[reorganisation.pk])
    history = admin_client.get(
        reverse("admin:personnel_reorganisation_history", args=[reorganisation.pk])
    )
    assert history.status_code == 200
