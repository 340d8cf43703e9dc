"""Report results are plain JSON by construction; a result that cannot be stored fails its
run with the reason, and never leaves it "running"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy

from personnel.choices import Gender, Level
from reports import registry, services
from reports.choices import RunStatus
from reports.jsonable import plain

D = dt.date


def test_plain_turns_lazy_labels_dates_decimals_and_choices_into_json_values():
    value = plain(
        {
            "label": Level.DISTRICT.label,
            "gender": Gender.FEMALE,
            "lazy": gettext_lazy("Nữ"),
            "day": D(2025, 7, 1),
            "share": Decimal("12.50"),
            "count": Decimal("3"),
            "rows": [(1, "a"), {"x"}],
        }
    )
    assert value == {
        "label": str(Level.DISTRICT.label),
        "gender": "female",
        "lazy": "Nữ",
        "day": "2025-07-01",
        "share": 12.5,
        "count": 3,
        "rows": [[1, "a"], ["x"]],
    }
    assert type(value["gender"]) is str and type(value["label"]) is str


@pytest.mark.parametrize("bad", [object(), float("nan"), {"x": float("inf")}])
def test_plain_refuses_what_json_cannot_store(bad):
    with pytest.raises(TypeError):
        plain(bad)


@pytest.fixture
def report_returning():
    """Register a throw-away report whose result carries ``value`` in its data."""
    codes = []

    def register(value):
        code = f"test_report_{len(codes)}"
        codes.append(code)
        registry.register(
            registry.ReportDefinition(
                code=code,
                title=gettext_lazy("Báo cáo thử"),
                description="",
                compute=lambda ctx: registry.Result(
                    sentence=gettext_lazy("Câu tóm tắt"),
                    tables=[
                        registry.Table(
                            key="t",
                            title=gettext_lazy("Bảng"),
                            columns=[("level", gettext_lazy("Cấp"))],
                            rows=[[Level.PROVINCE.label]],
                        )
                    ],
                    data={"value": value},
                ),
            )
        )
        return code

    yield register
    for code in codes:
        registry.REGISTRY.pop(code, None)


def _run(world, code):
    return services.report_run_now(
        report=code, scope=world.units.province, date_from=D(2025, 1, 1), date_to=D(2025, 12, 31)
    )


def test_lazy_labels_in_rows_are_stored_and_the_run_succeeds(world, report_returning):
    run = _run(world, report_returning(gettext_lazy("Nam")))
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.result["value"] == "Nam"
    assert run.result["tables"][0]["rows"] == [[str(Level.PROVINCE.label)]]
    assert run.result["sentence"] == "Câu tóm tắt"


def test_a_result_that_cannot_be_stored_fails_the_run_with_its_error(world, report_returning):
    run = _run(world, report_returning(object()))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "cannot be stored" in run.error
    assert run.finished_at is not None and run.result is None
    # The request is not stuck: the same request gets a new run.
    again = _run(world, report_returning(1))
    assert again.pk != run.pk and again.status == RunStatus.SUCCEEDED
