"""Every admin changelist and change page answers for a superuser; scope holds in admin."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.choices import Role
from personnel import services
from personnel.models import Posting, Reorganisation
from reports.models import Subscription
from tests.factories import (
    DisciplineFactory,
    EvaluationFactory,
    LocalityFactory,
    OfficialFactory,
    OrgUnitFactory,
    PlanningEntryFactory,
    PositionFactory,
    TrainingRecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(superuser):
    unit = OrgUnitFactory(locality=LocalityFactory())
    position = PositionFactory(org_unit=unit)
    official = OfficialFactory(full_name="Đặng Văn Bình")
    services.posting_create(
        official=official, position=position, title="", start_date=dt.date(2020, 1, 1)
    )
    TrainingRecordFactory(official=official)
    EvaluationFactory(official=official)
    DisciplineFactory(official=official)
    PlanningEntryFactory(official=official, position=position)
    return official


def _registered():
    return list(admin.site._registry)


@pytest.mark.parametrize("model", _registered(), ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_answer(admin_client, records, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert admin_client.get(change).status_code == 200
    if admin.site._registry[model].has_add_permission(_request(admin_client)):
        add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        if model in STAFF_FORMS:  # admin's add link opens the one staff form
            assert add.status_code == 302 and add["Location"] == reverse(STAFF_FORMS[model])
        else:
            assert add.status_code == 200


STAFF_FORMS = {Subscription: "subscription_create", Reorganisation: "reorganisation_create"}


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True)
    return request


def test_official_page_shows_postings_inline_and_history(admin_client, records):
    page = admin_client.get(reverse("admin:personnel_official_change", args=[records.pk]))
    assert "Bí thư" in page.content.decode()
    history = admin_client.get(reverse("admin:personnel_official_history", args=[records.pk]))
    assert history.status_code == 200


def test_admin_search_is_diacritics_insensitive(admin_client, records):
    OfficialFactory(full_name="Trần Văn Cường")
    page = admin_client.get(reverse("admin:personnel_official_changelist"), {"q": "dang van binh"})
    assert list(page.context["cl"].result_list) == [records]


def test_staff_outside_scope_gets_404_and_an_empty_list(client, records):
    sibling = OrgUnitFactory()
    user = UserFactory(scope=sibling, role=Role.OFFICER)
    client.force_login(user)
    change = client.get(reverse("admin:personnel_official_change", args=[records.pk]))
    assert change.status_code == 404  # as on the staff pages: existence is not revealed
    listing = client.get(reverse("admin:personnel_official_changelist"))
    assert list(listing.context["cl"].result_list) == []


def test_admin_inline_refuses_overlapping_postings(admin_client, records):
    posting = records.postings.get()
    url = reverse("admin:personnel_official_change", args=[records.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(_management(page, posting))
    data.update(
        {
            "postings-1-title": "Phó Chủ tịch",
            "postings-1-org_unit": posting.org_unit_id,
            "postings-1-start_date": "01/06/2022",
            "postings-1-is_primary": "on",
            "postings-TOTAL_FORMS": "2",
        }
    )
    response = admin_client.post(url, _flatten(data))
    assert response.status_code == 200
    assert "trùng thời gian" in response.content.decode()
    assert Posting.objects.filter(official=records).count() == 1
    # Closing the first posting in the same submission makes it acceptable.
    data["postings-0-end_date"] = "31/05/2022"
    response = admin_client.post(url, _flatten(data))
    if response.status_code != 302:
        ctx = response.context
        errors = [ctx["adminform"].form.errors]
        errors += [
            (f.formset.errors, f.formset.non_form_errors()) for f in ctx["inline_admin_formsets"]
        ]
        raise AssertionError(errors)
    assert Posting.objects.filter(official=records).count() == 2
    records.refresh_from_db()
    assert records.current_posting.title == "Phó Chủ tịch"


def _management(page, posting):
    data = {
        "postings-TOTAL_FORMS": "1",
        "postings-INITIAL_FORMS": "1",
        "postings-0-id": posting.pk,
        "postings-0-official": posting.official_id,
        "postings-0-title": posting.title,
        "postings-0-position": posting.position_id,
        "postings-0-org_unit": posting.org_unit_id,
        "postings-0-start_date": posting.start_date.strftime("%d/%m/%Y"),
        "postings-0-is_primary": "on",
        "postings-0-basis": "",
    }
    for prefix, count in (
        ("trainings", 1),
        ("evaluations", 1),
        ("disciplines", 1),
        ("rewards", 0),
        ("planning", 1),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(count)
        data[f"{prefix}-INITIAL_FORMS"] = str(count)
    official = posting.official
    data["trainings-0-id"] = official.trainings.get().pk
    data["trainings-0-official"] = official.pk
    t = official.trainings.get()
    data.update(
        {
            "trainings-0-kind": t.kind,
            "trainings-0-programme": t.programme,
            "trainings-0-mode": t.mode,
            "trainings-0-start_date": t.start_date.strftime("%d/%m/%Y"),
        }
    )
    e = official.evaluations.get()
    data.update(
        {
            "evaluations-0-id": e.pk,
            "evaluations-0-official": official.pk,
            "evaluations-0-year": e.year,
            "evaluations-0-rating": e.rating,
        }
    )
    d = official.disciplines.get()
    data.update(
        {
            "disciplines-0-id": d.pk,
            "disciplines-0-official": official.pk,
            "disciplines-0-kind": d.kind,
            "disciplines-0-decided_on": d.decided_on.strftime("%d/%m/%Y"),
            "disciplines-0-basis": d.basis,
            "disciplines-0-issued_by": d.issued_by,
        }
    )
    p = official.planning.get()
    data.update(
        {
            "planning-0-id": p.pk,
            "planning-0-official": official.pk,
            "planning-0-position": p.position_id,
            "planning-0-term": p.term,
            "planning-0-status": p.status,
        }
    )
    return data


def _flatten(data):
    out = {}
    for key, value in data.items():
        if hasattr(value, "pk"):
            value = value.pk
        if hasattr(value, "strftime"):
            value = value.strftime("%d/%m/%Y")
        if value is True:
            value = "on"
        if value is False:
            continue
        out[key] = value
    return out


def test_admin_speaks_vietnamese_and_switches_to_english(admin_client):
    page = admin_client.get(reverse("admin:index"))
    assert "Hệ thống quản lý luân chuyển cán bộ" in page.content.decode()
    assert "Hồ sơ cán bộ" in page.content.decode()
    admin_client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    page = admin_client.get(reverse("admin:index"))
    assert "Log out" in page.content.decode()
