"""Quy định 377-QĐ/TW and Nghị định 170/2025/NĐ-CP as rule checks on a higher post.

A disciplined cadre waits 24 (reprimand), 36 (warning) or 60 months (removal) from the
decision before a higher post; any cadre holds the current or an equivalent post for 24
months first. Both are warnings on the movement, never refusals.

The small province of tests/rotation/conftest.py: district posts (Huyện ủy A, B) above
the commune (xã A1), below the province (Tỉnh ủy P).
"""

import datetime as dt
import html

import pytest
from django.urls import reverse

from personnel import services as personnel_services
from personnel.choices import PositionKind
from personnel.models import Discipline
from personnel.models_discipline import DisciplineKind
from rotation import rules, services
from rotation.choices import MovementKind
from rotation.models import Movement
from tests.admin_battery.forms import form_data
from tests.factories import DisciplineFactory, OfficialFactory, PositionFactory

pytestmark = pytest.mark.django_db

D = dt.date
P = rules.RuleParameters()
ON = D(2025, 3, 10)  # the day each waiting period below ends


def movement(official, position, on=ON, kind=MovementKind.ROTATION, **extra):
    return Movement(
        official=official, to_position=position, kind=kind, effective_on=on, term_months=36, **extra
    )


def codes(findings):
    return [f.code for f in findings]


@pytest.fixture
def deputy(world, make_official):
    """Deputy secretary of Huyện ủy B since 2018: district secretary is the higher post."""
    return make_official(position=world.positions.b_deputy, full_name="Phạm Văn Kỷ")


class TestHigherPost:
    def test_a_higher_kind_at_the_same_level_is_higher(self, world, deputy):
        assert rules.is_higher_post(movement(deputy, world.positions.b_secretary))

    def test_a_higher_level_is_higher(self, world, make_official):
        commune_head = make_official(position=world.positions.a1_secretary)
        assert rules.is_higher_post(movement(commune_head, world.positions.b_deputy))

    def test_lateral_and_lower_moves_are_not_higher(self, world, deputy):
        assert not rules.is_higher_post(movement(deputy, world.positions.a_deputy))
        # A head's post, but at the commune: lower.
        assert not rules.is_higher_post(movement(deputy, world.positions.a1_secretary))

    def test_a_staff_post_is_never_higher(self, world, make_official):
        commune_head = make_official(position=world.positions.a1_secretary)
        staff = PositionFactory(
            org_unit=world.units.province, title="Chuyên viên", kind=PositionKind.STAFF
        )
        assert not rules.is_higher_post(movement(commune_head, staff))

    def test_a_posting_without_position_counts_as_staff(self, world, make_official):
        clerk = make_official(unit=world.units.hu_b)  # "Chuyên viên" of Huyện ủy B
        assert rules.is_higher_post(movement(clerk, world.positions.b_deputy))

    def test_origin_unknown_is_not_higher(self, world):
        newcomer = OfficialFactory()  # no posting, no position recorded before
        assert not rules.is_higher_post(movement(newcomer, world.positions.b_secretary))

    def test_the_origin_position_of_a_move_from_outside_is_the_post_left(
        self, world, make_official
    ):
        # Recorded as coming from a district head's post: a district deputy's is not higher,
        # whatever posting the record still holds (a commune head's here).
        official = make_official(position=world.positions.a1_secretary)
        from_outside = movement(
            official, world.positions.b_deputy, origin_position=world.positions.a_secretary
        )
        assert not rules.is_higher_post(from_outside)


