"""Reorganisations (sắp xếp tổ chức bộ máy): dated events with a legal basis.

A reorganisation names its old units and localities (predecessors) and, for each, where
it continues (a successor that exists, or one to be created by the reorganisation).
Applying it (``rotation.reorganisations.reorganisation_apply``) ends the predecessors
on the eve of the effective date; nothing is deleted or renamed in place.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet

from .choices import ReorganisationKind
from .text import format_day


class ReorganisationQuerySet(ScopedQuerySet):
    scope_path_lookups = ("issued_by__path",)


class Reorganisation(models.Model):
    kind = models.CharField(_("hình thức"), max_length=16, choices=ReorganisationKind.choices)
    name = models.CharField(
        _("tên"),
        max_length=255,
        help_text=_("Ví dụ: Sắp xếp đơn vị hành chính cấp xã tỉnh Hà Tĩnh."),
    )
    issued_by = models.ForeignKey(
        "personnel.OrgUnit",
        verbose_name=_("cơ quan ban hành căn cứ"),
        on_delete=models.PROTECT,
        related_name="reorganisations",
        help_text=_(
            "Cơ quan ban hành nghị quyết, quyết định làm căn cứ; các quyết định bố trí cán bộ "
            "theo sắp xếp được ghi dưới tên cơ quan này."
        ),
    )
    basis_number = models.CharField(
        _("số, ký hiệu văn bản căn cứ"),
        max_length=50,
        help_text=_("Ví dụ: 1665/NQ-UBTVQH15."),
    )
    basis_date = models.DateField(_("ngày ban hành văn bản căn cứ"))
    effective_on = models.DateField(
        _("ngày có hiệu lực"),
        help_text=_("Đơn vị cũ kết thúc vào ngày trước đó; đơn vị mới hoạt động từ ngày này."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    applied_at = models.DateTimeField(_("thời điểm áp dụng"), null=True, blank=True, editable=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người áp dụng"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    outcome = models.JSONField(
        _("kết quả áp dụng"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Những gì việc áp dụng đã làm: đơn vị, chức danh, cán bộ, tài khoản."),
    )

    objects = ReorganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sắp xếp tổ chức bộ máy")
        verbose_name_plural = _("sắp xếp tổ chức bộ máy")
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_on__gte=models.F("basis_date")),
                name="reorganisation_effective_after_basis",
                violation_error_message=_(
                    "Ngày có hiệu lực không được trước ngày ban hành văn bản căn cứ."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.basis_number})"

    def get_absolute_url(self):
        return reverse("reorganisation_detail", args=[self.pk])

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None

    @property
    def basis_label(self) -> str:
        return _("%(number)s ngày %(day)s") % {
            "number": self.basis_number,
            "day": format_day(self.basis_date),
        }


class Succession(models.Model):
    """Abstract: one predecessor and where it continues."""

    new_name = models.CharField(
        _("tên đơn vị mới"),
        max_length=255,
        blank=True,
        help_text=_(
            "Khi đơn vị kế thừa chưa có: tên đơn vị sẽ được tạo (có hiệu lực từ ngày sắp xếp). "
            "Các dòng cùng tên mới và cùng cấp trên tạo một đơn vị."
        ),
    )
    new_code = models.CharField(
        _("mã đơn vị mới"),
        max_length=32,
        blank=True,
        help_text=_("Để trống: hệ thống tự đặt mã theo mã đơn vị cũ và năm sắp xếp."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.successor_id and self.new_name.strip():
            raise ValidationError(
                {"new_name": _("Chọn đơn vị kế thừa đã có hoặc nhập tên đơn vị mới, không cả hai.")}
            )
        if self.successor_id and self.successor_id == self.predecessor_id:
            raise ValidationError({"successor": _("Đơn vị kế thừa phải khác đơn vị cũ.")})


class UnitSuccession(Succession):
    reorganisation = models.ForeignKey(
        Reorganisation,
        verbose_name=_("sắp xếp"),
        on_delete=models.CASCADE,
        related_name="unit_successions",
    )
    predecessor = models.ForeignKey(
        "personnel.OrgUnit",
        verbose_name=_("đơn vị cũ"),
        on_delete=models.PROTECT,
        related_name="successions_as_predecessor",
    )
    successor = models.ForeignKey(
        "personnel.OrgUnit",
        verbose_name=_("đơn vị kế thừa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successions_as_successor",
        help_text=_("Để trống khi giải thể không có đơn vị kế thừa, hoặc khi tạo đơn vị mới."),
    )
    new_parent = models.ForeignKey(
        "personnel.OrgUnit",
        verbose_name=_("cơ quan cấp trên của đơn vị mới"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Để trống: cùng cấp trên với đơn vị cũ."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị trong sắp xếp")
        verbose_name_plural = _("đơn vị trong sắp xếp")
        ordering = ["reorganisation_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reorganisation", "predecessor", "successor"],
                name="unit_succession_unique",
                violation_error_message=_("Dòng này đã có trong sắp xếp."),
            ),
        ]

    def __str__(self):
        target = self.successor or self.new_name or _("(không có đơn vị kế thừa)")
        return f"{self.predecessor} → {target}"


class LocalitySuccession(Succession):
    reorganisation = models.ForeignKey(
        Reorganisation,
        verbose_name=_("sắp xếp"),
        on_delete=models.CASCADE,
        related_name="locality_successions",
    )
    predecessor = models.ForeignKey(
        "personnel.Locality",
        verbose_name=_("đơn vị hành chính cũ"),
        on_delete=models.PROTECT,
        related_name="successions_as_predecessor",
    )
    successor = models.ForeignKey(
        "personnel.Locality",
        verbose_name=_("đơn vị hành chính kế thừa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successions_as_successor",
    )
    new_parent = models.ForeignKey(
        "personnel.Locality",
        verbose_name=_("trực thuộc (đơn vị mới)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Để trống: cùng cấp trên với đơn vị cũ (cấp trên còn hiệu lực)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị hành chính trong sắp xếp")
        verbose_name_plural = _("đơn vị hành chính trong sắp xếp")
        ordering = ["reorganisation_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reorganisation", "predecessor", "successor"],
                name="locality_succession_unique",
                violation_error_message=_("Dòng này đã có trong sắp xếp."),
            ),
        ]

    def __str__(self):
        target = self.successor or self.new_name or _("(không có đơn vị kế thừa)")
        return f"{self.predecessor} → {target}"
