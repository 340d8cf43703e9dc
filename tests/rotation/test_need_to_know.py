"""Need to know inside a decision (issue 8, point 3).

The province (Tỉnh ủy P) issues one decision that moves a cadre of district A (onto B's
secretary post, still held by B's secretary) and a cadre of district B (to the
province). District A must see its own cadre's movement and its own answer only,
never B's cadre, B's answers, or the name of B's secretary in a rule finding; the
province, which issued the decision, sees everything. Emails to a unit list only the
movements that concern it, and each email leaves an audit row without personal data.
"""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.models import AuditEvent
from personnel import services as personnel_services
from personnel.choices import Level
from rotation import disclosure, notifications, services
from rotation.choices import ConsultationOpinion, ConsultationRole, MovementKind
from rotation.consultations import consulted_units
from rotation.models import Movement
from tests.factories import OrgUnitFactory, PositionFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOON = TODAY + dt.timedelta(days=60)

# Canaries: names and a birth date that must never reach district A.
A_CADRE = "Đinh Thị Ánh"
B_CADRE = "Vũ Văn Bách"
B_CADRE_BORN = dt.date(1982, 11, 29)
B_HOLDER = "Hoàng Văn Bảo"
A_OPINION = "Ý kiến riêng của Huyện ủy A"
B_OPINION = "Ý kiến riêng của Huyện ủy B"


@pytest.fixture
def people(world, make_official):
    return SimpleNamespace(
        a_cadre=make_official(
            position=world.positions.a_deputy, full_name=A_CADRE, date_of_birth=dt.date(1981, 2, 3)
        ),
        b_cadre=make_official(
            position=world.positions.b_deputy, full_name=B_CADRE, date_of_birth=B_CADRE_BORN
        ),
        b_holder=make_official(position=world.positions.b_secretary, full_name=B_HOLDER),
    )


@pytest.fixture
def users(world):
    def make(name, scope, role):
        return UserFactory(username=name, scope=scope, role=role, email=f"{name}@example.vn")

    return SimpleNamespace(
        a=make("officer_a", world.units.hu_a, Role.OFFICER),
        b=make("officer_b", world.units.hu_b, Role.OFFICER),
        province=make("viewer_p", world.units.province, Role.VIEWER),
        officer=world.officer,
        approver=world.approver,
    )


def add(decision, official, position, kind=MovementKind.ROTATION, term=60):
    return services.movement_add(
        decision=decision,
        official=official,
        kind=kind,
        to_position=position,
        effective_on=SOON,
        term_months=term,
    )


@pytest.fixture
def decision(world, people):
    decision = services.decision_create(
        number="7-QĐ/TU", issued_by=world.units.province, title="Luân chuyển cán bộ chủ chốt"
    )
    decision.a_move = add(decision, people.a_cadre, world.positions.b_secretary)
    decision.b_move = add(decision, people.b_cadre, world.positions.province_deputy)
    return decision


def consult(decision, world, **kwargs):
    services.decision_request_consultations(decision=decision, by=world.officer, **kwargs)


def answer_all(decision, world):
    for consultation in decision.consultations.select_related("org_unit"):
        services.consultation_answer(
            consultation=consultation,
            opinion=ConsultationOpinion.AGREE_WITH_NOTES,
            opinion_text=f"Ý kiến riêng của {consultation.org_unit.name}",
            answered_on=TODAY,
            by=world.officer,
        )


@pytest.fixture
def answered(world, decision):
    consult(decision, world, notify=False)
    answer_all(decision, world)
    return decision


def page(client, user, decision) -> str:
    client.force_login(user)
    response = client.get(reverse("decision_detail", args=[decision.pk]))
    assert response.status_code == 200
    return response.content.decode()


def bodies(message) -> str:
    """The text part and every alternative (the HTML part) of an email."""
    return message.body + "".join(str(alt[0]) for alt in message.alternatives)


def mails_to(address) -> list:
    found = [m for m in mail.outbox if address in m.to]
    assert found, [m.to for m in mail.outbox]
    return found


def text_to(address) -> str:
    return "".join(bodies(m) for m in mails_to(address))


# --- disclosure rules -------------------------------------------------------------


