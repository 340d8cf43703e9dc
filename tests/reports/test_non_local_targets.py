"""Non-local compliance counts by post type and shows targets with deadlines, through the
stored run as staff read it (result, HTML page, XLSX)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from personnel.choices import Level
from personnel.models import PostType
from reports import services
from reports.exports import run_xlsx
from reports.models import NonLocalTarget
from tests.factories import LocalityFactory, OrgUnitFactory, PositionFactory

pytestmark = pytest.mark.django_db

D = dt.date


def stored(world, superuser, date_to):
    run = services.report_run_now(
        report="non_local_compliance",
        scope=world.units.province,
        date_from=D(2025, 1, 1),
        date_to=date_to,
        requested_by=superuser,
    )
    run.refresh_from_db()
    return run


def rows_of(run, key="by_post_type"):
    table = next(t for t in run.result["tables"] if t["key"] == key)
    return {row[1]: row for row in table["rows"]}


def test_secretaries_of_huyen_thi_and_thanh_uy_are_one_post_type(
    world, make_official, superuser, admin_client
):
    p, localities = world.positions, world.localities
    for name, title in (("Thị xã C", "Bí thư Thị ủy C"), ("Thành phố D", "Bí thư Thành ủy D")):
        area = LocalityFactory(code=name[-1] * 3, name=name, parent=localities.p)
        committee = OrgUnitFactory(
            code=f"U{name[-1]}",
            name=title.removeprefix("Bí thư "),
            level=Level.DISTRICT,
            sector=world.sectors.party,
            locality=area,
            parent=world.units.province,
        )
        post = PositionFactory(org_unit=committee, title=title, requires_non_local=True)
        make_official(position=post, hometown=localities.outside, full_name=f"Người {name}")
    make_official(position=p.a_secretary, hometown=localities.outside)
    make_official(position=p.b_secretary, hometown=localities.b)  # local
    run = stored(world, superuser, D(2025, 6, 30))
    row = rows_of(run)["Bí thư cấp ủy cấp huyện"]
    assert row[:7] == ["Huyện", "Bí thư cấp ủy cấp huyện", 3, 4, 4, 0, "3/4"]
    assert "Bí thư cấp ủy cấp huyện 3/4" in run.result["sentence"]
    page = admin_client.get(reverse("report_run_detail", args=[run.pk])).content.decode()
    assert "Bí thư cấp ủy cấp huyện" in page and "Bí thư Thị ủy C" in page


@pytest.fixture
def chair(world):
    """The provincial people's committee chair, with Conclusion 201's target."""
    ubnd = OrgUnitFactory(
        code="UBT",
        name="UBND tỉnh P",
        level=Level.PROVINCE,
        sector=world.sectors.government,
        locality=world.localities.p,
        parent=world.units.province,
    )
    post = PositionFactory(org_unit=ubnd, title="Chủ tịch UBND tỉnh P", requires_non_local=True)
    assert post.post_type.code == "province.committee_chair"
    return post


def test_conclusion_201_targets_ship_with_the_catalogue():
    codes = set(NonLocalTarget.objects.values_list("post_type__code", flat=True))
    assert codes == {
        "province.committee_chair",
        "province.inspection_head",
        "province.chief_inspector",
    }
    assert set(NonLocalTarget.objects.values_list("share", "deadline")) == {(100, D(2025, 12, 15))}


@pytest.mark.parametrize(
    ("hometown", "date_to", "assessment"),
    [
        ("p", D(2025, 11, 30), "Chưa đạt"),
        ("p", D(2025, 12, 15), "Chưa đạt"),  # the deadline is the last day to meet it
        ("p", D(2025, 12, 16), "Quá hạn, chưa đạt"),
        ("outside", D(2025, 12, 31), "Đạt"),
    ],
)
def test_a_target_is_met_not_met_or_overdue_on_the_report_day(
    world, make_official, superuser, chair, hometown, date_to, assessment
):
    make_official(position=chair, hometown=getattr(world.localities, hometown), since=D(2021, 1, 1))
    run = stored(world, superuser, date_to)
    row = rows_of(run)["Chủ tịch Ủy ban nhân dân cấp tỉnh"]
    assert row[7:10] == ["100%", "15/12/2025", assessment]
    assert row[10].startswith("Kết luận số 201-KL/TW")
    missed = "Chưa đạt chỉ tiêu: Chủ tịch Ủy ban nhân dân cấp tỉnh" in run.result["sentence"]
    assert missed == (assessment != "Đạt")
    cells = {
        cell
        for row in load_workbook(io.BytesIO(run_xlsx(run))).active.iter_rows(values_only=True)
        for cell in row
    }
    assert assessment in cells and "15/12/2025" in cells


def test_a_vacant_post_type_with_a_target_is_not_met(world, superuser, chair):
    run = stored(world, superuser, D(2025, 12, 1))
    assert rows_of(run)["Chủ tịch Ủy ban nhân dân cấp tỉnh"][9] == "Chưa đạt"


def test_the_post_type_catalogue_names_a_target_by_type_not_title(world):
    target = NonLocalTarget.objects.get(post_type__code="province.chief_inspector")
    assert target.post_type == PostType.objects.get(code="province.chief_inspector")


def test_the_target_in_force_is_the_next_deadline_not_one_already_passed(
    world, make_official, superuser, chair
):
    NonLocalTarget.objects.create(
        post_type=chair.post_type, share=50, deadline=D(2024, 12, 31), basis="Nghị quyết cũ"
    )
    make_official(position=chair, hometown=world.localities.p, since=D(2021, 1, 1))
    row = rows_of(stored(world, superuser, D(2025, 6, 30)))["Chủ tịch Ủy ban nhân dân cấp tỉnh"]
    assert row[7:10] == ["100%", "15/12/2025", "Chưa đạt"]
    late = rows_of(stored(world, superuser, D(2026, 1, 31)))["Chủ tịch Ủy ban nhân dân cấp tỉnh"]
    assert late[7:10] == ["100%", "15/12/2025", "Quá hạn, chưa đạt"]
