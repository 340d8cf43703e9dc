"""The reorganisation pages: build, preview (= dry run), apply; administrators only;
and the history reads that follow a reorganisation (unit pages, as-of views)."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.choices import Role
from personnel.choices import ReorganisationKind
from personnel.models import Official, OrgUnit, Posting, Reorganisation
from rotation.models import Movement
from rotation.reorganisations import reorganisation_apply, reorganisation_save
from tests.factories import UserFactory
from tests.rotation.test_reorganisations import communes, merge_communes  # noqa: F401, F811
from tests.web.test_units import text_of

D = dt.date


@pytest.fixture
def admin_user(world):
    return UserFactory(username="admin_p", scope=world.units.province, role=Role.ADMINISTRATOR)


def form_data(world, **overrides):
    data = {
        "kind": ReorganisationKind.RENAME,
        "name": "Đổi tên Huyện ủy B",
        "issued_by": world.units.province.pk,
        "basis_number": "01-NQ/TU",
        "basis_date": "01/12/2024",
        "effective_on": "01/01/2025",
        "note": "",
        "units-TOTAL_FORMS": "2",
        "units-INITIAL_FORMS": "0",
        "units-MIN_NUM_FORMS": "0",
        "units-MAX_NUM_FORMS": "500",
        "units-0-predecessor": world.units.hu_b.pk,
        "units-0-new_name": "Thị ủy B",
        "localities-TOTAL_FORMS": "1",
        "localities-INITIAL_FORMS": "0",
        "localities-MIN_NUM_FORMS": "0",
        "localities-MAX_NUM_FORMS": "500",
    }
    data.update(overrides)
    return data


def test_build_preview_and_apply_through_the_pages(login, world, admin_user, make_official):
    holder = make_official(position=world.positions.b_secretary, full_name="Nguyễn Văn Bí")
    client = login(admin_user)
    assert client.get(reverse("reorganisation_list")).status_code == 200
    response = client.post(reverse("reorganisation_create"), form_data(world))
    reorganisation = Reorganisation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reorganisation_detail", args=[reorganisation.pk]
    )
    assert reorganisation.recorded_by == admin_user
    page = text_of(client.get(reverse("reorganisation_detail", args=[reorganisation.pk])))
    assert "Xem trước" in page and "Thị ủy B" in page and "Nguyễn Văn Bí" in page
    assert not OrgUnit.objects.filter(name="Thị ủy B").exists()  # preview wrote nothing
    response = client.post(reverse("reorganisation_apply", args=[reorganisation.pk]))
    assert response.status_code == 302
    successor = OrgUnit.objects.get(name="Thị ủy B")
    assert Posting.objects.get(official=holder, end_date__isnull=True).org_unit == successor
    page = text_of(client.get(reverse("reorganisation_detail", args=[reorganisation.pk])))
    assert "Kết quả áp dụng" in page and "01-NQ/TU" in page
    # Applying again through the page changes nothing.
    client.post(reverse("reorganisation_apply", args=[reorganisation.pk]))
    assert Movement.objects.count() == 1
    # Edit is refused once applied.
    response = client.get(reverse("reorganisation_update", args=[reorganisation.pk]))
    assert response.status_code == 302


def test_problems_are_shown_and_the_apply_button_is_not(login, world, admin_user):
    client = login(admin_user)
    client.post(
        reverse("reorganisation_create"),
        form_data(
            world,
            kind=ReorganisationKind.ABOLISH,
            **{"units-0-predecessor": world.units.hu_a.pk, "units-0-new_name": ""},
        ),
    )
    reorganisation = Reorganisation.objects.get()
    response = client.get(reverse("reorganisation_detail", args=[reorganisation.pk]))
    page = text_of(response)
    assert "Chưa áp dụng được" in page and "UBND huyện A" in page
    assert (
        reverse("reorganisation_apply", args=[reorganisation.pk]) not in response.content.decode()
    )
    client.post(reverse("reorganisation_apply", args=[reorganisation.pk]))
    reorganisation.refresh_from_db()
    assert not reorganisation.is_applied


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"effective_on": "31/12/9999"}, "effective_on"),
        ({"basis_date": "01/01/0001"}, "basis_date"),
        ({"name": "x" * 10_000}, "name"),
        ({"units-0-predecessor": "99999999999999999999"}, None),
        ({"effective_on": "01/01/2024"}, None),  # before the basis date
    ],
)
def test_hostile_input_is_refused_with_a_message(login, world, admin_user, overrides, field):
    response = login(admin_user).post(
        reverse("reorganisation_create"), form_data(world, **overrides)
    )
    assert response.status_code == 200
    assert not Reorganisation.objects.exists()
    assert "Chưa lưu được" in text_of(response)
    if field:
        assert response.context["form"].errors.get(field)


def test_a_nul_byte_is_refused_before_the_form(login, world, admin_user):
    response = login(admin_user).post(
        reverse("reorganisation_create"), form_data(world, basis_number="1\x00")
    )
    assert response.status_code == 400 and not Reorganisation.objects.exists()


def test_only_administrators_see_the_pages_and_the_menu(login, world, users, admin_user):
    for user in (users.viewer, users.officer, users.approver):
        client = login(user)
        assert client.get(reverse("reorganisation_list")).status_code == 403
        assert "Sắp xếp tổ chức" not in text_of(client.get(reverse("dashboard")))
    client = login(admin_user)
    assert "Sắp xếp tổ chức" in text_of(client.get(reverse("dashboard")))


def test_out_of_scope_is_404(login, world, admin_user):
    client = login(admin_user)
    client.post(reverse("reorganisation_create"), form_data(world))
    reorganisation = Reorganisation.objects.get()
    other = UserFactory(username="admin_b", scope=world.units.hu_b, role=Role.ADMINISTRATOR)
    client = login(other)
    for name in ("reorganisation_detail", "reorganisation_update"):
        assert client.get(reverse(name, args=[reorganisation.pk])).status_code == 404
    assert client.post(reverse("reorganisation_apply", args=[reorganisation.pk])).status_code == 404
    assert reverse("reorganisation_detail", args=[reorganisation.pk]) not in (
        client.get(reverse("reorganisation_list")).content.decode()
    )


class TestHistoryReads:
    """After a merge of two communes on 1/7/2025 (tests/rotation/test_reorganisations.py)."""

    @pytest.fixture
    def merged(self, communes):  # noqa: F811
        reorganisation_apply(
            reorganisation=merge_communes(communes), by=communes.admin, today=D(2026, 12, 7)
        )
        communes.successor = OrgUnit.objects.get(name="Đảng ủy xã A12")
        return communes

    def test_a_user_of_the_successor_reads_the_predecessors_history(self, login, merged):
        user = UserFactory(username="a12", scope=merged.successor, role=Role.VIEWER)
        client = login(user)
        old = merged.world.units.xa_a1
        assert client.get(reverse("unit_detail", args=[old.pk])).status_code == 200
        # An official still to be placed in the old unit, and one carried over.
        for official in (merged.people.an, merged.people.cuc):
            assert client.get(reverse("official_detail", args=[official.pk])).status_code == 200
        assert Official.objects.for_user(user).count() == 3
        # A unit of another district stays out of reach.
        hu_b = merged.world.units.hu_b
        assert client.get(reverse("unit_detail", args=[hu_b.pk])).status_code == 404

    def test_a_user_of_an_ended_unit_is_flagged_and_reads_nothing(self, login, merged, superuser):
        client = login(merged.a2_user)
        assert client.get(reverse("official_list")).status_code == 403
        response = login(superuser).get(
            reverse("admin:accounts_user_changelist"), {"scope_state": "ended"}
        )
        assert [u.username for u in response.context["cl"].result_list] == ["xa_a2"]
        assert "cần giao phạm vi mới" in text_of(response)

    def test_unit_pages_link_predecessors_and_successors(self, login, merged, admin_user):
        client = login(admin_user)
        page = text_of(client.get(reverse("unit_detail", args=[merged.successor.pk])))
        assert "Hình thành từ" in page
        assert "Đảng ủy xã A1" in page and "Đảng ủy xã A2" in page and "1665/NQ-UBTVQH15" in page
        page = text_of(client.get(reverse("unit_detail", args=[merged.xa_a2.pk])))
        assert "Tiếp tục tại" in page and "Đảng ủy xã A12" in page

    def test_a_reorganisation_being_prepared_changes_no_unit_page(self, login, merged, admin_user):
        reorganisation_save(
            reorganisation=Reorganisation(
                kind=ReorganisationKind.ABOLISH,
                name="Dự kiến",
                issued_by=merged.world.units.province,
                basis_number="9/TTr",
                basis_date=D(2026, 12, 1),
                effective_on=D(2027, 1, 1),
            ),
            unit_rows=[{"predecessor": merged.successor}],
            by=admin_user,
        )
        page = text_of(login(admin_user).get(reverse("unit_detail", args=[merged.successor.pk])))
        assert "Hình thành từ" in page and "Tiếp tục tại" not in page

    def test_the_unit_tree_as_of_a_day_before_and_after_the_merge(self, login, merged, admin_user):
        client = login(admin_user)
        hu_a = merged.world.units.hu_a

        def children(on=None):
            params = {"on": on} if on else {}
            response = client.get(reverse("unit_children", args=[hu_a.pk]), params)
            return {node.name for node in response.context["nodes"]}

        assert children("2025-06-30") == {"UBND huyện A", "Đảng ủy xã A1", "Đảng ủy xã A2"}
        assert children() == {"UBND huyện A", "Đảng ủy xã A12"}
        assert children("30/06/2025") == children("2025-06-30")

    def test_an_ended_unit_page_shows_who_held_each_post_on_its_last_day(
        self, login, merged, admin_user
    ):
        client = login(admin_user)
        response = client.get(reverse("unit_detail", args=[merged.world.units.xa_a1.pk]))
        assert response.context["on"] == D(2025, 6, 30)
        page = text_of(response)
        assert "Lê Thị Cúc" in page and "Đã kết thúc" in page
        response = client.get(
            reverse("unit_detail", args=[merged.successor.pk]), {"on": "2025-07-01"}
        )
        assert "Lê Thị Cúc" in text_of(response)


def test_the_cv_writes_places_with_todays_names_beside_the_declared_ones(
    login,
    communes,  # noqa: F811
    superuser,
):
    official = communes.people.cuc
    Official.objects.filter(pk=official.pk).update(
        birthplace=communes.world.localities.a1, hometown=communes.world.localities.outside
    )
    reorganisation_apply(
        reorganisation=merge_communes(communes), by=communes.admin, today=D(2026, 12, 7)
    )
    page = text_of(login(superuser).get(reverse("official_cv", args=[official.pk])))
    assert "Xã A12, Huyện A" in page and "khai là Xã A1" in page
    assert "Tỉnh khác" in page  # unchanged: written as declared
