"""One place of record validation: the cases found by trying records that cannot be true.

Each rule is in ``personnel/record_rules.py`` and enforced by the services, so every door
(staff pages, admin, import, commands) refuses the same records with the same message.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from personnel import services
from personnel.choices import OfficialStatus
from personnel.models import Official, Posting
from personnel.record_rules import (
    MIN_WORKING_AGE,
    dated_record_errors,
    evaluation_errors,
    posting_errors,
    working_age_on,
)
from tests.factories import OfficialFactory, OrgUnitFactory, PositionFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def unit():
    return OrgUnitFactory(valid_from=D(1950, 1, 1))


def test_a_posting_before_the_official_turned_16_is_refused(unit):
    """Born 15/03/1985, a posting from 01/08/1980 (before birth) was saved."""
    official = OfficialFactory(date_of_birth=D(1985, 3, 15))
    with pytest.raises(ValidationError) as refused:
        services.posting_create(
            official=official, org_unit=unit, title="Chuyên viên", start_date=D(1980, 8, 1)
        )
    message = refused.value.message_dict["start_date"][0]
    assert "01/08/1980" in message and "15/03/2001" in message and "16 tuổi" in message
    assert not Posting.objects.filter(official=official).exists()


def test_the_16th_birthday_is_the_first_day_allowed(unit):
    official = OfficialFactory(date_of_birth=D(1985, 3, 15))
    with pytest.raises(ValidationError):
        services.posting_create(
            official=official, org_unit=unit, title="Chuyên viên", start_date=D(2001, 3, 14)
        )
    posting = services.posting_create(
        official=official, org_unit=unit, title="Chuyên viên", start_date=D(2001, 3, 15)
    )
    assert posting.start_date == working_age_on(D(1985, 3, 15))


def test_born_on_29_february_turns_16_on_28_february():
    assert working_age_on(D(2000, 2, 29)) == D(2016, 2, 29)
    assert working_age_on(D(1984, 2, 29)) == D(2000, 2, 29)
    assert working_age_on(D(1983, 2, 28)) == D(1999, 2, 28)
    assert MIN_WORKING_AGE == 16


def test_a_current_posting_starting_in_the_future_is_refused(unit):
    """A posting from 01/08/2027 was shown today as the current post ("01/08/2027 – nay")."""
    official = OfficialFactory(date_of_birth=D(1985, 3, 15))
    future = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.posting_create(
            official=official, org_unit=unit, title="Chuyên viên", start_date=future
        )
    assert "quyết định" in refused.value.message_dict["start_date"][0]
    with pytest.raises(ValidationError):
        services.posting_create(
            official=official, org_unit=unit, title="Chuyên viên", start_date=D(2027, 8, 1)
        )
    assert not Posting.objects.filter(official=official).exists()
    # Today is allowed, and a decision taking effect opens a posting on its effective date.
    services.posting_create(
        official=official, org_unit=unit, title="Chuyên viên", start_date=timezone.localdate()
    )


def test_a_correction_cannot_move_a_start_into_the_future(unit):
    official = OfficialFactory(date_of_birth=D(1985, 3, 15))
    posting = services.posting_create(
        official=official, org_unit=unit, title="Chuyên viên", start_date=D(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        services.posting_update(posting=posting, start_date=D(2099, 1, 1))
    assert "start_date" in refused.value.message_dict
    assert Posting.objects.get(pk=posting.pk).start_date == D(2020, 1, 1)


def test_closing_without_an_end_date_is_refused_and_does_not_reopen(unit):
    official = OfficialFactory(date_of_birth=D(1985, 3, 15))
    posting = services.posting_create(
        official=official,
        org_unit=unit,
        title="Chuyên viên",
        start_date=D(2020, 1, 1),
        end_date=D(2021, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.posting_close(posting=posting, end_date=None)
    assert Posting.objects.get(pk=posting.pk).end_date == D(2021, 1, 1)


@pytest.mark.parametrize("status", [OfficialStatus.RETIRED, OfficialStatus.DECEASED])
def test_a_new_posting_after_the_official_left_is_refused(unit, status):
    official = OfficialFactory(date_of_birth=D(1960, 3, 15), status=status, left_on=D(2020, 3, 31))
    with pytest.raises(ValidationError) as refused:
        services.posting_create(
            official=official, org_unit=unit, title="Chuyên viên", start_date=D(2020, 4, 1),
            end_date=D(2020, 5, 1),
        )  # fmt: skip
    assert "31/03/2020" in refused.value.message_dict["start_date"][0]
    with pytest.raises(ValidationError) as refused:
        services.posting_create(
            official=official, org_unit=unit, title="Chuyên viên", start_date=D(2019, 1, 1),
            end_date=D(2020, 6, 30),
        )  # fmt: skip
    assert "end_date" in refused.value.message_dict
    # An open-ended new posting of someone no longer in service is refused too.
    with pytest.raises(ValidationError) as refused:
        services.posting_create(
            official=official, org_unit=unit, title="Chuyên viên", start_date=D(2019, 1, 1)
        )
    assert "ngày kết thúc" in refused.value.message_dict["end_date"][0]
    # History of the career before leaving is recorded.
    services.posting_create(
        official=official, org_unit=unit, title="Chuyên viên", start_date=D(2010, 1, 1),
        end_date=D(2020, 3, 31),
    )  # fmt: skip


def test_the_leaving_day_goes_with_a_status_that_says_so():
    official = OfficialFactory(date_of_birth=D(1960, 3, 15))
    with pytest.raises(ValidationError) as refused:
        services.official_update(official=official, left_on=D(2020, 3, 31))
    assert "left_on" in refused.value.message_dict
    services.official_update(
        official=official, status=OfficialStatus.RETIRED, left_on=D(2020, 3, 31)
    )
    assert Official.objects.get(pk=official.pk).left_on == D(2020, 3, 31)


def test_a_leaving_day_before_a_recorded_posting_is_refused(unit):
    official = OfficialFactory(date_of_birth=D(1960, 3, 15))
    services.posting_create(
        official=official, org_unit=unit, title="Chuyên viên", start_date=D(2015, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        services.official_update(
            official=official, status=OfficialStatus.RETIRED, left_on=D(2014, 12, 31)
        )
    assert "left_on" in refused.value.message_dict
    assert Official.objects.get(pk=official.pk).left_on is None


def test_a_new_birth_date_that_puts_a_posting_before_16_is_refused(unit):
    official = OfficialFactory(date_of_birth=D(1980, 3, 15))
    services.posting_create(
        official=official, org_unit=unit, title="Chuyên viên", start_date=D(2000, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        services.official_update(official=official, date_of_birth=D(1985, 3, 15))
    assert "16 tuổi" in refused.value.message_dict["date_of_birth"][0]
    assert Official.objects.get(pk=official.pk).date_of_birth == D(1980, 3, 15)


def test_evaluations_and_dated_records_stay_within_the_working_life():
    official = Official(date_of_birth=D(1985, 3, 15), status=OfficialStatus.ACTIVE)
    today = D(2026, 12, 7)
    assert evaluation_errors(official=official, year=2027, today=today)
    assert evaluation_errors(official=official, year=2000, today=today)
    assert not evaluation_errors(official=official, year=2001, today=today)
    assert not evaluation_errors(official=official, year=2026, today=today)
    left = Official(
        date_of_birth=D(1960, 1, 1), status=OfficialStatus.RETIRED, left_on=D(2020, 1, 31)
    )
    assert evaluation_errors(official=left, year=2021, today=today)
    assert not evaluation_errors(official=left, year=2020, today=today)
    day = D(2001, 3, 14)
    errors = dated_record_errors(
        official=official, field="decided_on", day=day, label="Ngày", today=today
    )
    assert "decided_on" in errors
    assert not dated_record_errors(
        official=official, field="decided_on", day=D(2001, 3, 15), label="Ngày", today=today
    )
    assert dated_record_errors(
        official=official, field="decided_on", day=D(2026, 12, 8), label="Ngày", today=today
    )


def test_posting_rules_as_pure_function_name_the_field():
    official = Official(date_of_birth=D(1985, 3, 15), status=OfficialStatus.ACTIVE)
    errors = posting_errors(
        official=official, start_date=D(1980, 8, 1), end_date=None, is_new=True, today=D(2026, 1, 1)
    )
    assert set(errors) == {"start_date"}
    assert not posting_errors(
        official=official, start_date=D(2027, 8, 1), end_date=None, is_new=True,
        from_decision=True, today=D(2026, 1, 1),
    )  # fmt: skip


# --- the position picker of the new-official form --------------------------------


def test_the_position_picker_sends_the_chosen_unit(client):
    from accounts.choices import Role
    from tests.factories import UserFactory

    unit = OrgUnitFactory(valid_from=D(1950, 1, 1))
    other = OrgUnitFactory(valid_from=D(1950, 1, 1), parent=unit)
    mine = PositionFactory(org_unit=unit, title="Chánh Văn phòng")
    PositionFactory(org_unit=other, title="Chánh Văn phòng cấp dưới")
    user = UserFactory(scope=unit, role=Role.OFFICER)
    client.force_login(user)
    page = client.get(reverse("official_create")).content.decode()
    assert 'data-autocomplete-forward="org_unit:org_unit"' in page
    found = client.get(reverse("position_autocomplete"), {"q": "", "org_unit": unit.pk}).json()[
        "results"
    ]
    assert [row["id"] for row in found] == [mine.pk]
    assert client.get(reverse("position_autocomplete"), {"org_unit": "1 OR 1=1"}).json() == {
        "results": []
    }
