"""Stored findings stop naming other officials (issue 8, need to know).

A "position held" finding used to store the current holder's name in its message,
shown to anyone who could see the movement. Rewrite those stored findings, on the
movements and in their history, the way ``rotation.rules.check_position_vacant`` now
writes them: a name-free message, the holder's id and the message's values. The name
is put back at render time only for viewers whose scope reaches the holder.
"""

import re

from django.db import migrations

CODE = "position_held"
NAMED = [
    re.compile(
        r"^Ngày (?P<on>\S+), chức vụ “(?P<title>.*)” đang do (?P<name>.+) đảm nhiệm "
        r"\(từ (?P<since>\S+)\)\.$"
    ),
    re.compile(
        r"^On (?P<on>\S+), the position “(?P<title>.*)” is held by (?P<name>.+) "
        r"\(since (?P<since>\S+)\)\.$"
    ),
]
NAME_FREE = "Ngày %(on)s, chức vụ “%(title)s” đang có người đảm nhiệm (từ %(since)s)."
UNKNOWN = "Chức vụ nơi đến đang có người đảm nhiệm."


def _rewrite(finding: dict, to_position_id, Posting) -> dict:
    match = next(filter(None, (p.match(finding.get("message", "")) for p in NAMED)), None)
    if match is None:
        return {**finding, "message": UNKNOWN, "holder_id": None, "params": {}}
    params = {key: match[key] for key in ("on", "title", "since")}
    holder_id = (
        Posting.objects.filter(
            position_id=to_position_id, is_primary=True, official__full_name=match["name"]
        )
        .order_by("-start_date")
        .values_list("official_id", flat=True)
        .first()
    )
    return {**finding, "message": NAME_FREE % params, "holder_id": holder_id, "params": params}


def _strip(model, Posting, connection) -> None:
    rows = model.objects.only("pk", "findings", "to_position_id")
    if connection.features.supports_json_field_contains:
        rows = rows.filter(findings__contains=[{"code": CODE}])  # indexed on PostgreSQL
    for row in rows.iterator(chunk_size=500):
        findings = [
            _rewrite(f, row.to_position_id, Posting)
            if isinstance(f, dict) and f.get("code") == CODE and "holder_id" not in f
            else f
            for f in (row.findings if isinstance(row.findings, list) else [])
        ]
        if isinstance(row.findings, list) and findings != row.findings:
            model.objects.filter(pk=row.pk).update(findings=findings)


def forwards(apps, schema_editor):
    Posting = apps.get_model("personnel", "Posting")
    for name in ("Movement", "HistoricalMovement"):
        _strip(apps.get_model("rotation", name), Posting, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("rotation", "0005_movement_management_tier"),
        ("personnel", "0004_official_birth_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
