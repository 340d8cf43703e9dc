"""Enumerations of the rotation workflow, labelled in Vietnamese."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    CONSULTING = "consulting", _("Đang trao đổi ý kiến")
    APPROVED = "approved", _("Đã ban hành")
    CANCELLED = "cancelled", _("Đã hủy")


class MovementKind(models.TextChoices):
    ROTATION = "rotation", _("Luân chuyển")
    TRANSFER = "transfer", _("Điều động")
    APPOINTMENT = "appointment", _("Bổ nhiệm")
    REAPPOINTMENT = "reappointment", _("Bổ nhiệm lại")
    SECONDMENT = "secondment", _("Biệt phái")
    RETURN = "return", _("Trở về cơ quan cũ")
    REORGANISATION = "reorganisation", _("Sắp xếp theo tổ chức bộ máy")


#: the kinds decided about people (what reports count as rotation, transfer,
#: appointment…); a reorganisation's placements are counted apart
PERSONNEL_KINDS = tuple(kind for kind in MovementKind if kind != MovementKind.REORGANISATION)


class MovementOutcome(models.TextChoices):
    RETURNED = "returned", _("Trở về đơn vị cũ")
    NEW_POST = "new_post", _("Bố trí công tác mới")
    RETAINED = "retained", _("Giữ lại công tác tại nơi đến")


class ConsultationRole(models.TextChoices):
    SENDING = "sending", _("Nơi đi")
    RECEIVING = "receiving", _("Nơi đến")
    LOCAL = "local", _("Cấp ủy địa phương")


class ConsultationOpinion(models.TextChoices):
    AGREE = "agree", _("Đồng ý")
    AGREE_WITH_NOTES = "agree_with_notes", _("Đồng ý, có ý kiến khác")
    DISAGREE = "disagree", _("Không đồng ý")


class ReviewPeriod(models.TextChoices):
    ANNUAL = "annual", _("Hằng năm")
    FINAL = "final", _("Kết thúc thời gian luân chuyển")


class Severity(models.TextChoices):
    WARNING = "warning", _("Cảnh báo")
    ERROR = "error", _("Lỗi")


class AlertKind(models.TextChoices):
    # Labels name the default thresholds of rotation.rules.RuleParameters; an alert's
    # title (rotation.models.alert_title) names the thresholds configured.
    ENDING_SOON = "ending_soon", _("Hết thời hạn luân chuyển trong 90 ngày tới")
    OVERDUE = "overdue", _("Quá hạn luân chuyển chưa có quyết định")
    MISSING_REVIEW = "missing_review", _("Chưa có đánh giá hằng năm")
    TWO_TERM = "two_term", _("Giữ một chức vụ cấp trưởng liên tục từ 8 năm trở lên")
    APPLY_FAILED = "apply_failed", _("Không thi hành được lượt điều chuyển")