class TestDisclosure:
    def test_sibling_district_sees_only_its_own_cadres_movement(self, users, decision):
        assert list(disclosure.movements_visible_to(users.a, decision)) == [decision.a_move]

    def test_receiving_side_sees_the_movement_into_its_unit(self, users, decision):
        assert list(disclosure.movements_visible_to(users.b, decision)) == [
            decision.a_move,
            decision.b_move,
        ]

    def test_issuer_and_superuser_see_every_movement(self, users, decision):
        root = UserFactory(username="root", is_superuser=True, scope=None)
        for user in (users.province, root):
            assert disclosure.movements_visible_to(user, decision).count() == 2

    def test_user_without_scope_sees_nothing(self, decision):
        nobody = UserFactory(username="nobody", scope=None, role=Role.OFFICER)
        assert not disclosure.movements_visible_to(nobody, decision).exists()
        assert not disclosure.consultations_visible_to(nobody, decision).exists()

    def test_consulted_unit_sees_only_its_own_consultations(self, world, users, answered):
        mine = disclosure.consultations_visible_to(users.a, answered)
        assert {c.org_unit_id for c in mine} == {world.units.hu_a.pk}
        assert disclosure.consultations_visible_to(users.province, answered).count() == (
            answered.consultations.count()
        )

    def test_movements_for_unit_follow_origin_and_destination(self, world, decision):
        assert list(disclosure.movements_for_unit(decision, world.units.hu_a)) == [decision.a_move]
        assert set(disclosure.movements_for_unit(decision, world.units.hu_b)) == {
            decision.a_move,
            decision.b_move,
        }

    def test_movements_for_unit_include_the_local_committee_of_the_destination(
        self, world, decision, make_official
    ):
        # A district tax office sits under a provincial department, outside Huyện ủy A's
        # subtree; Huyện ủy A is still consulted as the local committee of its place.
        tax_office = OrgUnitFactory(
            code="CCT-A",
            name="Chi cục Thuế huyện A",
            level=Level.DISTRICT,
            sector=world.sectors.finance,
            locality=world.localities.a,
            parent=world.units.finance,
        )
        head = PositionFactory(org_unit=tax_office, title="Chi cục trưởng Chi cục Thuế huyện A")
        newcomer = make_official(unit=world.units.finance, full_name="Lý Văn Thuế")
        tax_move = add(decision, newcomer, head, kind=MovementKind.TRANSFER, term=None)
        assert (world.units.hu_a, ConsultationRole.LOCAL) in consulted_units(tax_move)
        assert set(disclosure.movements_for_unit(decision, world.units.hu_a)) == {
            decision.a_move,
            tax_move,
        }

    def test_a_committee_consulted_only_as_local_committee_sees_the_decision(
        self, world, make_official
    ):
        # A provincial decision moving nobody of district A's own units, but onto a post
        # in A's territory: Huyện ủy A is consulted, so it sees the decision and that
        # movement (its answer page links back to it), and nothing else.
        tax_office = OrgUnitFactory(
            code="CCT-A2",
            name="Chi cục Thuế huyện A",
            level=Level.DISTRICT,
            sector=world.sectors.finance,
            locality=world.localities.a,
            parent=world.units.finance,
        )
        head = PositionFactory(org_unit=tax_office, title="Chi cục trưởng")
        decision = services.decision_create(
            number="9-QĐ/TU", issued_by=world.units.province, title="Điều động"
        )
        tax_move = add(
            decision,
            make_official(unit=world.units.finance, full_name="Lý Văn Thuế"),
            head,
            kind=MovementKind.TRANSFER,
            term=None,
        )
        consult(decision, world, notify=False)
        officer_a = UserFactory(scope=world.units.hu_a, role=Role.OFFICER)
        assert decision in type(decision).objects.for_user(officer_a)
        assert list(disclosure.movements_visible_to(officer_a, decision)) == [tax_move]


# --- findings ---------------------------------------------------------------------


