"""Fill ``Decision.missing_consultations`` for fait-accompli decisions approved before the
field existed (0003 added it empty).

What was missing at approval is rebuilt from the record: each consultation not answered
by the signing day. A decision approved without asking anyone has no consultation rows;
its sending and receiving units (the units its movements left and joined) are recorded.
Each rebuilt entry carries ``"backfilled": true``.
"""

from django.db import migrations

SIDES = {"sending": "sending", "receiving": "receiving"}


def backfill(apps, schema_editor):
    Decision = apps.get_model("rotation", "Decision")
    Consultation = apps.get_model("rotation", "Consultation")
    Movement = apps.get_model("rotation", "Movement")
    stale = Decision.objects.filter(
        status="approved", is_fait_accompli=True, missing_consultations=[]
    ).exclude(signed_on=None)
    for decision in stale.iterator():
        asked = list(
            Consultation.objects.filter(decision=decision)
            .select_related("org_unit")
            .order_by("role", "id")
        )
        missing = []
        if asked:
            for c in asked:
                if c.answered_on is None or c.answered_on > decision.signed_on:
                    missing.append((c.org_unit_id, c.org_unit.name, c.role))
        else:
            seen = set()
            movements = Movement.objects.filter(decision=decision).select_related(
                "from_posting__org_unit", "to_position__org_unit"
            )
            for m in movements.order_by("id"):
                places = [("receiving", m.to_position.org_unit)]
                if m.from_posting_id:
                    places.insert(0, ("sending", m.from_posting.org_unit))
                for role, unit in places:
                    if (unit.pk, role) not in seen and unit.pk != decision.issued_by_id:
                        seen.add((unit.pk, role))
                        missing.append((unit.pk, unit.name, role))
        decision.missing_consultations = [
            {
                "org_unit_id": unit_id,
                "org_unit": name,
                "role": role,
                **({"side": SIDES[role]} if role in SIDES else {}),
                "backfilled": True,
            }
            for unit_id, name, role in missing
        ]
        decision.save(update_fields=["missing_consultations"])


class Migration(migrations.Migration):
    dependencies = [("rotation", "0007_alert_titles_and_notification_failures")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
