"""The dashboard (figures, scope, links) and the alert list with its "resolved" action."""

import datetime as dt
import itertools

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from reports import periods, selectors
from rotation import jobs, services
from rotation.choices import AlertKind, MovementKind, ReviewPeriod
from rotation.models import Alert, ServingSnapshot
from rotation.snapshots import FIGURES as SNAPSHOT_FIGURES
from rotation.snapshots import KEEP_DAYS, snapshot_of, snapshot_take
from tests.factories import OfficialFactory, UserFactory
from tests.web.helpers import assert_constant_queries, assert_login_required, count_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DASHBOARD = reverse("dashboard")
ALERTS = reverse("alert_list")
numbers = itertools.count(1)
# session, user, the user's scope; the rotation summary from the maintained summary (2:
# readable?, the rows); today's snapshot (missing here), then serving and missing reviews;
# consultations, open alerts, the newest alerts; the idle-timeout session renewal (3:
# savepoint, update, release); the scope's predecessors.
DASHBOARD_QUERIES = 15


def rotate(officials, position, on, term=36, apply=True):
    """One approved province decision rotating ``officials`` to ``position`` from ``on``."""
    decision = services.decision_create(
        number=f"{next(numbers)}-QĐ/TU", issued_by=position.org_unit, title="Luân chuyển cán bộ"
    )
    movements = [
        services.movement_add(
            decision=decision,
            official=official,
            kind=MovementKind.ROTATION,
            to_position=position,
            effective_on=on,
            term_months=term,
        )
        for official in officials
    ]
    services.decision_approve(
        decision=decision, signed_on=min(on, TODAY) - dt.timedelta(days=5), notify=False
    )
    if apply:
        movements = [services.movement_apply(movement=m, today=TODAY) for m in movements]
    return movements


def add_alert(official, kind=AlertKind.OVERDUE, raised_on=TODAY, **fields):
    return Alert.objects.create(
        kind=kind,
        key=f"test:{next(numbers)}",
        official=official,
        message=fields.pop("message", f"Cảnh báo về {official.full_name}"),
        raised_on=raised_on,
        **fields,
    )


@pytest.fixture
def board(world, make_official):
    """This term, one rotation into the province; one ending soon; one overdue without reviews."""
    term = periods.term_on(TODAY)
    this_term = term.start + (TODAY - term.start) // 2
    ending_on = TODAY - relativedelta(months=36) + dt.timedelta(days=30)
    overdue_on = TODAY - relativedelta(months=40)
    a = make_official(position=world.positions.a_deputy, full_name="Lê Văn Trong Kỳ")
    b = make_official(position=world.positions.b_deputy, full_name="Trần Sắp Hết")
    c = make_official(position=world.positions.a1_secretary, full_name="Phạm Quá Hạn")
    (in_term,) = rotate([a], world.positions.province_deputy, this_term)
    (ending,) = rotate([b], world.positions.finance_head, ending_on)
    (overdue,) = rotate([c], world.positions.a_chair, overdue_on)
    for year in range(ending_on.year, TODAY.year):
        services.review_record(
            movement=ending, period=ReviewPeriod.ANNUAL, year=year, rating="good"
        )
    add_alert(c, message="Cán bộ Phạm Quá Hạn đã hết thời hạn luân chuyển.", movement=overdue)
    add_alert(b, kind=AlertKind.ENDING_SOON, resolved_at=timezone.now(), message="Đã xử lý xong")
    return type(
        "Board",
        (),
        {
            "term": term,
            "movements": [in_term, ending, overdue],
            "in_term": sum(m.effective_on >= term.start for m in [in_term, ending, overdue]),
            "missing": 1 + (in_term.effective_on < dt.date(TODAY.year, 1, 1)),
        },
    )


# --- dashboard -----------------------------------------------------------------------


def test_dashboard_requires_login(client):
    assert_login_required(client, DASHBOARD)


@pytest.mark.parametrize("role", ["viewer", "officer", "approver"])
def test_every_role_sees_the_dashboard(users, login, role):
    response = login(getattr(users, role)).get(DASHBOARD)
    assert response.status_code == 200
    assert "Tổng quan" in response.content.decode()


def test_figures_count_this_term_serving_ending_overdue_missing_and_alerts(users, board):
    figures = selectors.dashboard(users.viewer, users.viewer.scope, TODAY)
    assert figures.rotated["total_cadres"] == board.in_term
    assert figures.serving == 3
    assert figures.ending_soon == 1
    assert figures.overdue == 1
    assert figures.missing_reviews == board.missing
    assert figures.open_alerts == 1  # the resolved one is not counted
    assert [a.message for a in figures.newest_alerts] == [
        "Cán bộ Phạm Quá Hạn đã hết thời hạn luân chuyển."
    ]


