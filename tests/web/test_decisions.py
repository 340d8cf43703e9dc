"""Decision pages: list, detail, create/edit, movements (with the live rule check), actions.

The small province (tests/rotation/conftest.py): Tỉnh ủy P, with Huyện ủy A (UBND huyện
A, xã A1) and Huyện ủy B. ``officer_a`` / ``officer_b`` are scoped to district A / B.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from personnel.models import Posting
from rotation import services
from rotation.choices import ConsultationOpinion, DecisionStatus, MovementKind
from rotation.models import Consultation, Decision, Movement
from tests.factories import OfficialFactory
from tests.web.helpers import assert_constant_queries, assert_login_required

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - dt.timedelta(days=30)
SOON = TODAY + dt.timedelta(days=60)


def d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def text(response) -> str:
    return response.content.decode()


def make_decision(issuer, number="12-QĐ/TU", title="Luân chuyển cán bộ", by=None, **extra):
    return services.decision_create(
        number=number, issued_by=issuer, title=title, created_by=by, **extra
    )


def add(decision, official, position, kind=MovementKind.ROTATION, on=SOON, term=60):
    return services.movement_add(
        decision=decision,
        official=official,
        kind=kind,
        to_position=position,
        effective_on=on,
        term_months=term,
    )


@pytest.fixture
def p_decision(world, make_official):
    """Issued by the province: moves B's deputy to A's people's committee chair."""
    decision = make_decision(world.units.province)
    mover = make_official(position=world.positions.b_deputy, full_name="Lê Văn Bình")
    add(decision, mover, world.positions.a_chair, term=24)  # shorter than 36 months: a finding
    return decision


@pytest.fixture
def a_decision(world, make_official):
    """Issued by district A, inside district A."""
    decision = make_decision(world.units.hu_a, number="5-QĐ/HU", title="Điều động trong huyện A")
    mover = make_official(position=world.positions.a_deputy, full_name="Trần Thị Cúc")
    add(decision, mover, world.positions.a1_secretary, kind=MovementKind.TRANSFER, term=None)
    return decision


def consulting(decision, user):
    services.decision_request_consultations(decision=decision, by=user, notify=False)
    decision.refresh_from_db()
    return decision


def url(name, *args):
    return reverse(name, args=args)


# --- list -------------------------------------------------------------------------


