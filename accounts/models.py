from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

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
    language = models.CharField(
        _("ngôn ngữ giao diện"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Để trống: tiếng Việt, ngôn ngữ của hệ thống. Người dùng tự chọn ở trình đơn."),
    )

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


class AuditEvent(models.Model):
    """Who read or exported what, and when (no personal data in the row itself)."""

    class Action(models.TextChoices):
        VIEW_PROFILE = "view_profile", _("Xem hồ sơ đầy đủ")
        VIEW_CV = "view_cv", _("Xem, in sơ yếu lý lịch")
        EXPORT = "export", _("Xuất danh sách")
        VIEW_HISTORY = "view_history", _("Xem lịch sử thay đổi")
        VIEW_REPORT = "view_report", _("Xem kết quả báo cáo")
        DOWNLOAD_REPORT = "download_report", _("Tải báo cáo")
        SEND_EMAIL = "send_email", _("Gửi thư có dữ liệu cá nhân")

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("loại hồ sơ"), max_length=50)
    object_id = models.CharField(_("mã hồ sơ"), max_length=50, blank=True)
    detail = models.CharField(
        _("chi tiết"), max_length=255, blank=True, help_text=_("Ví dụ: số dòng đã xuất, định dạng.")
    )
    request_id = models.CharField(
        _("mã yêu cầu"),
        max_length=64,
        blank=True,
        help_text=_("Mã X-Request-ID của yêu cầu web; trống với tác vụ nền."),
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.object_type}#{self.object_id}"


class ApiToken(AuthToken):
    """A user's key to the REST API, as administrators issue and revoke it in Django admin
    (knox's token: only a digest of the key is stored; it expires)."""

    class Meta:
        proxy = True
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("khóa truy cập API")

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expiry is not None and self.expiry <= timezone.now()
