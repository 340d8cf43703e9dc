"""Decisions and their workflow in the REST API (/api/v1/).

Decisions, movements, consultations and rotation reviews: lists and details through
``for_user`` (404 outside the scope), the decisions list with the decisions page's
FilterSet; creating and editing through the services; the workflow steps (request
consultations, answer, approve, cancel, apply the due movements) as POST actions that call
the same services as the buttons of the pages, with the same role and issuer checks.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api import service_call
from accounts.choices import Role
from personnel.api_base import (
    RecordSerializer,
    SaneDateField,
    ScopedRelatedField,
    ServiceSerializer,
)
from personnel.models import Official, OrgUnit, Position, Posting

from . import services, services_apply, services_movements, services_reviews
from .choices import ConsultationOpinion
from .filters import DecisionFilterSet
from .guards import decision_manageable_by
from .models import Consultation, Decision, Movement, RotationReview

# --- decisions ---------------------------------------------------------------------------


class DecisionSerializer(ServiceSerializer):
    issued_by = ScopedRelatedField(queryset=OrgUnit.objects.all())

    update_service = staticmethod(services.decision_update)
    instance_argument = "decision"

    class Meta:
        model = Decision
        fields = [
            "id",
            "number",
            "issued_by",
            "title",
            "signed_on",
            "status",
            "note",
            "is_fait_accompli",
            "missing_consultations",
            "reorganisation",
        ]
        read_only_fields = [
            "status",
            "is_fait_accompli",
            "missing_consultations",
            "reorganisation",
        ]
        extra_kwargs = {"signed_on": {"required": False}}
        validators = []  # the number per issuer is the service's to check

    def create(self, validated):
        return service_call(services.decision_create, created_by=self.user, **validated)


class ApproveSerializer(serializers.Serializer):
    signed_on = SaneDateField(required=False, help_text="Ngày ký (mặc định: hôm nay).")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


ApplyResult = inline_serializer(
    "ApplyResult",
    {
        "applied": serializers.ListField(child=serializers.IntegerField()),
        "not_applied": serializers.ListField(child=serializers.DictField()),
        "not_yet_due": serializers.IntegerField(),
    },
)


def _managed(request, decision: Decision, role: str = Role.OFFICER) -> Decision:
    """A decision the user may act on: the role and the issuer in scope (else 403)."""
    if not request.user.has_role(role) or not decision_manageable_by(request.user, decision):
        raise PermissionDenied(
            _("Cơ quan ban hành quyết định này không thuộc phạm vi quản lý của bạn.")
        )
    return decision


class DecisionViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = Decision.objects.all()
    serializer_class = DecisionSerializer
    filter_backends = []  # the decisions page's FilterSet, applied in get_queryset
    action_roles = {"approve": Role.APPROVER, "cancel": Role.APPROVER}

    def get_queryset(self):
        visible = Decision.objects.for_user(self.request.user).values("pk")
        queryset = Decision.objects.filter(pk__in=visible).select_related("issued_by")
        if self.action != "list":
            return queryset
        filterset = DecisionFilterSet(
            self.request.query_params, queryset=queryset, request=self.request
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs.order_by()

    def perform_update(self, serializer):
        _managed(self.request, serializer.instance)
        serializer.save()

    def _done(self, decision):
        decision.refresh_from_db()
        return Response(DecisionSerializer(decision, context={"request": self.request}).data)

    @extend_schema(request=None, responses=DecisionSerializer)
    @action(detail=True, methods=["post"], url_path="request-consultations")
    def request_consultations(self, request, pk=None):
        decision = _managed(request, self.get_object())
        service_call(services.decision_request_consultations, decision=decision, by=request.user)
        return self._done(decision)

    @extend_schema(request=ApproveSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        decision = _managed(request, self.get_object(), Role.APPROVER)
        form = ApproveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        service_call(
            services.decision_approve,
            decision=decision,
            by=request.user,
            signed_on=form.validated_data.get("signed_on"),
        )
        return self._done(decision)

    @extend_schema(request=CancelSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        decision = _managed(request, self.get_object(), Role.APPROVER)
        form = CancelSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        service_call(
            services.decision_cancel,
            decision=decision,
            by=request.user,
            reason=form.validated_data["reason"],
        )
        return self._done(decision)

    @extend_schema(request=None, responses=ApplyResult)
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Apply the movements whose effective date has come (each in its own transaction)."""
        decision = _managed(request, self.get_object())
        report = service_call(services_apply.decision_apply_due, decision=decision, by=request.user)
        return Response(
            {
                "applied": [outcome.movement.pk for outcome in report.applied],
                "not_applied": [
                    {"movement": o.movement.pk, "status": o.status, "reason": str(o.reason)}
                    for o in report.outcomes
                    if o.not_applied
                ],
                "not_yet_due": report.not_yet_due,
            }
        )


