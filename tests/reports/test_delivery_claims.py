"""Which delivery a sending claims, and who receives it: the claim takes only its own
period's row and only in a takeable state; inactive users, users without an address and
addresses of domains no longer allowed receive nothing."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule

from accounts.choices import Role
from reports import delivery
from reports.choices import DeliveryStatus
from reports.models import Delivery, Subscription
from tests.factories import UserFactory

D = dt.date
TODAY = D(2022, 12, 31)
PERIOD = {"date_from": D(2020, 10, 1), "date_to": D(2022, 12, 31)}  # this term to date


@pytest.fixture
def subscribe(world, make_official, move, settings):
    settings.REPORT_EMAIL_ALLOWED_DOMAINS = ["example.vn"]
    official = make_official(position=world.positions.a_deputy)
    move(official, world.positions.province_deputy, D(2021, 3, 1))
    schedule = CrontabSchedule.objects.create(minute="0", hour="7")

    def make(name="Tổng hợp", recipients=(), extra_emails="lanhdao@example.vn"):
        sub = Subscription(
            name=name,
            report="rotation_summary",
            scope=world.units.province,
            period_rule="this_term_to_date",
            schedule=schedule,
            extra_emails=extra_emails,
        )
        return delivery.subscription_save(subscription=sub, recipients=list(recipients))

    return make


def row(subscription, **fields):
    return Delivery.objects.create(subscription=subscription, **PERIOD, **fields)


class TestClaim:
    def test_claiming_one_delivery_leaves_the_others_pending(self, subscribe):
        mine, other = subscribe("Của tôi"), subscribe("Của người khác")
        waiting = row(other)
        sent = delivery.subscription_deliver(subscription_id=mine.pk, today=TODAY)
        assert sent.status == DeliveryStatus.SENT and len(mail.outbox) == 1
        waiting.refresh_from_db()
        assert (waiting.status, waiting.attempts, waiting.claimed_at) == (
            DeliveryStatus.PENDING,
            0,
            None,
        )

    @pytest.mark.parametrize(
        ("status", "claimed_seconds_ago", "taken"),
        [
            (DeliveryStatus.PENDING, None, True),
            (DeliveryStatus.FAILED, None, True),
            (DeliveryStatus.SENT, -1, False),  # an old claim does not make a sent row takeable
            (DeliveryStatus.SKIPPED, -1, False),
            (DeliveryStatus.SENDING, 10, False),  # a worker is on it
            (DeliveryStatus.SENDING, -1, True),  # its lease ran out a second ago
        ],
    )
    def test_only_a_takeable_delivery_is_claimed(
        self, subscribe, settings, status, claimed_seconds_ago, taken
    ):
        sub = subscribe()
        claimed_at = None
        if claimed_seconds_ago is not None:
            lease = settings.REPORT_DELIVERY_LEASE_SECONDS
            ago = claimed_seconds_ago if claimed_seconds_ago >= 0 else lease + 1
            claimed_at = timezone.now() - dt.timedelta(seconds=ago)
        existing = row(sub, status=status, claimed_at=claimed_at, attempts=1)
        result = delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        existing.refresh_from_db()
        if taken:
            assert result.status == DeliveryStatus.SENT and len(mail.outbox) == 1
            assert existing.attempts == 2
            assert existing.claimed_at is not None and existing.claimed_at != claimed_at
        else:
            assert result is None and mail.outbox == []
            assert (existing.status, existing.attempts) == (status, 1)

    def test_the_sweep_fails_only_sendings_past_their_lease(self, subscribe, settings):
        lease = dt.timedelta(seconds=settings.REPORT_DELIVERY_LEASE_SECONDS)
        now = timezone.now()
        lost = row(
            subscribe("a"),
            status=DeliveryStatus.SENDING,
            claimed_at=now - lease - dt.timedelta(seconds=1),
        )
        alive = row(
            subscribe("b"),
            status=DeliveryStatus.SENDING,
            claimed_at=now - lease + dt.timedelta(seconds=5),
        )
        pending = row(subscribe("c"))
        assert delivery.deliveries_sweep(now=now) == 1
        assert delivery.deliveries_sweep(now=now) == 0
        for item in (lost, alive, pending):
            item.refresh_from_db()
        assert (lost.status, alive.status, pending.status) == (
            DeliveryStatus.FAILED,
            DeliveryStatus.SENDING,
            DeliveryStatus.PENDING,
        )
        assert "Bộ xử lý nền đã dừng" in lost.note


class TestRecipients:
    def test_inactive_users_and_users_without_an_address_receive_nothing(self, subscribe, world):
        reader = UserFactory(scope=world.units.province, email=" doc@example.vn ")
        no_address = UserFactory(scope=world.units.province, email="")
        locked = UserFactory(scope=world.units.province, email="khoa@example.vn")
        sub = subscribe(recipients=[reader, no_address, locked], extra_emails="")
        locked.is_active = False
        locked.save()
        to, skipped = delivery.delivery_recipients(sub)
        assert to == ["doc@example.vn"]
        assert len(skipped) == 1 and "khóa" in skipped[0]
        sent = delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        assert mail.outbox[0].to == ["doc@example.vn"]
        assert "Không gửi tới 1 người nhận" in sent.note

    def test_a_user_who_left_the_staff_or_the_scope_is_skipped(self, subscribe, world):
        gone = UserFactory(scope=world.units.province, email="di@example.vn")
        moved = UserFactory(scope=world.units.province, email="chuyen@example.vn")
        sub = subscribe(recipients=[gone, moved], extra_emails="lanhdao@example.vn")
        gone.is_staff = False
        gone.save()
        moved.scope = world.units.hu_a
        moved.save()
        to, skipped = delivery.delivery_recipients(sub)
        assert to == ["lanhdao@example.vn"]
        assert len(skipped) == 2

    def test_a_domain_no_longer_allowed_is_skipped(self, subscribe, settings):
        sub = subscribe(extra_emails="lanhdao@example.vn\n\n  ban@example.vn \n")
        assert delivery.recipients_of(sub) == ["ban@example.vn", "lanhdao@example.vn"]
        settings.REPORT_EMAIL_ALLOWED_DOMAINS = ["other.vn"]
        to, skipped = delivery.delivery_recipients(sub)
        assert to == [] and len(skipped) == 2

    def test_a_subscription_nobody_can_receive_fails_with_the_reason(self, subscribe, world):
        no_address = UserFactory(scope=world.units.province, email="")
        sub = subscribe(recipients=[no_address], extra_emails="")
        result = delivery.subscription_deliver(subscription_id=sub.pk, today=TODAY)
        assert result.status == DeliveryStatus.FAILED and mail.outbox == []
        assert "chưa có người nhận" in result.note

    def test_the_same_address_twice_gets_one_email(self, subscribe, world):
        reader = UserFactory(scope=world.units.province, email="doc@example.vn")
        sub = subscribe(recipients=[reader], extra_emails="doc@example.vn")
        assert delivery.recipients_of(sub) == ["doc@example.vn"]

    def test_saving_refuses_recipients_who_may_not_read_the_scope(self, subscribe, world):
        outsider = UserFactory(scope=world.units.hu_a, email="a@example.vn", role=Role.OFFICER)
        with pytest.raises(delivery.ValidationError) as raised:
            subscribe(recipients=[outsider])
        assert "recipients" in raised.value.message_dict


class TestRules:
    def test_a_recipient_covers_the_scope_from_his_own_or_a_higher_unit(self, world):
        province = UserFactory(scope=world.units.province)
        district = UserFactory(scope=world.units.hu_a)
        root = UserFactory(is_superuser=True, scope=None)
        not_staff = UserFactory(scope=world.units.province, is_staff=False)
        assert delivery.recipient_covers_scope(province, world.units.hu_a)
        assert delivery.recipient_covers_scope(district, world.units.hu_a)
        assert not delivery.recipient_covers_scope(district, world.units.province)
        assert delivery.recipient_covers_scope(root, world.units.hu_b)
        assert not delivery.recipient_covers_scope(not_staff, world.units.hu_a)
        assert not delivery.recipient_covers_scope(province, None)

    @pytest.mark.parametrize(
        ("address", "allowed"),
        [
            ("a@example.vn", True),
            ("a@EXAMPLE.VN", True),
            ("a@mail.example.vn", False),
            ("a@example.vn.evil.com", False),
            ("a@", False),
        ],
    )
    def test_only_exactly_the_allowed_domains(self, settings, address, allowed):
        settings.REPORT_EMAIL_ALLOWED_DOMAINS = ["example.vn"]
        assert delivery.address_domain_allowed(address) is allowed

    def test_outside_addresses_are_explained(self, settings):
        settings.REPORT_EMAIL_ALLOWED_DOMAINS = []
        assert "không hợp lệ" in delivery.address_refusal("khong-phai-dia-chi")
        assert "chưa cho phép tên miền nào" in delivery.address_refusal("a@example.vn")
        settings.REPORT_EMAIL_ALLOWED_DOMAINS = ["example.vn", "tinhuy.vn"]
        assert "example.vn, tinhuy.vn" in delivery.address_refusal("a@gmail.com")
        assert delivery.address_refusal("a@tinhuy.vn") is None

    def test_extra_addresses_one_a_line(self):
        assert delivery.extra_addresses(" a@x.vn \n\n b@x.vn") == ["a@x.vn", "b@x.vn"]
        assert delivery.extra_addresses(None) == []

    def test_a_user_is_named_by_full_name_and_login(self):
        named = UserFactory.build(username="an", first_name="An", last_name="Nguyễn")
        assert delivery.user_label(named) in ("An Nguyễn (an)", "Nguyễn An (an)")
        assert delivery.user_label(UserFactory.build(username="ba")) == "ba"
