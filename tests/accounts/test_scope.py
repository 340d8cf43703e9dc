"""``for_user``: a staff user sees the subtree of their scope unit only."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.choices import Role
from personnel import services
from personnel.models import Evaluation, Official, OrgUnit, Position, Posting
from tests.factories import (
    EvaluationFactory,
    OfficialFactory,
    OrgUnitFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_tree():
    province = OrgUnitFactory(name="Tỉnh ủy", level="province")
    north = OrgUnitFactory(name="Huyện ủy Bắc", parent=province)
    south = OrgUnitFactory(name="Huyện ủy Nam", parent=province)
    north_commune = OrgUnitFactory(name="Đảng ủy xã Bắc 1", level="commune", parent=north)
    people = {}
    for name, unit in [
        ("bac", north),
        ("bac_xa", north_commune),
        ("nam", south),
        ("tinh", province),
    ]:
        official = OfficialFactory(full_name=name)
        services.posting_create(
            official=official, org_unit=unit, title="Chuyên viên", start_date=dt.date(2020, 1, 1)
        )
        people[name] = official
    return {
        "province": province,
        "north": north,
        "south": south,
        "commune": north_commune,
        **people,
    }


def names(qs):
    return {o.full_name for o in qs}


def test_district_user_sees_own_subtree_but_not_sibling_district(province_tree):
    user = UserFactory(scope=province_tree["north"])
    assert names(Official.objects.for_user(user)) == {"bac", "bac_xa"}
    assert set(OrgUnit.objects.for_user(user)) == {province_tree["north"], province_tree["commune"]}


def test_provincial_user_sees_both_districts(province_tree):
    user = UserFactory(scope=province_tree["province"])
    assert names(Official.objects.for_user(user)) == {"bac", "bac_xa", "nam", "tinh"}


def test_superuser_sees_all_and_unscoped_or_anonymous_see_nothing(province_tree):
    assert Official.objects.for_user(UserFactory(is_superuser=True)).count() == 4
    assert Official.objects.for_user(UserFactory(scope=None)).count() == 0
    assert Official.objects.for_user(AnonymousUser()).count() == 0
    assert (
        Official.objects.for_user(
            UserFactory(scope=province_tree["province"], is_active=False)
        ).count()
        == 0
    )


def test_positions_postings_and_children_records_follow_scope(province_tree):
    north_post = PositionFactory(org_unit=province_tree["north"])
    PositionFactory(org_unit=province_tree["south"])
    EvaluationFactory(official=province_tree["bac"])
    EvaluationFactory(official=province_tree["nam"])
    user = UserFactory(scope=province_tree["north"])
    assert list(Position.objects.for_user(user)) == [north_post]
    assert {p.official.full_name for p in Posting.objects.for_user(user)} == {"bac", "bac_xa"}
    assert [e.official.full_name for e in Evaluation.objects.for_user(user)] == ["bac"]


def test_official_moved_out_leaves_the_old_scope(province_tree):
    user = UserFactory(scope=province_tree["north"])
    official = province_tree["bac"]
    services.posting_close(posting=official.postings.get(), end_date=dt.date(2024, 1, 31))
    services.posting_create(
        official=official,
        org_unit=province_tree["south"],
        title="Phó Bí thư",
        start_date=dt.date(2024, 2, 1),
    )
    assert names(Official.objects.for_user(user)) == {"bac_xa"}
    # Their posting in the north stays visible to the north: it is the north's history.
    assert Posting.objects.for_user(user).filter(official=official).count() == 1


@pytest.mark.parametrize(
    ("role", "view", "add", "delete"),
    [
        (Role.VIEWER, True, False, False),
        (Role.OFFICER, True, True, False),
        (Role.APPROVER, True, True, False),
        (Role.ADMINISTRATOR, True, True, True),
    ],
)
def test_role_grants_model_permissions(role, view, add, delete):
    user = UserFactory(role=role, scope=OrgUnitFactory())
    assert user.has_perm("personnel.view_official") is view
    assert user.has_perm("personnel.add_official") is add
    assert user.has_perm("personnel.delete_official") is delete
    assert user.has_perm("accounts.change_user") is (role == Role.ADMINISTRATOR)


@pytest.mark.parametrize("role", list(Role))
def test_reference_data_is_changed_by_administrators_only(role):
    user = UserFactory(role=role, scope=OrgUnitFactory())
    is_admin = role == Role.ADMINISTRATOR
    for model in ("locality", "sector"):
        assert user.has_perm(f"personnel.view_{model}")
        assert user.has_perm(f"personnel.add_{model}") is is_admin
        assert user.has_perm(f"personnel.change_{model}") is is_admin
    # Beat schedules are system-wide: superusers only.
    assert not user.has_perm("django_celery_beat.change_crontabschedule")
    assert not user.has_perm("django_celery_beat.view_periodictask")


def test_a_user_without_scope_has_no_permission_at_all():
    user = UserFactory(role=Role.ADMINISTRATOR, scope=None)
    assert not user.has_perm("personnel.view_official")
    assert not user.has_perm("accounts.change_user")
    assert not user.has_module_perms("personnel")


def test_role_ranks():
    approver = UserFactory(role=Role.APPROVER)
    assert approver.has_role(Role.OFFICER)
    assert not approver.has_role(Role.ADMINISTRATOR)
    assert UserFactory(is_superuser=True, role=Role.VIEWER).has_role(Role.ADMINISTRATOR)
