"""The standard post type catalogue, and every existing position given its type.

A position's type is the standard type its title names at its unit's level
(``personnel.post_types.match_code``); a title no pattern knows gets the generic type of
its kind, which the positions admin lists apart ("Loại chung") for an administrator.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from personnel.post_types import ensure_standard_post_types, match_code

    PostType = apps.get_model("personnel", "PostType")
    Position = apps.get_model("personnel", "Position")
    ensure_standard_post_types(PostType)
    by_code = {t.code: t for t in PostType.objects.all()}
    untyped = Position.objects.filter(post_type__isnull=True).select_related("org_unit")
    for position in untyped.iterator(chunk_size=2000):
        code = match_code(position.title, position.org_unit.level, position.kind)
        position.post_type = by_code[code]
        position.save(update_fields=["post_type"])


class Migration(migrations.Migration):
    dependencies = [("personnel", "0006_post_types")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
