"""Model permissions derived from the staff role, on top of Django's own.

viewer reads; officer also adds and changes records; approver likewise (the
approval actions check the role themselves); administrator may also delete and
manage users. Reference data shared by the whole province (localities, sectors, post
types, non-local targets, reorganisations) is changed by administrators only. The Celery beat schedules are system-wide
(one crontab serves the subscriptions of every unit, and a periodic task sends another
unit's reports), so only superusers edit them; staff schedule their own subscriptions
through the subscription form. A staff user with no scope has no permission at all. Which *rows* a user reaches is the scope's business
(``for_user``).
"""

from django.contrib.auth.backends import ModelBackend

from .choices import Role

SCOPED_APPS = frozenset({"personnel", "rotation", "reports"})
ROLE_ACTIONS = {
    Role.VIEWER: {"view"},
    Role.OFFICER: {"view", "add", "change"},
    Role.APPROVER: {"view", "add", "change"},
    Role.ADMINISTRATOR: {"view", "add", "change", "delete"},
}
#: login attempts (django-axes) list every user name and address: superusers only.
ADMIN_ONLY_APPS = frozenset({"accounts"})
#: models (``app_label.model_name``) every staff user may read but only administrators change.
REFERENCE_MODELS = frozenset(
    {
        "personnel.locality",
        "personnel.sector",
        "personnel.posttype",
        "personnel.reorganisation",
        "personnel.unitsuccession",
        "personnel.localitysuccession",
        "reports.nonlocaltarget",
    }
)


def _model_of(codename: str, action: str) -> str:
    """``change_locality`` → ``locality``; historical models keep their own name."""
    return codename.removeprefix(f"{action}_")


class RolePermissionBackend(ModelBackend):
    def _role_allows(self, user_obj, app_label: str, action: str, model: str = "") -> bool:
        if user_obj.is_anonymous or not (user_obj.is_active and user_obj.is_staff):
            return False
        if getattr(user_obj, "scope_id", None) is None:
            return False
        role = Role(user_obj.role)
        if f"{app_label}.{model}" in REFERENCE_MODELS and action != "view":
            return role == Role.ADMINISTRATOR
        if app_label in SCOPED_APPS:
            return action in ROLE_ACTIONS[role]
        if app_label in ADMIN_ONLY_APPS:
            return role == Role.ADMINISTRATOR
        return False

    def has_perm(self, user_obj, perm, obj=None):
        if super().has_perm(user_obj, perm, obj):
            return True
        app_label, _, codename = perm.partition(".")
        action = codename.split("_", 1)[0]
        return self._role_allows(user_obj, app_label, action, _model_of(codename, action))

    def has_module_perms(self, user_obj, app_label):
        if super().has_module_perms(user_obj, app_label):
            return True
        return self._role_allows(user_obj, app_label, "view")
