from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        post_migrate.connect(_standard_targets, sender=self)


def _standard_targets(sender, apps=global_apps, **kwargs):
    """The shipped targets are there after every ``migrate`` and flush (as the catalogue)."""
    from .targets import ensure_standard_targets

    ensure_standard_targets(apps)