class TestDecisionList:
    def test_anonymous_is_sent_to_login(self, client):
        assert_login_required(client, url("decision_list"))

    def test_viewer_sees_scope_without_create_button(self, login, users, p_decision, a_decision):
        response = login(users.viewer).get(url("decision_list"))
        assert response.status_code == 200
        assert p_decision.number in text(response) and a_decision.number in text(response)
        assert url("decision_create") not in text(response)

    def test_officer_sees_create_button(self, login, users, p_decision):
        assert url("decision_create") in text(login(users.officer).get(url("decision_list")))

    def test_district_sees_only_its_subtree(self, login, users, p_decision, a_decision):
        body = text(login(users.officer_b).get(url("decision_list")))
        assert p_decision.number in body  # moves someone out of district B
        assert a_decision.number not in body

    def test_counts_every_movement_and_pending_answer(self, login, users, world, p_decision):
        consulting(p_decision, users.officer)
        decision = Decision.objects.get(pk=p_decision.pk)
        response = login(users.officer_b).get(url("decision_list"))
        row = next(r for r in response.context["decisions"] if r.pk == decision.pk)
        assert row.n_movements == 1
        assert row.n_pending == decision.consultations.count() == 3

    @pytest.mark.parametrize(
        "query, expect_p, expect_a",
        [
            ("status=draft", True, True),
            ("status=approved", False, False),
            ("kind=transfer", False, True),
            ("direction=district_to_commune", False, True),
            ("q=QĐ/HU", False, True),
            ("q=luân chuyển", True, False),
            ("fait_accompli=1", False, False),
        ],
    )
    def test_filters(self, login, users, p_decision, a_decision, query, expect_p, expect_a):
        body = text(login(users.viewer).get(f"{url('decision_list')}?{query}"))
        assert (p_decision.number in body) is expect_p
        assert (a_decision.number in body) is expect_a

    def test_filter_by_issuer_period_and_pending(self, login, users, world, p_decision, a_decision):
        client = login(users.officer)
        body = text(client.get(f"{url('decision_list')}?issuer={world.units.hu_a.pk}"))
        assert a_decision.number in body and p_decision.number not in body
        Decision.objects.filter(pk=a_decision.pk).update(signed_on=dt.date(2024, 3, 1))
        body = text(client.get(f"{url('decision_list')}?date_from=01/01/2024&date_to=31/12/2024"))
        assert a_decision.number in body and p_decision.number not in body
        consulting(p_decision, users.officer)
        body = text(client.get(f"{url('decision_list')}?pending_consultations=1"))
        assert p_decision.number in body and a_decision.number not in body

    def test_sorts_by_movement_count(self, login, users, world, make_official, p_decision):
        other = make_decision(world.units.province, number="13-QĐ/TU")
        for position in (world.positions.b_secretary, world.positions.province_deputy):
            add(other, make_official(unit=world.units.finance), position)
        response = login(users.viewer).get(f"{url('decision_list')}?sort=-movements")
        assert [d.pk for d in response.context["decisions"]] == [other.pk, p_decision.pk]

    def test_empty_state(self, login, users):
        body = text(login(users.viewer).get(url("decision_list")))
        assert "Chưa có quyết định nào trong phạm vi quản lý của bạn." in body
        body = text(login(users.viewer).get(f"{url('decision_list')}?status=approved"))
        assert "Không có quyết định nào khớp với bộ lọc." in body

    def test_query_count_is_constant(self, login, users, world):
        official = OfficialFactory()

        def add_rows(n):
            start = Decision.objects.count()
            decisions = Decision.objects.bulk_create(
                Decision(number=f"{start + i}-QĐ/TU", issued_by=world.units.province, title="X")
                for i in range(n)
            )
            Movement.objects.bulk_create(
                Movement(
                    decision=dec,
                    official=official,
                    kind=MovementKind.TRANSFER,
                    to_position=world.positions.a_deputy,
                    effective_on=SOON,
                    direction="internal",
                )
                for dec in decisions
            )

        assert_constant_queries(login(users.viewer), url("decision_list"), add_rows)


# --- detail -----------------------------------------------------------------------


class TestDecisionDetail:
    def test_anonymous_is_sent_to_login(self, client, p_decision):
        assert_login_required(client, url("decision_detail", p_decision.pk))

    def test_out_of_scope_is_404(self, login, users, a_decision):
        assert login(users.officer_b).get(url("decision_detail", a_decision.pk)).status_code == 404

    def test_shows_movements_with_findings(self, login, users, p_decision):
        response = login(users.viewer).get(url("decision_detail", p_decision.pk))
        body = text(response)
        assert response.status_code == 200
        assert "Lê Văn Bình" in body and "Chủ tịch UBND huyện A" in body
        assert 'class="finding' in body and "ít hơn 36 tháng" in body
        assert "Từ huyện này sang huyện khác" in body

    def test_viewer_sees_no_action_buttons(self, login, users, p_decision):
        body = text(login(users.viewer).get(url("decision_detail", p_decision.pk)))
        for name in ("decision_update", "decision_request_consultations", "decision_approve"):
            assert url(name, p_decision.pk) not in body
        assert url("movement_add", p_decision.pk) not in body

    def test_officer_prepares_approver_approves(self, login, users, p_decision):
        body = text(login(users.officer).get(url("decision_detail", p_decision.pk)))
        assert url("decision_request_consultations", p_decision.pk) in body
        assert url("movement_add", p_decision.pk) in body
        assert url("decision_approve", p_decision.pk) not in body
        body = text(login(users.approver).get(url("decision_detail", p_decision.pk)))
        assert url("decision_approve", p_decision.pk) in body

    def test_district_reads_provincial_decision_and_answers_its_own(self, login, users, p_decision):
        consulting(p_decision, users.officer)
        body = text(login(users.officer_a).get(url("decision_detail", p_decision.pk)))
        assert url("decision_update", p_decision.pk) not in body
        assert url("decision_cancel", p_decision.pk) not in body
        mine = Consultation.objects.for_user(users.officer_a).filter(decision=p_decision)
        others = p_decision.consultations.exclude(pk__in=mine.values("pk"))
        assert mine.exists() and others.exists()
        assert all(url("consultation_answer", c.pk) in body for c in mine)
        assert not any(url("consultation_answer", c.pk) in body for c in others)

    def test_query_count_is_constant(self, login, users, world, p_decision):
        def add_rows(n):
            Movement.objects.bulk_create(
                Movement(
                    decision=p_decision,
                    official=official,
                    kind=MovementKind.ROTATION,
                    to_position=world.positions.a_deputy,
                    effective_on=SOON,
                    term_months=36,
                    direction="province_to_district",
                    findings=[{"code": "x", "message": "Cảnh báo", "severity": "warning"}],
                )
                for official in OfficialFactory.create_batch(n)
            )

        client = login(users.approver)
        assert_constant_queries(client, url("decision_detail", p_decision.pk), add_rows)


