"""Every writable resource of the API, from one table: created by an officer of its scope
(201, through its service), changed (200), refused for a viewer (403), for an officer of
another district (400: the official or unit does not exist for them; 404 on the row), and
for hostile values (400); nothing changes when refused. A resource added to the router
without a row here fails ``test_every_writable_resource_is_in_the_table``."""

import pytest
from django.urls import reverse
from django.utils import timezone

from config.api_urls import router
from rotation import services as rotation_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOSTILE_DAY = "9999-12-31"


@pytest.fixture
def a_side(world, make_official, users):
    """An official of district A (a deputy) and a draft decision issued by district A."""
    official = make_official(position=world.positions.a_deputy, full_name="Trần Văn An")
    draft = rotation_services.decision_create(
        number="1-QĐ/HU", issued_by=world.units.hu_a, title="Điều động", created_by=users.officer
    )
    return type("A", (), {"official": official, "draft": draft})


def movement_for_review(world, make_official, users):
    from rotation import services_apply, services_movements

    decision = rotation_services.decision_create(
        number="2-QĐ/HU", issued_by=world.units.hu_a, title="Luân chuyển", created_by=users.officer
    )
    mover = make_official(position=world.positions.a1_secretary, full_name="Lê Văn Chuyển")
    movement = services_movements.movement_add(
        decision=decision,
        official=mover,
        kind="rotation",
        to_position=world.positions.a_deputy,
        effective_on=timezone.localdate(),
        term_months=36,
        by=users.officer,
    )
    rotation_services.decision_request_consultations(
        decision=decision, by=users.officer, notify=False
    )
    rotation_services.decision_approve(
        decision=decision, by=users.approver, signed_on=timezone.localdate(), notify=False
    )
    return services_apply.movement_apply(movement=movement, by=users.officer)


# resource -> (payload for A's records, a field changed by PATCH, a date field for hostility)
def table(world, a, movement):
    official = a.official.pk
    return {
        "official": (
            {
                "code": "R1",
                "full_name": "Nguyễn Văn Mới",
                "gender": "male",
                "date_of_birth": "1980-01-01",
                "education_level": "university",
                "first_posting": {"org_unit": world.units.hu_a.pk, "title": "Chuyên viên",
                                  "start_date": "2020-01-01"},
            },
            {"notes": "Ghi chú mới"},
            "date_of_birth",
        ),
        "posting": (
            {"official": official, "org_unit": world.units.hu_a.pk, "title": "Kiêm nhiệm",
             "start_date": "2021-01-01", "is_primary": False},
            {"basis": "Quyết định 5"},
            "start_date",
        ),
        "training": (
            {"official": official, "kind": "degree", "programme": "Cử nhân Luật",
             "start_date": "2005-09-01", "end_date": "2009-06-30"},
            {"institution": "Đại học Luật"},
            "start_date",
        ),
        "evaluation": ({"official": official, "year": 2023, "rating": "good"},
                       {"rating": "excellent"}, "year"),
        "planning": (
            {"official": official, "position": world.positions.a_secretary.pk,
             "term": "2030-2035"},
            {"basis": "Nghị quyết 1"},
            "approved_on",
        ),
        "discipline": (
            {"official": official, "kind": "reprimand", "decided_on": "2020-01-01",
             "basis": "Quyết định 9"},
            {"note": "Đã chấp hành"},
            "decided_on",
        ),
        "reward": (
            {"official": official, "kind": "certificate", "name": "Giấy khen",
             "level": "province", "decided_on": "2020-01-01"},
            {"note": "Năm 2019"},
            "decided_on",
        ),
        "decision": (
            {"number": "9-QĐ/HU", "issued_by": world.units.hu_a.pk, "title": "Điều động"},
            {"title": "Điều động, luân chuyển"},
            "signed_on",
        ),
        "movement": (
            {"decision": a.draft.pk, "official": official, "kind": "transfer",
             "to_position": world.positions.a1_secretary.pk, "effective_on": "2031-01-01"},
            {"note": "Theo đề nghị"},
            "effective_on",
        ),
        "review": (
            {"movement": movement.pk, "period": "annual", "year": timezone.localdate().year,
             "rating": "good"},
            {"text": "Hoàn thành tốt"},
            "year",
        ),
    }  # fmt: skip


def writable_basenames() -> set[str]:
    return {basename for _p, viewset, basename in router.registry if hasattr(viewset, "create")}


def test_every_writable_resource_is_in_the_table(world, users, a_side, make_official):
    movement = movement_for_review(world, make_official, users)
    assert writable_basenames() == set(table(world, a_side, movement))


def test_each_resource_is_written_by_its_scope_and_refused_elsewhere(
    api, world, users, a_side, make_official
):
    movement = movement_for_review(world, make_official, users)
    viewer_a = UserFactory(username="viewer_a", scope=world.units.hu_a, role="viewer")
    failures = []
    for basename, (payload, change, date_field) in table(world, a_side, movement).items():
        model = router.registry[[b for _p, _v, b in router.registry].index(basename)][1]
        model = model.queryset.model
        before = model.objects.count()
        listing = reverse(f"api:{basename}-list")

        def expect(response, status, what, basename=basename):
            if response.status_code != status:
                failures.append(
                    f"{basename} {what}: {response.status_code} (expected {status}) "
                    f"{response.content[:200]!r}"
                )

        expect(api(viewer_a).post(listing, payload, format="json"), 403, "viewer create")
        expect(api(users.officer_b).post(listing, payload, format="json"), 400, "B create")
        hostile = {**payload, date_field: HOSTILE_DAY}
        expect(api(users.officer_a).post(listing, hostile, format="json"), 400, "hostile")
        if model.objects.count() != before:
            failures.append(f"{basename}: a refused create changed the table")
        created = api(users.officer_a).post(listing, payload, format="json")
        expect(created, 201, "create")
        if created.status_code != 201:
            continue
        detail = reverse(f"api:{basename}-detail", args=[created.json()["id"]])
        expect(api(users.officer_a).patch(detail, change, format="json"), 200, "update")
        expect(api(users.officer_b).patch(detail, change, format="json"), 404, "B update")
        expect(api(users.officer_b).get(detail), 404, "B read")
        expect(api(viewer_a).patch(detail, change, format="json"), 403, "viewer update")
        expect(
            api(users.officer_a).patch(detail, {date_field: HOSTILE_DAY}, format="json"),
            400,
            "hostile update",
        )
        expect(api(viewer_a).get(listing), 200, "viewer list")
    assert not failures, "\n".join(failures)
