import datetime as dt

import factory
from factory.django import DjangoModelFactory

from accounts.choices import Role
from accounts.models import User
from personnel import choices
from personnel.models import (
    Discipline,
    Evaluation,
    Locality,
    Official,
    OrgUnit,
    PlanningEntry,
    Position,
    Posting,
    Reward,
    Sector,
    TrainingRecord,
)
from personnel.models_discipline import DecisionLevel, DisciplineKind, RewardKind


class LocalityFactory(DjangoModelFactory):
    class Meta:
        model = Locality

    code = factory.Sequence(lambda n: f"L{n:05d}")
    name = factory.Sequence(lambda n: f"Huyện {n}")
    level = choices.LocalityLevel.DISTRICT
    parent = None


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = "party"
    name = "Đảng"


class OrgUnitFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"Huyện ủy {n}")
    level = choices.Level.DISTRICT
    sector = factory.SubFactory(SectorFactory)
    locality = factory.SubFactory(LocalityFactory)
    parent = None


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    org_unit = factory.SubFactory(OrgUnitFactory)
    title = "Bí thư"
    kind = choices.PositionKind.HEAD


class OfficialFactory(DjangoModelFactory):
    class Meta:
        model = Official

    code = factory.Sequence(lambda n: f"CB{n:06d}")
    full_name = "Nguyễn Văn An"
    gender = choices.Gender.MALE
    date_of_birth = dt.date(1975, 5, 17)
    education_level = choices.EducationLevel.UNIVERSITY


class PostingFactory(DjangoModelFactory):
    """Creates rows directly; tests of the rule go through ``personnel.services``."""

    class Meta:
        model = Posting

    official = factory.SubFactory(OfficialFactory)
    org_unit = factory.SubFactory(OrgUnitFactory)
    title = "Chuyên viên"
    start_date = dt.date(2015, 1, 1)


class TrainingRecordFactory(DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    official = factory.SubFactory(OfficialFactory)
    kind = choices.TrainingKind.POLITICAL_THEORY
    programme = "Cao cấp lý luận chính trị"
    start_date = dt.date(2018, 9, 1)


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    official = factory.SubFactory(OfficialFactory)
    year = 2024
    rating = choices.EvaluationRating.GOOD


class DisciplineFactory(DjangoModelFactory):
    class Meta:
        model = Discipline

    official = factory.SubFactory(OfficialFactory)
    kind = DisciplineKind.REPRIMAND
    decided_on = dt.date(2022, 3, 10)
    basis = factory.Sequence(lambda n: f"{n}-QĐ/UBKT")
    issued_by = "Ủy ban Kiểm tra Tỉnh ủy"


class RewardFactory(DjangoModelFactory):
    class Meta:
        model = Reward

    official = factory.SubFactory(OfficialFactory)
    kind = RewardKind.CERTIFICATE_OF_MERIT
    name = "Bằng khen của Chủ tịch UBND tỉnh"
    level = DecisionLevel.PROVINCE
    decided_on = dt.date(2021, 12, 20)
    basis = factory.Sequence(lambda n: f"{n}-QĐ/UBND")


class PlanningEntryFactory(DjangoModelFactory):
    class Meta:
        model = PlanningEntry

    official = factory.SubFactory(OfficialFactory)
    position = factory.SubFactory(PositionFactory)
    term = "2025-2030"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    role = Role.VIEWER
    password = factory.django.Password("pw-for-tests")
