"""The posting invariant: one primary posting at a time, end after start."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from personnel import services
from personnel.models import Posting
from tests.conftest import postgres_only
from tests.factories import OfficialFactory, OrgUnitFactory, PositionFactory, PostingFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def official():
    return OfficialFactory()


@pytest.fixture
def unit():
    return OrgUnitFactory()


def test_create_sets_current_unit_and_posting(official, unit):
    posting = services.posting_create(
        official=official, org_unit=unit, title="Chánh Văn phòng", start_date=D(2020, 1, 1)
    )
    official.refresh_from_db()
    assert official.current_posting == posting
    assert official.current_unit == unit


def test_position_fills_unit_and_title(official):
    position = PositionFactory(title="Bí thư Huyện ủy")
    posting = services.posting_create(
        official=official, position=position, title="", start_date=D(2020, 1, 1)
    )
    assert posting.org_unit == position.org_unit
    assert posting.title == "Bí thư Huyện ủy"


def test_position_of_another_unit_is_refused(official, unit):
    position = PositionFactory()
    with pytest.raises(ValidationError, match="không thuộc"):
        services.posting_create(
            official=official, org_unit=unit, position=position, title="x", start_date=D(2020, 1, 1)
        )
    assert not Posting.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2019, 6, 1), None),  # open posting starting before the current one ends
        (D(2021, 1, 1), D(2021, 12, 31)),  # inside the current one
        (D(2018, 1, 1), D(2020, 1, 1)),  # ends on the first day of the current one
    ],
)
def test_overlapping_primary_posting_is_refused(official, unit, start, end):
    services.posting_create(official=official, org_unit=unit, title="A", start_date=D(2020, 1, 1))
    with pytest.raises(ValidationError, match="trùng"):
        services.posting_create(
            official=official, org_unit=unit, title="B", start_date=start, end_date=end
        )
    assert Posting.objects.count() == 1


def test_secondary_posting_may_overlap(official, unit):
    services.posting_create(official=official, org_unit=unit, title="A", start_date=D(2020, 1, 1))
    services.posting_create(
        official=official,
        org_unit=unit,
        title="Kiêm nhiệm",
        start_date=D(2021, 1, 1),
        is_primary=False,
    )
    assert Posting.objects.count() == 2


def test_close_then_open_the_next_day(official, unit):
    first = services.posting_create(
        official=official, org_unit=unit, title="A", start_date=D(2020, 1, 1)
    )
    services.posting_close(posting=first, end_date=D(2023, 6, 30))
    second_unit = OrgUnitFactory()
    services.posting_create(
        official=official, org_unit=second_unit, title="B", start_date=D(2023, 7, 1)
    )
    official.refresh_from_db()
    assert official.current_unit == second_unit
    assert Posting.objects.get(pk=first.pk).end_date == D(2023, 6, 30)


def test_end_date_must_follow_start_date(official, unit):
    with pytest.raises(ValidationError, match="sau ngày bắt đầu"):
        services.posting_create(
            official=official,
            org_unit=unit,
            title="A",
            start_date=D(2020, 1, 1),
            end_date=D(2020, 1, 1),
        )
    posting = services.posting_create(
        official=official, org_unit=unit, title="A", start_date=D(2020, 1, 1)
    )
    with pytest.raises(ValidationError, match="sau ngày bắt đầu"):
        services.posting_close(posting=posting, end_date=D(2019, 12, 31))
    posting.refresh_from_db()
    assert posting.end_date is None


def test_extending_into_the_next_posting_is_refused(official, unit):
    first = services.posting_create(
        official=official,
        org_unit=unit,
        title="A",
        start_date=D(2020, 1, 1),
        end_date=D(2022, 12, 31),
    )
    services.posting_create(official=official, org_unit=unit, title="B", start_date=D(2023, 1, 1))
    with pytest.raises(ValidationError, match="trùng"):
        services.posting_update(posting=first, end_date=D(2023, 3, 1))


def test_database_rejects_end_before_start(official, unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        PostingFactory(
            official=official, org_unit=unit, start_date=D(2020, 1, 1), end_date=D(2019, 1, 1)
        )


@postgres_only()
def test_database_rejects_overlapping_primary_postings_bypassing_the_service(official, unit):
    PostingFactory(official=official, org_unit=unit, start_date=D(2020, 1, 1))
    with (
        pytest.raises(IntegrityError, match="posting_primary_no_overlap"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO personnel_posting (official_id, org_unit_id, title, start_date,"
            " end_date, is_primary, basis) VALUES (%s, %s, 'raw', %s, NULL, true, '')",
            [official.pk, unit.pk, D(2021, 5, 1)],
        )
    # Adjacent postings (one ends the day before the next begins) are allowed.
    Posting.objects.filter(official=official).update(end_date=D(2021, 4, 30))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO personnel_posting (official_id, org_unit_id, title, start_date,"
            " end_date, is_primary, basis) VALUES (%s, %s, 'raw', %s, NULL, true, '')",
            [official.pk, unit.pk, D(2021, 5, 1)],
        )
    assert Posting.objects.filter(official=official).count() == 2


def test_history_records_who_changed_a_posting(official, unit):
    posting = services.posting_create(
        official=official, org_unit=unit, title="A", start_date=D(2020, 1, 1)
    )
    services.posting_close(posting=posting, end_date=D(2021, 1, 1))
    assert [h.history_type for h in posting.history.order_by("history_id")] == ["+", "~"]


def test_editing_a_profile_does_not_undo_a_move_made_meanwhile(official, unit):
    first = services.posting_create(
        official=official, org_unit=unit, title="A", start_date=D(2020, 1, 1)
    )
    stale = type(official).objects.get(pk=official.pk)  # loaded by an edit form
    other = OrgUnitFactory()
    services.posting_close(posting=first, end_date=D(2024, 12, 31))
    services.posting_create(official=official, org_unit=other, title="B", start_date=D(2025, 1, 1))
    services.official_update(official=stale, full_name="Nguyễn Văn Mới")
    official.refresh_from_db()
    assert official.full_name == "Nguyễn Văn Mới" and official.search_key == "nguyen van moi"
    assert official.current_unit == other
