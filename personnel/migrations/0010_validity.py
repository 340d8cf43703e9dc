"""Units and localities get a validity period; ``is_active`` goes.

An inactive unit or locality ended on some day: the last day one of its postings ended
(for a unit), else yesterday. Nothing is deleted.
"""

import datetime as dt

from django.db import migrations, models
from django.db.models import Max, Q


def end_inactive(apps, schema_editor):
    OrgUnit = apps.get_model("personnel", "OrgUnit")
    Locality = apps.get_model("personnel", "Locality")
    Posting = apps.get_model("personnel", "Posting")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    for unit in OrgUnit.objects.filter(is_active=False):
        last = Posting.objects.filter(org_unit=unit).aggregate(end=Max("end_date"))["end"]
        unit.valid_to = min(last, yesterday) if last else yesterday
        unit.save(update_fields=["valid_to"])
    Locality.objects.filter(is_active=False).update(valid_to=yesterday)


def restore_active(apps, schema_editor):
    OrgUnit = apps.get_model("personnel", "OrgUnit")
    Locality = apps.get_model("personnel", "Locality")
    today = dt.date.today()
    OrgUnit.objects.filter(valid_to__lt=today).update(is_active=False)
    Locality.objects.filter(valid_to__lt=today).update(is_active=False)


def validity_fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name="valid_from",
            field=models.DateField(
                blank=True,
                help_text="Ngày bắt đầu tồn tại; để trống nếu đã có từ trước khi có hồ sơ.",
                null=True,
                verbose_name="có hiệu lực từ",
            ),
        ),
        migrations.AddField(
            model_name=model_name,
            name="valid_to",
            field=models.DateField(
                blank=True,
                help_text=(
                    "Ngày cuối cùng tồn tại (trước ngày sắp xếp, sáp nhập, giải thể có hiệu "
                    "lực); để trống khi đang hoạt động. Không xóa đơn vị đã kết thúc: lịch sử "
                    "vẫn giữ."
                ),
                null=True,
                verbose_name="hiệu lực đến hết ngày",
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0009_discipline"),
    ]

    operations = [
        *validity_fields("locality"),
        *validity_fields("orgunit"),
        migrations.RunPython(end_inactive, restore_active),
        migrations.RemoveField(model_name="locality", name="is_active"),
        migrations.RemoveField(model_name="orgunit", name="is_active"),
        migrations.AddConstraint(
            model_name="locality",
            constraint=models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="locality_valid_to_after_valid_from",
            ),
        ),
        migrations.AddConstraint(
            model_name="orgunit",
            constraint=models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="org_unit_valid_to_after_valid_from",
            ),
        ),
    ]
