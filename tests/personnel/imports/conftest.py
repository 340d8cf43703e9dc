"""Fixtures of the Excel import: the small province of tests/rotation/conftest.py and a
helper that fills the template's sheets by field name."""

import io

import pytest
from openpyxl import load_workbook

from personnel.imports.columns import SHEETS_BY_KEY
from personnel.imports.template import template_bytes
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures


def fill(sheets: dict[str, list[dict]], base: bytes | None = None) -> bytes:
    """The template with ``sheets`` ({sheet key: [{field: value}]}) filled from row 2."""
    book = load_workbook(io.BytesIO(base or template_bytes()))
    for key, rows in sheets.items():
        spec = SHEETS_BY_KEY[key]
        sheet = book[spec.name]
        fields = [column.field for column in spec.columns]
        for offset, values in enumerate(rows):
            unknown = set(values) - set(fields)
            assert not unknown, unknown
            for index, name in enumerate(fields, start=1):
                if name in values:
                    sheet.cell(row=2 + offset, column=index, value=values[name])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def official_row(code, **values):
    row = {
        "code": code,
        "full_name": "Trần Văn Bình",
        "gender": "Nam",
        "date_of_birth": "12/03/1980",
        "education_level": "Đại học",
    }
    row.update(values)
    return row


def posting_row(official, unit="HUA", **values):
    row = {"official": official, "unit": unit, "title": "Chuyên viên", "start_date": "01/02/2015"}
    row.update(values)
    return row


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded workbooks go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
