"""The profile and posting rules at their boundaries: the ages, the Party dates, the
dates of a posting, and the writes that must be refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.choices import Role
from personnel import services
from personnel.choices import EducationLevel, Gender, OfficialStatus
from personnel.models import Official, Posting
from tests.factories import OfficialFactory, OrgUnitFactory, PositionFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 6, 15)


def errors_of(official, today=TODAY) -> dict[str, str]:
    try:
        services.official_validate(official, today=today)
    except ValidationError as error:
        return {field: " ".join(messages) for field, messages in error.message_dict.items()}
    return {}


def profile(**fields) -> Official:
    fields.setdefault("date_of_birth", D(1980, 3, 15))
    fields.setdefault("gender", Gender.MALE)
    return OfficialFactory.build(**fields)


class TestAge:
    @pytest.mark.parametrize(
        ("born", "error"),
        [
            (D(2025, 6, 16), "không được sau ngày hôm nay"),
            (D(2025, 6, 15), "mới 0 tuổi"),  # born today: not in the future, but a baby
            (D(2007, 6, 16), "mới 17 tuổi"),  # 18 tomorrow
            (D(2007, 6, 15), None),  # 18 today
            (D(1955, 6, 15), None),  # 70 today
            (D(1954, 6, 16), None),  # 71 tomorrow
            (D(1954, 6, 15), "71 tuổi"),
        ],
    )
    def test_an_official_in_service_is_between_18_and_70(self, born, error):
        found = errors_of(profile(date_of_birth=born)).get("date_of_birth")
        if error is None:
            assert found is None
        else:
            assert error in found

    def test_a_retired_official_may_be_older_than_70(self):
        assert errors_of(profile(date_of_birth=D(1940, 1, 1), status=OfficialStatus.RETIRED)) == {}

    def test_age_counts_full_years(self):
        assert services.age_on(D(1980, 3, 15), D(2025, 3, 14)) == 44
        assert services.age_on(D(1980, 3, 15), D(2025, 3, 15)) == 45
        assert services.age_on(D(1980, 3, 15), D(2025, 2, 20)) == 44


class TestPartyDates:
    @pytest.mark.parametrize(
        ("joined", "error"),
        [
            (D(1998, 3, 14), "15/03/1998"),  # the day before the 18th birthday
            (D(1998, 3, 15), None),
            (TODAY, None),
            (TODAY + dt.timedelta(days=1), "không được sau ngày hôm nay"),
        ],
    )
    def test_joined_from_the_18th_birthday_up_to_today(self, joined, error):
        found = errors_of(profile(party_joined_on=joined)).get("party_joined_on")
        if error is None:
            assert found is None
        else:
            assert error in found

    @pytest.mark.parametrize(
        ("joined", "error"), [(D(1998, 2, 27), "28/02/1998"), (D(1998, 2, 28), None)]
    )
    def test_someone_born_on_29_february_is_18_on_28_february(self, joined, error):
        found = errors_of(profile(date_of_birth=D(1980, 2, 29), party_joined_on=joined))
        if error is None:
            assert "party_joined_on" not in found
        else:
            assert error in found["party_joined_on"]

    def test_the_confirmation_date_has_the_same_bounds(self):
        found = errors_of(profile(party_joined_on=D(1997, 1, 1), party_confirmed_on=D(1998, 3, 14)))
        assert "15/03/1998" in found["party_confirmed_on"]
        assert "15/03/1998" in found["party_joined_on"]

    @pytest.mark.parametrize(
        ("joined", "confirmed", "errors"),
        [
            (D(2010, 5, 1), D(2011, 5, 1), {}),
            (D(2010, 5, 1), D(2010, 5, 2), {}),
            (D(2010, 5, 1), D(2010, 5, 1), {"party_confirmed_on": "phải sau ngày vào Đảng"}),
            (D(2010, 5, 1), D(2010, 4, 30), {"party_confirmed_on": "phải sau ngày vào Đảng"}),
            (None, D(2011, 5, 1), {"party_joined_on": "phải nhập ngày vào Đảng"}),
            (None, TODAY + dt.timedelta(days=1), {"party_confirmed_on": "sau ngày hôm nay"}),
            (None, None, {}),
        ],
    )
    def test_confirmed_after_joining(self, joined, confirmed, errors):
        found = errors_of(profile(party_joined_on=joined, party_confirmed_on=confirmed))
        assert set(found) == set(errors)
        for field, text in errors.items():
            assert text in found[field]

    def test_dates_of_someone_born_in_the_future_are_judged_only_against_today(self):
        found = errors_of(profile(date_of_birth=D(2030, 1, 1), party_joined_on=D(2020, 1, 1)))
        assert set(found) == {"date_of_birth"}

    def test_a_baby_born_today_cannot_have_joined_today(self):
        found = errors_of(profile(date_of_birth=TODAY, party_joined_on=TODAY))
        assert "party_joined_on" in found

    def test_today_defaults_to_the_local_date(self):
        tomorrow = dt.date.today() + dt.timedelta(days=2)  # noqa: DTZ011 - the server's date
        with pytest.raises(ValidationError) as raised:
            services.official_validate(profile(party_joined_on=tomorrow))
        assert "party_joined_on" in raised.value.message_dict
        services.official_validate(profile(party_joined_on=D(2010, 1, 1)))


class TestPersonalNumberAndNormalising:
    def test_a_number_that_contradicts_the_gender_is_refused(self):
        found = errors_of(profile(personal_id="042180123456"))  # 4th digit 1: female
        assert set(found) == {"personal_id"}

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [("042 080.123 456", "042080123456"), ("  ", None), (None, None), ("", None)],
    )
    def test_personal_id_separators_are_dropped(self, typed, stored):
        assert services.normalise_personal_id(typed) == stored

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("+84 912.345.678", "0912345678"),
            ("(091) 234-5678", "0912345678"),
            ("+8491234567", "+8491234567"),  # too short to be a mobile number: kept
            ("+84912345678x", "+84912345678x"),
            ("+84a12345678", "+84a12345678"),  # not digits after +84: kept as typed
            ("0912345678", "0912345678"),
            (None, ""),
        ],
    )
    def test_phone_numbers_are_written_the_national_way(self, typed, stored):
        assert services.normalise_phone(typed) == stored


class TestSavingOfficials:
    @pytest.fixture
    def unit(self):
        return OrgUnitFactory()

    def create(self, unit, by=None, **fields):
        fields.setdefault("full_name", "Nguyễn Văn An")
        fields.setdefault("gender", Gender.MALE)
        fields.setdefault("date_of_birth", D(1980, 3, 15))
        fields.setdefault("education_level", EducationLevel.UNIVERSITY)
        fields.setdefault("code", f"CB-{Official.objects.count() + 1}")
        return services.official_create(
            first_posting={"org_unit": unit, "title": "Chuyên viên", "start_date": D(2020, 1, 1)},
            by=by,
            **fields,
        )

    def test_create_cleans_the_typed_text(self, unit):
        official = self.create(
            unit,
            code="  A-1 ",
            full_name="  Nguyễn   Văn  An ",
            personal_id="042 080 123456",
            phone="+84 912 345 678",
            home_address=" Số 1   Trần Phú ",
        )
        official.refresh_from_db()
        assert (official.code, official.full_name, official.personal_id) == (
            "A-1",
            "Nguyễn Văn An",
            "042080123456",
        )
        assert (official.phone, official.home_address) == ("0912345678", "Số 1 Trần Phú")
        assert official.current_unit == unit

    def test_a_code_is_unique_whatever_its_case(self, unit):
        self.create(unit, code="A-1")
        with pytest.raises(ValidationError) as raised:
            self.create(unit, code=" a-1", full_name="Lê Văn Bình")
        assert "a-1" in raised.value.message_dict["code"][0]
        with pytest.raises(ValidationError) as raised:
            self.create(unit, code="", full_name="Lê Văn Bình")
        assert "code" in raised.value.message_dict
        assert not Official.objects.filter(full_name="Lê Văn Bình").exists()

    def test_an_official_keeps_his_own_code_and_number_on_update(self, unit):
        official = self.create(unit, code="A-1", personal_id="042080123456")
        services.official_update(official=official, code="A-1", full_name="Nguyễn Văn Ân")
        official.refresh_from_db()
        assert official.full_name == "Nguyễn Văn Ân"

    def test_a_profile_rule_is_applied_on_update(self, unit):
        official = self.create(unit)
        with pytest.raises(ValidationError):
            services.official_update(official=official, date_of_birth=D(2020, 1, 1))
        official.refresh_from_db()
        assert official.date_of_birth == D(1980, 3, 15)

    def test_unknown_fields_are_refused(self, unit):
        with pytest.raises(TypeError):
            self.create(unit, current_unit=unit)
        official = self.create(unit)
        with pytest.raises(TypeError):
            services.official_update(official=official, current_unit=unit)

    @pytest.mark.parametrize("role", [Role.VIEWER])
    def test_only_an_officer_writes(self, unit, role):
        viewer = UserFactory(role=role, scope=unit)
        with pytest.raises(PermissionDenied):
            self.create(unit, by=viewer)
        official = self.create(unit)
        with pytest.raises(PermissionDenied):
            services.official_update(official=official, by=viewer, full_name="X")

    def test_an_officer_creates_only_inside_his_scope(self, unit):
        officer = UserFactory(role=Role.OFFICER, scope=unit)
        elsewhere = OrgUnitFactory()
        with pytest.raises(ValidationError) as raised:
            self.create(elsewhere, by=officer)
        assert "phạm vi" in raised.value.message_dict["org_unit"][0]
        position = PositionFactory(org_unit=elsewhere)
        with pytest.raises(ValidationError):
            services.official_create(
                first_posting={"position": position, "title": "", "start_date": D(2020, 1, 1)},
                by=officer,
                full_name="Lê Văn Bình",
                code="B-1",
                education_level=EducationLevel.UNIVERSITY,
                gender=Gender.MALE,
                date_of_birth=D(1980, 3, 15),
            )
        assert self.create(unit, by=officer).current_unit == unit
        assert not Official.objects.filter(full_name="Lê Văn Bình").exists()


class TestPostings:
    @pytest.fixture
    def official(self):
        return OfficialFactory()

    def test_closing_needs_an_end_date_and_leaves_the_posting_open(self, official):
        posting = services.posting_create(
            official=official, org_unit=OrgUnitFactory(), title="A", start_date=D(2020, 1, 1)
        )
        with pytest.raises(ValidationError) as raised:
            services.posting_close(posting=posting, end_date=None)
        assert "Chưa nhập ngày kết thúc" in raised.value.message_dict["end_date"][0]
        posting.refresh_from_db()
        assert posting.end_date is None

    def test_closing_cannot_reopen_a_closed_posting(self, official):
        posting = services.posting_create(
            official=official,
            org_unit=OrgUnitFactory(),
            title="A",
            start_date=D(2020, 1, 1),
            end_date=D(2021, 1, 1),
        )
        with pytest.raises(ValidationError):
            services.posting_close(posting=posting, end_date=None)
        posting.refresh_from_db()
        assert posting.end_date == D(2021, 1, 1)

    def test_a_posting_may_last_a_single_day_after_its_start(self, official):
        posting = services.posting_create(
            official=official,
            org_unit=OrgUnitFactory(),
            title="A",
            start_date=D(2020, 1, 1),
            end_date=D(2020, 1, 2),
        )
        assert posting.end_date == D(2020, 1, 2)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"org_unit": None, "title": "A"}, "org_unit"),
            ({"title": "  "}, "title"),
            ({"start_date": None}, "start_date"),
        ],
    )
    def test_a_posting_needs_a_unit_a_title_and_a_start(self, official, changes, field):
        data = {"org_unit": OrgUnitFactory(), "title": "A", "start_date": D(2020, 1, 1)} | changes
        with pytest.raises(ValidationError) as raised:
            services.posting_create(official=official, **data)
        assert field in raised.value.message_dict
        assert not Posting.objects.exists()

    def test_a_title_is_trimmed(self, official):
        posting = services.posting_create(
            official=official,
            org_unit=OrgUnitFactory(),
            title="  Chuyên viên ",
            start_date=D(2020, 1, 1),
        )
        assert posting.title == "Chuyên viên"

    def test_editing_a_posting_does_not_clash_with_itself(self, official):
        posting = services.posting_create(
            official=official, org_unit=OrgUnitFactory(), title="A", start_date=D(2020, 1, 1)
        )
        services.posting_update(posting=posting, start_date=D(2019, 1, 1), title="B")
        posting.refresh_from_db()
        assert (posting.start_date, posting.title) == (D(2019, 1, 1), "B")

    def test_editing_refuses_a_position_of_another_unit_and_unknown_fields(self, official):
        posting = services.posting_create(
            official=official, org_unit=OrgUnitFactory(), title="A", start_date=D(2020, 1, 1)
        )
        with pytest.raises(ValidationError):
            services.posting_update(posting=posting, position=PositionFactory())
        with pytest.raises(TypeError):
            services.posting_update(posting=posting, official=OfficialFactory())

    def test_a_concurrent_posting_may_overlap_when_edited(self, official):
        unit = OrgUnitFactory()
        services.posting_create(
            official=official, org_unit=unit, title="A", start_date=D(2020, 1, 1)
        )
        other = services.posting_create(
            official=official, org_unit=unit, title="B", start_date=D(2021, 1, 1), is_primary=False
        )
        services.posting_update(posting=other, start_date=D(2020, 6, 1))
        other.refresh_from_db()
        assert other.start_date == D(2020, 6, 1) and not other.is_primary

    def test_deleting_the_current_posting_falls_back_to_the_previous_one(self, official):
        first_unit, second_unit = OrgUnitFactory(), OrgUnitFactory()
        first = services.posting_create(
            official=official,
            org_unit=first_unit,
            title="A",
            start_date=D(2018, 1, 1),
            end_date=D(2019, 12, 31),
        )
        second = services.posting_create(
            official=official, org_unit=second_unit, title="B", start_date=D(2020, 1, 1)
        )
        official.refresh_from_db()
        assert official.current_posting == second
        services.posting_delete(posting=second)
        official.refresh_from_db()
        assert (official.current_posting, official.current_unit) == (first, first_unit)
        services.posting_delete(posting=first)
        official.refresh_from_db()
        assert (official.current_posting, official.current_unit) == (None, None)


class TestWritesKeepTheRecordWhole:
    @pytest.fixture
    def official(self):
        return OfficialFactory()

    def test_dates_out_of_range_are_named_before_any_overlap(self, official):
        unit = OrgUnitFactory()
        services.posting_create(
            official=official, org_unit=unit, title="A", start_date=D(2020, 1, 1)
        )
        with pytest.raises(ValidationError) as raised:
            services.posting_create(
                official=official, org_unit=unit, title="B", start_date=D(1850, 1, 1)
            )
        assert set(raised.value.message_dict) == {"start_date"}
        with pytest.raises(ValidationError) as raised:
            services.posting_create(
                official=official,
                org_unit=unit,
                title="B",
                start_date=D(2019, 1, 1),
                end_date=D(2300, 1, 1),
            )
        assert set(raised.value.message_dict) == {"end_date"}

    @pytest.mark.parametrize(
        "fields",
        [
            {"date_of_birth": D(1850, 1, 1), "status": OfficialStatus.RETIRED},
            {"date_of_birth": None, "party_joined_on": D(1850, 1, 1)},
            {"party_joined_on": None, "party_confirmed_on": D(1850, 1, 1)},
            {"party_joined_on": D(1849, 1, 1), "party_confirmed_on": D(1850, 1, 1)},
        ],
    )
    def test_profile_dates_out_of_range_are_refused(self, fields):
        with pytest.raises(ValidationError) as raised:
            services.official_validate(profile(**fields), today=TODAY)
        named = {
            field for field, day in fields.items() if isinstance(day, dt.date) and day.year < 1900
        }
        assert set(raised.value.message_dict) == named

    def test_messages_name_what_is_missing(self, official):
        with pytest.raises(ValidationError, match="Chưa chọn cơ quan"):
            services.posting_create(official=official, title="A", start_date=D(2020, 1, 1))
        with pytest.raises(ValidationError, match="Chưa nhập chức danh"):
            services.posting_create(
                official=official, org_unit=OrgUnitFactory(), title=" ", start_date=D(2020, 1, 1)
            )

    def test_the_position_and_basis_are_kept(self, official):
        position = PositionFactory(title="Bí thư")
        posting = services.posting_create(
            official=official, position=position, title="", start_date=D(2020, 1, 1), basis="QĐ 1"
        )
        stored = Posting.objects.get(pk=posting.pk)
        assert (stored.position, stored.basis, stored.title) == (position, "QĐ 1", "Bí thư")

    def test_a_title_longer_than_the_field_is_refused(self, official):
        with pytest.raises(ValidationError) as raised:
            services.posting_create(
                official=official,
                org_unit=OrgUnitFactory(),
                title="x" * 300,
                start_date=D(2020, 1, 1),
            )
        assert "title" in raised.value.message_dict
        posting = services.posting_create(
            official=official, org_unit=OrgUnitFactory(), title="A", start_date=D(2020, 1, 1)
        )
        with pytest.raises(ValidationError) as raised:
            services.posting_update(posting=posting, title="x" * 300)
        assert "title" in raised.value.message_dict

    def test_a_posting_of_one_official_leaves_the_others_current_unit(self, official):
        other = OfficialFactory()
        other_unit = OrgUnitFactory()
        services.posting_create(
            official=other, org_unit=other_unit, title="A", start_date=D(2020, 1, 1)
        )
        services.posting_create(
            official=official, org_unit=OrgUnitFactory(), title="B", start_date=D(2021, 1, 1)
        )
        other.refresh_from_db()
        assert other.current_unit == other_unit

    def test_moving_a_posting_to_another_unit_moves_the_current_unit(self, official):
        posting = services.posting_create(
            official=official, org_unit=OrgUnitFactory(), title="A", start_date=D(2020, 1, 1)
        )
        elsewhere = OrgUnitFactory()
        services.posting_update(posting=posting, org_unit=elsewhere)
        official.refresh_from_db()
        assert official.current_unit == elsewhere

    def test_writes_for_an_official_removed_meanwhile_are_refused(self, official):
        posting = services.posting_create(
            official=official, org_unit=OrgUnitFactory(), title="A", start_date=D(2020, 1, 1)
        )
        Official.objects.filter(pk=official.pk).delete()
        with pytest.raises(Official.DoesNotExist):
            services.posting_create(
                official=official, org_unit=OrgUnitFactory(), title="B", start_date=D(2022, 1, 1)
            )
        with pytest.raises(Official.DoesNotExist):
            services.posting_update(posting=posting, title="C")
        with pytest.raises(Official.DoesNotExist):
            services.posting_delete(posting=posting)
        assert not Posting.objects.exists()

    def test_officials_with_different_numbers_do_not_clash(self):
        first = profile(
            code="A-1", personal_id="042080123456", education_level=EducationLevel.UNIVERSITY
        )
        first.full_name = "Nguyễn Văn An"
        services._save_official(first)
        second = profile(
            code="A-2", personal_id="042080654321", education_level=EducationLevel.UNIVERSITY
        )
        second.full_name = "Lê Văn Bình"
        services._save_official(second)
        assert Official.objects.count() == 2

    def test_an_update_returns_the_official_as_saved(self):
        official = services.official_create(
            first_posting={"org_unit": OrgUnitFactory(), "title": "A", "start_date": D(2020, 1, 1)},
            code="A-1",
            full_name="Nguyễn Văn An",
            gender=Gender.MALE,
            date_of_birth=D(1980, 3, 15),
            education_level=EducationLevel.UNIVERSITY,
        )
        updated = services.official_update(official=official, full_name="  Lê   Văn Bình ")
        assert updated.full_name == official.full_name == "Lê Văn Bình"
