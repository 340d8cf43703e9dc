"""Migration personnel 0010 run forwards: ``is_active`` becomes a validity period."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from personnel.models import Locality, OrgUnit

BEFORE = [("personnel", "0009_discipline")]
AFTER = [("personnel", "0010_validity")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_inactive_units_and_localities_end_on_a_day_and_nothing_is_deleted():
    apps = migrate(BEFORE)
    OldLocality = apps.get_model("personnel", "Locality")
    OldUnit = apps.get_model("personnel", "OrgUnit")
    Sector = apps.get_model("personnel", "Sector")
    Official = apps.get_model("personnel", "Official")
    Posting = apps.get_model("personnel", "Posting")
    sector = Sector.objects.create(code="party", name="Đảng")
    place = OldLocality.objects.create(code="1", name="Còn", level="province", path="1/")
    gone_place = OldLocality.objects.create(
        code="2", name="Đã nhập", level="commune", is_active=False, path="2/"
    )

    def unit(code, active):
        return OldUnit.objects.create(
            code=code, name=code, level="district", sector=sector, is_active=active, path=code
        )

    kept, closed, empty = unit("KEPT", True), unit("CLOSED", False), unit("EMPTY", False)
    official = Official.objects.create(
        code="CB1", full_name="Người Cũ", gender="male", date_of_birth=dt.date(1970, 1, 1)
    )
    Posting.objects.create(
        official=official, org_unit=closed, title="Trưởng phòng",
        start_date=dt.date(2010, 1, 1), end_date=dt.date(2023, 5, 31),
    )  # fmt: skip
    migrate(AFTER)
    migrate_to_latest()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert OrgUnit.objects.get(pk=kept.pk).valid_to is None
    assert OrgUnit.objects.get(pk=closed.pk).valid_to == dt.date(2023, 5, 31)
    assert OrgUnit.objects.get(pk=empty.pk).valid_to == yesterday
    assert Locality.objects.get(pk=place.pk).valid_to is None
    assert Locality.objects.get(pk=gone_place.pk).valid_to == yesterday
    assert OrgUnit.objects.count() == 3 and Locality.objects.count() == 2
