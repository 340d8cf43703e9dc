"""non_local_compliance at its edges: who holds a post on the report's last day (started or
ended that day; a concurrent post does not count), which posts count (active, in an active
unit, requiring a non-local holder), the tables written out with their drill-downs, the
people each row lists, and a target met exactly at its share."""

import datetime as dt

import pytest

from personnel import services as personnel_services
from personnel.models import OrgUnit, Posting
from reports import registry
from reports.models import NonLocalTarget
from tests.factories import OrgUnitFactory, PositionFactory

D = dt.date
ON = D(2025, 6, 30)
SECRETARY, CHAIR = "Bí thư cấp ủy cấp huyện", "Chủ tịch Ủy ban nhân dân cấp huyện"
FINANCE = "Thủ trưởng cơ quan tài chính cấp tỉnh"


def context(scope):
    definition = registry.get("non_local_compliance")
    return definition, registry.Context(scope, D(2025, 1, 1), ON, {}, D(2025, 11, 21))


def run(scope):
    definition, ctx = context(scope)
    return definition.compute(ctx).as_dict()


def listed(scope, key):
    definition, ctx = context(scope)
    return [row[0] for row in definition.people(ctx, key).rows()]


def table(result, key):
    return next(t for t in result["tables"] if t["key"] == key)


@pytest.fixture
def posts(world, make_official):
    p, places = world.positions, world.localities
    # Took office on the last day: holds it.
    make_official(position=p.a_secretary, since=ON, full_name="Mới Đến", hometown=places.outside)
    # Leaves on the last day: still holds it (local to district B).
    leaving = make_official(position=p.b_secretary, full_name="Sắp Đi", hometown=places.b)
    personnel_services.posting_close(posting=leaving.current_posting, end_date=ON)
    # Left the day before; and one who starts the day after: the chair's post is vacant.
    left = make_official(position=p.a_chair, full_name="Đã Đi", hometown=places.outside)
    personnel_services.posting_close(posting=left.current_posting, end_date=ON - dt.timedelta(1))
    make_official(position=p.a_chair, since=ON + dt.timedelta(1), full_name="Chưa Đến")
    # Holding the finance post only concurrently (kiêm nhiệm): not its holder.
    other = make_official(position=p.province_deputy, full_name="Kiêm Nhiệm")
    personnel_services.posting_create(
        official=other, position=p.finance_head, title="", start_date=D(2020, 1, 1),
        is_primary=False,
    )  # fmt: skip
    # Posts that are not counted: inactive, in an inactive unit, not requiring a non-local.
    closed = PositionFactory(
        org_unit=world.units.hu_b, title="Chủ tịch UBND huyện B", requires_non_local=True,
        is_active=False,
    )  # fmt: skip
    make_official(position=closed, full_name="Chức Đã Bỏ")
    gone = OrgUnitFactory(
        code="UBB", name="UBND huyện B", parent=world.units.hu_b, locality=places.b,
        sector=world.sectors.government,
    )  # fmt: skip
    make_official(
        position=PositionFactory(org_unit=gone, title="Chủ tịch UBND huyện B cũ",
                                 requires_non_local=True),
        full_name="Đơn Vị Đã Giải Thể",
    )  # fmt: skip
    # The unit ended before the period's last day (its records as a migration left them).
    OrgUnit.objects.filter(pk=gone.pk).update(valid_to=D(2025, 6, 1))
    make_official(position=p.a_deputy, full_name="Không Yêu Cầu")
    return world


