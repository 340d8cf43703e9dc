"""Reports count the units as they were (default) or today's units, old units counted
under their successors."""

import datetime as dt

from personnel.models import OrgUnit
from reports import services as report_services
from rotation.reorganisations import reorganisation_apply
from tests.reports.conftest import move  # noqa: F401
from tests.rotation.test_reorganisations import communes, merge_communes  # noqa: F401

D = dt.date


def run(scope, **params):
    result = report_services.report_run_now(
        report="rotation_summary",
        scope=scope,
        date_from=D(2024, 1, 1),
        date_to=D(2024, 12, 31),
        params=params,
        today=D(2026, 12, 7),
    )
    assert result.status == "succeeded", result.error
    return result.result


def test_a_successor_counts_its_predecessors_moves_only_by_today_s_units(
    communes,  # noqa: F811
    move,  # noqa: F811
):
    world = communes.world
    move(communes.people.binh, world.positions.province_deputy, D(2024, 3, 1), apply=True)
    reorganisation_apply(
        reorganisation=merge_communes(communes), by=communes.admin, today=D(2026, 12, 7)
    )
    successor = OrgUnit.objects.get(name="Đảng ủy xã A12")
    assert run(successor)["total_cadres"] == 0  # as they were: A12 did not exist in 2024
    assert run(successor, geography="as_they_were")["total_cadres"] == 0
    today = run(successor, geography="today")
    assert today["total_cadres"] == 1 and today["by_direction"] == {"commune_to_province": 1}
    # The province counts it either way.
    assert run(world.units.province)["total_cadres"] == 1
    assert run(world.units.province, geography="today")["total_cadres"] == 1
