from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ROLE_RANK, Role


class User(AbstractUser):
    """A staff user: sees the subtree of ``scope`` and acts as ``role`` allows."""

    scope = models.ForeignKey(
        "personnel.OrgUnit",
        verbose_name=_("phạm vi quản lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_users",
        help_text=_("Người dùng thấy hồ sơ của đơn vị này và các đơn vị trực thuộc."),
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def has_role(self, role: str) -> bool:
        """True when the user's role is ``role`` or above (superusers have every role)."""
        if self.is_superuser:
            return True
        return self.is_active and ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]
