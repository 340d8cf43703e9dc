from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "personnel"
    verbose_name = _("Hồ sơ cán bộ")

    def ready(self):
        from .dates import install

        install()  # the accepted range of dates, for every model and admin date field