# --- create and edit --------------------------------------------------------------


class TestDecisionCreateUpdate:
    def data(self, world, **changes):
        return {
            "number": "99-QĐ/TU",
            "issued_by": world.units.province.pk,
            "title": "Điều động cán bộ",
            "signed_on": "",
            "note": "",
            **changes,
        }

    def test_anonymous_and_viewer(self, client, login, users, world):
        assert_login_required(client, url("decision_create"))
        viewer = login(users.viewer)
        assert viewer.get(url("decision_create")).status_code == 403
        assert viewer.post(url("decision_create"), self.data(world)).status_code == 403
        assert not Decision.objects.exists()

    def test_officer_creates_a_draft(self, login, users, world):
        client = login(users.officer)
        assert client.get(url("decision_create")).status_code == 200
        data = self.data(world, signed_on="05/03/2025")
        response = client.post(url("decision_create"), data, follow=True)
        decision = Decision.objects.get()
        assert decision.created_by == users.officer and decision.status == DecisionStatus.DRAFT
        assert decision.signed_on == dt.date(2025, 3, 5)
        assert "Đã tạo dự thảo quyết định 99-QĐ/TU" in text(response)

    def test_duplicate_number_is_refused(self, login, users, world, p_decision):
        client = login(users.officer)
        response = client.post(url("decision_create"), self.data(world, number=p_decision.number))
        assert response.status_code == 200
        assert "Cơ quan này đã có quyết định mang số, ký hiệu này." in text(response)
        assert Decision.objects.count() == 1

    def test_issuer_outside_scope_and_missing_title(self, login, users, world):
        client = login(users.officer_a)
        data = self.data(world, issued_by=world.units.hu_b.pk, title="")
        response = client.post(url("decision_create"), data)
        form = response.context["form"]
        assert set(form.errors) == {"issued_by", "title"}
        assert "Trường này là bắt buộc." in form.errors["title"]
        assert "Cơ quan đã chọn không có trong phạm vi quản lý của bạn." in text(response)
        assert not Decision.objects.exists()

    def test_update_changes_header_only(self, login, users, world, p_decision):
        client = login(users.officer)
        data = self.data(world, number="12a-QĐ/TU", issued_by=world.units.hu_b.pk)
        response = client.post(url("decision_update", p_decision.pk), data, follow=True)
        p_decision.refresh_from_db()
        assert p_decision.number == "12a-QĐ/TU" and p_decision.title == "Điều động cán bộ"
        assert p_decision.issued_by == world.units.province
        assert "Đã cập nhật quyết định 12a-QĐ/TU" in text(response)

    def test_update_refuses_duplicate_number(self, login, users, world, p_decision):
        make_decision(world.units.province, number="77-QĐ/TU")
        response = login(users.officer).post(
            url("decision_update", p_decision.pk), self.data(world, number="77-QĐ/TU")
        )
        assert "Cơ quan này đã có quyết định mang số, ký hiệu này." in text(response)
        p_decision.refresh_from_db()
        assert p_decision.number == "12-QĐ/TU"

    def test_update_access(self, login, users, world, p_decision, a_decision):
        assert login(users.viewer).get(url("decision_update", p_decision.pk)).status_code == 403
        assert login(users.officer_b).get(url("decision_update", a_decision.pk)).status_code == 404
        # District A sees the province's decision but may not edit it.
        assert login(users.officer_a).get(url("decision_update", p_decision.pk)).status_code == 403

    def test_approved_decision_is_not_editable(self, login, users, p_decision):
        services.decision_approve(decision=p_decision, by=users.approver, signed_on=PAST)
        response = login(users.officer).get(url("decision_update", p_decision.pk), follow=True)
        assert "Không sửa được quyết định đang ở trạng thái “Đã ban hành”." in text(response)