class TestFindings:
    def test_stored_finding_does_not_name_the_holder(self, people, decision):
        finding = next(f for f in decision.a_move.findings if f["code"] == "position_held")
        assert B_HOLDER not in str(decision.a_move.findings)
        assert finding["holder_id"] == people.b_holder.pk

    def test_holder_is_named_only_inside_the_viewers_scope(self, users, decision):
        for_a = " ".join(f["message"] for f in disclosure.findings_for(users.a, decision.a_move))
        for_p = " ".join(
            f["message"] for f in disclosure.findings_for(users.province, decision.a_move)
        )
        assert "Bí thư Huyện ủy B" in for_a and "đang có người đảm nhiệm" in for_a
        assert B_HOLDER not in for_a
        assert f"đang do {B_HOLDER} đảm nhiệm" in for_p

    def test_findings_stored_before_the_change_are_shown_without_names(self, users, decision):
        legacy = [
            {
                "code": "position_held",
                "message": f"Ngày 01/01/2026, chức vụ “X” đang do {B_HOLDER} đảm nhiệm.",
                "severity": "warning",
            }
        ]
        decision.a_move.findings = legacy
        for user in (users.a, users.province):
            shown = disclosure.findings_for(user, decision.a_move)
            assert B_HOLDER not in str(shown) and shown[0]["code"] == "position_held"


class TestMigrationOfStoredFindings:
    """Migration 0006 rewrites findings stored with a holder's name in their message."""

    def migrate(self):
        from django.apps import apps
        from django.db import connection

        module = importlib.import_module("rotation.migrations.0006_findings_without_other_names")
        module.forwards(apps, SimpleNamespace(connection=connection))  # what RunPython passes

    def test_named_finding_becomes_name_free_with_the_holders_id(self, people, decision):
        named = f"Ngày 01/06/2026, chức vụ “Bí thư Huyện ủy B” đang do {B_HOLDER} đảm nhiệm (từ 01/01/2018)."
        legacy = {"code": "position_held", "message": named, "severity": "warning"}
        Movement.objects.filter(pk=decision.a_move.pk).update(findings=[legacy])
        self.migrate()
        (finding,) = Movement.objects.get(pk=decision.a_move.pk).findings
        assert B_HOLDER not in str(finding)
        assert finding["holder_id"] == people.b_holder.pk
        assert finding["params"]["since"] == "01/01/2018"
        assert "đang có người đảm nhiệm" in finding["message"]

    def test_unrecognised_text_is_replaced_and_other_findings_kept(self, decision):
        odd = {"code": "position_held", "message": f"{B_HOLDER} giữ chức vụ này."}
        other = {"code": "rotation_term_short", "message": "Thời hạn ngắn.", "severity": "warning"}
        Movement.objects.filter(pk=decision.b_move.pk).update(findings=[odd, other])
        self.migrate()
        stored = Movement.objects.get(pk=decision.b_move.pk).findings
        assert B_HOLDER not in str(stored) and stored[1] == other


# --- the staff decision page ------------------------------------------------------


class TestDecisionPage:
    def test_district_sees_its_cadre_and_its_answer_only(self, client, users, answered):
        body = page(client, users.a, answered)
        assert A_CADRE in body and A_OPINION in body
        for canary in (B_CADRE, B_HOLDER, B_OPINION):
            assert canary not in body, canary
        assert "Bí thư Huyện ủy B" in body and "đang có người đảm nhiệm" in body

    def test_issuer_sees_every_movement_answer_and_name(self, client, users, answered):
        body = page(client, users.province, answered)
        for canary in (A_CADRE, B_CADRE, A_OPINION, B_OPINION, f"đang do {B_HOLDER} đảm nhiệm"):
            assert canary in body, canary

    def test_district_is_told_that_other_entries_are_hidden(self, client, users, answered):
        body = page(client, users.a, answered)
        assert "1 lượt của cán bộ ngoài phạm vi quản lý của bạn" in body
        assert "ý kiến của họ chỉ cơ quan ban hành xem được" in body

    def test_findings_cell_has_a_class_not_an_inline_style(self, client, users, answered):
        body = page(client, users.province, answered)
        assert 'class="findings-cell"' in body and "style=" not in body.split("<main", 1)[-1]

    def test_district_cannot_open_the_other_districts_answer_form(
        self, client, world, users, answered
    ):
        theirs = answered.consultations.filter(org_unit=world.units.hu_b).first()
        theirs.answered_on = None
        theirs.save(update_fields=["answered_on"])
        client.force_login(users.a)
        url = reverse("consultation_answer", args=[theirs.pk])
        assert client.get(url).status_code == 404
        data = {"opinion": "agree", "answered_on": TODAY.strftime("%d/%m/%Y")}
        assert client.post(url, data).status_code == 404
        theirs.refresh_from_db()
        assert theirs.answered_on is None


