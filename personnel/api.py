"""The records in the REST API (/api/v1/): reference tables, units, positions, officials
and every row of their record.

Reads go through ``for_user`` (404 outside the scope) with the HTML lists' FilterSets;
writes through the services the staff pages call (``official_create``,
``official_update``, and the record kinds of ``views.official_records``), so the rules,
the role checks and the change history are the same at every door. Viewers get the
personal fields masked; reading an official, or a page of them, is audited.
"""

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from accounts.api import service_call
from accounts.audit import audit_record
from accounts.models import AuditEvent

from . import services
from .dates import is_sane, out_of_range_message
from .extensions import official_list_filterset
from .masking import MASKERS, can_see_personal_data
from .models import (
    Evaluation,
    Locality,
    Official,
    OrgUnit,
    PlanningEntry,
    Position,
    Posting,
    PostType,
    Sector,
    TrainingRecord,
)
from .models_discipline import Discipline, Reward
from .services_record import (
    DISCIPLINE_EDITABLE_FIELDS,
    EVALUATION_EDITABLE_FIELDS,
    PLANNING_EDITABLE_FIELDS,
    REWARD_EDITABLE_FIELDS,
    TRAINING_EDITABLE_FIELDS,
)
from .views.official_records import KINDS, LeavesScope, keep_in_scope, scope_message

# --- fields -------------------------------------------------------------------------------


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record by id, chosen among those in the requesting user's scope: one
    outside it reads as "does not exist", as on the pages."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return queryset.for_user(request.user if request else None)


class SaneDateField(serializers.DateField):
    """A date inside the accepted range (years 1 and 9999 refused with the pages' message)."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not is_sane(day):
            raise ValidationError(out_of_range_message())
        return day


class RecordSerializer(serializers.ModelSerializer):
    """Model fields as DRF maps them, with dates kept inside the accepted range; the
    ``fixed_on_update`` fields (whose record it is) are given on create only."""

    fixed_on_update: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        fields.update(self.replaced_fields(fields))
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in self.fixed_on_update:
                fields[name].read_only = True
        return fields

    def replaced_fields(self, fields) -> dict:
        """Fields built otherwise than from the model (scoped choices)."""
        return {}

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.DateField:
            field_class = SaneDateField
        return field_class, kwargs


# --- reference tables and units -----------------------------------------------------------


class LocalitySerializer(RecordSerializer):
    class Meta:
        model = Locality
        fields = ["id", "code", "name", "level", "parent", "valid_from", "valid_to"]


class SectorSerializer(RecordSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name"]


class PostTypeSerializer(RecordSerializer):
    class Meta:
        model = PostType
        fields = [
            "id",
            "code",
            "name",
            "level",
            "kind",
            "is_key",
            "requires_non_local",
            "two_term_limited",
            "management_tier",
        ]


class OrgUnitSerializer(RecordSerializer):
    successors = serializers.SerializerMethodField()
    predecessors = serializers.SerializerMethodField()

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "level",
            "sector",
            "locality",
            "parent",
            "valid_from",
            "valid_to",
            "successors",
            "predecessors",
        ]

    def get_successors(self, unit) -> list[int]:
        return sorted(
            {s.successor_id for s in unit.successions_as_predecessor.all() if s.successor_id}
        )

    def get_predecessors(self, unit) -> list[int]:
        return sorted({s.predecessor_id for s in unit.successions_as_successor.all()})


class PositionSerializer(RecordSerializer):
    class Meta:
        model = Position
        fields = [
            "id",
            "org_unit",
            "post_type",
            "title",
            "kind",
            "is_key",
            "requires_non_local",
            "management_tier",
            "is_active",
        ]


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference tables, the same for every user (kept by administrators in Django admin)."""


class LocalityViewSet(ReferenceViewSet):
    queryset = Locality.objects.all()
    serializer_class = LocalitySerializer
    filterset_fields = ["level", "parent", "code"]


class SectorViewSet(ReferenceViewSet):
    queryset = Sector.objects.all()
    serializer_class = SectorSerializer


class PostTypeViewSet(ReferenceViewSet):
    queryset = PostType.objects.all()
    serializer_class = PostTypeSerializer
    filterset_fields = ["level", "kind", "is_key"]


class ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Records of the user's scope only (404 outside it)."""

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)


class OrgUnitViewSet(ScopedReadViewSet):
    queryset = OrgUnit.objects.select_related("sector").prefetch_related(
        "successions_as_predecessor", "successions_as_successor"
    )
    serializer_class = OrgUnitSerializer
    filterset_fields = ["level", "sector", "parent", "code"]


class PositionViewSet(ScopedReadViewSet):
    queryset = Position.objects.all()
    serializer_class = PositionSerializer
    filterset_fields = ["org_unit", "post_type", "kind", "is_key", "is_active"]


# --- officials ---------------------------------------------------------------------------