def test_holders_on_the_last_day_and_the_posts_counted(posts):
    result = run(posts.units.province)
    assert (result["non_local"], result["filled"], result["posts"], result["vacant"]) == (
        1,
        2,
        4,
        2,
    )
    assert table(result, "posts")["rows"] == [
        ["Giám đốc Sở Tài chính", "Sở Tài chính", "Trống", "", ""],
        ["Bí thư Huyện ủy A", "Huyện ủy A", "Mới Đến", "Tỉnh khác", "Không phải người địa phương"],
        ["Chủ tịch UBND huyện A", "UBND huyện A", "Trống", "", ""],
        ["Bí thư Huyện ủy B", "Huyện ủy B", "Sắp Đi", "Huyện B", "Người địa phương"],
    ]
    assert result["sentence"] == (
        "Đến ngày 30/06/2025, 1/2 chức danh phải bố trí cán bộ không phải người địa phương "
        "đang do cán bộ không phải người địa phương đảm nhiệm; trong đó: "
        f"{SECRETARY} 1/2; còn 2 chức danh trống."
    )
    assert result["is_empty"] is False


def test_each_row_counts_and_lists_its_holders(posts):
    result = run(posts.units.province)
    by_type = table(result, "by_post_type")
    rows = {row[1]: row[2:7] for row in by_type["rows"]}
    assert rows == {FINANCE: [0, 0, 1, 1, "0/0"], SECRETARY: [1, 2, 2, 0, "1/2"],
                    CHAIR: [0, 0, 1, 1, "0/0"]}  # fmt: skip
    secretary = [row[1] for row in by_type["rows"]].index(SECRETARY)
    code = by_type["drill"][secretary]["post_type"]
    assert by_type["drill"][secretary] == {"post_type": code, "figure": "filled"}
    assert by_type["drill_cells"][secretary] == {
        "non_local": {"post_type": code, "non_local": True}
    }
    assert [d for i, d in enumerate(by_type["drill"]) if i != secretary] == [None, None]
    assert listed(posts.units.province, {"post_type": code}) == ["Mới Đến", "Sắp Đi"]
    assert listed(posts.units.province, {"post_type": code, "non_local": True}) == ["Mới Đến"]
    places = table(result, "by_locality")
    assert places["rows"] == [
        ["Tỉnh P", 0, 0, 1, 1, "0/0"],
        ["Huyện A", 1, 1, 2, 1, "1/1"],
        ["Huyện B", 0, 1, 1, 0, "0/1"],
    ]
    district_a = places["drill"][1]
    assert district_a == {"locality": posts.localities.a.pk, "figure": "filled"}
    assert listed(posts.units.province, {"locality": posts.localities.a.pk}) == ["Mới Đến"]
    assert listed(posts.units.province, {"locality": posts.localities.b.pk}) == ["Sắp Đi"]
    assert result["chart"] == {
        "title": "Số chức danh do cán bộ không phải người địa phương đảm nhiệm",
        "labels": [FINANCE, SECRETARY, CHAIR],
        "values": [0, 1, 0],
        "series_label": "Không phải người địa phương",
    }


def test_a_scope_without_such_posts_is_empty(world):
    result = run(world.units.xa_a1)
    assert result["is_empty"] is True
    assert result["sentence"] == (
        "Đến ngày 30/06/2025, 0/0 chức danh phải bố trí cán bộ không phải người địa phương "
        "đang do cán bộ không phải người địa phương đảm nhiệm."
    )


@pytest.mark.parametrize(("share", "assessment"), [(50, "Đạt"), (51, "Chưa đạt")])
def test_a_target_is_met_when_the_share_reaches_it_exactly(posts, share, assessment):
    secretary = posts.positions.a_secretary.post_type
    NonLocalTarget.objects.create(
        post_type=secretary, share=share, deadline=D(2025, 12, 31), basis="Nghị quyết"
    )
    result = run(posts.units.province)
    row = next(r for r in table(result, "by_post_type")["rows"] if r[1] == SECRETARY)
    assert row[7:] == [f"{share}%", "31/12/2025", assessment, "Nghị quyết"]
    missed = f"Chưa đạt chỉ tiêu: {SECRETARY} (chỉ tiêu {share}% đến 31/12/2025, chưa đạt)."
    assert (missed in result["sentence"]) is (assessment != "Đạt")


def test_a_concurrent_holder_is_not_the_holder(posts):
    assert Posting.objects.filter(position=posts.positions.finance_head, is_primary=False).exists()
    assert listed(posts.units.province, {"locality": posts.localities.p.pk}) == []