# --- movements --------------------------------------------------------------------


class TestMovements:
    def data(self, official, position, **changes):
        return {
            "official": official.pk,
            "kind": MovementKind.ROTATION,
            "to_position": position.pk,
            "effective_on": d(SOON),
            "term_months": "48",
            "note": "",
            **changes,
        }

    @pytest.fixture
    def mover(self, world, make_official):
        return make_official(position=world.positions.a_deputy, full_name="Phạm Văn Dũng")

    def test_access(self, client, login, users, p_decision, a_decision):
        assert_login_required(client, url("movement_add", p_decision.pk))
        assert login(users.viewer).get(url("movement_add", p_decision.pk)).status_code == 403
        assert login(users.officer_b).get(url("movement_add", a_decision.pk)).status_code == 404
        assert login(users.officer_a).get(url("movement_add", p_decision.pk)).status_code == 403
        assert login(users.officer).get(url("movement_add", p_decision.pk)).status_code == 200

    def test_officer_adds_a_movement(self, login, users, world, p_decision, mover):
        data = self.data(mover, world.positions.b_secretary)
        response = login(users.officer).post(url("movement_add", p_decision.pk), data, follow=True)
        movement = p_decision.movements.get(official=mover)
        assert movement.direction == "district_to_district"
        assert movement.from_posting.position == world.positions.a_deputy
        assert "Đã thêm lượt luân chuyển: Phạm Văn Dũng" in text(response)

    def test_invalid_input_changes_nothing(self, login, users, world, p_decision, mover):
        client = login(users.officer)
        already = p_decision.movements.get().official
        cases = [
            (self.data(already, world.positions.b_secretary), "Cán bộ này đã có trong quyết định."),
            (
                self.data(mover, world.positions.b_secretary, term_months="0"),
                "Thời hạn phải lớn hơn 0 tháng.",
            ),
            (
                self.data(mover, world.positions.b_secretary, effective_on="31/02/2025"),
                "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm",
            ),
        ]
        for data, message in cases:
            response = client.post(url("movement_add", p_decision.pk), data)
            assert response.status_code == 200 and message in text(response), message
        assert p_decision.movements.count() == 1

    def test_official_outside_scope_is_not_accepted(
        self, login, users, world, a_decision, make_official
    ):
        outsider = make_official(position=world.positions.b_deputy)
        data = self.data(outsider, world.positions.a_secretary)
        response = login(users.officer_a).post(url("movement_add", a_decision.pk), data)
        assert "Cán bộ đã chọn không có trong phạm vi quản lý của bạn." in text(response)
        assert not a_decision.movements.filter(official=outsider).exists()

    def test_check_shows_findings_direction_and_end(self, login, users, world, p_decision, mover):
        data = self.data(mover, world.positions.b_secretary, term_months="24")
        response = login(users.officer).post(url("movement_check", p_decision.pk), data)
        body = text(response)
        assert response.status_code == 200
        assert "Từ huyện này sang huyện khác" in body
        assert d(SOON.replace(year=SOON.year + 2) - dt.timedelta(days=1)) in body
        assert 'class="finding' in body and "ít hơn 36 tháng" in body
        assert p_decision.movements.count() == 1  # nothing saved

    def test_check_of_incomplete_form_and_of_a_closed_decision(
        self, login, users, world, p_decision, mover
    ):
        client = login(users.officer)
        body = text(client.post(url("movement_check", p_decision.pk), {"kind": "rotation"}))
        assert "Chọn cán bộ, hình thức, chức vụ nơi đến" in body
        consulting(p_decision, users.officer)
        body = text(
            client.post(
                url("movement_check", p_decision.pk), self.data(mover, world.positions.b_secretary)
            )
        )
        assert "Chỉ thêm, sửa, xóa lượt điều chuyển khi quyết định còn là dự thảo" in body
        assert login(users.viewer).post(url("movement_check", p_decision.pk), {}).status_code == 403

    def test_check_of_an_existing_movement_ignores_itself(self, login, users, world, p_decision):
        movement = p_decision.movements.get()
        data = self.data(movement.official, world.positions.a_chair, term_months="36")
        target = url("movement_check_existing", p_decision.pk, movement.pk)
        body = text(login(users.officer).post(target, data))
        assert "Cán bộ này đã có trong quyết định." not in body
        assert "Không có điểm cần lưu ý." in body

    def test_update_and_remove(self, login, users, world, p_decision):
        client = login(users.officer)
        movement = p_decision.movements.get()
        data = self.data(movement.official, world.positions.a_chair, term_months="36")
        response = client.post(
            url("movement_update", p_decision.pk, movement.pk), data, follow=True
        )
        movement.refresh_from_db()
        assert movement.term_months == 36 and "Đã sửa lượt luân chuyển" in text(response)
        assert client.get(url("movement_remove", p_decision.pk, movement.pk)).status_code == 405
        response = client.post(url("movement_remove", p_decision.pk, movement.pk), follow=True)
        assert not p_decision.movements.exists()
        assert "Đã xóa khỏi dự thảo lượt luân chuyển của Lê Văn Bình" in text(response)

    def test_no_removal_once_consulting(self, login, users, p_decision):
        consulting(p_decision, users.officer)
        movement = p_decision.movements.get()
        response = login(users.officer).post(
            url("movement_remove", p_decision.pk, movement.pk), follow=True
        )
        assert "Chỉ thêm, sửa, xóa lượt điều chuyển khi quyết định còn là dự thảo" in text(response)
        assert p_decision.movements.count() == 1

    def test_other_decisions_movement_is_404(self, login, users, p_decision, a_decision):
        foreign = a_decision.movements.get()
        response = login(users.officer).post(url("movement_remove", p_decision.pk, foreign.pk))
        assert response.status_code == 404 and Movement.objects.filter(pk=foreign.pk).exists()


