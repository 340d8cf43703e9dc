"""Enumerations of the personnel records, labelled in Vietnamese."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Administrative level of an org unit. Order matters for directions (rule 1)."""

    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")


# Rank of each level, highest first. Levels are data with an order: a level added
# or abolished (the district level ended on 1/7/2025) is a change here only.
LEVEL_RANK = {Level.CENTRAL: 0, Level.PROVINCE: 1, Level.DISTRICT: 2, Level.COMMUNE: 3}


class LocalityLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố trực thuộc trung ương")
    DISTRICT = "district", _("Huyện, quận, thị xã, thành phố thuộc tỉnh")
    COMMUNE = "commune", _("Xã, phường, thị trấn")


class PositionKind(models.TextChoices):
    HEAD = "head", _("Cấp trưởng")
    DEPUTY = "deputy", _("Cấp phó")
    MEMBER = "member", _("Ủy viên")
    STAFF = "staff", _("Chuyên viên, nhân viên")


class ManagementTier(models.TextChoices):
    POLITBURO = "politburo", _("Bộ Chính trị, Ban Bí thư quản lý")
    PROVINCIAL_STANDING = "provincial_standing", _("Ban Thường vụ Tỉnh ủy quản lý")
    DISTRICT_STANDING = "district_standing", _("Ban Thường vụ Huyện ủy quản lý")
    GRASSROOTS = "grassroots", _("Đảng ủy cơ sở quản lý")
    UNIT = "unit", _("Cơ quan, đơn vị quản lý")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class EducationLevel(models.TextChoices):
    HIGH_SCHOOL = "high_school", _("Trung học phổ thông")
    VOCATIONAL = "vocational", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")
    UNIVERSITY = "university", _("Đại học")
    MASTER = "master", _("Thạc sĩ")
    DOCTORATE = "doctorate", _("Tiến sĩ")


class PoliticalTheory(models.TextChoices):
    NONE = "none", _("Chưa qua đào tạo")
    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    ADVANCED = "advanced", _("Cao cấp")
    BACHELOR = "bachelor", _("Cử nhân")


class StateManagement(models.TextChoices):
    NONE = "none", _("Chưa qua bồi dưỡng")
    SPECIALIST = "specialist", _("Chuyên viên")
    PRINCIPAL = "principal", _("Chuyên viên chính")
    SENIOR = "senior", _("Chuyên viên cao cấp")


class OfficialStatus(models.TextChoices):
    ACTIVE = "active", _("Đang công tác")
    RETIRED = "retired", _("Đã nghỉ hưu")
    LEFT = "left", _("Đã chuyển ra ngoài hệ thống")
    DECEASED = "deceased", _("Đã từ trần")


class TrainingKind(models.TextChoices):
    DEGREE = "degree", _("Chuyên môn")
    POLITICAL_THEORY = "political_theory", _("Lý luận chính trị")
    STATE_MANAGEMENT = "state_management", _("Quản lý nhà nước")
    OTHER = "other", _("Bồi dưỡng khác")


class TrainingMode(models.TextChoices):
    FULL_TIME = "full_time", _("Tập trung")
    PART_TIME = "part_time", _("Không tập trung")
    DISTANCE = "distance", _("Từ xa")


class EvaluationRating(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "completed", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành nhiệm vụ")


class PlanningStatus(models.TextChoices):
    ACTIVE = "active", _("Đang trong quy hoạch")
    APPOINTED = "appointed", _("Đã bổ nhiệm")
    REMOVED = "removed", _("Đưa ra khỏi quy hoạch")


class ReorganisationKind(models.TextChoices):
    """What a reorganisation (sắp xếp tổ chức bộ máy) does to the units it names."""

    MERGE = "merge", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia tách")
    RENAME = "rename", _("Đổi tên")
    ABOLISH = "abolish", _("Giải thể, kết thúc hoạt động")
    MOVE = "move", _("Chuyển về cơ quan cấp trên khác")


class ExportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang tạo tệp")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không thành công")


class ExportJobFormat(models.TextChoices):
    """The workbook formats a worker builds when the list is large (CSV is streamed)."""

    XLSX = "xlsx", _("Excel (danh sách)")
    TEMPLATE = "template", _("Excel theo mẫu nhập")
    NATIONAL = "national", _("Excel theo CSDL quốc gia")