class TestDisciplineWaiting:
    @pytest.mark.parametrize(
        ("kind", "decided", "label", "months"),
        [
            (DisciplineKind.REPRIMAND, D(2023, 3, 10), "khiển trách", 24),
            (DisciplineKind.WARNING, D(2022, 3, 10), "cảnh cáo", 36),
            (DisciplineKind.REMOVAL, D(2020, 3, 10), "cách chức", 60),
        ],
    )
    def test_warns_until_the_waiting_period_ends(self, world, deputy, kind, decided, label, months):
        DisciplineFactory(official=deputy, kind=kind, decided_on=decided)
        day_before = rules.check_discipline_waiting(
            movement(deputy, world.positions.b_secretary, on=ON - dt.timedelta(days=1)), P
        )
        assert codes(day_before) == ["discipline_waiting"]
        message = day_before[0].message
        assert f"kỷ luật {label}" in message
        assert decided.strftime("%d/%m/%Y") in message
        assert f"sau {months} tháng, tức từ ngày 10/03/2025" in message
        assert "377-QĐ/TW" in message
        end_day = movement(deputy, world.positions.b_secretary, on=ON)
        assert rules.check_discipline_waiting(end_day, P) == []

    def test_a_discipline_decided_after_the_effective_date_does_not_count(self, world, deputy):
        DisciplineFactory(official=deputy, decided_on=ON + dt.timedelta(days=1))
        assert (
            rules.check_discipline_waiting(movement(deputy, world.positions.b_secretary), P) == []
        )

    def test_a_discipline_decided_on_the_effective_date_counts(self, world, deputy):
        DisciplineFactory(official=deputy, decided_on=ON)
        findings = rules.check_discipline_waiting(movement(deputy, world.positions.b_secretary), P)
        assert codes(findings) == ["discipline_waiting"]

    def test_each_discipline_still_waiting_is_named(self, world, deputy):
        DisciplineFactory(official=deputy, kind=DisciplineKind.REPRIMAND, decided_on=D(2024, 1, 5))
        DisciplineFactory(official=deputy, kind=DisciplineKind.WARNING, decided_on=D(2021, 1, 5))
        DisciplineFactory(official=deputy, kind=DisciplineKind.REMOVAL, decided_on=D(2019, 1, 5))
        findings = rules.check_discipline_waiting(movement(deputy, world.positions.b_secretary), P)
        assert len(findings) == 1  # only the reprimand's 24 months run past 10/03/2025
        assert "khiển trách" in findings[0].message and "05/01/2026" in findings[0].message

    def test_only_the_official_moved_counts(self, world, deputy, make_official):
        other = make_official(position=world.positions.a_deputy)
        DisciplineFactory(official=other, decided_on=D(2024, 1, 5))
        assert (
            rules.check_discipline_waiting(movement(deputy, world.positions.b_secretary), P) == []
        )

    @pytest.mark.parametrize("position", ["a_deputy", "a1_secretary"])
    def test_lateral_or_lower_moves_get_no_warning(self, world, make_official, position):
        # Disciplined last year and in the post for a year: neither rule speaks.
        official = make_official(position=world.positions.b_deputy, since=D(2024, 3, 1))
        DisciplineFactory(official=official, kind=DisciplineKind.REMOVAL, decided_on=D(2024, 6, 1))
        move = movement(official, getattr(world.positions, position))
        assert rules.check_discipline_waiting(move, P) == []
        assert rules.check_time_in_post(move, P) == []

    def test_a_dismissal_sets_no_waiting_period_here(self, world, deputy):
        DisciplineFactory(official=deputy, kind=DisciplineKind.DISMISSAL, decided_on=D(2024, 6, 1))
        assert (
            rules.check_discipline_waiting(movement(deputy, world.positions.b_secretary), P) == []
        )


class TestTimeInPost:
    @pytest.mark.parametrize(("on", "fires"), [(D(2025, 7, 31), True), (D(2025, 8, 1), False)])
    def test_twenty_four_months_in_the_current_post(self, world, make_official, on, fires):
        official = make_official(position=world.positions.b_deputy, since=D(2023, 8, 1))
        findings = rules.check_time_in_post(movement(official, world.positions.b_secretary, on), P)
        assert codes(findings) == (["time_in_post_short"] if fires else [])
        if fires:
            message = findings[0].message
            assert "“Phó Bí thư Huyện ủy B”" in message
            assert "được 23 tháng, từ 01/08/2023" in message
            assert "ít nhất 24 tháng" in message and "170/2025/NĐ-CP" in message

    def test_an_equivalent_post_held_just_before_counts(self, world, make_official):
        # Deputy in district A from 2022, then rotated laterally to district B in 8/2023.
        official = make_official(position=world.positions.a_deputy, since=D(2022, 1, 1))
        personnel_services.posting_update(posting=official.current_posting, end_date=D(2023, 7, 31))
        personnel_services.posting_create(
            official=official, position=world.positions.b_deputy, title="", start_date=D(2023, 8, 1)
        )
        move = movement(official, world.positions.b_secretary, D(2025, 7, 31))
        assert rules.check_time_in_post(move, P) == []

    def test_a_lower_post_held_before_does_not_count(self, world, make_official):
        official = make_official(position=world.positions.a1_secretary, since=D(2020, 1, 1))
        personnel_services.posting_update(posting=official.current_posting, end_date=D(2023, 7, 31))
        personnel_services.posting_create(
            official=official, position=world.positions.b_deputy, title="", start_date=D(2023, 8, 1)
        )
        move = movement(official, world.positions.b_secretary, D(2025, 7, 31))
        assert codes(rules.check_time_in_post(move, P)) == ["time_in_post_short"]

    def test_the_from_posting_is_the_post_left(self, world, make_official):
        official = make_official(position=world.positions.b_deputy, since=D(2023, 8, 1))
        move = movement(
            official,
            world.positions.b_secretary,
            D(2025, 7, 31),
            from_posting=official.current_posting,
        )
        assert codes(rules.check_time_in_post(move, P)) == ["time_in_post_short"]