# --- access battery of every write page and action -----------------------------------

WRITE_PAGES = [
    ("get", "decision_update", False),
    ("get", "movement_add", False),
    ("get", "movement_update", True),
    ("post", "movement_check", False),
    ("post", "movement_check_existing", True),
    ("post", "movement_remove", True),
    ("post", "decision_request_consultations", False),
    ("get", "decision_approve", False),
    ("post", "decision_apply", False),
    ("post", "decision_cancel", False),
]


@pytest.mark.parametrize("method, name, per_movement", WRITE_PAGES)
def test_write_pages_access(client, login, users, a_decision, method, name, per_movement):
    args = [a_decision.pk]
    if per_movement:
        args.append(a_decision.movements.get().pk)
    target = url(name, *args)
    anonymous = getattr(client, method)(target)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert getattr(login(users.viewer), method)(target).status_code == 403
    assert getattr(login(users.officer_b), method)(target).status_code == 404
    assert a_decision.movements.count() == 1
    a_decision.refresh_from_db()
    assert a_decision.status == DecisionStatus.DRAFT


@pytest.mark.parametrize("name", ["decision_update", "movement_add", "decision_approve"])
def test_write_pages_answer_200_to_the_right_role(login, users, a_decision, name):
    user = users.approver if name == "decision_approve" else users.officer_a
    assert login(user).get(url(name, a_decision.pk)).status_code == 200


