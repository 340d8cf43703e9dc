"""The one declaration of the template's sheets and columns.

The template workbook, the parser, the error workbook and the template-layout export all
read these specs: a column is its field, its Vietnamese header, its kind (text, date,
number, yes/no, an enumeration by its Vietnamese labels, a code of another record),
whether it is required, and the help the instructions sheet prints.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    EducationLevel,
    EvaluationRating,
    Gender,
    Level,
    ManagementTier,
    OfficialStatus,
    PlanningStatus,
    PoliticalTheory,
    PositionKind,
    StateManagement,
    TrainingKind,
    TrainingMode,
)
from ..models import (
    Evaluation,
    Official,
    OrgUnit,
    PlanningEntry,
    Position,
    Posting,
    TrainingRecord,
)
from ..models_discipline import DecisionLevel, Discipline, DisciplineKind, Reward, RewardKind

TEXT, DATE, INT, DECIMAL, BOOL, CHOICE, CODE = (
    "text",
    "date",
    "int",
    "decimal",
    "bool",
    "choice",
    "code",
)

KIND_LABELS = {
    TEXT: _("Chữ"),
    DATE: _("Ngày, dạng dd/mm/yyyy"),
    INT: _("Số nguyên"),
    DECIMAL: _("Số, tối đa 2 chữ số thập phân"),
    BOOL: _("Có / Không"),
    CHOICE: _("Chọn trong danh sách"),
    CODE: _("Mã"),
}


@dataclass(frozen=True)
class Column:
    """One column of a sheet: ``field`` is the name the engine uses."""

    field: str
    header: str
    kind: str = TEXT
    required: bool = False
    help: str = ""
    choices: type[models.TextChoices] | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None

    @property
    def header_text(self) -> str:
        return str(self.header)


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the template: its name, its columns, and how a row is recognised."""

    key: str
    title: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    matched_by: str
    notes: str = ""
    by_field: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self.by_field.update({column.field: column for column in self.columns})

    @property
    def name(self) -> str:
        return str(self.title)[:31]