class FirstPostingSerializer(RecordSerializer):
    position = ScopedRelatedField(queryset=Position.objects.all(), required=False, allow_null=True)
    org_unit = ScopedRelatedField(queryset=OrgUnit.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Posting
        fields = ["position", "org_unit", "title", "start_date", "basis"]
        extra_kwargs = {"title": {"required": False}}


#: the profile fields the services write, in the model's order
OFFICIAL_FIELDS = [
    field.name
    for field in Official._meta.concrete_fields
    if field.name in services.OFFICIAL_EDITABLE_FIELDS
]


class OfficialSerializer(RecordSerializer):
    first_posting = FirstPostingSerializer(
        write_only=True,
        required=False,
        help_text="Vị trí công tác đầu tiên (chỉ khi tạo mới): đặt hồ sơ vào phạm vi quản lý.",
    )

    class Meta:
        model = Official
        fields = ["id", *OFFICIAL_FIELDS, "current_unit", "current_posting", "first_posting"]
        read_only_fields = ["current_unit", "current_posting"]
        # Uniqueness is the service's to check (with its own message, in a transaction).
        extra_kwargs = {"code": {"validators": []}, "personal_id": {"validators": []}}

    def to_representation(self, official):
        data = super().to_representation(official)
        request = self.context.get("request")
        if request is not None and not can_see_personal_data(request.user):
            for name, mask in MASKERS.items():
                data[name] = mask(data.get(name) or "")
        return data

    def create(self, validated):
        first = validated.pop("first_posting", None)
        if first is not None:
            first.setdefault("title", first["position"].title if first.get("position") else "")
        return service_call(
            services.official_create,
            first_posting=first,
            by=self.context["request"].user,
            **validated,
        )

    def update(self, official, validated):
        if "first_posting" in validated:
            raise ValidationError(
                {"first_posting": _("Chỉ nhập vị trí đầu tiên khi tạo hồ sơ mới.")}
            )
        return service_call(
            services.official_update,
            official=official,
            by=self.context["request"].user,
            **validated,
        )


class OfficialViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Officials of the scope, filtered as on the officials page; never deleted here."""

    queryset = Official.objects.all()
    serializer_class = OfficialSerializer
    filter_backends = []  # the officials page's FilterSet, applied in get_queryset

    def get_queryset(self):
        queryset = Official.objects.for_user(self.request.user)
        if self.action != "list":
            return queryset
        filterset = official_list_filterset()(
            self.request.query_params, queryset=queryset, request=self.request
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs.order_by()

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(
            user=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type=Official._meta.label,
            detail=f"api: {len(response.data.get('results', []))}",
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit_record(
            user=request.user,
            action=AuditEvent.Action.VIEW_PROFILE,
            object_type=Official._meta.label,
            object_id=kwargs.get("pk", ""),
            detail="api",
        )
        return response


# --- the rows of a record ------------------------------------------------------------------


class RowSerializer(RecordSerializer):
    """One row of an official's record; ``kind`` (``KINDS``) names its services."""

    kind_slug: str = ""

    fixed_on_update = ("official",)

    def replaced_fields(self, fields) -> dict:
        replaced = {"official": ScopedRelatedField(queryset=Official.objects.all())}
        for name, model in (("position", Position), ("org_unit", OrgUnit)):
            if name in fields:
                replaced[name] = ScopedRelatedField(
                    queryset=model.objects.all(), required=False, allow_null=True
                )
        return replaced

    def _write(self, run):
        kind = KINDS[self.kind_slug]
        user = self.context["request"].user
        try:
            with transaction.atomic():
                row = service_call(run, by=user)
                if kind.guard_scope:
                    keep_in_scope(user, row.official_id)
        except LeavesScope:
            raise ValidationError({"non_field_errors": [scope_message()]}) from None
        except (ProtectedError, RestrictedError):
            raise ValidationError(
                {"non_field_errors": [_("Bản ghi đang được tham chiếu, không sửa được.")]}
            ) from None
        return row

    def create(self, validated):
        kind = KINDS[self.kind_slug]
        official = validated.pop("official")
        return self._write(lambda by: kind.create(official=official, by=by, **validated))

    def update(self, row, validated):
        kind = KINDS[self.kind_slug]
        return self._write(lambda by: kind.update(row, by=by, **validated))


def _row_serializer(slug: str, model, editable) -> type[RowSerializer]:
    meta = type("Meta", (), {"model": model, "fields": ["id", "official", *sorted(editable)]})
    name = f"{model.__name__}Serializer"
    return type(name, (RowSerializer,), {"Meta": meta, "kind_slug": slug})


class RowViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The rows of the officials of the scope, filtered by official."""

    filterset_fields = ["official"]

    def get_queryset(self):
        return self.queryset.for_user(self.request.user).order_by("-id")


def _row_viewset(slug: str, model, editable, **extra) -> type[RowViewSet]:
    attributes = {
        "queryset": model.objects.all(),
        "serializer_class": _row_serializer(slug, model, editable),
        **extra,
    }
    return type(f"{model.__name__}ViewSet", (RowViewSet,), attributes)


PostingViewSet = _row_viewset(
    "posting",
    Posting,
    services.POSTING_EDITABLE_FIELDS,
    filterset_fields=["official", "org_unit", "position", "is_primary"],
)
TrainingViewSet = _row_viewset("training", TrainingRecord, TRAINING_EDITABLE_FIELDS)
EvaluationViewSet = _row_viewset(
    "evaluation", Evaluation, EVALUATION_EDITABLE_FIELDS, filterset_fields=["official", "year"]
)
PlanningViewSet = _row_viewset("planning", PlanningEntry, PLANNING_EDITABLE_FIELDS)
DisciplineViewSet = _row_viewset("discipline", Discipline, DISCIPLINE_EDITABLE_FIELDS)
RewardViewSet = _row_viewset("reward", Reward, REWARD_EDITABLE_FIELDS)

ROUTES = [
    ("localities", LocalityViewSet, "locality"),
    ("sectors", SectorViewSet, "sector"),
    ("post-types", PostTypeViewSet, "post-type"),
    ("org-units", OrgUnitViewSet, "org-unit"),
    ("positions", PositionViewSet, "position"),
    ("officials", OfficialViewSet, "official"),
    ("postings", PostingViewSet, "posting"),
    ("training", TrainingViewSet, "training"),
    ("evaluations", EvaluationViewSet, "evaluation"),
    ("planning", PlanningViewSet, "planning"),
    ("discipline", DisciplineViewSet, "discipline"),
    ("rewards", RewardViewSet, "reward"),
]
