"""The subscription form: report, scope, period, parameters, recipients and a simple schedule.

The schedule is asked as a frequency (monthly on day N / weekly on a weekday / daily)
at an hour, and stored as a django-celery-beat crontab in the project's time zone.
A crontab set up in admin that these fields cannot express is kept unless changed.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_celery_beat.models import CrontabSchedule

from config.forms import BootstrapFormMixin, add_service_error
from personnel.validity import valid_on_q

from . import delivery, registry
from .forms import PARAM_PREFIX, clean_param_fields, param_fields, scope_field
from .models import Subscription


class Frequency:
    MONTHLY = "monthly"
    WEEKLY = "weekly"
    DAILY = "daily"
    KEEP = "keep"

    CHOICES = [
        (MONTHLY, gettext_lazy("Hằng tháng")),
        (WEEKLY, gettext_lazy("Hằng tuần")),
        (DAILY, gettext_lazy("Hằng ngày")),
    ]


# Crontab weekdays: 0 is Sunday.
WEEKDAYS = [
    ("1", gettext_lazy("Thứ Hai")),
    ("2", gettext_lazy("Thứ Ba")),
    ("3", gettext_lazy("Thứ Tư")),
    ("4", gettext_lazy("Thứ Năm")),
    ("5", gettext_lazy("Thứ Sáu")),
    ("6", gettext_lazy("Thứ Bảy")),
    ("0", gettext_lazy("Chủ nhật")),
]
HOURS = [(str(h), f"{h:02d}:00") for h in range(24)]
LAST_SAFE_DAY = 28  # every month has it
DEFAULT_REPORT = "rotation_summary"


def schedule_fields(crontab: CrontabSchedule | None) -> dict | None:
    """The simple fields a crontab corresponds to, or None if they cannot express it."""
    if crontab is None:
        return None
    hour, dom, dow = crontab.hour, crontab.day_of_month, crontab.day_of_week
    simple = (
        crontab.minute == "0"
        and crontab.month_of_year == "*"
        and hour.isascii()
        and hour.isdigit()
        and int(hour) < 24
        and str(crontab.timezone) == settings.TIME_ZONE
    )
    if not simple:
        return None
    if dow == "*" and dom.isascii() and dom.isdigit() and 1 <= int(dom) <= LAST_SAFE_DAY:
        return {"frequency": Frequency.MONTHLY, "day_of_month": int(dom), "hour": hour}
    if dom == "*" and dow in {code for code, _label in WEEKDAYS}:
        return {"frequency": Frequency.WEEKLY, "weekday": dow, "hour": hour}
    if dom == "*" and dow == "*":
        return {"frequency": Frequency.DAILY, "hour": hour}
    return None


def schedule_text(crontab: CrontabSchedule | None) -> str:
    """The schedule as a person says it: "Ngày 1 hằng tháng, lúc 07:00"."""
    fields = schedule_fields(crontab)
    if fields is None:
        if crontab is None:
            return "—"
        return _("Lịch riêng (crontab: %(c)s)") % {
            "c": " ".join(
                [
                    crontab.minute,
                    crontab.hour,
                    crontab.day_of_month,
                    crontab.month_of_year,
                    crontab.day_of_week,
                ]
            )
        }
    at = f"{int(fields['hour']):02d}:00"
    if fields["frequency"] == Frequency.MONTHLY:
        return _("Ngày %(d)d hằng tháng, lúc %(at)s") % {"d": fields["day_of_month"], "at": at}
    if fields["frequency"] == Frequency.WEEKLY:
        day = dict(WEEKDAYS)[fields["weekday"]]
        return _("%(day)s hằng tuần, lúc %(at)s") % {"day": day, "at": at}
    return _("Hằng ngày, lúc %(at)s") % {"at": at}


def crontab_for(*, frequency: str, hour: str, day_of_month=None, weekday=None) -> CrontabSchedule:
    """The crontab of a simple schedule, shared by every subscription using it."""
    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour=str(int(hour)),
        day_of_month=str(day_of_month) if frequency == Frequency.MONTHLY else "*",
        month_of_year="*",
        day_of_week=str(weekday) if frequency == Frequency.WEEKLY else "*",
        timezone=settings.TIME_ZONE,
    )
    return schedule


class RecipientsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} <{obj.email}>"


def selectable_recipients(user, scope=None):
    """Active staff users with an email whom ``user`` may pick: those within their scope.

    With ``scope`` (the report's), only those who may receive it: their own scope is
    that unit or one above it (``delivery.recipient_covers_scope``) or they are superusers.
    """
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .select_related("scope")
    )
    if not user.is_superuser:
        editor_scope = getattr(user, "scope", None)
        if editor_scope is None or not user.is_active:
            return users.none()
        users = users.filter(scope__path__startswith=editor_scope.path)
    if scope is not None:
        covering = [*scope.ancestor_ids(), scope.pk]
        users = users.filter(
            Q(is_superuser=True)
            | (Q(scope_id__in=covering) & valid_on_q(timezone.localdate(), "scope__"))
        )
    return users.order_by("username")


def extra_emails_help() -> str:
    allowed = ", ".join(settings.REPORT_EMAIL_ALLOWED_DOMAINS)
    if not allowed:
        return _(
            "Quản trị viên chưa cho phép gửi báo cáo ra ngoài hệ thống: hãy để trống và chọn "
            "người nhận trong hệ thống."
        )
    return _("Mỗi dòng một địa chỉ; chỉ nhận địa chỉ thuộc các tên miền: %(allowed)s.") % {
        "allowed": allowed
    }


class SubscriptionForm(BootstrapFormMixin, forms.ModelForm):
    report = forms.ChoiceField(label=gettext_lazy("Báo cáo"))
    frequency = forms.ChoiceField(label=gettext_lazy("Tần suất gửi"), choices=Frequency.CHOICES)
    day_of_month = forms.IntegerField(
        label=gettext_lazy("Ngày trong tháng"),
        required=False,
        min_value=1,
        max_value=LAST_SAFE_DAY,
        help_text=gettext_lazy("Từ 1 đến 28, để tháng nào cũng gửi; dùng khi gửi hằng tháng."),
        error_messages={
            key: gettext_lazy("Ngày gửi trong tháng phải là số từ 1 đến 28.")
            for key in ("invalid", "min_value", "max_value")
        },
    )
    weekday = forms.ChoiceField(
        label=gettext_lazy("Thứ trong tuần"),
        required=False,
        choices=[("", "—"), *WEEKDAYS],
        help_text=gettext_lazy("Dùng khi gửi hằng tuần."),
    )
    hour = forms.ChoiceField(
        label=gettext_lazy("Giờ gửi"),
        choices=HOURS,
        initial="7",
        help_text=gettext_lazy("Giờ Việt Nam; báo cáo được tính và gửi lúc này."),
    )

    class Meta:
        model = Subscription
        fields = [
            "name",
            "report",
            "scope",
            "period_rule",
            "recipients",
            "extra_emails",
            "attach_xlsx",
            "attach_csv",
            "skip_if_empty",
        ]
        labels = {"name": gettext_lazy("Tên đăng ký")}
        widgets = {"extra_emails": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "name": gettext_lazy("Ví dụ: Tổng hợp luân chuyển hằng tháng gửi Thường trực Tỉnh ủy."),
            "period_rule": gettext_lazy(
                "Kỳ số liệu tính tại ngày gửi; ví dụ “Tháng trước” gửi ngày 1/5 là số liệu tháng 4."
            ),
        }

    def __init__(self, *args, user, report_code: str | None = None, **kwargs):
        instance = kwargs.get("instance")
        code = report_code or (instance.report if instance and instance.pk else None)
        reports = registry.all_reports()
        if code not in {r.code for r in reports}:
            code = (
                DEFAULT_REPORT if DEFAULT_REPORT in {r.code for r in reports} else reports[0].code
            )
        self.definition = registry.get(code)
        self.selectable = selectable_recipients(user)
        # Shown: the users who may receive the saved scope's report; accepted on POST:
        # anyone the editor may pick, so that a wrong pick is refused by name.
        saved_scope = instance.scope if instance and instance.pk else None
        shown = (
            self.selectable
            if args or "data" in kwargs
            else (selectable_recipients(user, saved_scope))
        )
        self.base_fields = {
            **type(self).base_fields,
            "scope": scope_field(user),
            "recipients": RecipientsField(
                queryset=shown,
                required=False,
                label=gettext_lazy("Người nhận trong hệ thống"),
                help_text=gettext_lazy(
                    "Người dùng có địa chỉ thư điện tử trong phạm vi của bạn, có phạm vi quản lý "
                    "là đơn vị của báo cáo hoặc đơn vị cấp trên; giữ phím Ctrl để chọn nhiều người."
                ),
                widget=forms.SelectMultiple(attrs={"size": 8}),
            ),
            **param_fields(self.definition),
        }
        super().__init__(*args, **kwargs)
        self.fields["extra_emails"].help_text = extra_emails_help()
        self.fields["report"].choices = [(r.code, r.title) for r in reports]
        self.fields["report"].initial = code
        self.kept_schedule = None
        if self.instance.pk:
            self._initial_from_instance()
        # Recipients chosen by someone with a wider scope stay, and are listed apart.
        self.hidden_recipients = (
            list(
                self.instance.recipients.exclude(pk__in=self.selectable.values("pk"))
                .select_related("scope")
                .order_by("username")
            )
            if self.instance.pk
            else []
        )
        self.dropped_recipients: list = []

    def _initial_from_instance(self):
        for name, value in (self.instance.params or {}).items():
            if PARAM_PREFIX + name in self.fields:
                self.initial[PARAM_PREFIX + name] = value
        fields = schedule_fields(self.instance.schedule)
        if fields is None:
            # An admin-made crontab: offer to keep it, as the default.
            self.kept_schedule = self.instance.schedule
            self.fields["frequency"].choices = [
                (
                    Frequency.KEEP,
                    _("Giữ lịch hiện tại: %(s)s") % {"s": schedule_text(self.kept_schedule)},
                ),
                *Frequency.CHOICES,
            ]
            self.initial["frequency"] = Frequency.KEEP
        else:
            self.initial.update(fields)

    def param_bound_fields(self):
        return [self[PARAM_PREFIX + p.name] for p in self.definition.params]

    def clean(self):
        data = super().clean()
        frequency = data.get("frequency")
        missing_day = frequency == Frequency.MONTHLY and not data.get("day_of_month")
        if missing_day and "day_of_month" not in self.errors:
            self.add_error("day_of_month", _("Chọn ngày gửi trong tháng (từ 1 đến 28)."))
        if frequency == Frequency.WEEKLY and not data.get("weekday"):
            self.add_error("weekday", _("Chọn thứ gửi trong tuần."))
        data["params"] = clean_param_fields(self, self.definition)
        self._drop_hidden_recipients_out_of_scope()
        nobody = not data.get("recipients") and not self.hidden_recipients
        if nobody and not delivery.extra_addresses(data.get("extra_emails", "")):
            self.add_error(
                "recipients",
                _("Chọn ít nhất một người nhận hoặc nhập một địa chỉ thư điện tử khác."),
            )
        return data

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        self.instance.params = self.cleaned_data["params"]
        try:
            delivery.subscription_validate(self.instance, recipients=self.recipients())
        except ValidationError as error:
            add_service_error(self, error, prefix=PARAM_PREFIX)

    def _drop_hidden_recipients_out_of_scope(self):
        # The editor cannot see, hence cannot remove, recipients outside their own scope:
        # those who may no longer receive the report (its scope changed, or theirs) are
        # dropped and named in the confirmation instead of blocking the save.
        scope = self.cleaned_data.get("scope")
        if scope is None:  # the scope field has its own error
            return
        kept = [u for u in self.hidden_recipients if delivery.recipient_covers_scope(u, scope)]
        self.dropped_recipients = [u for u in self.hidden_recipients if u not in kept]
        self.hidden_recipients = kept

    def schedule(self) -> CrontabSchedule:
        """The crontab chosen (created if needed); call inside the saving transaction."""
        data = self.cleaned_data
        if data["frequency"] == Frequency.KEEP and self.kept_schedule is not None:
            return self.kept_schedule
        return crontab_for(
            frequency=data["frequency"],
            hour=data["hour"],
            day_of_month=data.get("day_of_month"),
            weekday=data.get("weekday"),
        )

    def recipients(self) -> list:
        return [*self.cleaned_data["recipients"], *self.hidden_recipients]
