"""The non-local targets the regulations set, shipped with the catalogue.

Conclusion 201-KL/TW (31/10/2025): by 15/12/2025, 100% of provincial people's committee
chairs, heads of inspection committees and chief inspectors are non-local. Administrators
edit or add targets in admin (``NonLocalTarget``).
"""

import datetime as dt

CONCLUSION_201 = "Kết luận số 201-KL/TW ngày 31/10/2025 của Bộ Chính trị"
STANDARD_TARGETS = [
    (code, 100, dt.date(2025, 12, 15), CONCLUSION_201)
    for code in ("province.committee_chair", "province.inspection_head", "province.chief_inspector")
]


def ensure_standard_targets(apps) -> None:
    """Create the standard targets that are missing (a data migration, and after every
    ``migrate`` or flush); edited rows are left as they are."""
    try:
        post_type_model = apps.get_model("personnel", "PostType")
        target_model = apps.get_model("reports", "NonLocalTarget")
    except LookupError:  # migrated back before targets existed
        return
    types = {
        t.code: t for t in post_type_model.objects.filter(code__in=[t[0] for t in STANDARD_TARGETS])
    }
    for code, share, deadline, basis in STANDARD_TARGETS:
        if code in types:
            target_model.objects.get_or_create(
                post_type=types[code], deadline=deadline, defaults={"share": share, "basis": basis}
            )