class TestParameters:
    def test_defaults(self):
        assert P.discipline_waiting_months == {"reprimand": 24, "warning": 36, "removal": 60}
        assert P.min_months_in_post_before_higher == 24

    def test_overridden_by_settings(self, settings, world, make_official):
        settings.ROTATION_RULES = {
            "discipline_waiting_months": {"reprimand": 12},
            "min_months_in_post_before_higher": 12,
        }
        # One kind named: the others keep their periods.
        assert rules.parameters().discipline_waiting_months == {
            "reprimand": 12,
            "warning": 36,
            "removal": 60,
        }
        # Twelve months in the post and twelve since a reprimand, on the effective date.
        official = make_official(position=world.positions.b_deputy, since=D(2024, 3, 10))
        DisciplineFactory(
            official=official, kind=DisciplineKind.REPRIMAND, decided_on=D(2024, 3, 10)
        )
        move = movement(official, world.positions.b_secretary)
        assert ours(rules.evaluate(move)) == []
        DisciplineFactory(official=official, kind=DisciplineKind.WARNING, decided_on=D(2024, 3, 10))
        assert ours(rules.evaluate(move)) == ["discipline_waiting"]
        settings.ROTATION_RULES = {}
        assert ours(rules.evaluate(move)) == [
            "discipline_waiting",
            "discipline_waiting",
            "time_in_post_short",
        ]


CODES = {"discipline_waiting", "time_in_post_short"}


def ours(findings) -> list[str]:
    """The codes of this module's two rules among ``findings``, sorted."""
    return sorted(f.code for f in findings if f.code in CODES)


class TestThroughTheService:
    def test_the_movement_stores_the_warnings_and_the_decision_page_shows_them(
        self, client, world, make_official
    ):
        official = make_official(
            position=world.positions.b_deputy, since=D(2024, 1, 1), full_name="Hồ Văn Kỷ"
        )
        DisciplineFactory(official=official, kind=DisciplineKind.WARNING, decided_on=D(2023, 5, 4))
        decision = services.decision_create(
            number="77-QĐ/TU", issued_by=world.units.province, title="Điều động cán bộ"
        )
        moved = services.movement_add(
            decision=decision,
            official=official,
            kind=MovementKind.TRANSFER,
            to_position=world.positions.b_secretary,
            effective_on=D(2025, 8, 1),
        )
        assert moved.from_posting == official.current_posting
        stored = {f["code"]: f for f in moved.findings}
        assert ours(rules.Finding(**f) for f in moved.findings) == sorted(CODES)
        assert stored["discipline_waiting"]["severity"] == "warning"
        client.force_login(world.officer)
        page = html.unescape(
            client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
        )
        assert stored["discipline_waiting"]["message"] in page
        assert "Cán bộ bị kỷ luật cảnh cáo theo quyết định ngày 04/05/2023" in page
        assert "từ ngày 04/05/2026" in page
        assert stored["time_in_post_short"]["message"] in page
        assert "được 19 tháng, từ 01/01/2024" in page


class TestAdminInline:
    def _post(self, admin_client, official, **row):
        url = reverse("admin:personnel_official_change", args=[official.pk])
        data = form_data(admin_client.get(url).content.decode(), form_id="official_form")
        data.update({"disciplines-TOTAL_FORMS": "1", "disciplines-INITIAL_FORMS": "0"})
        data.update({f"disciplines-0-{name}": value for name, value in row.items()})
        return admin_client.post(url, data)

    def test_the_inline_saves_a_discipline_with_its_history(self, admin_client, world, deputy):
        response = self._post(
            admin_client,
            deputy,
            kind=DisciplineKind.WARNING,
            decided_on="04/05/2023",
            basis="15-QĐ/UBKT",
            issued_by="Ủy ban Kiểm tra Tỉnh ủy",
        )
        assert response.status_code == 302, response.context and [
            f.formset.errors for f in response.context["inline_admin_formsets"]
        ]
        saved = deputy.disciplines.get()
        assert (saved.kind, saved.decided_on, saved.basis) == (
            DisciplineKind.WARNING,
            D(2023, 5, 4),
            "15-QĐ/UBKT",
        )
        assert saved.history.count() == 1

    @pytest.mark.parametrize(
        ("decided_on", "message"),
        [
            ("01/01/2099", "Ngày quyết định kỷ luật (01/01/2099) không được sau ngày hôm nay."),
            # Born 15/03/1980 (make_official): of working age on 15/03/1996.
            ("14/03/1996", "trước ngày cán bộ đủ 16 tuổi (15/03/1996"),
        ],
    )
    def test_the_inline_refuses_an_impossible_date(
        self, admin_client, world, deputy, decided_on, message
    ):
        response = self._post(
            admin_client,
            deputy,
            kind=DisciplineKind.REPRIMAND,
            decided_on=decided_on,
            basis="16-QĐ/UBKT",
        )
        assert response.status_code == 200
        assert message in html.unescape(response.content.decode())
        assert not Discipline.objects.exists()

    def test_the_day_of_adulthood_is_accepted(self, admin_client, world, deputy):
        response = self._post(
            admin_client,
            deputy,
            kind=DisciplineKind.REPRIMAND,
            decided_on="15/03/1998",
            basis="17-QĐ/UBKT",
        )
        assert response.status_code == 302
        assert deputy.disciplines.get().decided_on == D(1998, 3, 15)
