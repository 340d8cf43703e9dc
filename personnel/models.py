"""Personnel records: localities, sectors, units, positions, officials and their postings."""

import uuid
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet

from .choices import (
    EducationLevel,
    EvaluationRating,
    Gender,
    Level,
    LocalityLevel,
    ManagementTier,
    OfficialStatus,
    PlanningStatus,
    PoliticalTheory,
    PositionKind,
    StateManagement,
    TrainingKind,
    TrainingMode,
)
from .post_types import match_code
from .retirement import retirement_date
from .text import fold_vietnamese, format_day
from .tree import TreeNode
from .validity import Validity, ValidityQuerySetMixin, validity_constraints


class LocalityQuerySet(ValidityQuerySetMixin, models.QuerySet):
    pass


class Locality(TreeNode, Validity):
    """An administrative area (province, district, commune) with its official code."""

    code = models.CharField(_("mã đơn vị hành chính"), max_length=16, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    level = models.CharField(_("cấp"), max_length=16, choices=LocalityLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    objects = LocalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["path"]
        constraints = validity_constraints("locality")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:personnel_locality_change", args=[self.pk])


class Sector(models.Model):
    """A sector or block (ngành, khối): Party, government, police, court, tax…"""

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)

    class Meta:
        verbose_name = _("ngành, khối")
        verbose_name_plural = _("ngành, khối")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:personnel_sector_change", args=[self.pk])


class OrgUnitQuerySet(ValidityQuerySetMixin, ScopedQuerySet):
    scope_path_lookups = ("path",)

    def subtree_of(self, unit: "OrgUnit"):
        return self.filter(path__startswith=unit.path)


class OrgUnit(TreeNode, Validity):
    """An agency or committee (cơ quan, đơn vị); scope of staff users is a subtree of these."""

    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên cơ quan, đơn vị"), max_length=255)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    sector = models.ForeignKey(
        Sector, verbose_name=_("ngành, khối"), on_delete=models.PROTECT, related_name="units"
    )
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text=_(
            "Đơn vị hành chính mà cơ quan này phụ trách hoặc đặt trụ sở; "
            "để trống với cơ quan Trung ương."
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    email = models.EmailField(
        _("thư điện tử"),
        blank=True,
        help_text=_("Địa chỉ nhận thông báo trao đổi ý kiến về cán bộ và quyết định."),
    )
    requires_consultation_answers = models.BooleanField(
        _("chỉ ban hành khi đã có đủ ý kiến"),
        default=False,
        help_text=_(
            "Khi chọn, quyết định do cơ quan này ban hành không được phê duyệt nếu nơi đi, "
            "nơi đến hoặc cấp ủy địa phương chưa trả lời; khi không chọn, hệ thống chỉ "
            "cảnh báo và ghi nhận là “sự đã rồi”."
        ),
    )
    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["path"]
        constraints = validity_constraints("org_unit")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("unit_detail", args=[self.pk])


class PostType(models.Model):
    """A post type of the catalogue (danh mục chức danh): what rules and reports count.

    "Bí thư Huyện ủy", "Bí thư Thị ủy" and "Bí thư Thành ủy" are positions of one type,
    ``district.party_secretary``. A position's flags default from its type.
    """

    code = models.CharField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên loại chức danh"), max_length=200)
    level = models.CharField(
        _("cấp"),
        max_length=16,
        choices=Level.choices,
        blank=True,
        help_text=_("Để trống với loại chức danh dùng chung cho mọi cấp."),
    )
    kind = models.CharField(_("loại"), max_length=16, choices=PositionKind.choices)
    is_key = models.BooleanField(_("chức danh chủ chốt"), default=False)
    requires_non_local = models.BooleanField(_("bố trí không phải người địa phương"), default=False)
    two_term_limited = models.BooleanField(
        _("không giữ quá hai nhiệm kỳ liên tục"),
        default=False,
        help_text=_(
            "Giữ liên tục từ 8 năm trở lên ở một đơn vị thì được đưa vào diện luân chuyển."
        ),
    )
    management_tier = models.CharField(
        _("diện quản lý"),
        max_length=32,
        choices=ManagementTier.choices,
        default=ManagementTier.UNIT,
    )
    is_generic = models.BooleanField(
        _("loại chung"),
        default=False,
        help_text=_(
            "Loại gán cho chức danh chưa nhận ra theo danh mục; quản trị viên nên gán lại loại đúng."
        ),
    )
    display_order = models.PositiveSmallIntegerField(_("thứ tự hiển thị"), default=100)

    class Meta:
        verbose_name = _("loại chức danh")
        verbose_name_plural = _("danh mục chức danh")
        ordering = ["display_order", "code"]

    def __str__(self):
        return self.name


#: the flags a position takes from its type unless they are set on the position
POST_TYPE_FLAGS = ("kind", "is_key", "requires_non_local", "management_tier")


class PositionQuerySet(ScopedQuerySet):
    scope_path_lookups = ("org_unit__path",)


class Position(models.Model):
    """A post in a unit (chức vụ, chức danh), e.g. Bí thư Huyện ủy."""

    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    post_type = models.ForeignKey(
        PostType,
        verbose_name=_("loại chức danh"),
        on_delete=models.PROTECT,
        related_name="positions",
        help_text=_("Quy định và báo cáo tính theo loại chức danh, không theo cách viết tên."),
    )
    title = models.CharField(_("chức danh"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16, choices=PositionKind.choices)
    is_key = models.BooleanField(_("chức danh chủ chốt"), default=False)
    requires_non_local = models.BooleanField(
        _("bố trí không phải người địa phương"),
        default=False,
        help_text=_("Chức danh phải do cán bộ không phải người địa phương đảm nhiệm."),
    )
    management_tier = models.CharField(
        _("diện quản lý"),
        max_length=32,
        choices=ManagementTier.choices,
        default=ManagementTier.UNIT,
    )
    allowance = models.DecimalField(
        _("hệ số phụ cấp chức vụ"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    display_order = models.PositiveSmallIntegerField(_("thứ tự hiển thị"), default=100)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức vụ, chức danh")
        verbose_name_plural = _("chức vụ, chức danh")
        ordering = ["org_unit_id", "display_order", "title", "id"]

    def __str__(self):
        return f"{self.title} – {self.org_unit.name}" if self.org_unit_id else self.title

    def save(self, *args, **kwargs):
        if self.post_type_id is None:
            # A position recorded without a type (an import, older code) gets the standard
            # type its title names at its unit's level, or the generic type of its kind.
            self.post_type = PostType.objects.get(
                code=match_code(self.title, self.org_unit.level, self.kind)
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("position_detail", args=[self.pk])


def photo_path(official, filename: str) -> str:
    """Photos are stored by record, under a random name (the upload's name says nothing)."""
    suffix = Path(filename).suffix.lower() or ".jpg"
    return f"photos/{uuid.uuid4().hex}{suffix}"


class OfficialQuerySet(ScopedQuerySet):
    scope_path_lookups = ("current_unit__path",)

    def search(self, text: str, *, match_personal_id: bool = False):
        """Diacritics-insensitive name search by words in any order ("dung nguyen" finds
        "Nguyễn Văn Dũng"); also matches the record code exactly, and with
        ``match_personal_id`` a whole personal identification number exactly."""
        key = fold_vietnamese(text)
        if not key:
            return self
        name = Q()
        for word in dict.fromkeys(key.split()):  # each word somewhere in the name
            name &= Q(search_key__contains=word)
        # Exact code values (not iexact) so that both sides of the OR use an index.
        code = text.strip()
        condition = name | Q(code__in={code, code.upper()})
        number = "".join(code.replace(".", " ").split())
        if match_personal_id and len(number) == PERSONAL_ID_LENGTH and number.isdigit():
            condition |= Q(personal_id=number)
        return self.filter(condition)


# Số định danh cá nhân (Decree 137/2015, Circular 59/2021/TT-BCA): 3 digits of the
# province of birth registration (001–096), 1 digit of century and gender, 2 digits of
# the year of birth, 6 random digits. Decree 27/2026 makes it the key of the national record.
PERSONAL_ID_LENGTH = 12
PERSONAL_ID_PROVINCES = range(1, 97)
# The 4th digit: (first year of the century, gender) — even digits men, odd digits women.
PERSONAL_ID_CENTURY_DIGITS = {
    "0": (1900, Gender.MALE),
    "1": (1900, Gender.FEMALE),
    "2": (2000, Gender.MALE),
    "3": (2000, Gender.FEMALE),
    "4": (2100, Gender.MALE),
    "5": (2100, Gender.FEMALE),
    "6": (2200, Gender.MALE),
    "7": (2200, Gender.FEMALE),
    "8": (1800, Gender.MALE),
    "9": (1800, Gender.FEMALE),
}


def validate_personal_id(value: str) -> None:
    """Digits only, 12 of them, a province code 001–096 in front."""
    if not value:
        return
    if len(value) != PERSONAL_ID_LENGTH or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="personal_id_format"
        )
    if int(value[:3]) not in PERSONAL_ID_PROVINCES:
        raise ValidationError(
            _(
                "Ba chữ số đầu của số định danh cá nhân là mã tỉnh nơi đăng ký khai sinh, "
                "từ 001 đến 096; “%(code)s” không phải mã tỉnh."
            ),
            code="personal_id_province",
            params={"code": value[:3]},
        )


def personal_id_mismatch(value: str, gender: str | None, date_of_birth) -> str | None:
    """Why ``value`` cannot be the number of a person of this gender and birth date, or None.

    The 4th digit encodes century and gender and the 5th–6th the year of birth; anything
    unknown (no gender, no birth date, malformed number) is not judged here.
    """
    if not value or len(value) != PERSONAL_ID_LENGTH or not value.isdigit():
        return None
    century, coded_gender = PERSONAL_ID_CENTURY_DIGITS[value[3]]
    if gender and gender != coded_gender:
        return _(
            "Chữ số thứ tư của số định danh cá nhân (%(digit)s) ứng với giới tính %(coded)s, "
            "khác giới tính đã nhập."
        ) % {"digit": value[3], "coded": Gender(coded_gender).label.lower()}
    if date_of_birth is not None:
        coded_year = century + int(value[4:6])
        if coded_year != date_of_birth.year:
            return _(
                "Số định danh cá nhân ghi năm sinh %(coded)d (chữ số thứ tư đến thứ sáu), "
                "khác năm sinh đã nhập (%(year)d)."
            ) % {"coded": coded_year, "year": date_of_birth.year}
    return None


phone_validator = RegexValidator(
    r"^(?:\+84)?\d{9,11}$",
    _(
        "Số điện thoại chỉ gồm chữ số (9 đến 11 số), có thể bắt đầu bằng +84; "
        "ví dụ 0912345678 hoặc +84912345678."
    ),
    code="phone",
)


class Official(models.Model):
    """A person whose record is kept (cán bộ, công chức, viên chức): form 2C profile fields."""

    code = models.CharField(_("số hiệu hồ sơ"), max_length=32, unique=True)
    personal_id = models.CharField(
        _("số định danh cá nhân"),
        max_length=PERSONAL_ID_LENGTH,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_personal_id],
        help_text=_(
            "Số căn cước công dân, 12 chữ số; khóa của hồ sơ điện tử theo Nghị định "
            "27/2026/NĐ-CP. Người dùng vai trò Xem chỉ thấy số đã che một phần."
        ),
        error_messages={"unique": _("Số định danh cá nhân này đã có trong hồ sơ cán bộ khác.")},
    )
    full_name = models.CharField(_("họ và tên khai sinh"), max_length=150)
    other_names = models.CharField(_("tên gọi khác"), max_length=150, blank=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False, default="")
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    date_of_birth = models.DateField(_("ngày sinh"))
    birthplace = models.ForeignKey(
        Locality,
        verbose_name=_("nơi sinh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hometown = models.ForeignKey(
        Locality,
        verbose_name=_("quê quán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ethnicity = models.CharField(_("dân tộc"), max_length=50, default="Kinh")
    religion = models.CharField(_("tôn giáo"), max_length=50, default="Không")
    home_address = models.CharField(
        _("nơi ở hiện nay"),
        max_length=255,
        blank=True,
        help_text=_(
            "Số nhà, đường phố, xã/phường, tỉnh/thành phố; ví dụ: Số 5 Trần Phú, "
            "phường Thành Sen, tỉnh Hà Tĩnh."
        ),
    )
    phone = models.CharField(
        _("số điện thoại"),
        max_length=16,
        blank=True,
        validators=[phone_validator],
        help_text=_("Ví dụ 0912345678 hoặc +84912345678."),
    )
    party_joined_on = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    party_confirmed_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    education_level = models.CharField(
        _("trình độ chuyên môn"), max_length=16, choices=EducationLevel.choices
    )
    major = models.CharField(_("chuyên ngành"), max_length=200, blank=True)
    political_theory = models.CharField(
        _("lý luận chính trị"),
        max_length=16,
        choices=PoliticalTheory.choices,
        default=PoliticalTheory.NONE,
    )
    state_management = models.CharField(
        _("quản lý nhà nước"),
        max_length=16,
        choices=StateManagement.choices,
        default=StateManagement.NONE,
    )
    management_tier = models.CharField(
        _("diện quản lý"),
        max_length=32,
        choices=ManagementTier.choices,
        default=ManagementTier.UNIT,
    )
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=OfficialStatus.choices,
        default=OfficialStatus.ACTIVE,
    )
    current_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị hiện tại"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="current_officials",
        help_text=_(
            "Đơn vị của vị trí công tác chính gần nhất; cập nhật khi ghi quá trình công tác."
        ),
    )
    current_posting = models.ForeignKey(
        "Posting",
        verbose_name=_("vị trí công tác hiện tại"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    left_on = models.DateField(
        _("ngày thôi công tác"),
        null=True,
        blank=True,
        help_text=_(
            "Ngày nghỉ hưu, chuyển ra ngoài hệ thống hoặc từ trần (khi tình trạng không còn là "
            "đang công tác); không ghi vị trí công tác mới sau ngày này."
        ),
    )
    photo = models.ImageField(
        _("ảnh"),
        upload_to=photo_path,
        blank=True,
        help_text=_("Ảnh chân dung 4×6 (JPEG hoặc PNG, không quá 2 MB)."),
    )
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = OfficialQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["search_key", "id"]
        indexes = [models.Index(fields=["date_of_birth", "id"], name="official_birth")]

    def __str__(self):
        return f"{self.full_name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_key = fold_vietnamese(f"{self.full_name} {self.other_names}")
        # Blank is "not known": NULL, so that unique numbers do not clash on "".
        self.personal_id = (self.personal_id or "").strip() or None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"full_name", "other_names"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("official_detail", args=[self.pk])

    @property
    def retirement_date(self):
        if not self.date_of_birth or not self.gender:
            return None
        return retirement_date(self.date_of_birth, self.gender)


class PostingQuerySet(ScopedQuerySet):
    scope_path_lookups = ("org_unit__path", "official__current_unit__path")

    def primary(self):
        return self.filter(is_primary=True)

    def active_on(self, day):
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class Posting(models.Model):
    """Who held which position or worked in which unit, from – to (quá trình công tác).

    ``end_date`` is the last day of the posting (null while current). No two primary
    postings of one official overlap: the ``posting_*`` services check it and, on
    PostgreSQL, the exclusion constraint ``posting_primary_no_overlap`` enforces it.
    """

    official = models.ForeignKey(
        Official, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="postings"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("chức vụ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="postings",
    )
    title = models.CharField(_("chức danh, công việc"), max_length=255)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(
        _("đến ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày cuối cùng; để trống nếu đang đảm nhiệm."),
    )
    is_primary = models.BooleanField(
        _("công tác chính"),
        default=True,
        help_text=_("Bỏ chọn cho chức vụ kiêm nhiệm."),
    )
    basis = models.CharField(
        _("căn cứ"), max_length=255, blank=True, help_text=_("Số, ký hiệu quyết định.")
    )

    objects = PostingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["official_id", "-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="posting_end_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]
        indexes = [
            models.Index(fields=["official", "start_date"], name="posting_official_start"),
            models.Index(fields=["position", "start_date"], name="posting_position_start"),
        ]

    def __str__(self):
        end = format_day(self.end_date) if self.end_date else _("nay")
        return f"{self.title} ({format_day(self.start_date)} – {end})"


class OfficialScopedQuerySet(ScopedQuerySet):
    scope_path_lookups = ("official__current_unit__path",)


class TrainingRecord(models.Model):
    """A course or degree (đào tạo, bồi dưỡng)."""

    official = models.ForeignKey(
        Official, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="trainings"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=TrainingKind.choices)
    programme = models.CharField(_("chuyên ngành, chương trình"), max_length=255)
    qualification = models.CharField(_("văn bằng, chứng chỉ"), max_length=150, blank=True)
    institution = models.CharField(_("cơ sở đào tạo"), max_length=255, blank=True)
    mode = models.CharField(
        _("hình thức"), max_length=16, choices=TrainingMode.choices, default=TrainingMode.FULL_TIME
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = OfficialScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đào tạo, bồi dưỡng")
        verbose_name_plural = _("đào tạo, bồi dưỡng")
        ordering = ["official_id", "-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="training_end_after_start",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.programme}"


class Evaluation(models.Model):
    """Yearly rating of an official (đánh giá, xếp loại)."""

    official = models.ForeignKey(
        Official, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=16, choices=EvaluationRating.choices)
    note = models.TextField(_("nhận xét"), blank=True)

    objects = OfficialScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đánh giá, xếp loại")
        verbose_name_plural = _("đánh giá, xếp loại")
        ordering = ["official_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "year"],
                name="evaluation_one_per_year",
                violation_error_message=_("Cán bộ đã có kết quả đánh giá của năm này."),
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.get_rating_display()}"


term_validator = RegexValidator(r"^\d{4}-\d{4}$", _("Nhiệm kỳ ghi theo dạng 2025-2030."))


class PlanningEntry(models.Model):
    """A cadre planned for a position for a term (quy hoạch cán bộ)."""

    official = models.ForeignKey(
        Official, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="planning"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("chức danh quy hoạch"),
        on_delete=models.PROTECT,
        related_name="planning",
    )
    term = models.CharField(_("nhiệm kỳ"), max_length=9, validators=[term_validator])
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=PlanningStatus.choices,
        default=PlanningStatus.ACTIVE,
    )
    approved_on = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    objects = OfficialScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quy hoạch")
        verbose_name_plural = _("quy hoạch")
        ordering = ["-term", "position_id", "official_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "position", "term"],
                name="planning_once_per_position_term",
                violation_error_message=_(
                    "Cán bộ đã có trong quy hoạch chức danh này của nhiệm kỳ."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.official} → {self.position} ({self.term})"


from .models_discipline import Discipline, Reward  # noqa: E402,F401
from .models_exports import ExportJob  # noqa: E402,F401
from .models_imports import ColumnMapping, RecordImport  # noqa: E402,F401
from .models_reorganisation import LocalitySuccession, Reorganisation, UnitSuccession  # noqa: E402,F401