# --- movements ----------------------------------------------------------------------------


class MovementSerializer(ServiceSerializer):
    """Without ``from_posting``, the service takes the posting held the day before."""

    create_service = staticmethod(services_movements.movement_add)
    update_service = staticmethod(services_movements.movement_update)
    instance_argument = "movement"

    decision = ScopedRelatedField(queryset=Decision.objects.all())
    official = ScopedRelatedField(queryset=Official.objects.all())
    to_position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all())
    from_posting = ScopedRelatedField(
        queryset=Posting.objects.all(), required=False, allow_null=True
    )

    fixed_on_update = ("decision", "official")

    class Meta:
        model = Movement
        fields = [
            "id",
            "decision",
            "official",
            *services_movements.MOVEMENT_CHOSEN_FIELDS,
            "from_posting",
            "from_unit",
            "to_unit",
            "direction",
            "expected_end_on",
            "findings",
            "applied_at",
            "new_posting",
            "outcome",
            "ended_on",
        ]
        read_only_fields = [
            "from_unit",
            "to_unit",
            "direction",
            "expected_end_on",
            "findings",
            "applied_at",
            "new_posting",
            "outcome",
            "ended_on",
        ]


class MovementViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = Movement.objects.all()
    serializer_class = MovementSerializer
    filterset_fields = ["decision", "official", "kind", "direction"]

    def get_queryset(self):
        return Movement.objects.for_user(self.request.user).select_related("decision")


# --- consultations and reviews ------------------------------------------------------------


class ConsultationSerializer(RecordSerializer):
    class Meta:
        model = Consultation
        fields = [
            "id",
            "decision",
            "org_unit",
            "role",
            "requested_on",
            "answered_on",
            "opinion",
            "opinion_text",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    opinion = serializers.ChoiceField(choices=ConsultationOpinion.choices)
    opinion_text = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    answered_on = SaneDateField(required=False)


class ConsultationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Consultation.objects.all()
    serializer_class = ConsultationSerializer
    filterset_fields = ["decision", "org_unit", "role"]

    def get_queryset(self):
        return Consultation.objects.for_user(self.request.user)

    @extend_schema(request=AnswerSerializer, responses=ConsultationSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        consultation = self.get_object()
        form = AnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        answered = service_call(
            services.consultation_answer,
            consultation=consultation,
            by=request.user,
            **form.validated_data,
        )
        return Response(ConsultationSerializer(answered, context={"request": request}).data)


class RotationReviewSerializer(ServiceSerializer):
    create_service = staticmethod(services_reviews.review_record)
    update_service = staticmethod(services_reviews.review_update)
    instance_argument = "review"

    movement = ScopedRelatedField(queryset=Movement.objects.all())
    fixed_on_update = ("movement",)

    class Meta:
        model = RotationReview
        fields = ["id", "movement", "period", "year", "rating", "text"]


class RotationReviewViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = RotationReview.objects.all()
    serializer_class = RotationReviewSerializer
    filterset_fields = ["movement", "period", "year"]

    def get_queryset(self):
        visible = Movement.objects.for_user(self.request.user).values("pk")
        return RotationReview.objects.filter(movement__in=visible)


ROUTES = [
    ("decisions", DecisionViewSet, "decision"),
    ("movements", MovementViewSet, "movement"),
    ("consultations", ConsultationViewSet, "consultation"),
    ("reviews", RotationReviewViewSet, "review"),
]
