"""Subscriptions (đăng ký nhận báo cáo): list for everyone; create, edit, pause for officers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from accounts.access import (
    CappedPaginator,
    ClampedPaginationMixin,
    OfficerRequiredMixin,
    StaffRequiredMixin,
    get_scoped_or_404,
)
from config.forms import add_service_error

from . import delivery, periods, registry, selectors
from .choices import AttemptKind, DeliveryStatus
from .filters import SubscriptionFilterSet
from .forms import PARAM_PREFIX
from .forms_subscriptions import SubscriptionForm, schedule_text
from .models import Subscription

STATUS_CSS = {
    DeliveryStatus.SENT: "success",
    DeliveryStatus.SKIPPED: "secondary",
    DeliveryStatus.FAILED: "danger",
    DeliveryStatus.SENDING: "info",
    DeliveryStatus.PENDING: "warning",
}


class SubscriptionListView(StaffRequiredMixin, ClampedPaginationMixin, ListView):
    template_name = "reports/subscription_list.html"
    paginate_by = 25
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.filterset = SubscriptionFilterSet(
            self.request.GET, queryset=selectors.subscription_list(self.request.user)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter=self.filterset, **kwargs)
        titles = {r.code: r.title for r in registry.all_reports()}
        history = selectors.delivery_history(s.last_delivery_id for s in context["object_list"])
        for subscription in context["object_list"]:
            subscription.report_title = titles.get(subscription.report, subscription.report)
            subscription.schedule_text = schedule_text(subscription.schedule)
            subscription.last_history = history.get(subscription.last_delivery_id, [])
            if subscription.last_status:
                status = DeliveryStatus(subscription.last_status)
                subscription.last_status_label = status.label
                subscription.last_status_css = STATUS_CSS.get(status, "secondary")
        return context


class SubscriptionFormMixin(OfficerRequiredMixin):
    template_name = "reports/subscription_form.html"
    form_class = SubscriptionForm
    instance = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        return {
            **kwargs,
            "instance": self.get_instance(),
            "user": self.request.user,
            "report_code": source.get("report"),
        }

    def get_instance(self):
        return Subscription()

    def form_valid(self, form):
        subscription = form.instance
        is_new = subscription.pk is None
        if is_new:
            subscription.created_by = self.request.user
        try:
            with transaction.atomic():
                subscription.schedule = form.schedule()
                delivery.subscription_save(subscription=subscription, recipients=form.recipients())
        except ValidationError as error:
            if is_new:
                subscription.pk = None
            add_service_error(form, error, prefix=PARAM_PREFIX)
            return self.form_invalid(form)
        text = (
            _("Đã thêm đăng ký “%(name)s”: %(schedule)s.")
            if is_new
            else _("Đã lưu thay đổi của đăng ký “%(name)s”: %(schedule)s.")
        )
        messages.success(
            self.request,
            text % {"name": subscription.name, "schedule": schedule_text(subscription.schedule)},
        )
        if form.dropped_recipients:
            messages.warning(
                self.request,
                _("Đã bỏ %(n)d người nhận không còn được xem số liệu của %(scope)s: %(users)s.")
                % {
                    "n": len(form.dropped_recipients),
                    "scope": subscription.scope,
                    "users": ", ".join(delivery.user_label(u) for u in form.dropped_recipients),
                },
            )
        return redirect("subscription_list")


class SubscriptionCreateView(SubscriptionFormMixin, FormView):
    pass


class SubscriptionUpdateView(SubscriptionFormMixin, FormView):
    def get_instance(self):
        if self.instance is None:
            self.instance = get_scoped_or_404(
                Subscription.objects.select_related("scope", "schedule"),
                self.request.user,
                pk=self.kwargs["pk"],
            )
            # The form writes posted values onto the instance; headings keep the saved name.
            self.saved_name = self.instance.name
        return self.instance

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subscription=self.get_instance(), subscription_name=self.saved_name, **kwargs
        )


class SubscriptionToggleView(OfficerRequiredMixin, View):
    """Pause or resume (POST): flips ``is_active`` and the beat task with it."""

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        subscription = get_scoped_or_404(
            Subscription.objects.select_related("schedule"), request.user, pk=pk
        )
        subscription.is_active = not subscription.is_active
        try:
            delivery.subscription_save(subscription=subscription)
        except ValidationError as error:
            messages.error(
                request,
                _("Không đổi được trạng thái của đăng ký “%(name)s”: %(e)s")
                % {"name": subscription.name, "e": " ".join(error.messages)},
            )
            return redirect("subscription_list")
        if subscription.is_active:
            text = _("Đã tiếp tục gửi báo cáo theo đăng ký “%(name)s” (%(schedule)s).")
        else:
            text = _(
                "Đã tạm dừng đăng ký “%(name)s”: báo cáo sẽ không được gửi cho đến khi tiếp tục."
            )
        messages.success(
            request,
            text % {"name": subscription.name, "schedule": schedule_text(subscription.schedule)},
        )
        return redirect("subscription_list")


class SubscriptionSendView(OfficerRequiredMixin, View):
    """ "Gửi ngay" (POST): queue the current period's email now.

    A period already sent is not sent again on a click: the answer is a page asking for
    confirmation; confirmed (``confirm=resend``), the resend is recorded and queued.
    """

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        subscription = get_scoped_or_404(
            Subscription.objects.select_related("scope"), request.user, pk=pk
        )
        today = timezone.localdate()
        answer = delivery.subscription_send_now(
            subscription=subscription,
            user=request.user,
            today=today,
            resend=request.POST.get("confirm") == "resend",
        )
        sent = answer.delivery
        words = {
            "name": subscription.name,
            "period": periods.phrase(sent.date_from, sent.date_to, today),
        }
        if answer.outcome == delivery.SendNow.NEEDS_CONFIRMATION:
            return render(
                request,
                "reports/subscription_send_confirm.html",
                {
                    "subscription": subscription,
                    "delivery": sent,
                    "period": words["period"],
                    "history": selectors.delivery_history([sent.pk]).get(sent.pk, []),
                },
            )
        if answer.outcome == delivery.SendNow.SENDING:
            messages.info(
                request,
                _("Báo cáo “%(name)s” (%(period)s) đang được gửi; không gửi thêm thư.") % words,
            )
        elif answer.outcome == delivery.SendNow.WAITING:
            messages.info(
                request,
                _(
                    "Báo cáo “%(name)s” (%(period)s) đã ở trong hàng đợi gửi; không tạo thêm "
                    "yêu cầu. Kết quả hiện ở cột “Lần gửi gần nhất”."
                )
                % words,
            )
        elif answer.attempt.kind == AttemptKind.RESEND:
            messages.success(
                request,
                _(
                    "Đã ghi nhận yêu cầu gửi lại báo cáo “%(name)s” (%(period)s) và đưa vào "
                    "hàng đợi gửi. Kết quả hiện ở cột “Lần gửi gần nhất”."
                )
                % words,
            )
        else:
            messages.success(
                request,
                _(
                    "Đã đưa báo cáo “%(name)s” (%(period)s) vào hàng đợi gửi. Kết quả hiện ở "
                    "cột “Lần gửi gần nhất”."
                )
                % words,
            )
        return redirect("subscription_list")
