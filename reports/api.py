"""Report runs and their results in the REST API (/api/v1/report-runs/).

Runs of the user's scope (``for_user``: 404 outside it), with their stored result (plain
JSON by construction); reading a finished run's result is audited as on its page. Runs
are requested on the report pages (and by subscriptions); the API reads them.
"""

from rest_framework import serializers, viewsets

from accounts.audit import audit_record
from accounts.models import AuditEvent
from personnel.api_base import RecordSerializer

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


class ReportRunViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ReportRun.objects.all()
    serializer_class = ReportRunSerializer
    filterset_fields = ["report", "scope", "status"]

    def get_queryset(self):
        queryset = ReportRun.objects.for_user(self.request.user)
        if self.action == "list":
            return queryset.defer("result")
        return queryset

    def get_serializer_class(self):
        # a page of runs without their (large) results: read one run for its result
        return ReportRunListSerializer if self.action == "list" else ReportRunSerializer

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
