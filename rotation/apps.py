from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RotationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rotation"
    verbose_name = _("Luân chuyển, điều động")
