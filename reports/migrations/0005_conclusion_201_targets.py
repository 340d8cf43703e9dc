"""The targets of Conclusion 201-KL/TW (31/10/2025): by 15/12/2025, 100% of provincial
people's committee chairs, heads of inspection committees and chief inspectors are
non-local. Administrators edit or add targets in admin."""

from django.db import migrations



def forwards(apps, schema_editor):
    from reports.targets import ensure_standard_targets

    ensure_standard_targets(apps)


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_non_local_targets")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
