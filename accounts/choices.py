from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a staff user may do inside their scope, each role including the ones before it."""

    VIEWER = "viewer", _("Xem")
    OFFICER = "officer", _("Chuyên viên (chuẩn bị hồ sơ)")
    APPROVER = "approver", _("Lãnh đạo (phê duyệt)")
    ADMINISTRATOR = "administrator", _("Quản trị")


ROLE_RANK = {Role.VIEWER: 0, Role.OFFICER: 1, Role.APPROVER: 2, Role.ADMINISTRATOR: 3}
