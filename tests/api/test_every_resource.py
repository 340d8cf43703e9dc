"""Every writable resource of the API, from one table: created by an officer of its scope
(201, through its service), changed (200), refused for a viewer (403), for an officer of
another district (400: the official or unit does not exist for them; 404 on the row), and
for hostile values (400); nothing changes when refused. The reference tables (localities,
sectors, post types) are the whole province's: an administrator writes them, an officer
anywhere is refused (403) and everyone reads them. A resource added to the router without
a row here fails ``test_every_writable_resource_is_in_the_table``."""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from config.api_urls import router
from rotation import services as rotation_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOSTILE_DAY = "9999-12-31"


@dataclass
class Row:
    payload: dict  # a create by the writer
    change: dict  # a PATCH by the writer
    hostile: dict  # changes that must be refused (400) on create and on update
    writer: str = "officer_a"  # a user of ``users`` (or "admin_a", made below)
    outsider: dict = field(default_factory=lambda: {"create": 400, "read": 404, "update": 404})


REFERENCE = {"create": 403, "read": 200, "update": 403}  # officer B on a shared table


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


def table(world, a, movement) -> dict[str, Row]:
    official = a.official.pk
    rows = {
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
    rows = {name: Row(payload, change, {day: HOSTILE_DAY}) for name, (payload, change, day)
            in rows.items()}  # fmt: skip
    long_text = "x" * 10_000
    return {
        **rows,
        "locality": Row(
            {"code": "99999", "name": "Xã Mới", "level": "commune",
             "parent": world.localities.a.pk},
            {"name": "Xã Mới Lập"},
            {"valid_from": HOSTILE_DAY},
            writer="admin_a",
            outsider=REFERENCE,
        ),
        "sector": Row(
            {"code": "KT", "name": "Khối kinh tế"}, {"name": "Khối kinh tế, tài chính"},
            {"name": long_text}, writer="admin_a", outsider=REFERENCE,
        ),
        "post-type": Row(
            {"code": "district.new_deputy", "name": "Phó trưởng ban mới", "level": "district",
             "kind": "deputy"},
            {"is_key": True},
            {"display_order": 10**12},
            writer="admin_a",
            outsider=REFERENCE,
        ),
        "org-unit": Row(
            {"code": "HU-A-BTC", "name": "Ban Tổ chức Huyện ủy A", "level": "district",
             "sector": world.sectors.party.pk, "locality": world.localities.a.pk,
             "parent": world.units.hu_a.pk},
            {"email": "btc@hatinh.gov.vn"},
            {"valid_from": HOSTILE_DAY},
        ),
        "position": Row(
            {"org_unit": world.units.hu_a.pk, "post_type": world.positions.a_deputy.post_type_id,
             "title": "Phó Bí thư thứ hai"},
            {"is_active": False},
            {"title": long_text},
        ),
    }  # fmt: skip


def viewset_of(basename: str):
    return next(viewset for _p, viewset, name in router.registry if name == basename)


def filter_values(viewset, row: dict):
    """(filter, value) for each of the viewset's own filter fields the row has a value of."""
    filterset = getattr(viewset, "filterset_class", None)
    names = getattr(viewset, "filterset_fields", None) or (filterset and filterset.Meta.fields)
    for name in names or ():
        value = row.get(name)
        if value is None:
            continue
        yield name, str(value).lower() if isinstance(value, bool) else value


def writable_basenames() -> set[str]:
    """Resources created and changed (report runs are only asked for:
    tests/api/test_report_requests.py)."""
    return {
        basename
        for _p, viewset, basename in router.registry
        if hasattr(viewset, "create") and hasattr(viewset, "update")
    }


def test_every_writable_resource_is_in_the_table(world, users, a_side, make_official):
    movement = movement_for_review(world, make_official, users)
    assert writable_basenames() == set(table(world, a_side, movement))


def test_each_resource_is_written_by_its_scope_and_refused_elsewhere(
    api, world, users, a_side, make_official
):
    movement = movement_for_review(world, make_official, users)
    viewer_a = UserFactory(username="viewer_a", scope=world.units.hu_a, role="viewer")
    admin_a = UserFactory(username="admin_a", scope=world.units.hu_a, role="administrator")
    failures = []
    for basename, row in table(world, a_side, movement).items():
        model = router.registry[[b for _p, _v, b in router.registry].index(basename)][1]
        model = model.queryset.model
        writer = admin_a if row.writer == "admin_a" else getattr(users, row.writer)
        outsider = row.outsider
        before = model.objects.count()
        listing = reverse(f"api:{basename}-list")

        def expect(response, status, what, basename=basename):
            if response.status_code != status:
                failures.append(
                    f"{basename} {what}: {response.status_code} (expected {status}) "
                    f"{response.content[:200]!r}"
                )

        expect(api(viewer_a).post(listing, row.payload, format="json"), 403, "viewer create")
        expect(
            api(users.officer_b).post(listing, row.payload, format="json"),
            outsider["create"],
            "B create",
        )
        hostile = {**row.payload, **row.hostile}
        expect(api(writer).post(listing, hostile, format="json"), 400, "hostile")
        if model.objects.count() != before:
            failures.append(f"{basename}: a refused create changed the table")
        created = api(writer).post(listing, row.payload, format="json")
        expect(created, 201, "create")
        if created.status_code != 201:
            continue
        detail = reverse(f"api:{basename}-detail", args=[created.json()["id"]])
        for name, value in filter_values(viewset_of(basename), created.json()):
            found = api(writer).get(listing, {name: value, "page_size": 500}).json()
            ids = [item["id"] for item in found.get("results", [])]
            if created.json()["id"] not in ids or any(
                item[name] != created.json()[name] for item in found["results"]
            ):
                failures.append(f"{basename}: the filter {name}={value} is not applied")
        expect(api(writer).patch(detail, row.change, format="json"), 200, "update")
        saved = model.objects.filter(pk=created.json()["id"]).values(*row.change).get()
        if saved != row.change:
            failures.append(f"{basename}: the update was not saved ({saved} != {row.change})")
        expect(
            api(users.officer_b).patch(detail, row.change, format="json"),
            outsider["update"],
            "B update",
        )
        expect(api(users.officer_b).get(detail), outsider["read"], "B read")
        expect(api(viewer_a).patch(detail, row.change, format="json"), 403, "viewer update")
        unchanged = model.objects.filter(pk=created.json()["id"]).values().get()
        expect(api(writer).patch(detail, row.hostile, format="json"), 400, "hostile update")
        if model.objects.filter(pk=created.json()["id"]).values().get() != unchanged:
            failures.append(f"{basename}: a refused update changed the row")
        expect(api(viewer_a).get(listing), 200, "viewer list")
    assert not failures, "\n".join(failures)