class TestLiveCheck:
    """The HTMX rule check of a movement being typed names only holders in the scope."""

    @pytest.fixture
    def a_draft(self, world, people, make_official):
        # B's cadre is already appointed to A's people's committee chair from next month:
        # on the effective date he holds the post, but today he still works in B.
        start = TODAY + dt.timedelta(days=30)
        personnel_services.posting_close(
            posting=people.b_cadre.current_posting, end_date=start - dt.timedelta(days=1)
        )
        personnel_services.posting_create(
            official=people.b_cadre,
            position=world.positions.a_chair,
            title="",
            start_date=start,
            from_decision=True,  # an appointment decided ahead, taking effect next month
        )
        return services.decision_create(
            number="9-QĐ/HU", issued_by=world.units.hu_a, title="Điều động trong huyện A"
        )

    def check(self, client, user, draft, people, world) -> str:
        client.force_login(user)
        data = {
            "official": people.a_cadre.pk,
            "kind": MovementKind.TRANSFER,
            "to_position": world.positions.a_chair.pk,
            "effective_on": SOON.strftime("%d/%m/%Y"),
            "term_months": "",
            "note": "",
        }
        response = client.post(reverse("movement_check", args=[draft.pk]), data)
        assert response.status_code == 200
        return response.content.decode()

    def test_holder_outside_the_scope_is_not_named(self, client, users, world, people, a_draft):
        body = self.check(client, users.a, a_draft, people, world)
        assert "Chủ tịch UBND huyện A" in body and "đang có người đảm nhiệm" in body
        assert B_CADRE not in body

    def test_holder_inside_the_scope_is_named(self, client, world, people, a_draft):
        body = self.check(client, world.officer, a_draft, people, world)
        assert f"đang do {B_CADRE} đảm nhiệm" in body


# --- emails -----------------------------------------------------------------------


class TestEmails:
    def test_consultation_request_lists_only_the_units_movements(
        self, world, users, decision, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            consult(decision, world)
        assert len(mails_to("huyenuy.a@example.vn")) == 1
        to_a = text_to("huyenuy.a@example.vn")
        assert A_CADRE in to_a
        for canary in (B_CADRE, B_CADRE_BORN.strftime("%d/%m/%Y"), B_HOLDER):
            assert canary not in to_a, canary
        to_b = text_to("huyenuy.b@example.vn")  # asked twice: as sending and receiving side
        assert A_CADRE in to_b and B_CADRE in to_b  # receives A's cadre, sends its own

    def test_approval_notice_lists_only_the_units_movements(
        self, world, users, answered, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.decision_approve(decision=answered, by=world.approver, signed_on=TODAY)
        (notice,) = mails_to("huyenuy.a@example.vn")
        to_a = bodies(notice)
        assert "[Đã ban hành]" in notice.subject
        assert A_CADRE in to_a
        assert B_CADRE not in to_a and B_CADRE_BORN.strftime("%d/%m/%Y") not in to_a
        to_province = text_to("tinhuy@example.vn")
        assert B_CADRE in to_province  # the province receives B's cadre

    def test_every_email_is_audited_without_personal_data(self, world, users, answered):
        services.decision_approve(
            decision=answered, by=world.approver, signed_on=TODAY, notify=False
        )
        sent = notifications.send_approval_notices(answered.pk)
        rows = AuditEvent.objects.filter(action=AuditEvent.Action.SEND_EMAIL)
        assert sent == len(mail.outbox) == rows.count() > 0
        for row in rows:
            assert row.object_type == "rotation.Decision" and row.object_id == str(answered.pk)
            assert row.user == world.approver  # who approved: the act behind the email
            assert "unit=" in row.detail and "movements=" in row.detail
            for private in (A_CADRE, B_CADRE, B_HOLDER, "@", "example.vn"):
                assert private not in row.detail, row.detail

    def test_consultation_emails_are_audited_with_the_requesting_user(self, world, users, decision):
        consult(decision, world, notify=False)
        sent = notifications.send_consultation_requests(decision.pk, by_id=world.officer.pk)
        rows = AuditEvent.objects.filter(action=AuditEvent.Action.SEND_EMAIL)
        assert sent == rows.count() == decision.consultations.count()
        assert {row.user for row in rows} == {world.officer}
        hu_a = rows.get(detail__contains=f"unit={world.units.hu_a.pk};")
        assert "movements=1" in hu_a.detail