def test_page_shows_the_figures_the_sentence_and_the_chart_data(users, login, board):
    response = login(users.viewer).get(DASHBOARD)
    content = response.content.decode()
    board_ctx = response.context["board"]
    assert board_ctx.serving == 3 and board_ctx.overdue == 1
    assert 'class="report-sentence"' in content
    assert board_ctx.rotated["sentence"] in content
    assert 'id="rotated-chart" type="application/json"' in content
    assert "vendor/chart.js/chart.umd.min.js" in content
    assert "Cán bộ Phạm Quá Hạn đã hết thời hạn luân chuyển." in content
    assert "Đã xử lý xong" not in content


def test_each_number_links_to_the_list_behind_it(users, login, board):
    content = login(users.viewer).get(DASHBOARD).content.decode()
    scope = users.viewer.scope.pk
    run = reverse("report_run", args=["rotation_summary"])
    assert f'href="{run}?period=this_term&amp;scope={scope}"' in content
    assert f'href="{ALERTS}"' in content
    try:
        officials, decisions = reverse("official_list"), reverse("decision_list")
    except NoReverseMatch:
        pytest.skip("the officials and decisions lists are not wired yet")
    for state in ("ending_soon", "overdue", "missing_review"):
        assert f'href="{officials}?rotation_state={state}&amp;unit={scope}"' in content
    assert f'href="{officials}?rotated=1&amp;unit={scope}"' in content
    assert f'href="{decisions}?status=consulting&amp;pending_consultations=1"' in content


def test_a_district_user_counts_only_their_district(users, board, world, make_official):
    other = make_official(position=world.positions.province_deputy, full_name="Ở Tỉnh")
    add_alert(other, message="Cảnh báo ở tỉnh")
    district_a = selectors.dashboard(users.officer_a, users.officer_a.scope, TODAY)
    district_b = selectors.dashboard(users.officer_b, users.officer_b.scope, TODAY)
    # Counted where the cadre now serves (as the officials list shows them): Phạm Quá Hạn
    # now chairs UBND huyện A; Lê Văn Trong Kỳ and Trần Sắp Hết left for the province.
    assert (district_a.serving, district_a.overdue, district_a.ending_soon) == (1, 1, 0)
    assert district_a.missing_reviews == 1
    assert (district_b.serving, district_b.ending_soon, district_b.overdue) == (0, 0, 0)
    assert district_a.open_alerts == 1  # the alert of the official now in UBND huyện A
    assert district_b.open_alerts == 0


def test_pending_consultations_count_unanswered_requests_of_decisions_in_consultation(
    users, world, make_official
):
    official = make_official(position=world.positions.a1_secretary)
    decision = services.decision_create(
        number="99-QĐ/HU", issued_by=world.units.hu_a, title="Điều động cán bộ"
    )
    services.movement_add(
        decision=decision,
        official=official,
        kind=MovementKind.TRANSFER,
        to_position=world.positions.a_chair,
        effective_on=TODAY,
    )
    asked = services.decision_request_consultations(decision=decision, notify=False)
    assert len(asked) >= 2
    services.consultation_answer(consultation=asked[0], opinion="agree")
    figures = selectors.dashboard(users.officer_a, users.officer_a.scope, TODAY)
    assert (figures.pending_decisions, figures.pending_consultations) == (1, len(asked) - 1)
    elsewhere = selectors.dashboard(users.officer_b, users.officer_b.scope, TODAY)
    assert (elsewhere.pending_decisions, elsewhere.pending_consultations) == (0, 0)


def test_a_scoped_user_cannot_switch_scope(users, login, world):
    response = login(users.officer_a).get(DASHBOARD, {"scope": world.units.province.pk})
    assert response.context["scope"] == world.units.hu_a


def test_a_superuser_picks_a_root_and_nothing_else(login, world, superuser):
    other_root = type(world.units.province).objects.create(
        code="TW", name="Ban Tổ chức Trung ương", level="central", sector=world.sectors.party
    )
    client = login(superuser)
    assert client.get(DASHBOARD).context["scope"] == world.units.province
    assert client.get(DASHBOARD, {"scope": other_root.pk}).context["scope"] == other_root
    # A non-root unit is not a dashboard scope: the first root is shown.
    response = client.get(DASHBOARD, {"scope": world.units.hu_a.pk})
    assert response.context["scope"] == world.units.province
    assert 'name="scope"' in response.content.decode()