# --- workflow actions ----------------------------------------------------------------


class TestConsultationRequest:
    def test_officer_sends_for_consultation(self, client, login, users, p_decision):
        target = url("decision_request_consultations", p_decision.pk)
        assert (
            client.post(target).status_code == 302
            and "/accounts/login/" in client.post(target)["Location"]
        )
        assert login(users.viewer).post(target).status_code == 403
        response = login(users.officer).post(target, follow=True)
        p_decision.refresh_from_db()
        assert p_decision.status == DecisionStatus.CONSULTING
        assert p_decision.consultations.count() == 3
        assert "Đã hỏi 3 nơi: " in text(response) and "UBND huyện A (nơi đến)" in text(response)

    def test_without_movements_nothing_changes(self, login, users, world):
        empty = make_decision(world.units.province, number="1-QĐ/TU")
        response = login(users.officer).post(
            url("decision_request_consultations", empty.pk), follow=True
        )
        assert "Quyết định chưa có lượt điều chuyển nào." in text(response)
        empty.refresh_from_db()
        assert empty.status == DecisionStatus.DRAFT and not empty.consultations.exists()

    def test_issuer_outside_scope_is_403(self, login, users, p_decision):
        response = login(users.officer_a).post(url("decision_request_consultations", p_decision.pk))
        assert response.status_code == 403
        p_decision.refresh_from_db()
        assert p_decision.status == DecisionStatus.DRAFT


class TestConsultationAnswer:
    def answer(self, **changes):
        return {
            "opinion": ConsultationOpinion.AGREE,
            "opinion_text": "",
            "answered_on": d(TODAY),
            **changes,
        }

    def test_access(self, client, login, users, p_decision, a_decision):
        consulting(p_decision, users.officer)
        consulting(a_decision, users.officer)
        target = url("consultation_answer", p_decision.consultations.first().pk)
        assert_login_required(client, target)
        assert login(users.viewer).post(target, self.answer()).status_code == 403
        a_consultation = a_decision.consultations.first()
        response = login(users.officer_b).post(
            url("consultation_answer", a_consultation.pk), self.answer()
        )
        assert response.status_code == 404
        assert not Consultation.objects.filter(answered_on__isnull=False).exists()

    def test_district_answers_for_its_unit(self, login, users, world, p_decision):
        consulting(p_decision, users.officer)
        mine = p_decision.consultations.get(org_unit=world.units.ubnd_a)
        client = login(users.officer_a)
        assert client.get(url("consultation_answer", mine.pk)).status_code == 200
        response = client.post(url("consultation_answer", mine.pk), self.answer(), follow=True)
        mine.refresh_from_db()
        assert mine.opinion == ConsultationOpinion.AGREE and mine.answered_on == TODAY
        assert "Đã ghi ý kiến của UBND huyện A (nơi đến): Đồng ý" in text(response)
        assert "Còn 2 nơi chưa trả lời." in text(response)

    def test_invalid_answers_change_nothing(self, login, users, p_decision):
        consulting(p_decision, users.officer)
        consultation = p_decision.consultations.first()
        client = login(users.officer)
        cases = [
            (self.answer(opinion=""), "Chưa chọn ý kiến."),
            (
                self.answer(answered_on=d(TODAY - dt.timedelta(days=1))),
                "Ngày trả lời không được trước ngày đề nghị.",
            ),
            (
                self.answer(answered_on=d(TODAY + dt.timedelta(days=1))),
                "Ngày trả lời không được sau ngày hôm nay.",
            ),
        ]
        for data, message in cases:
            response = client.post(url("consultation_answer", consultation.pk), data)
            assert response.status_code == 200 and message in text(response), message
        consultation.refresh_from_db()
        assert consultation.answered_on is None and consultation.opinion == ""


