import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("personnel", "0007_post_type_catalogue")]

    operations = [
        migrations.AlterField(
            model_name="position",
            name="post_type",
            field=models.ForeignKey(
                help_text="Quy định và báo cáo tính theo loại chức danh, không theo cách viết tên.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="positions",
                to="personnel.posttype",
                verbose_name="loại chức danh",
            ),
        ),
    ]