def test_a_user_without_scope_is_told_why_there_are_no_figures(login, world):
    nobody = UserFactory(username="no_scope", scope=None)
    response = login(nobody).get(DASHBOARD)
    assert response.status_code == 403  # every staff page says the same (NoScopeMiddleware)
    assert "board" not in response.context
    assert "chưa được giao phạm vi quản lý" in response.content.decode()
    assert "Toàn hệ thống" not in response.content.decode()


def test_dashboard_costs_a_fixed_number_of_queries(users, login, world, make_official):
    client = login(users.viewer)
    term = periods.term_on(TODAY)
    on = term.start + (TODAY - term.start) // 2
    positions = itertools.cycle([world.positions.a_chair, world.positions.b_secretary])

    def add_rows(n):
        officials = [
            make_official(unit=world.units.hu_a, full_name=f"Cán bộ {i}", planned=False)
            for i in range(n)
        ]
        for official in officials:  # one decision each: a decision re-checks all its movements
            rotate([official], next(positions), on)
            add_alert(official)

    queries = assert_constant_queries(client, DASHBOARD, add_rows)
    assert queries == count_queries(client, DASHBOARD) == DASHBOARD_QUERIES


# --- alerts ----------------------------------------------------------------------------


def test_alert_list_requires_login(client):
    assert_login_required(client, ALERTS)


def test_alert_list_shows_open_alerts_in_scope_only(users, login, world, make_official):
    in_a = make_official(unit=world.units.hu_a, full_name="Nguyễn Ở Huyện A")
    in_b = make_official(unit=world.units.hu_b, full_name="Nguyễn Ở Huyện B")
    add_alert(in_a, message="Cảnh báo huyện A")
    add_alert(in_b, message="Cảnh báo huyện B")
    add_alert(in_a, message="Cảnh báo cũ", resolved_at=timezone.now())
    content = login(users.officer_a).get(ALERTS).content.decode()
    assert "Cảnh báo huyện A" in content
    assert "Cảnh báo huyện B" not in content
    assert "Cảnh báo cũ" not in content
    with_resolved = login(users.officer_a).get(ALERTS, {"resolved": "1"}).content.decode()
    assert "Cảnh báo cũ" in with_resolved and "Đã xử lý" in with_resolved


def test_alert_list_filters_by_kind_and_name_and_sorts(users, login, world, make_official):
    an = make_official(unit=world.units.hu_a, full_name="Đặng An")
    binh = make_official(unit=world.units.hu_a, full_name="Bùi Bình")
    add_alert(an, kind=AlertKind.OVERDUE, message="Một")
    add_alert(binh, kind=AlertKind.MISSING_REVIEW, message="Hai")
    client = login(users.viewer)
    only_overdue = client.get(ALERTS, {"kind": AlertKind.OVERDUE}).context["object_list"]
    assert [a.message for a in only_overdue] == ["Một"]
    by_name = client.get(ALERTS, {"q": "dang an"}).context["object_list"]
    assert [a.message for a in by_name] == ["Một"]
    sorted_names = client.get(ALERTS, {"sort": "official"}).context["object_list"]
    assert [a.official.full_name for a in sorted_names] == ["Bùi Bình", "Đặng An"]
    reverse_names = client.get(ALERTS, {"sort": "-official"}).context["object_list"]
    assert [a.official.full_name for a in reverse_names] == ["Đặng An", "Bùi Bình"]


def test_a_page_past_the_end_shows_the_last_page(users, login, world, make_official):
    official = make_official(unit=world.units.hu_a)
    for _ in range(30):
        add_alert(official)
    page = login(users.viewer).get(ALERTS, {"page": 99}).context["page_obj"]
    assert page.number == 2 and len(page.object_list) == 5


def test_empty_alert_list_says_so(users, login):
    content = login(users.viewer).get(ALERTS).content.decode()
    assert "Không có cảnh báo nào chưa xử lý trong phạm vi của bạn." in content


def test_only_officers_see_and_use_the_resolve_button(users, login, world, make_official):
    alert = add_alert(make_official(unit=world.units.hu_a))
    url = reverse("alert_resolve", args=[alert.pk])
    viewer = login(users.viewer)
    assert url not in viewer.get(ALERTS).content.decode()
    assert viewer.post(url).status_code == 403
    alert.refresh_from_db()
    assert alert.resolved_at is None
    assert url in login(users.officer).get(ALERTS).content.decode()


