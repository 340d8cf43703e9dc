"""The receiving side's reviews of a rotated cadre (rule 8): who may record them, for which
rotation, year and period, and what a correction changes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.choices import Role
from rotation import services
from rotation.choices import MovementKind, MovementOutcome, ReviewPeriod
from rotation.models import RotationReview
from tests.factories import UserFactory

D = dt.date


@pytest.fixture
def decision(world):
    return services.decision_create(
        number="7-QĐ/TU",
        issued_by=world.units.province,
        title="Luân chuyển cán bộ",
        created_by=world.officer,
    )


@pytest.fixture
def secretary_a(world, make_official):
    return make_official(position=world.positions.a_secretary, since=D(2020, 1, 1))


@pytest.fixture
def secretary_b(world, make_official):
    return make_official(position=world.positions.b_secretary, since=D(2019, 6, 1))


def add(decision, official, position, on=D(2022, 1, 1), term=36):
    return services.movement_add(
        decision=decision,
        official=official,
        kind=MovementKind.ROTATION,
        to_position=position,
        effective_on=on,
        term_months=term,
    )


@pytest.fixture
def rotations(world, decision, secretary_a, secretary_b):
    """Two applied rotations of the same decision, effective 01/01/2022."""
    first = add(decision, secretary_a, world.positions.b_deputy)
    second = add(decision, secretary_b, world.positions.a_deputy)
    services.decision_approve(decision=decision, by=world.approver, signed_on=D(2021, 12, 1))
    return [services.movement_apply(movement=m, today=D(2022, 1, 1)) for m in (first, second)]


@pytest.fixture
def applied(rotations):
    return rotations[0]


def record(movement, period=ReviewPeriod.ANNUAL, year=2022, rating="good", **extra):
    return services.review_record(
        movement=movement, period=period, year=year, rating=rating, **extra
    )


class TestRecord:
    def test_only_an_applied_rotation_is_reviewed(self, world, decision, secretary_a):
        pending = add(decision, secretary_a, world.positions.b_deputy)
        with pytest.raises(ValidationError, match="đã được thi hành"):
            record(pending)
        assert not RotationReview.objects.exists()

    def test_the_text_and_the_recorder_are_kept(self, world, applied):
        review = record(applied, text="Hoàn thành tốt nhiệm vụ.", by=world.officer)
        review.refresh_from_db()
        assert review.text == "Hoàn thành tốt nhiệm vụ."
        assert review.recorded_by == world.officer

    def test_a_viewer_cannot_record_a_review(self, world, applied):
        viewer = UserFactory(scope=world.units.province, role=Role.VIEWER)
        with pytest.raises(PermissionDenied):
            record(applied, by=viewer)
        assert not RotationReview.objects.exists()

    def test_an_unknown_period_is_refused_as_not_chosen(self, applied):
        with pytest.raises(ValidationError, match="Chưa chọn kỳ đánh giá") as caught:
            record(applied, period="monthly")
        assert "period" in caught.value.message_dict

    def test_an_unknown_rating_is_refused(self, applied):
        with pytest.raises(ValidationError) as caught:
            record(applied, rating="brilliant")
        assert "rating" in caught.value.message_dict
        assert not RotationReview.objects.exists()

    def test_the_last_year_of_an_ended_rotation_can_be_reviewed(self, applied):
        services.movement_end(
            movement=applied, outcome=MovementOutcome.RETURNED, ended_on=D(2024, 12, 31)
        )
        assert record(applied, period=ReviewPeriod.FINAL, year=2024).pk
        with pytest.raises(ValidationError, match="trong thời gian luân chuyển") as caught:
            record(applied, year=2025)
        assert "year" in caught.value.message_dict

    def test_the_first_year_of_the_rotation_can_be_reviewed(self, applied):
        assert record(applied, year=2022).pk
        with pytest.raises(ValidationError, match="trong thời gian luân chuyển"):
            record(applied, year=2021)


class TestOncePerPeriod:
    def test_a_second_review_of_the_same_period_and_year_is_refused(self, applied):
        record(applied)
        with pytest.raises(ValidationError, match="Đã có đánh giá"):
            record(applied, rating="excellent")
        assert RotationReview.objects.count() == 1

    def test_each_rotation_has_its_own_reviews(self, rotations):
        for movement in rotations:
            record(movement)
        assert RotationReview.objects.count() == 2

    def test_a_final_review_beside_the_annual_one_of_the_same_year(self, applied):
        record(applied, period=ReviewPeriod.ANNUAL, year=2023)
        record(applied, period=ReviewPeriod.FINAL, year=2023)
        assert RotationReview.objects.filter(movement=applied).count() == 2

    def test_one_annual_review_every_year(self, applied):
        record(applied, year=2022)
        record(applied, year=2023)
        assert sorted(RotationReview.objects.values_list("year", flat=True)) == [2022, 2023]


class TestUpdate:
    def test_a_correction_of_the_rating_is_saved(self, world, applied):
        review = record(applied)
        record(applied, year=2023)
        updated = services.review_update(review=review, rating="excellent", by=world.officer)
        assert updated.rating == "excellent"
        review.refresh_from_db()
        assert review.rating == "excellent"
        assert sorted(RotationReview.objects.values_list("rating", flat=True)) == [
            "excellent",
            "good",
        ]

    def test_the_corrected_review_is_the_one_given(self, applied):
        other = record(applied, year=2022, text="năm đầu")
        review = record(applied, year=2023, text="năm hai")
        services.review_update(review=review, text="năm hai, sửa lại")
        other.refresh_from_db()
        review.refresh_from_db()
        assert (other.text, review.text) == ("năm đầu", "năm hai, sửa lại")

    def test_a_correction_may_move_the_review_to_a_free_year(self, applied):
        review = record(applied, year=2022)
        services.review_update(review=review, year=2023, period=ReviewPeriod.FINAL)
        review.refresh_from_db()
        assert (review.year, review.period) == (2023, ReviewPeriod.FINAL)

    def test_a_correction_keeps_the_rules_of_recording(self, applied):
        review = record(applied, year=2022)
        record(applied, year=2023)
        with pytest.raises(ValidationError, match="trong thời gian luân chuyển"):
            services.review_update(review=review, year=2021)
        with pytest.raises(ValidationError, match="Đã có đánh giá"):
            services.review_update(review=review, year=2023)
        review.refresh_from_db()
        assert review.year == 2022

    def test_a_viewer_cannot_correct_a_review(self, world, applied):
        review = record(applied)
        viewer = UserFactory(scope=world.units.province, role=Role.VIEWER)
        with pytest.raises(PermissionDenied):
            services.review_update(review=review, rating="excellent", by=viewer)
        review.refresh_from_db()
        assert review.rating == "good"

    def test_the_rotation_of_a_review_cannot_be_changed(self, rotations):
        review = record(rotations[0])
        with pytest.raises(TypeError, match="unexpected fields"):
            services.review_update(review=review, movement=rotations[1])
        review.refresh_from_db()
        assert review.movement_id == rotations[0].pk
