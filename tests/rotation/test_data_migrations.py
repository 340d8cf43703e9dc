"""Data migrations, run forwards on data shaped as it was before them."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rotation.models import Decision

D = dt.date
BEFORE = [("rotation", "0007_alert_titles_and_notification_failures")]
AFTER = [("rotation", "0008_backfill_missing_consultations")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    """Back to the latest migrations (the models' schema) for the checks and later tests."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_missing_consultations_are_filled_for_decisions_approved_before_0003(world, make_official):
    p, units = world.positions, world.units
    apps = migrate(BEFORE)
    Old = apps.get_model("rotation", "Decision")
    OldMovement = apps.get_model("rotation", "Movement")
    OldConsultation = apps.get_model("rotation", "Consultation")
    Posting = apps.get_model("personnel", "Posting")

    def decision(number, accompli, official_id):
        d = Old.objects.create(
            number=number,
            issued_by_id=units.province.pk,
            title="Luân chuyển",
            status="approved",
            signed_on=D(2024, 5, 1),
            is_fait_accompli=accompli,
        )
        posting = Posting.objects.get(official_id=official_id, end_date=None)
        OldMovement.objects.create(
            decision=d,
            official_id=official_id,
            kind="rotation",
            from_posting=posting,
            from_unit_id=posting.org_unit_id,
            to_position_id=p.b_deputy.pk,
            to_unit_id=units.hu_b.pk,
            effective_on=D(2024, 6, 1),
            term_months=36,
        )
        return d

    a = make_official(position=p.a_deputy, full_name="Đã hỏi")
    b = make_official(position=p.a_chair, full_name="Chưa hỏi")
    c = make_official(position=p.a1_secretary, full_name="Đủ ý kiến")
    asked = decision("1-QĐ/TU", True, a.pk)
    OldConsultation.objects.create(
        decision=asked, org_unit_id=units.hu_a.pk, role="sending",
        requested_on=D(2024, 4, 1), answered_on=D(2024, 4, 10),
    )  # fmt: skip
    OldConsultation.objects.create(
        decision=asked, org_unit_id=units.hu_b.pk, role="receiving",
        requested_on=D(2024, 4, 1), answered_on=D(2024, 5, 20),  # after the signing
    )  # fmt: skip
    never_asked = decision("2-QĐ/TU", True, b.pk)
    complete = decision("3-QĐ/TU", False, c.pk)

    migrate(AFTER)
    migrate_to_latest()

    def missing(d):
        return [
            (m["org_unit"], m["role"], m.get("side"), m["backfilled"])
            for m in Decision.objects.get(pk=d.pk).missing_consultations
        ]

    assert missing(asked) == [("Huyện ủy B", "receiving", "receiving", True)]
    assert missing(never_asked) == [
        ("UBND huyện A", "sending", "sending", True),
        ("Huyện ủy B", "receiving", "receiving", True),
    ]
    assert missing(complete) == []
