from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RotationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rotation"
    verbose_name = _("Luân chuyển, điều động")

    def ready(self):
        from config.schedules import ensure_schedules
        from personnel.signals import demo_seeded, org_unit_restructured

        from .demo import on_demo_seeded
        from .official_pages import register
        from .summary import ensure_summary, on_units_restructured

        post_migrate.connect(ensure_schedules, sender=self, dispatch_uid="ensure_schedules")
        post_migrate.connect(ensure_summary, sender=self, dispatch_uid="ensure_movement_summary")
        org_unit_restructured.connect(on_units_restructured, dispatch_uid="movement_summary")
        demo_seeded.connect(on_demo_seeded, dispatch_uid="rotation_demo")
        register()
