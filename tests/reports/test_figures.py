"""Figures committees quote, on built records, through the real path: the run is stored by
the service, its figures read from the stored result, and each figure's people read from
the drill-down page (``report_run_people``) and the XLSX "Danh sách" sheet."""

import datetime as dt

import pytest
from django.urls import reverse

from personnel.choices import Level, ManagementTier, PoliticalTheory
from reports import registry
from rotation import services as rotation_services
from rotation.choices import ConsultationOpinion, MovementKind
from tests.factories import OrgUnitFactory, PlanningEntryFactory, PositionFactory, SectorFactory
from tests.reports.drill_support import (
    assert_every_figure_lists_exactly_its_cadres,
    drilled,
    people_sheet,
    stored_run,
    table,
)

D = dt.date
PROVINCIAL = ManagementTier.PROVINCIAL_STANDING


# --- a tier's moved cadres, split by kind -----------------------------------------------


@pytest.fixture
def tier_moves(world, make_official, move):
    p = world.positions
    moves = [
        ("Tỉnh An", PROVINCIAL, p.province_deputy, p.a_deputy, MovementKind.ROTATION, 36),
        ("Tỉnh Bình", PROVINCIAL, p.a_deputy, p.province_deputy, MovementKind.TRANSFER, None),
        ("Tỉnh Cường", PROVINCIAL, p.b_deputy, p.b_secretary, MovementKind.APPOINTMENT, 60),
        ("Huyện Dũng", ManagementTier.DISTRICT_STANDING, p.a1_secretary, p.a_chair,
         MovementKind.ROTATION, 36),
    ]  # fmt: skip
    for name, tier, start, to, kind, months in moves:
        official = make_official(position=start, full_name=name, management_tier=tier)
        move(official, to, D(2022, 3, 1), kind=kind, term=months)
    return world


def test_a_tiers_moved_cadres_split_by_kind_in_one_run(tier_moves, admin_client):
    run = stored_run(
        "rotation_summary", tier_moves.units.province, D(2021, 1, 1), D(2023, 12, 31),
        kind="all", tier=PROVINCIAL,
    )  # fmt: skip
    result = run.result
    assert result["total_cadres"] == 3
    assert result["by_tier_kind"][PROVINCIAL] == {"rotation": 1, "transfer": 1, "appointment": 1}
    assert result["sentence"].startswith(
        "Từ ngày 01/01/2021 đến ngày 31/12/2023 đã luân chuyển, điều động, bổ nhiệm 3 cán bộ diện "
        "Ban Thường vụ Tỉnh ủy quản lý"
    )
    assert (
        "Theo hình thức: luân chuyển 1 đồng chí; điều động 1 đồng chí; bổ nhiệm 1 đồng chí."
        in (result["sentence"])
    )
    tier_label = str(ManagementTier(PROVINCIAL).label)
    assert drilled(admin_client, run, "by_tier_kind", tier_label, "transfer") == ["Tỉnh Bình"]
    assert drilled(admin_client, run, "by_tier_kind", tier_label) == [
        "Tỉnh An",
        "Tỉnh Bình",
        "Tỉnh Cường",
    ]
    assert assert_every_figure_lists_exactly_its_cadres(admin_client, run) >= 8
    # Without the tier parameter the district tier's rotation is counted on its own row.
    everyone = stored_run(
        "rotation_summary", tier_moves.units.province, D(2021, 1, 1), D(2023, 12, 31), kind="all"
    )
    assert everyone.result["by_tier_kind"]["district_standing"] == {"rotation": 1}
    label = str(ManagementTier.DISTRICT_STANDING.label)
    assert drilled(admin_client, everyone, "by_tier_kind", label, "rotation") == ["Huyện Dũng"]
    assert_every_figure_lists_exactly_its_cadres(admin_client, everyone)


def test_the_people_sheet_lists_each_figures_cadres(tier_moves, admin_client):
    run = stored_run(
        "rotation_summary", tier_moves.units.province, D(2021, 1, 1), D(2023, 12, 31),
        kind="all", tier=PROVINCIAL,
    )  # fmt: skip
    rows = people_sheet(admin_client, run)
    headings = [r[0] for r in rows if r and isinstance(r[0], str) and " – " in r[0]]
    assert len(headings) == len(registry.row_drills(run.result))
    start = next(
        i for i, r in enumerate(rows) if r[0] and str(r[0]).endswith("– Điều động (1 cán bộ)")
    )
    assert rows[start][0] == "Theo hình thức (mọi hình thức trong kỳ) – Điều động (1 cán bộ)"
    assert rows[start + 1][:2] == ["STT", "Họ và tên"]
    assert rows[start + 2][:2] == [1, "Tỉnh Bình"]
    names = {r[1] for r in rows if r and isinstance(r[0], int)}
    assert names == {"Tỉnh An", "Tỉnh Bình", "Tỉnh Cường"}


