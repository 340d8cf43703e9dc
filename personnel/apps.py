from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "personnel"
    verbose_name = _("Hồ sơ cán bộ")

    def ready(self):
        from .dates import install

        install()  # the accepted range of dates, for every model and admin date field
        post_migrate.connect(_standard_post_types, sender=self)


def _standard_post_types(sender, apps=global_apps, **kwargs):
    """The standard catalogue is there after every ``migrate`` and every flush (a flush
    between tests empties the tables the data migrations filled)."""
    from .post_types import ensure_standard_post_types

    try:
        post_type_model = apps.get_model("personnel", "PostType")
    except LookupError:  # migrated back before the catalogue existed
        return
    ensure_standard_post_types(post_type_model)