def test_an_officer_resolves_an_alert_after_confirming(users, login, world, make_official):
    alert = add_alert(make_official(unit=world.units.hu_a, full_name="Võ Văn Xử"))
    url = reverse("alert_resolve", args=[alert.pk])
    client = login(users.officer_a)
    page = client.get(ALERTS).content.decode()
    assert "data-confirm=" in page and "Đánh dấu đã xử lý cảnh báo về cán bộ Võ Văn Xử" in page
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": f"{ALERTS}?kind=overdue"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{ALERTS}?kind=overdue"
    assert "Đã đánh dấu đã xử lý cảnh báo về cán bộ Võ Văn Xử" in response.content.decode()
    alert.refresh_from_db()
    assert alert.resolved_at is not None and alert.resolved_by == users.officer_a
    first = alert.resolved_at
    again = client.post(url, follow=True)
    assert "đã được đánh dấu đã xử lý trước đó" in again.content.decode()
    alert.refresh_from_db()
    assert alert.resolved_at == first


def test_resolving_outside_scope_is_404_and_changes_nothing(users, login, world, make_official):
    alert = add_alert(make_official(unit=world.units.hu_b))
    response = login(users.officer_a).post(reverse("alert_resolve", args=[alert.pk]))
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.resolved_at is None


def test_resolve_ignores_a_next_url_to_another_site(users, login, world, make_official):
    alert = add_alert(make_official(unit=world.units.hu_a))
    response = login(users.officer).post(
        reverse("alert_resolve", args=[alert.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == ALERTS


def test_alert_list_costs_constant_queries(users, login, world):
    official = OfficialFactory(current_unit=world.units.hu_a)
    assert_constant_queries(
        login(users.viewer), ALERTS, lambda n: [add_alert(official) for _ in range(n)]
    )


# --- the daily snapshot of the serving figures ------------------------------------------


def day_figures(board_):
    return {name: getattr(board_, name) for name in SNAPSHOT_FIGURES}


def test_the_daily_job_s_snapshot_gives_the_live_figures(board, users, login, world):
    scopes = [world.units.province, world.units.hu_a, world.units.hu_b]
    live = {scope: selectors.dashboard(users.viewer, scope, TODAY) for scope in scopes}
    assert live[world.units.province].serving == 3 and live[world.units.province].overdue == 1
    assert all(board_.figures_taken_at is None for board_ in live.values())
    jobs.apply_due_movements(TODAY)  # the 01:15 job takes the snapshot after its work
    for scope in scopes:
        read = selectors.dashboard(users.viewer, scope, TODAY)
        assert read.figures_taken_at is not None
        assert day_figures(read) == day_figures(live[scope]), scope
    content = login(users.viewer).get(DASHBOARD).content.decode()
    assert "hôm nay (công việc hằng ngày)" in content


def test_without_today_s_snapshot_the_figures_are_computed(board, users, world):
    snapshot_take(TODAY - dt.timedelta(days=1))
    read = selectors.dashboard(users.viewer, world.units.province, TODAY)
    assert read.figures_taken_at is None and read.serving == 3
    # A unit below the district level has no snapshot: computed for the page.
    snapshot_take(TODAY)
    assert snapshot_of(world.units.xa_a1, TODAY) is None


def test_a_snapshot_taken_again_replaces_the_day_s_and_old_ones_go(board, world):
    snapshot_take(TODAY - dt.timedelta(days=KEEP_DAYS + 1))
    snapshot_take(TODAY)
    snapshot_take(TODAY)
    days = set(ServingSnapshot.objects.values_list("taken_on", flat=True))
    assert days == {TODAY}
    assert ServingSnapshot.objects.filter(scope=world.units.province).count() == 1


def test_the_dashboard_reads_the_snapshot_in_fewer_queries(board, users, login):
    client = login(users.viewer)
    computed = count_queries(client, DASHBOARD)
    snapshot_take(TODAY)
    assert count_queries(client, DASHBOARD) == computed - 2  # serving and missing reviews


def test_open_alerts_past_the_cap_read_more_than(users, login, world, make_official, monkeypatch):
    monkeypatch.setattr(selectors, "OPEN_ALERTS_CAP", 2)
    for i in range(3):
        add_alert(make_official(unit=world.units.hu_a, full_name=f"Cảnh Báo {i}"))
    client = login(users.viewer)
    board = client.get(DASHBOARD).context["board"]
    assert board.open_alerts_more and board.open_alerts == 3
    content = client.get(DASHBOARD).content.decode()
    assert "hơn 2" in content and "Xem tất cả cảnh báo chưa xử lý" in content
    monkeypatch.setattr(selectors, "OPEN_ALERTS_CAP", 3)
    board = client.get(DASHBOARD).context["board"]
    assert not board.open_alerts_more and board.open_alerts == 3