def test_a_figure_whose_people_changed_since_the_run_says_so(tier_moves, admin_client):
    run = stored_run(
        "rotation_summary", tier_moves.units.province, D(2021, 1, 1), D(2023, 12, 31), kind="all"
    )
    from rotation.models import Movement

    Movement.objects.filter(official__full_name="Tỉnh Bình").delete()
    t = table(run, "by_kind")
    row = next(i for i, r in enumerate(t["rows"]) if r[0] == "Điều động")
    response = admin_client.get(
        f"{reverse('report_run_people', args=[run.pk])}?table=by_kind&row={row}"
    )
    assert response.status_code == 200
    assert "ghi 1 cán bộ; theo dữ liệu hiện tại danh sách có 0 cán bộ" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["", "?table=by_kind", "?table=by_kind&row=x", "?table=nope&row=0", "?table=by_kind&row=99",
     "?table=by_kind&row=0&column=nope", "?table=by_kind&row=-1", "?table=by_kind&row=1000001"],
)  # fmt: skip
def test_a_people_link_that_names_no_figure_is_not_found(tier_moves, admin_client, query):
    run = stored_run(
        "rotation_summary", tier_moves.units.province, D(2021, 1, 1), D(2023, 12, 31), kind="all"
    )
    assert admin_client.get(reverse("report_run_people", args=[run.pk]) + query).status_code == 404


def test_the_run_page_links_each_counting_row_to_its_people(tier_moves, admin_client):
    run = stored_run(
        "rotation_summary", tier_moves.units.province, D(2021, 1, 1), D(2023, 12, 31), kind="all"
    )
    html = admin_client.get(reverse("report_run_detail", args=[run.pk])).content.decode()
    base = reverse("report_run_people", args=[run.pk])
    for d in registry.row_drills(run.result):
        assert f'href="{base}?table={d.table["key"]}&amp;row={d.row}"' in html


# --- the planned cadres of a term ------------------------------------------------------


def test_share_of_a_terms_planned_cadres_with_advanced_theory(world, make_official, admin_client):
    p = world.positions
    p.a_secretary.management_tier = PROVINCIAL
    p.a_secretary.save()

    def cadre(name, theory, planned_for=None, term="2025-2030", tier=ManagementTier.UNIT):
        official = make_official(
            unit=world.units.hu_a,
            full_name=name,
            political_theory=theory,
            management_tier=tier,
            planned=False,
        )
        if planned_for is not None:
            PlanningEntryFactory(official=official, position=planned_for, term=term)

    cadre("Quy hoạch Một", PoliticalTheory.ADVANCED, p.a_secretary)
    cadre("Quy hoạch Hai", PoliticalTheory.INTERMEDIATE, p.a_secretary)
    cadre("Quy hoạch Ba", PoliticalTheory.BACHELOR, p.a_secretary)
    cadre("Chức danh khác diện", PoliticalTheory.ADVANCED, p.b_deputy)
    cadre("Nhiệm kỳ trước", PoliticalTheory.NONE, p.a_secretary, term="2020-2025")
    cadre("Không quy hoạch", PoliticalTheory.NONE, tier=PROVINCIAL)
    run = stored_run(
        "training_standards", world.units.province, D(2025, 10, 1), D(2026, 6, 30),
        population="planned", tier=PROVINCIAL,
    )  # fmt: skip
    result = run.result
    assert result["total"] == 3 and result["population"] == "planned"
    assert result["shares"]["theory_advanced"] == 66.7
    assert result["sentence"].startswith(
        "Trong 3 cán bộ (cán bộ trong quy hoạch nhiệm kỳ 2025-2030 các chức danh diện "
        "ban thường vụ tỉnh ủy quản lý): "
    )
    advanced = "Lý luận chính trị cao cấp, cử nhân"
    assert drilled(admin_client, run, "standards", advanced) == ["Quy hoạch Ba", "Quy hoạch Một"]
    assert drilled(admin_client, run, "standards", advanced, "total") == [
        "Quy hoạch Ba",
        "Quy hoạch Hai",
        "Quy hoạch Một",
    ]
    assert_every_figure_lists_exactly_its_cadres(admin_client, run)
    # The people of the tier itself (the default population) are another set.
    managed = stored_run(
        "training_standards", world.units.province, D(2025, 10, 1), D(2026, 6, 30), tier=PROVINCIAL
    )
    assert managed.result["total"] == 1 and managed.result["population"] == "managed"
    # The term asked for explicitly reads that term's planning.
    before = stored_run(
        "training_standards", world.units.province, D(2025, 10, 1), D(2026, 6, 30),
        population="planned", tier=PROVINCIAL, term="2020-2025",
    )  # fmt: skip
    assert before.result["total"] == 1


# --- a transfer along a vertical sector line --------------------------------------------


