"""Reading the people behind a stored run's figures the way a user does: the drill-down
page (every page of it) and the XLSX "Danh sách" sheet."""

import io

from django.urls import reverse
from django.utils.http import urlencode
from openpyxl import load_workbook

from reports import drill, registry, services
from reports.choices import RunStatus


def stored_run(report, scope, date_from, date_to, **params):
    run = services.report_run_now(
        report=report,
        scope=scope,
        date_from=date_from,
        date_to=date_to,
        params=params,
        today=date_to,
    )
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run


def table(run, key):
    return next(t for t in run.result["tables"] if t["key"] == key)


def every_drill(run) -> list[registry.Drill]:
    """Every drillable row and cell of a stored result."""
    found = []
    for t in run.result["tables"]:
        for row, key in enumerate(t.get("drill") or []):
            if key is not None:
                found.append(registry.Drill(t, row, "", key))
        for row, cells in enumerate(t.get("drill_cells") or []):
            found.extend(registry.Drill(t, row, column, key) for column, key in cells.items())
    return found


def people_page(client, run, d: registry.Drill) -> list[str]:
    """The names the drill-down page lists for one row or cell, every page of it."""
    query = {"table": d.table["key"], "row": d.row}
    if d.column:
        query["column"] = d.column
    url = f"{reverse('report_run_people', args=[run.pk])}?{urlencode(query)}"
    names, page = [], 1
    while True:
        response = client.get(f"{url}&page={page}")
        assert response.status_code == 200, (url, response.status_code)
        names += [row[0] for _n, row in response.context["rows"]]
        if not response.context["page_obj"].has_next():
            break
        page += 1
    assert response.context["headcount"] == len(set(names))
    return names


def drilled(client, run, table_key, row_label, column="") -> list[str]:
    t = table(run, table_key)
    row = next(i for i, r in enumerate(t["rows"]) if r[0] == row_label)
    found = registry.drill_at(run.result, table_key, row, column)
    assert found is not None, (table_key, row_label, column)
    return sorted(set(people_page(client, run, found)))


def assert_every_figure_lists_exactly_its_cadres(client, run) -> int:
    """For each drillable figure: the page lists as many different cadres as it shows."""
    drills = every_drill(run)
    for d in drills:
        names = people_page(client, run, d)
        assert len(set(names)) == drill.figure(d), (d.table["key"], d.row, d.column, names)
    return len(drills)


def people_sheet(client, run) -> list[list]:
    response = client.get(reverse("report_run_download", args=[run.pk, "xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[1] == "Danh sách"
    return [list(row) for row in book["Danh sách"].iter_rows(values_only=True)]
