"""Report runs and their results in the REST API (/api/v1/report-runs/).

Runs of the user's scope (``for_user``: 404 outside it), with their stored result (plain
JSON by construction); reading a finished run's result is audited as on its page. A run
is requested as on the report pages (``report_request``, any staff role: the same request
in flight is answered with that run) and computed by the workers; read it back by its id.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from accounts.api import service_call
from accounts.audit import audit_record
from accounts.choices import Role
from accounts.models import AuditEvent
from personnel.api_base import RecordSerializer, SaneDateField, ScopedRelatedField
from personnel.models import OrgUnit

from . import registry, services
from .choices import RunStatus
from .models import ReportRun


class ReportRunSerializer(RecordSerializer):
    result = serializers.JSONField(read_only=True, allow_null=True)

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "report",
            "scope",
            "date_from",
            "date_to",
            "params",
            "status",
            "result",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class ReportRunListSerializer(ReportRunSerializer):
    class Meta(ReportRunSerializer.Meta):
        fields = [name for name in ReportRunSerializer.Meta.fields if name != "result"]
        read_only_fields = fields


class ReportRequestSerializer(serializers.Serializer):
    """A report of a unit of the scope (with its subunits) over a period."""

    report = serializers.ChoiceField(choices=[], help_text="Mã báo cáo (danh mục báo cáo).")
    scope = ScopedRelatedField(
        queryset=OrgUnit.objects.all(), help_text="Cơ quan, đơn vị (gồm các đơn vị trực thuộc)."
    )
    date_from = SaneDateField()
    date_to = SaneDateField()
    params = serializers.DictField(
        required=False, default=dict, help_text="Tham số riêng của báo cáo; thiếu: mặc định."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [(d.code, d.title) for d in registry.all_reports()]


class ReportRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = ReportRun.objects.all()
    serializer_class = ReportRunSerializer
    filterset_fields = ["report", "scope", "status"]
    write_role = Role.VIEWER  # asking for a report is reading, as on the report pages

    def get_queryset(self):
        queryset = ReportRun.objects.for_user(self.request.user)
        if self.action == "list":
            return queryset.defer("result")
        return queryset

    def get_serializer_class(self):
        # a page of runs without their (large) results: read one run for its result
        if self.action == "create":
            return ReportRequestSerializer
        return ReportRunListSerializer if self.action == "list" else ReportRunSerializer

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportRunListSerializer})
    def create(self, request, *args, **kwargs):
        """Ask for a run: answered at once (202) with the run, queued or already in flight;
        read it back at its address until its status is ``succeeded`` or ``failed``."""
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        run = service_call(
            services.report_request, requested_by=request.user, **form.validated_data
        )
        location = reverse("api:report-run-detail", args=[run.pk])
        return Response(
            ReportRunListSerializer(run, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": location},
        )

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if response.data.get("status") == RunStatus.SUCCEEDED:
            audit_record(
                user=request.user,
                action=AuditEvent.Action.VIEW_REPORT,
                object_type=ReportRun._meta.label,
                object_id=kwargs.get("pk", ""),
                detail=response.data.get("report", ""),
            )
        return response


ROUTES = [("report-runs", ReportRunViewSet, "report-run")]