def test_a_vertical_line_transfer_approved_without_the_sending_districts_committee(
    world, make_official, admin_client
):
    tax = SectorFactory(code="tax", name="Thuế")
    department = OrgUnitFactory(
        code="CT", name="Cục Thuế tỉnh P", level=Level.PROVINCE, sector=tax,
        locality=world.localities.p, parent=world.units.province,
    )  # fmt: skip
    offices = {
        side: OrgUnitFactory(
            code=f"CCT-{side}", name=f"Chi cục Thuế huyện {side}", level=Level.DISTRICT,
            sector=tax, locality=locality, parent=department,
        )
        for side, locality in (("A", world.localities.a), ("B", world.localities.b))
    }  # fmt: skip
    deputy_a = PositionFactory(org_unit=offices["A"], title="Phó Chi cục trưởng huyện A")
    head_b = PositionFactory(org_unit=offices["B"], title="Chi cục trưởng huyện B")
    official = make_official(position=deputy_a, full_name="Lý Văn Thuế")
    decision = rotation_services.decision_create(
        number="7-QĐ/CT", issued_by=department, title="Điều động cán bộ"
    )
    rotation_services.movement_add(
        decision=decision,
        official=official,
        kind=MovementKind.TRANSFER,
        to_position=head_b,
        effective_on=D(2025, 5, 1),
    )
    rotation_services.decision_request_consultations(decision=decision, requested_on=D(2025, 3, 1))
    asked = {c.org_unit.name: c.role for c in decision.consultations.select_related("org_unit")}
    assert asked == {
        "Chi cục Thuế huyện A": "sending",
        "Chi cục Thuế huyện B": "receiving",
        "Huyện ủy A": "local",
        "Huyện ủy B": "local",
    }
    for c in decision.consultations.exclude(org_unit=world.units.hu_a):
        rotation_services.consultation_answer(
            consultation=c, opinion=ConsultationOpinion.AGREE, answered_on=D(2025, 3, 10)
        )
    rotation_services.decision_approve(decision=decision, signed_on=D(2025, 4, 1))
    run = stored_run("consultation_compliance", world.units.province, D(2025, 1, 1), D(2025, 6, 30))
    assert run.result["fait_accompli"] == 1
    assert run.result["missing_by_side"] == {"sending": 1}
    assert table(run, "missing_answers")["rows"] == [
        ["7-QĐ/CT", "01/04/2025", "Nơi đi", "Cấp ủy địa phương (nơi đi)", "Huyện ủy A"]
    ]
    assert table(run, "fait_accompli")["rows"][0][-1] == "Cấp ủy địa phương (nơi đi): Huyện ủy A"
    assert run.result["sentence"].endswith("Còn thiếu 1 ý kiến: nơi đi 1.")
    assert drilled(admin_client, run, "fait_accompli", "7-QĐ/CT") == ["Lý Văn Thuế"]
    assert_every_figure_lists_exactly_its_cadres(admin_client, run)


# --- posts requiring a non-local holder -------------------------------------------------


def test_non_local_figures_list_their_holders(world, make_official, admin_client):
    p = world.positions
    make_official(position=p.a_secretary, full_name="Ngoài Tỉnh")  # hometown outside: non-local
    make_official(position=p.b_secretary, full_name="Người Huyện B", hometown=world.localities.b)
    run = stored_run("non_local_compliance", world.units.province, D(2025, 1, 1), D(2025, 6, 30))
    by_place = table(run, "by_locality")
    assert [r[:4] for r in by_place["rows"] if r[0] in ("Huyện A", "Huyện B")] == [
        ["Huyện A", 1, 1, 2],
        ["Huyện B", 0, 1, 1],
    ]
    assert drilled(admin_client, run, "by_locality", "Huyện A") == ["Ngoài Tỉnh"]
    assert drilled(admin_client, run, "by_locality", "Huyện A", "non_local") == ["Ngoài Tỉnh"]
    assert drilled(admin_client, run, "by_locality", "Huyện B") == ["Người Huyện B"]
    b_row = next(i for i, r in enumerate(by_place["rows"]) if r[0] == "Huyện B")
    assert registry.drill_at(run.result, "by_locality", b_row, "non_local") is None
    assert_every_figure_lists_exactly_its_cadres(admin_client, run)


def test_planning_structure_figures_list_their_cadres(world, make_official, admin_client):
    from personnel.choices import Gender

    make_official(full_name="Nữ Trẻ", gender=Gender.FEMALE, date_of_birth=D(1992, 1, 1))
    make_official(full_name="Nam", gender=Gender.MALE, ethnicity="Tày")
    run = stored_run("planning_structure", world.units.province, D(2025, 10, 1), D(2026, 6, 30))
    structure = table(run, "structure")
    assert drilled(admin_client, run, "structure", structure["rows"][1][0]) == ["Nữ Trẻ"]
    assert drilled(admin_client, run, "structure", structure["rows"][2][0]) == ["Nam"]
    assert drilled(admin_client, run, "per_position", "Bí thư Huyện ủy A") == ["Nam", "Nữ Trẻ"]
    assert_every_figure_lists_exactly_its_cadres(admin_client, run)
