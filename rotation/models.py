"""Rotation workflow: decisions, their movements, consultations, reviews and alerts."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet, readable_paths, scope_path_of, units_under
from personnel.choices import EvaluationRating, ManagementTier
from personnel.models import Official, OrgUnit, Position, Posting

from .choices import (
    AlertKind,
    ConsultationOpinion,
    ConsultationRole,
    DecisionStatus,
    MovementKind,
    MovementOutcome,
    ReviewPeriod,
)
from .directions import DIRECTION_CHOICES


class DecisionQuerySet(ScopedQuerySet):
    # A decision is in scope when its issuer is, when it moves someone into or out of
    # the scope (the sending and receiving sides must see it), or when a unit of the
    # scope is consulted on it (a local committee of a place concerned).
    scope_path_lookups = (
        "issued_by__path",
        "movements__to_unit__path",
        "movements__from_unit__path",
        "consultations__org_unit__path",
    )

    def for_user(self, user):
        path = scope_path_of(user)
        if path is None:
            return self.none()
        if path == "":
            return self.all()
        # The maintained table of the decisions each unit's scope holds (one index lookup):
        # the scope's unit and the units its units continue (readable_paths).
        heads = [int(p.rstrip("/").rsplit("/", 1)[-1]) for p in readable_paths(path)]
        return self.filter(
            pk__in=DecisionScope.objects.filter(unit_id__in=heads).values("decision_id")
        )

    def for_user_from_units(self, user):
        """The same decisions asked of the units themselves (what the table keeps)."""
        path = scope_path_of(user)
        if path is None:
            return self.none()
        if path == "":
            return self.all()
        # Subqueries rather than a join through movements: no duplicates, no DISTINCT.
        units = units_under(path)
        to_scope = Movement.objects.filter(to_unit__in=units).values("decision_id")
        from_scope = Movement.objects.filter(from_unit__in=units).values("decision_id")
        consulted = Consultation.objects.filter(org_unit__in=units).values("decision_id")
        return self.filter(
            Q(issued_by__in=units) | Q(pk__in=to_scope) | Q(pk__in=from_scope) | Q(pk__in=consulted)
        )


class Decision(models.Model):
    """A signed document (quyết định) that may move several officials at once."""

    number = models.CharField(_("số, ký hiệu"), max_length=50, help_text=_("Ví dụ: 123-QĐ/TU."))
    issued_by = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    title = models.CharField(_("trích yếu"), max_length=500)
    signed_on = models.DateField(
        _("ngày ký"), null=True, blank=True, help_text=_("Bắt buộc khi ban hành.")
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    note = models.TextField(_("ghi chú"), blank=True)
    is_fait_accompli = models.BooleanField(
        _("sự đã rồi"),
        default=False,
        editable=False,
        help_text=_("Ban hành khi chưa có đủ ý kiến của nơi đi, nơi đến và cấp ủy địa phương."),
    )
    missing_consultations = models.JSONField(
        _("ý kiến còn thiếu khi ban hành"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Nơi chưa trả lời tại thời điểm ban hành (đơn vị, tư cách)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    approved_at = models.DateTimeField(
        _("thời điểm phê duyệt"), null=True, blank=True, editable=False
    )
    cancelled_at = models.DateTimeField(_("thời điểm hủy"), null=True, blank=True, editable=False)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    reorganisation = models.ForeignKey(
        "personnel.Reorganisation",
        verbose_name=_("sắp xếp tổ chức bộ máy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="decisions",
        help_text=_(
            "Quyết định thực hiện một sắp xếp tổ chức bộ máy: do việc áp dụng sắp xếp tạo ra, "
            "hoặc bố trí cán bộ chờ bố trí sau sắp xếp."
        ),
    )

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")
        ordering = ["-signed_on", "-id"]
        indexes = [
            # the decisions page's default order (SortFilter): newest signed first, drafts on top
            # (DESC puts NULLs first on PostgreSQL; SQLite refuses NULLS FIRST in an index)
            models.Index(F("signed_on").desc(), F("id").desc(), name="decision_signed_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_by", "number"],
                name="decision_number_unique_per_issuer",
                violation_error_message=_("Cơ quan này đã có quyết định mang số, ký hiệu này."),
            ),
        ]

    def __str__(self):
        return f"{self.number} – {self.title}"

    def get_absolute_url(self):
        return reverse("decision_detail", args=[self.pk])


class MovementQuerySet(ScopedQuerySet):
    scope_path_lookups = (
        "decision__issued_by__path",
        "to_unit__path",
        "from_unit__path",
        "official__current_unit__path",
    )

    def counted(self):
        """Movements of approved decisions: what reports and alerts count."""
        return self.filter(decision__status=DecisionStatus.APPROVED)

    def serving(self):
        """Applied rotations not yet ended (the cadre still counts as rotated)."""
        return self.counted().filter(
            kind=MovementKind.ROTATION, applied_at__isnull=False, ended_on__isnull=True
        )


class Movement(models.Model):
    """One official's leg of a decision (lượt luân chuyển, điều động)."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("quyết định"), on_delete=models.CASCADE, related_name="movements"
    )
    official = models.ForeignKey(
        Official, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=MovementKind.choices)
    from_posting = models.ForeignKey(
        Posting,
        verbose_name=_("vị trí công tác trước"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Để trống nếu cán bộ đến từ ngoài hệ thống."),
    )
    origin_position = models.ForeignKey(
        Position,
        verbose_name=_("chức vụ trước (ngoài hệ thống)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Chức vụ nơi đi, nếu biết, khi không có quá trình công tác trong hệ thống."),
    )
    to_position = models.ForeignKey(
        Position,
        verbose_name=_("chức vụ nơi đến"),
        on_delete=models.PROTECT,
        related_name="movements",
    )
    management_tier = models.CharField(
        _("diện quản lý"),
        max_length=32,
        choices=ManagementTier.choices,
        blank=True,
        editable=False,
        help_text=_(
            "Diện quản lý của cán bộ khi lập lượt điều chuyển; báo cáo theo diện dùng giá trị này."
        ),
    )
    # The two units, kept with the movement: reports and scope filter on them without
    # joining the postings table.
    from_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("nơi đi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("nơi đến"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )

    effective_on = models.DateField(_("ngày có hiệu lực"))
    term_months = models.PositiveSmallIntegerField(_("thời hạn (tháng)"), null=True, blank=True)
    expected_end_on = models.DateField(
        _("ngày dự kiến kết thúc"), null=True, blank=True, editable=False
    )
    direction = models.CharField(
        _("hướng luân chuyển"), max_length=32, choices=DIRECTION_CHOICES, editable=False
    )
    serves_non_local_or_term_limit = models.BooleanField(
        _("để bố trí không phải người địa phương hoặc do giới hạn nhiệm kỳ"),
        default=False,
        help_text=_("Khi chọn, cán bộ cần còn đủ ít nhất một nhiệm kỳ công tác (5 năm)."),
    )
    findings = models.JSONField(_("kết quả kiểm tra"), default=list, blank=True, editable=False)
    applied_at = models.DateTimeField(
        _("thời điểm thi hành"), null=True, blank=True, editable=False
    )
    new_posting = models.ForeignKey(
        Posting,
        verbose_name=_("vị trí công tác mới"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    outcome = models.CharField(
        _("kết quả sau luân chuyển"), max_length=16, choices=MovementOutcome.choices, blank=True
    )
    ended_on = models.DateField(_("ngày kết thúc"), null=True, blank=True, editable=False)
    outcome_basis = models.CharField(_("căn cứ kết thúc"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = MovementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lượt luân chuyển, điều động")
        verbose_name_plural = _("lượt luân chuyển, điều động")
        ordering = ["decision_id", "id"]
        indexes = [
            models.Index(fields=["effective_on", "direction"], name="movement_effective_direction"),
            models.Index(fields=["official", "effective_on"], name="movement_official_effective"),
            # "serving a rotation" (``MovementQuerySet.serving``) looked up per official: the
            # officials list's is_rotated, the counts of cadres serving
            models.Index(
                fields=["official"],
                name="movement_serving_rotation",
                condition=Q(kind="rotation", applied_at__isnull=False, ended_on__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_months__isnull=True) | Q(term_months__gt=0),
                name="movement_term_positive",
                violation_error_message=_("Thời hạn phải lớn hơn 0 tháng."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.official.full_name} → {self.to_position.title}"

    def get_absolute_url(self):
        return reverse("admin:rotation_movement_change", args=[self.pk])


class ConsultationQuerySet(ScopedQuerySet):
    scope_path_lookups = ("org_unit__path", "decision__issued_by__path")

    def missing(self):
        return self.filter(answered_on__isnull=True)


class Consultation(models.Model):
    """An opinion asked of the sending side, the receiving side or the local committee."""

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("quyết định"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cơ quan được hỏi ý kiến"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("tư cách"), max_length=16, choices=ConsultationRole.choices)
    requested_on = models.DateField(_("ngày đề nghị"))
    notified_at = models.DateTimeField(_("đã gửi thư"), null=True, blank=True, editable=False)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    opinion = models.CharField(
        _("ý kiến"), max_length=20, choices=ConsultationOpinion.choices, blank=True
    )
    opinion_text = models.TextField(_("nội dung ý kiến"), blank=True)

    objects = ConsultationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trao đổi ý kiến")
        verbose_name_plural = _("trao đổi ý kiến")
        ordering = ["decision_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "org_unit", "role"], name="consultation_once_per_unit_role"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.org_unit}"


class RotationReview(models.Model):
    """The receiving side's evaluation of a rotated cadre, yearly and at the end."""

    movement = models.ForeignKey(
        Movement,
        verbose_name=_("lượt luân chuyển"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    period = models.CharField(_("kỳ đánh giá"), max_length=16, choices=ReviewPeriod.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=16, choices=EvaluationRating.choices)
    text = models.TextField(_("nhận xét, kết luận"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("ngày ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá cán bộ luân chuyển")
        verbose_name_plural = _("đánh giá cán bộ luân chuyển")
        ordering = ["movement_id", "year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "period", "year"],
                name="review_once_per_period",
                violation_error_message=_("Đã có đánh giá của kỳ này."),
            ),
        ]

    def __str__(self):
        return f"{self.get_period_display()} {self.year}: {self.get_rating_display()}"


class AlertQuerySet(ScopedQuerySet):
    scope_path_lookups = ("official__current_unit__path",)

    def open(self):
        return self.filter(resolved_at__isnull=True)


class Alert(models.Model):
    """Something staff should act on, raised once by the daily job (``key`` is unique)."""

    kind = models.CharField(_("loại"), max_length=20, choices=AlertKind.choices)
    key = models.CharField(max_length=120, unique=True, editable=False)
    official = models.ForeignKey(
        Official, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="alerts"
    )
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("lượt luân chuyển"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
    )
    message = models.TextField(_("nội dung"))
    raised_on = models.DateField(_("ngày phát sinh"))
    resolved_at = models.DateTimeField(_("đã xử lý lúc"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Để trống khi hệ thống tự đóng cảnh báo vì điều kiện không còn."),
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")
        ordering = ["-raised_on", "-id"]
        indexes = [
            # the newest open alerts (dashboard, alert list), walked in order
            models.Index(
                F("raised_on").desc(),
                F("id").desc(),
                name="alert_open_newest",
                condition=Q(resolved_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.message

    def get_kind_display(self) -> str:
        """The alert's title, naming the threshold in force (``ROTATION_RULES``)."""
        return alert_title(self.kind)


def alert_title(kind: str, params=None) -> str:
    """The title of an alert of ``kind``: what the daily job checked, with its threshold.

    ``AlertKind``'s labels say the same with the default thresholds (a test holds them
    together); a title read here follows the thresholds configured in ``ROTATION_RULES``.
    """
    from .rules import parameters

    params = params or parameters()
    if kind == AlertKind.ENDING_SOON:
        return gettext("Hết thời hạn luân chuyển trong %(days)d ngày tới") % {
            "days": params.ending_soon_days
        }
    if kind == AlertKind.TWO_TERM:
        return gettext("Giữ một chức vụ cấp trưởng liên tục từ %(years)d năm trở lên") % {
            "years": params.two_term_years
        }
    return str(AlertKind(kind).label) if kind in AlertKind.values else kind


class NotificationEvent(models.TextChoices):
    CONSULTATIONS = "consultations", _("Thư xin ý kiến")
    APPROVED = "approved", _("Thư thông báo đã ban hành")


class NotificationFailure(models.Model):
    """Emails of a decision's event that could not be sent (DOMAIN.md rule 7).

    One row per decision and event, updated at each failed attempt; ``resolved_at`` is
    set when a later attempt sends them. Kept after that as the history of the event.
    """

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("quyết định"),
        on_delete=models.CASCADE,
        related_name="notification_failures",
    )
    event = models.CharField(_("thư"), max_length=16, choices=NotificationEvent.choices)
    unit_count = models.PositiveSmallIntegerField(_("số nơi chưa nhận được thư"), default=0)
    error = models.TextField(_("lỗi lần gửi gần nhất"))
    attempts = models.PositiveSmallIntegerField(_("số lần gửi không thành"), default=1)
    first_failed_at = models.DateTimeField(_("lần đầu không gửi được"), auto_now_add=True)
    last_failed_at = models.DateTimeField(_("lần gần nhất không gửi được"))
    will_retry = models.BooleanField(_("hệ thống sẽ gửi lại"), default=True)
    resolved_at = models.DateTimeField(_("đã gửi được lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư thông báo chưa gửi được")
        verbose_name_plural = _("thư thông báo chưa gửi được")
        ordering = ["decision_id", "event"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "event"], name="notification_failure_once_per_event"
            ),
        ]

    def __str__(self):
        return f"{self.get_event_display()}: {self.error}"


from .models_summary import (  # noqa: E402,F401
    DecisionScope,
    MovementSummary,
    MovementSummaryStatus,
    ServingSnapshot,
)
