"""The whole rotation workflow driven through the API alone ends with the same postings as
through the staff pages: draft, movement, consultations asked and answered, approval,
application."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from personnel.models import Posting
from rotation.choices import DecisionStatus
from rotation.models import Consultation, Decision

pytestmark = pytest.mark.django_db


def by_api(api, users, world, official, number):
    officer, approver = api(users.officer), api(users.approver)
    today = timezone.localdate()
    response = officer.post(
        reverse("api:decision-list"),
        {"number": number, "issued_by": world.units.province.pk, "title": "Luân chuyển"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    decision = response.json()["id"]
    response = officer.post(
        reverse("api:movement-list"),
        {
            "decision": decision,
            "official": official.pk,
            "kind": "rotation",
            "to_position": world.positions.b_secretary.pk,
            "effective_on": today.isoformat(),
            "term_months": 36,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["direction"] == "district_to_district"
    response = officer.post(reverse("api:decision-request-consultations", args=[decision]))
    assert response.status_code == 200 and response.json()["status"] == DecisionStatus.CONSULTING
    for consultation in Consultation.objects.filter(decision_id=decision):
        response = officer.post(
            reverse("api:consultation-answer", args=[consultation.pk]),
            {"opinion": "agree", "answered_on": today.isoformat()},
            format="json",
        )
        assert response.status_code == 200, response.json()
    # the officer may not approve: the approver does
    assert officer.post(reverse("api:decision-approve", args=[decision])).status_code == 403
    response = approver.post(
        reverse("api:decision-approve", args=[decision]),
        {"signed_on": today.isoformat()},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == DecisionStatus.APPROVED
    response = officer.post(reverse("api:decision-apply", args=[decision]))
    assert response.status_code == 200 and len(response.json()["applied"]) == 1
    return Decision.objects.get(pk=decision)


def by_pages(login, users, world, official, number):
    today = timezone.localdate()
    day = today.strftime("%d/%m/%Y")
    officer = login(users.officer)
    officer.post(
        reverse("decision_create"),
        {"number": number, "issued_by": world.units.province.pk, "title": "Luân chuyển"},
    )
    decision = Decision.objects.get(number=number)
    officer.post(
        reverse("movement_add", args=[decision.pk]),
        {
            "official": official.pk,
            "kind": "rotation",
            "to_position": world.positions.b_secretary.pk,
            "effective_on": day,
            "term_months": "36",
            "note": "",
        },
    )
    officer.post(reverse("decision_request_consultations", args=[decision.pk]))
    for consultation in decision.consultations.all():
        officer.post(
            reverse("consultation_answer", args=[consultation.pk]),
            {"opinion": "agree", "opinion_text": "", "answered_on": day},
        )
    login(users.approver).post(reverse("decision_approve", args=[decision.pk]), {"signed_on": day})
    login(users.officer).post(reverse("decision_apply", args=[decision.pk]))
    decision.refresh_from_db()
    return decision


def postings_of(official):
    return [
        (p.position_id, p.org_unit_id, p.title, p.start_date, p.end_date, p.is_primary)
        for p in Posting.objects.filter(official=official).order_by("start_date", "id")
    ]


def test_the_api_alone_ends_with_the_same_postings_as_the_pages(
    api, login, users, world, make_official
):
    since = dt.date(2018, 1, 1)
    first = make_official(position=world.positions.a_deputy, full_name="Qua API", since=since)
    decision = by_api(api, users, world, first, "1-QĐ/API")
    after_api = postings_of(first)
    # the same move of a colleague in the same seat, by the pages
    second = make_official(position=world.positions.a_deputy, full_name="Qua trang", since=since)
    by_pages(login, users, world, second, "2-QĐ/TRANG")
    assert decision.status == DecisionStatus.APPROVED
    assert after_api == postings_of(second)
    assert len(after_api) == 2 and after_api[0][4] == timezone.localdate() - dt.timedelta(days=1)