class TestApprove:
    def test_access(self, client, login, users, p_decision, a_decision):
        target = url("decision_approve", p_decision.pk)
        assert_login_required(client, target)
        assert login(users.officer).get(target).status_code == 403
        assert login(users.officer).post(target, {"signed_on": d(PAST)}).status_code == 403
        assert login(users.approver).get(target).status_code == 200
        p_decision.refresh_from_db()
        assert p_decision.status == DecisionStatus.DRAFT

    def test_missing_answers_are_listed_then_recorded_as_fait_accompli(
        self, login, users, p_decision
    ):
        client = login(users.approver)
        body = text(client.get(url("decision_approve", p_decision.pk)))
        assert "3 nơi chưa có ý kiến trả lời" in body and "UBND huyện A (nơi đến)" in body
        assert "sẽ được ghi nhận là “sự đã rồi”" in body
        response = client.post(
            url("decision_approve", p_decision.pk), {"signed_on": d(PAST)}, follow=True
        )
        p_decision.refresh_from_db()
        assert p_decision.status == DecisionStatus.APPROVED and p_decision.is_fait_accompli
        assert p_decision.signed_on == PAST and p_decision.approved_by == users.approver
        assert f"Đã ban hành quyết định 12-QĐ/TU, ngày ký {d(PAST)}; 3 nơi chưa có ý kiến" in text(
            response
        )

    def test_blocking_issuer_refuses(self, login, users, world, p_decision):
        world.units.province.requires_consultation_answers = True
        world.units.province.save()
        client = login(users.approver)
        body = text(client.get(url("decision_approve", p_decision.pk)))
        assert "chưa thể ban hành quyết định này" in body
        response = client.post(url("decision_approve", p_decision.pk), {"signed_on": d(PAST)})
        assert "Chưa thể ban hành: còn 3 nơi chưa có ý kiến trả lời" in text(response)
        p_decision.refresh_from_db()
        assert p_decision.status == DecisionStatus.DRAFT

    def test_signed_date_is_checked(self, login, users, p_decision):
        client = login(users.approver)
        tomorrow = d(TODAY + dt.timedelta(days=1))
        response = client.post(url("decision_approve", p_decision.pk), {"signed_on": tomorrow})
        assert "Ngày ký không được sau ngày hôm nay." in text(response)
        response = client.post(url("decision_approve", p_decision.pk), {"signed_on": ""})
        assert "Cần nhập ngày ký trước khi ban hành." in text(response)
        p_decision.refresh_from_db()
        assert p_decision.status == DecisionStatus.DRAFT and p_decision.signed_on is None

    def test_with_every_answer_it_is_not_fait_accompli(self, login, users, p_decision):
        consulting(p_decision, users.officer)
        for consultation in p_decision.consultations.all():
            services.consultation_answer(
                consultation=consultation, opinion=ConsultationOpinion.AGREE, by=users.officer
            )
        response = login(users.approver).post(
            url("decision_approve", p_decision.pk), {"signed_on": d(TODAY)}, follow=True
        )
        p_decision.refresh_from_db()
        assert p_decision.status == DecisionStatus.APPROVED and not p_decision.is_fait_accompli
        assert "với đủ ý kiến trả lời" in text(response)


