"""A small province to move people in.

Tỉnh ủy P (province, party)
├── Sở Tài chính (province, finance)
├── Huyện ủy A (district, party, locality A)
│   ├── UBND huyện A (district, government, A)
│   └── Đảng ủy xã A1 (commune, party, A1)
└── Huyện ủy B (district, party, locality B)
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from accounts.choices import Role
from personnel import services as personnel_services
from personnel.choices import Level, LocalityLevel, PositionKind
from tests.factories import (
    LocalityFactory,
    OfficialFactory,
    OrgUnitFactory,
    PlanningEntryFactory,
    PositionFactory,
    SectorFactory,
    UserFactory,
)


@pytest.fixture
def world(db):
    party = SectorFactory(code="party", name="Đảng")
    government = SectorFactory(code="government", name="Chính quyền")
    finance = SectorFactory(code="finance", name="Tài chính")
    p = LocalityFactory(code="42", name="Tỉnh P", level=LocalityLevel.PROVINCE)
    a = LocalityFactory(code="436", name="Huyện A", parent=p)
    b = LocalityFactory(code="437", name="Huyện B", parent=p)
    a1 = LocalityFactory(code="18001", name="Xã A1", level=LocalityLevel.COMMUNE, parent=a)
    outside = LocalityFactory(code="40", name="Tỉnh khác", level=LocalityLevel.PROVINCE)
    province = OrgUnitFactory(
        code="TU",
        name="Tỉnh ủy P",
        level=Level.PROVINCE,
        sector=party,
        locality=p,
        email="tinhuy@example.vn",
    )
    finance_dept = OrgUnitFactory(
        code="STC",
        name="Sở Tài chính",
        level=Level.PROVINCE,
        sector=finance,
        locality=p,
        parent=province,
        email="stc@example.vn",
    )
    hu_a = OrgUnitFactory(
        code="HUA",
        name="Huyện ủy A",
        level=Level.DISTRICT,
        sector=party,
        locality=a,
        parent=province,
        email="huyenuy.a@example.vn",
    )
    ubnd_a = OrgUnitFactory(
        code="UBA",
        name="UBND huyện A",
        level=Level.DISTRICT,
        sector=government,
        locality=a,
        parent=hu_a,
        email="ubnd.a@example.vn",
    )
    xa_a1 = OrgUnitFactory(
        code="XA1",
        name="Đảng ủy xã A1",
        level=Level.COMMUNE,
        sector=party,
        locality=a1,
        parent=hu_a,
        email="xa.a1@example.vn",
    )
    hu_b = OrgUnitFactory(
        code="HUB",
        name="Huyện ủy B",
        level=Level.DISTRICT,
        sector=party,
        locality=b,
        parent=province,
        email="huyenuy.b@example.vn",
    )
    positions = SimpleNamespace(
        province_deputy=PositionFactory(
            org_unit=province, title="Phó Trưởng Ban Tổ chức Tỉnh ủy", kind=PositionKind.DEPUTY
        ),
        finance_head=PositionFactory(
            org_unit=finance_dept, title="Giám đốc Sở Tài chính", requires_non_local=True
        ),
        a_secretary=PositionFactory(
            org_unit=hu_a, title="Bí thư Huyện ủy A", is_key=True, requires_non_local=True
        ),
        a_deputy=PositionFactory(
            org_unit=hu_a, title="Phó Bí thư Huyện ủy A", kind=PositionKind.DEPUTY
        ),
        a_chair=PositionFactory(
            org_unit=ubnd_a, title="Chủ tịch UBND huyện A", requires_non_local=True
        ),
        a1_secretary=PositionFactory(org_unit=xa_a1, title="Bí thư Đảng ủy xã A1"),
        b_secretary=PositionFactory(
            org_unit=hu_b, title="Bí thư Huyện ủy B", requires_non_local=True
        ),
        b_deputy=PositionFactory(
            org_unit=hu_b, title="Phó Bí thư Huyện ủy B", kind=PositionKind.DEPUTY
        ),
    )
    officer = UserFactory(
        username="officer", scope=province, role=Role.OFFICER, email="officer@example.vn"
    )
    approver = UserFactory(username="approver", scope=province, role=Role.APPROVER)
    return SimpleNamespace(
        sectors=SimpleNamespace(party=party, government=government, finance=finance),
        localities=SimpleNamespace(p=p, a=a, b=b, a1=a1, outside=outside),
        units=SimpleNamespace(
            province=province,
            finance=finance_dept,
            hu_a=hu_a,
            ubnd_a=ubnd_a,
            xa_a1=xa_a1,
            hu_b=hu_b,
        ),
        positions=positions,
        officer=officer,
        approver=approver,
    )


@pytest.fixture
def make_official(world):
    """An official holding ``position`` (or working in ``unit``) since ``since``, in planning by default."""

    def make(position=None, unit=None, since=dt.date(2018, 1, 1), planned=True, **fields):
        fields.setdefault("date_of_birth", dt.date(1980, 3, 15))
        fields.setdefault("hometown", world.localities.outside)
        official = OfficialFactory(**fields)
        personnel_services.posting_create(
            official=official,
            position=position,
            org_unit=(unit or world.units.province) if position is None else None,
            title="Chuyên viên" if position is None else "",
            start_date=since,
        )
        if planned:
            PlanningEntryFactory(
                official=official, position=world.positions.a_secretary, term="2025-2030"
            )
        official.refresh_from_db()
        return official

    return make