def _max(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


def text(model, name, header, required=False, help="", field_name=None):  # noqa: A002
    return Column(
        field_name or name,
        header,
        TEXT,
        required,
        help,
        max_length=_max(model, name),
    )


OFFICIAL_CODE = Column(
    "official",
    _("Số hiệu hồ sơ cán bộ"),
    CODE,
    True,
    _("Số hiệu hồ sơ của cán bộ (trang Cán bộ của tệp hoặc hồ sơ đã có trong hệ thống)."),
    max_length=32,
)
UNIT_CODE = Column(
    "unit",
    _("Mã đơn vị"),
    CODE,
    True,
    _("Mã cơ quan, đơn vị (trang Đơn vị của tệp hoặc đơn vị đã có trong hệ thống)."),
    max_length=32,
)
POSITION_TITLE = Column(
    "position",
    _("Chức vụ"),
    TEXT,
    False,
    _("Tên chức vụ đúng như ở trang Chức vụ (hoặc trong hệ thống), thuộc đơn vị ở cột Mã đơn vị."),
    max_length=255,
)

UNITS = SheetSpec(
    "units",
    _("Đơn vị"),
    OrgUnit,
    (
        Column("code", _("Mã đơn vị"), CODE, True, _("Mã duy nhất của đơn vị."), max_length=32),
        text(OrgUnit, "name", _("Tên cơ quan, đơn vị"), True),
        Column("level", _("Cấp"), CHOICE, True, choices=Level),
        Column(
            "sector", _("Mã ngành, khối"), CODE, True, _("Mã ngành, khối đã có."), max_length=32
        ),
        Column("locality", _("Mã địa bàn"), CODE, help=_("Mã đơn vị hành chính."), max_length=16),
        Column(
            "parent",
            _("Mã đơn vị cấp trên"),
            CODE,
            help=_("Đơn vị mới phải trực thuộc một đơn vị trong phạm vi quản lý của bạn."),
            max_length=32,
        ),
        text(OrgUnit, "email", _("Thư điện tử")),
        Column("valid_from", _("Hoạt động từ ngày"), DATE),
        Column("valid_to", _("Hoạt động đến hết ngày"), DATE),
    ),
    _("mã đơn vị"),
    _(
        "Đơn vị đã có trong hệ thống phải ghi đúng như hồ sơ; đổi tên, sáp nhập, giải thể "
        "thực hiện bằng sắp xếp tổ chức, không qua tệp nhập."
    ),
)

POSITIONS = SheetSpec(
    "positions",
    _("Chức vụ"),
    Position,
    (
        UNIT_CODE,
        text(Position, "title", _("Chức vụ"), True),
        Column(
            "post_type",
            _("Mã loại chức danh"),
            CODE,
            help=_("Để trống: hệ thống nhận theo tên chức vụ và cấp của đơn vị."),
            max_length=64,
        ),
        Column(
            "kind",
            _("Loại"),
            CHOICE,
            choices=PositionKind,
            help=_("Để trống: theo loại chức danh."),
        ),
        Column("is_key", _("Chủ chốt"), BOOL, help=_("Để trống: theo loại chức danh.")),
        Column(
            "requires_non_local",
            _("Không phải người địa phương"),
            BOOL,
            help=_("Để trống: theo loại chức danh."),
        ),
        Column(
            "management_tier",
            _("Diện quản lý"),
            CHOICE,
            choices=ManagementTier,
            help=_("Để trống: theo loại chức danh."),
        ),
        Column("allowance", _("Hệ số phụ cấp chức vụ"), DECIMAL, minimum=0, maximum=99),
        Column("is_active", _("Đang sử dụng"), BOOL, help=_("Để trống: Có.")),
    ),
    _("mã đơn vị và tên chức vụ"),
)

OFFICIALS = SheetSpec(
    "officials",
    _("Cán bộ"),
    Official,
    (
        Column(
            "code",
            _("Số hiệu hồ sơ"),
            CODE,
            False,
            _("Bắt buộc với cán bộ mới; để trống thì tìm hồ sơ theo số định danh cá nhân."),
            max_length=32,
        ),
        Column(
            "personal_id",
            _("Số định danh cá nhân"),
            TEXT,
            help=_("12 chữ số (số căn cước công dân); nhập dạng chữ để giữ số 0 ở đầu."),
            max_length=16,
        ),
        text(Official, "full_name", _("Họ và tên"), True),
        text(Official, "other_names", _("Tên gọi khác")),
        Column("gender", _("Giới tính"), CHOICE, True, choices=Gender),
        Column("date_of_birth", _("Ngày sinh"), DATE, True),
        Column(
            "birthplace", _("Mã nơi sinh"), CODE, help=_("Mã đơn vị hành chính."), max_length=16
        ),
        Column("hometown", _("Mã quê quán"), CODE, help=_("Mã đơn vị hành chính."), max_length=16),
        text(Official, "ethnicity", _("Dân tộc"), help=_("Để trống: Kinh.")),
        text(Official, "religion", _("Tôn giáo"), help=_("Để trống: Không.")),
        text(Official, "home_address", _("Nơi ở hiện nay")),
        text(Official, "phone", _("Số điện thoại"), help=_("Ví dụ 0912345678.")),
        Column("party_joined_on", _("Ngày vào Đảng"), DATE),
        Column("party_confirmed_on", _("Ngày chính thức"), DATE),
        Column("education_level", _("Trình độ chuyên môn"), CHOICE, True, choices=EducationLevel),
        text(Official, "major", _("Chuyên ngành")),
        Column(
            "political_theory",
            _("Lý luận chính trị"),
            CHOICE,
            choices=PoliticalTheory,
            help=_("Để trống: Chưa qua đào tạo."),
        ),
        Column(
            "state_management",
            _("Quản lý nhà nước"),
            CHOICE,
            choices=StateManagement,
            help=_("Để trống: Chưa qua bồi dưỡng."),
        ),
        Column(
            "management_tier",
            _("Diện quản lý"),
            CHOICE,
            choices=ManagementTier,
            help=_("Để trống: Cơ quan, đơn vị quản lý."),
        ),
        Column(
            "status",
            _("Tình trạng"),
            CHOICE,
            choices=OfficialStatus,
            help=_("Để trống: Đang công tác."),
        ),
        Column("left_on", _("Ngày thôi công tác"), DATE),
        Column("notes", _("Ghi chú"), TEXT, max_length=4000),
    ),
    _("số hiệu hồ sơ, nếu trống thì số định danh cá nhân"),
    _("Mỗi cán bộ mới cần ít nhất một dòng ở trang Quá trình công tác tại đơn vị trong phạm vi."),
)

POSTINGS = SheetSpec(
    "postings",
    _("Quá trình công tác"),
    Posting,
    (
        OFFICIAL_CODE,
        UNIT_CODE,
        POSITION_TITLE,
        text(
            Posting,
            "title",
            _("Chức danh, công việc"),
            help=_("Để trống: tên chức vụ."),
        ),
        Column("start_date", _("Từ ngày"), DATE, True),
        Column(
            "end_date", _("Đến ngày"), DATE, help=_("Ngày cuối cùng; để trống nếu đang đảm nhiệm.")
        ),
        Column("is_primary", _("Công tác chính"), BOOL, help=_("Không: kiêm nhiệm. Để trống: Có.")),
        text(Posting, "basis", _("Căn cứ"), help=_("Số, ký hiệu quyết định.")),
    ),
    _("cán bộ, từ ngày, đơn vị và chức vụ"),
    _("Mỗi cán bộ chỉ có một vị trí công tác chính tại một thời điểm."),
)

TRAINING = SheetSpec(
    "training",
    _("Đào tạo, bồi dưỡng"),
    TrainingRecord,
    (
        OFFICIAL_CODE,
        Column("kind", _("Loại"), CHOICE, True, choices=TrainingKind),
        text(TrainingRecord, "programme", _("Chuyên ngành, chương trình"), True),
        text(TrainingRecord, "qualification", _("Văn bằng, chứng chỉ")),
        text(TrainingRecord, "institution", _("Cơ sở đào tạo")),
        Column(
            "mode", _("Hình thức"), CHOICE, choices=TrainingMode, help=_("Để trống: Tập trung.")
        ),
        Column("start_date", _("Từ ngày"), DATE, True),
        Column("end_date", _("Đến ngày"), DATE),
    ),
    _("cán bộ, loại, chương trình và từ ngày"),
)

EVALUATIONS = SheetSpec(
    "evaluations",
    _("Đánh giá, xếp loại"),
    Evaluation,
    (
        OFFICIAL_CODE,
        Column("year", _("Năm"), INT, True, minimum=1900, maximum=2100),
        Column("rating", _("Xếp loại"), CHOICE, True, choices=EvaluationRating),
        Column("note", _("Nhận xét"), TEXT, max_length=4000),
    ),
    _("cán bộ và năm"),
)

PLANNING = SheetSpec(
    "planning",
    _("Quy hoạch"),
    PlanningEntry,
    (
        OFFICIAL_CODE,
        UNIT_CODE,
        Column(
            "position",
            _("Chức danh quy hoạch"),
            TEXT,
            True,
            _("Tên chức vụ thuộc đơn vị ở cột Mã đơn vị."),
            max_length=255,
        ),
        Column("term", _("Nhiệm kỳ"), TEXT, True, _("Dạng 2025-2030."), max_length=9),
        Column(
            "status",
            _("Trạng thái"),
            CHOICE,
            choices=PlanningStatus,
            help=_("Để trống: Đang trong quy hoạch."),
        ),
        Column("approved_on", _("Ngày phê duyệt"), DATE),
        text(PlanningEntry, "basis", _("Căn cứ")),
    ),
    _("cán bộ, chức danh và nhiệm kỳ"),
)

DISCIPLINE = SheetSpec(
    "discipline",
    _("Kỷ luật"),
    Discipline,
    (
        OFFICIAL_CODE,
        Column("kind", _("Hình thức kỷ luật"), CHOICE, True, choices=DisciplineKind),
        Column("level", _("Cấp quyết định"), CHOICE, choices=DecisionLevel),
        Column("decided_on", _("Ngày quyết định"), DATE, True),
        text(Discipline, "basis", _("Số quyết định"), True),
        text(Discipline, "issued_by", _("Cơ quan ra quyết định")),
        Column("duration_months", _("Thời hạn (tháng)"), INT, minimum=0, maximum=600),
        Column("note", _("Ghi chú"), TEXT, max_length=4000),
    ),
    _("cán bộ, ngày quyết định và hình thức"),
)

REWARDS = SheetSpec(
    "rewards",
    _("Khen thưởng"),
    Reward,
    (
        OFFICIAL_CODE,
        Column("kind", _("Hình thức khen thưởng"), CHOICE, True, choices=RewardKind),
        text(Reward, "name", _("Tên khen thưởng"), True),
        Column("level", _("Cấp khen thưởng"), CHOICE, True, choices=DecisionLevel),
        Column("decided_on", _("Ngày quyết định"), DATE, True),
        text(Reward, "basis", _("Số quyết định")),
        text(Reward, "issued_by", _("Cơ quan ra quyết định")),
        Column("note", _("Ghi chú"), TEXT, max_length=4000),
    ),
    _("cán bộ, ngày quyết định và tên khen thưởng"),
)

#: in the order they are read and written: what a row refers to comes first
SHEETS: tuple[SheetSpec, ...] = (
    UNITS,
    POSITIONS,
    OFFICIALS,
    POSTINGS,
    TRAINING,
    EVALUATIONS,
    PLANNING,
    DISCIPLINE,
    REWARDS,
)
SHEETS_BY_KEY = {spec.key: spec for spec in SHEETS}

#: the language of the files (headers, sheet names, enumeration labels), whatever the
#: language of the pages: a file made by one user reads the same for every other
FILE_LANGUAGE = "vi"

INSTRUCTIONS_SHEET = _("Hướng dẫn")
LISTS_SHEET = _("Danh mục")
ERROR_HEADER = _("Lỗi")


def sheet_by_name(name: str) -> SheetSpec | None:
    wanted = normalise_header(name)
    for spec in SHEETS:
        if normalise_header(spec.name) == wanted:
            return spec
    return None


def normalise_header(value) -> str:
    """Headers compare without case, extra spaces or a trailing required mark (*)."""
    text_value = " ".join(str(value or "").split()).rstrip("*").strip()
    return text_value.casefold()