class TestApplyAndCancel:
    @pytest.fixture
    def approved(self, world, users, make_official):
        decision = make_decision(world.units.province, number="20-QĐ/TU")
        self.due = make_official(position=world.positions.b_deputy, full_name="Đỗ Văn Đông")
        self.later = make_official(position=world.positions.a_deputy, full_name="Vũ Thị Hạnh")
        add(decision, self.due, world.positions.a_chair, on=PAST)
        add(decision, self.later, world.positions.b_secretary, on=SOON)
        return services.decision_approve(
            decision=decision, by=users.approver, signed_on=PAST, notify=False
        )

    def test_officer_applies_due_movements(self, login, users, world, approved):
        target = url("decision_apply", approved.pk)
        assert login(users.viewer).post(target).status_code == 403
        body = text(login(users.officer).get(url("decision_detail", approved.pk)))
        assert target in body and "Thi hành (1 lượt)" in body
        response = login(users.officer).post(target, follow=True)
        assert "Đã thi hành 1 lượt: Đỗ Văn Đông" in text(response)
        assert "Còn 1 lượt chưa đến ngày hiệu lực." in text(response)
        current = Posting.objects.get(official=self.due, end_date__isnull=True)
        assert current.position == world.positions.a_chair and current.start_date == PAST
        assert approved.movements.filter(applied_at__isnull=True).get().official == self.later

    def test_nothing_due_changes_nothing(self, login, users, approved):
        approved.movements.filter(official=self.due).update(effective_on=SOON)
        response = login(users.officer).post(url("decision_apply", approved.pk), follow=True)
        assert "Không có lượt nào đã đến ngày hiệu lực mà chưa thi hành." in text(response)
        assert not approved.movements.filter(applied_at__isnull=False).exists()

    def test_cancel_draft_needs_a_reason(self, login, users, p_decision):
        target = url("decision_cancel", p_decision.pk)
        assert login(users.viewer).post(target, {"reason": "x"}).status_code == 403
        client = login(users.officer)
        response = client.post(target, {"reason": "  "}, follow=True)
        assert "Cần nêu lý do hủy quyết định." in text(response)
        p_decision.refresh_from_db()
        assert p_decision.status == DecisionStatus.DRAFT
        response = client.post(target, {"reason": "Trùng với quyết định khác"}, follow=True)
        p_decision.refresh_from_db()
        assert p_decision.status == DecisionStatus.CANCELLED
        assert p_decision.cancel_reason == "Trùng với quyết định khác"
        assert "Đã hủy quyết định 12-QĐ/TU. Lý do: Trùng với quyết định khác" in text(response)

    def test_cancel_approved_needs_approver_and_no_applied_movement(self, login, users, approved):
        target = url("decision_cancel", approved.pk)
        assert login(users.officer).post(target, {"reason": "Sai"}).status_code == 403
        services.movement_apply(movement=approved.movements.get(official=self.due))
        response = login(users.approver).post(target, {"reason": "Sai"}, follow=True)
        assert "Không thể hủy: đã có lượt điều chuyển được thi hành." in text(response)
        approved.refresh_from_db()
        assert approved.status == DecisionStatus.APPROVED


def test_a_side_sees_only_its_own_cadres_in_a_provincial_decision(
    world, users, login, make_official
):
    from rotation import services as rotation_services
    from rotation.choices import MovementKind

    decision = rotation_services.decision_create(
        number="77-QĐ/TU", issued_by=world.units.province, title="Điều động"
    )
    ours = make_official(position=world.positions.a_deputy, full_name="Cán Bộ Huyện A")
    theirs = make_official(position=world.positions.b_deputy, full_name="Cán Bộ Huyện B")
    for official, position in (
        (ours, world.positions.province_deputy),
        (theirs, world.positions.finance_head),
    ):
        rotation_services.movement_add(
            decision=decision,
            official=official,
            kind=MovementKind.TRANSFER,
            to_position=position,
            effective_on=dt.date(2025, 8, 1),
        )
    page = (
        login(users.officer_a).get(reverse("decision_detail", args=[decision.pk])).content.decode()
    )
    assert "Cán Bộ Huyện A" in page
    assert "Cán Bộ Huyện B" not in page
    assert "1 lượt của cán bộ ngoài phạm vi" in page
    full = login(users.officer).get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert "Cán Bộ Huyện B" in full


@pytest.mark.parametrize("page", ["abc", "99999"])
def test_odd_page_numbers_show_a_page_not_an_error(world, users, login, page):
    assert login(users.viewer).get(reverse("decision_list"), {"page": page}).status_code == 200
