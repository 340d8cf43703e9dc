"""Post types (danh mục chức danh): the shipped catalogue, how titles map to it, the data
migration that typed the existing positions, and flags defaulting from the type."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from personnel.choices import Level, ManagementTier, PositionKind
from personnel.models import Position, PostType
from personnel.post_types import match_code, standard_rows
from tests.factories import OrgUnitFactory, PositionFactory
from tests.rotation.conftest import world  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "level", "kind", "code"),
    [
        ("Bí thư Huyện ủy Vũ Quang", Level.DISTRICT, "head", "district.party_secretary"),
        ("Bí thư Thị ủy Kỳ Anh", Level.DISTRICT, "head", "district.party_secretary"),
        ("Bí thư Thành ủy Hà Tĩnh", Level.DISTRICT, "head", "district.party_secretary"),
        (
            "Phó Bí thư Thường trực Huyện ủy",
            Level.DISTRICT,
            "deputy",
            "district.deputy_party_secretary",
        ),
        ("Chủ tịch UBND xã Cẩm Bình", Level.COMMUNE, "head", "commune.committee_chair"),
        ("Chủ tịch Ủy ban nhân dân tỉnh", Level.PROVINCE, "head", "province.committee_chair"),
        ("Phó Chủ tịch UBND tỉnh", Level.PROVINCE, "deputy", "province.committee_vice_chair"),
        ("Chủ tịch HĐND huyện", Level.DISTRICT, "head", "district.council_chair"),
        ("Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", Level.PROVINCE, "head", "province.inspection_head"),
        ("Trưởng Công an huyện Vũ Quang", Level.DISTRICT, "head", "district.police_director"),
        ("Giám đốc Công an tỉnh", Level.PROVINCE, "head", "province.police_director"),
        ("Chánh Thanh tra tỉnh", Level.PROVINCE, "head", "province.chief_inspector"),
        ("Giám đốc Sở Tài chính", Level.PROVINCE, "head", "province.finance_head"),
        ("Giám đốc Sở Y tế", Level.PROVINCE, "head", "province.department_director"),
        ("Chi cục trưởng Chi cục Thuế huyện A", Level.DISTRICT, "head", "district.tax_head"),
        ("Chánh án Tòa án nhân dân tỉnh", Level.PROVINCE, "head", "province.court_president"),
        # Types that do not exist at a level fall back to the generic type of the kind.
        ("Chánh Thanh tra xã", Level.COMMUNE, "head", "generic.head"),
        ("Văn phòng viên", Level.COMMUNE, "staff", "generic.staff"),
        ("Bí thư Đảng đoàn", Level.CENTRAL, "head", "generic.head"),
    ],
)
def test_a_title_maps_to_its_post_type_whatever_its_wording(title, level, kind, code):
    assert match_code(title, level, kind) == code
    assert PostType.objects.filter(code=code).exists()


def test_the_catalogue_ships_the_standard_types_at_each_level():
    codes = set(PostType.objects.values_list("code", flat=True))
    assert {row["code"] for row in standard_rows()} <= codes
    for level in ("province", "district", "commune"):
        for key in ("party_secretary", "committee_chair", "council_chair", "front_chair"):
            assert f"{level}.{key}" in codes
    secretary = PostType.objects.get(code="district.party_secretary")
    assert secretary.name == "Bí thư cấp ủy cấp huyện"
    assert secretary.requires_non_local and secretary.two_term_limited and secretary.is_key
    assert not PostType.objects.get(code="commune.party_secretary").requires_non_local
    assert PostType.objects.get(code="province.party_secretary").management_tier == (
        ManagementTier.POLITBURO
    )
    assert not PostType.objects.get(code="district.deputy_party_secretary").two_term_limited


def test_a_position_saved_without_a_type_gets_the_one_its_title_names(world):  # noqa: F811
    position = PositionFactory(org_unit=world.units.hu_a, title="Bí thư Thị ủy")
    assert position.post_type.code == "district.party_secretary"
    odd = PositionFactory(org_unit=world.units.hu_a, title="Cố vấn đặc biệt", kind="staff")
    assert odd.post_type.code == "generic.staff" and odd.post_type.is_generic


def test_positions_added_in_admin_take_the_flags_of_their_type(admin_client, world):  # noqa: F811
    secretary = PostType.objects.get(code="district.party_secretary")
    response = admin_client.post(
        reverse("admin:personnel_position_add"),
        {
            "org_unit": world.units.hu_b.pk,
            "post_type": secretary.pk,
            "title": "Bí thư Thị ủy Hồng Lĩnh",
            "kind": PositionKind.HEAD,
            "management_tier": ManagementTier.UNIT,
            "display_order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    position = Position.objects.get(title="Bí thư Thị ủy Hồng Lĩnh")
    assert position.requires_non_local and position.is_key
    assert position.management_tier == ManagementTier.PROVINCIAL_STANDING


def test_admin_lists_the_positions_whose_type_was_not_recognised(admin_client, world):  # noqa: F811
    PositionFactory(org_unit=world.units.hu_a, title="Cố vấn đặc biệt", kind="staff")
    page = admin_client.get(reverse("admin:personnel_position_changelist"), {"untyped": "1"})
    titles = [p.title for p in page.context["cl"].result_list]
    assert titles == ["Cố vấn đặc biệt"]


BEFORE = [("personnel", "0005_official_personal_data")]
AFTER = [("personnel", "0008_position_post_type_required")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_types_every_existing_position():
    district = OrgUnitFactory(level=Level.DISTRICT)
    try:
        apps = _migrate(BEFORE)
        OldPosition = apps.get_model("personnel", "Position")
        for title, kind in [
            ("Bí thư Huyện ủy", "head"),
            ("Bí thư Thành ủy", "head"),
            ("Chủ tịch UBND huyện", "head"),
            ("Người giữ kho", "staff"),
        ]:
            OldPosition.objects.create(org_unit_id=district.pk, title=title, kind=kind)
        apps = _migrate(AFTER)
        typed = dict(
            apps.get_model("personnel", "Position").objects.values_list("title", "post_type__code")
        )
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert typed == {
        "Bí thư Huyện ủy": "district.party_secretary",
        "Bí thư Thành ủy": "district.party_secretary",
        "Chủ tịch UBND huyện": "district.committee_chair",
        "Người giữ kho": "generic.staff",
    }
