"""Model permissions derived from the staff role, on top of Django's own.

viewer reads; officer also adds and changes records; approver likewise (the
approval actions check the role themselves); administrator may also delete and
manage users. Which *rows* a user reaches is the scope's business (``for_user``).
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
ADMIN_ONLY_APPS = frozenset({"accounts", "django_celery_beat"})


class RolePermissionBackend(ModelBackend):
    def _role_allows(self, user_obj, app_label: str, action: str) -> bool:
        if not (user_obj.is_active and user_obj.is_staff) or user_obj.is_anonymous:
            return False
        role = Role(user_obj.role)
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
        return self._role_allows(user_obj, app_label, action)

    def has_module_perms(self, user_obj, app_label):
        if super().has_module_perms(user_obj, app_label):
            return True
        return self._role_allows(user_obj, app_label, "view")
