from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self):
        from . import api_schema  # noqa: F401 - registers the schema's authentication schemes
