"""The records in the REST API (/api/v1/): reference tables, units, positions, officials
and every row of their record.

Reads go through ``for_user`` (404 outside the scope) with the HTML lists' FilterSets;
writes through the services the staff pages call (``official_create``,
``official_update``, ``services_units`` and the record kinds of ``record_kinds``), so the rules,
the role checks and the change history are the same at every door. Viewers get the
personal fields masked; reading an official, or a page of them, is audited.
"""

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from accounts.access import require_role
from accounts.api import Pages, service_call
from accounts.audit import audit_record
from accounts.choices import Role
from accounts.models import AuditEvent

from . import national, services, services_units
from .api_base import (
    RecordSerializer,
    ScopedReadViewSet,
    ScopedRelatedField,
    ServiceSerializer,
)
from .extensions import official_list_filterset
from .filters_units import UnitFilterSet
from .masking import MASKERS, can_see_personal_data
from .models import (
    POST_TYPE_FLAGS,
    Locality,
    Official,
    OrgUnit,
    Position,
    Posting,
    PostType,
    Sector,
)
from .record_kinds import KINDS, LeavesScope, keep_in_scope, scope_message

# --- reference tables and units -----------------------------------------------------------

#: codes are unique: the service checks them (Django's message, in a transaction)
NO_CODE_VALIDATORS = {"code": {"validators": []}}


class ReferenceSerializer(ServiceSerializer):
    """A locality, sector or post type: written by administrators (``reference_*``)."""

    instance_argument = "record"
    update_service = staticmethod(services_units.reference_update)

    def create(self, validated):
        return service_call(
            services_units.reference_create, model=self.Meta.model, by=self.user, **validated
        )


class LocalitySerializer(ReferenceSerializer):
    class Meta:
        model = Locality
        fields = ["id", *services_units.REFERENCE_EDITABLE_FIELDS[Locality]]
        extra_kwargs = NO_CODE_VALIDATORS


class SectorSerializer(ReferenceSerializer):
    class Meta:
        model = Sector
        fields = ["id", *services_units.REFERENCE_EDITABLE_FIELDS[Sector]]
        extra_kwargs = NO_CODE_VALIDATORS


class PostTypeSerializer(ReferenceSerializer):
    class Meta:
        model = PostType
        fields = ["id", *services_units.REFERENCE_EDITABLE_FIELDS[PostType]]
        extra_kwargs = NO_CODE_VALIDATORS


class OrgUnitSerializer(ServiceSerializer):
    parent = ScopedRelatedField(
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        help_text="Cơ quan cấp trên, trong phạm vi quản lý (bắt buộc trừ quản trị toàn hệ thống).",
    )
    successors = serializers.SerializerMethodField()
    predecessors = serializers.SerializerMethodField()

    create_service = staticmethod(services_units.org_unit_create)
    update_service = staticmethod(services_units.org_unit_update)
    instance_argument = "unit"

    class Meta:
        model = OrgUnit
        fields = ["id", *services_units.ORG_UNIT_EDITABLE_FIELDS, "successors", "predecessors"]
        extra_kwargs = NO_CODE_VALIDATORS

    def get_successors(self, unit) -> list[int]:
        return sorted(
            {s.successor_id for s in unit.successions_as_predecessor.all() if s.successor_id}
        )

    def get_predecessors(self, unit) -> list[int]:
        return sorted({s.predecessor_id for s in unit.successions_as_successor.all()})


class PositionSerializer(ServiceSerializer):
    """A position; the flags not given on create are its post type's."""

    org_unit = ScopedRelatedField(queryset=OrgUnit.objects.all())

    create_service = staticmethod(services_units.position_create)
    update_service = staticmethod(services_units.position_update)
    instance_argument = "position"

    class Meta:
        model = Position
        fields = ["id", *services_units.POSITION_EDITABLE_FIELDS]
        extra_kwargs = {name: {"required": False} for name in POST_TYPE_FLAGS}


class ReferenceViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Reference tables, the same for every user; administrators change them."""

    write_role = Role.ADMINISTRATOR


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


class ScopedWriteViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadViewSet):
    """Records of the scope, added and changed by officers through their services."""


class OrgUnitFilterSet(UnitFilterSet):
    """The unit tree page's search (``q`` with or without marks, level, sector, state
    today), and the tree's own keys."""

    class Meta(UnitFilterSet.Meta):
        fields = [*UnitFilterSet.Meta.fields, "parent", "code"]


class OrgUnitViewSet(ScopedWriteViewSet):
    queryset = OrgUnit.objects.select_related("sector").prefetch_related(
        "successions_as_predecessor", "successions_as_successor"
    )
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilterSet


class PositionViewSet(ScopedWriteViewSet):
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


class OfficialSerializer(ServiceSerializer):
    create_service = staticmethod(services.official_create)
    update_service = staticmethod(services.official_update)
    instance_argument = "official"

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
        return super().create({**validated, "first_posting": first})

    def update(self, official, validated):
        if "first_posting" in validated:
            raise ValidationError(
                {"first_posting": _("Chỉ nhập vị trí đầu tiên khi tạo hồ sơ mới.")}
            )
        return super().update(official, validated)


def filtered_officials(request, queryset):
    """``queryset`` filtered by the officials page's FilterSet (400 on a bad filter)."""
    filterset = official_list_filterset()(request.query_params, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs.order_by()


class OfficialPages(Pages):
    """Cursor pages in the order the page's ``sort`` names (``name``, ``date_of_birth``,
    ``code``; ``-`` before it for the reverse), ties by id; the newest first without one."""

    SORTS = {"name": "search_key", "date_of_birth": "date_of_birth", "code": "code"}

    def get_ordering(self, request, queryset, view):
        sort = request.query_params.get("sort", "")
        field = self.SORTS.get(sort.removeprefix("-"))
        if field is None:
            return super().get_ordering(request, queryset, view)
        sign = "-" if sort.startswith("-") else ""
        return (f"{sign}{field}", f"{sign}id")


class OfficialViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Officials of the scope, filtered as on the officials page (``sort``: ``name``,
    ``date_of_birth`` or ``code``, ``-`` for the reverse); never deleted here."""

    queryset = Official.objects.all()
    serializer_class = OfficialSerializer
    pagination_class = OfficialPages
    filter_backends = []  # the officials page's FilterSet, applied in get_queryset

    def get_queryset(self):
        queryset = Official.objects.for_user(self.request.user)
        if self.action != "list":
            return queryset
        return filtered_officials(self.request, queryset)

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


# --- the national records (Decree 27/2026) -------------------------------------------------

_KIND_FIELDS = {
    "text": serializers.CharField,
    "date": serializers.DateField,
    "int": serializers.IntegerField,
    "bool": serializers.BooleanField,
}


def _group_serializer(group: national.Group) -> serializers.Serializer:
    fields = {
        column.key: _KIND_FIELDS[column.kind](
            read_only=True, allow_null=True, help_text=str(column.label)
        )
        for column in group.columns
    }
    name = "National" + "".join(part.title() for part in group.key.split("_"))
    serializer = type(name, (serializers.Serializer,), fields)
    return serializer(
        many=group.is_list, read_only=True, help_text=f"{group.number}. {group.title}"
    )


NationalRecordSerializer = type(
    "NationalRecord",
    (serializers.Serializer,),
    {
        "__doc__": "A record of the national database, keyed by the personal identification number.",
        "personal_id": serializers.CharField(read_only=True, help_text=str(national.KEY_LABEL)),
        **{group.key: _group_serializer(group) for group in national.GROUPS},
    },
)


class NationalPages(Pages):
    ordering = "personal_id"


class NationalRecordViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The officials of the scope (filtered as on the officials page) as records of the
    national database of cadres and civil servants (Decree 27/2026/NĐ-CP), in its field
    order and keyed by the personal identification number (officials without one have no
    record here). The personal data is whole: officers and above; each page is audited."""

    serializer_class = NationalRecordSerializer
    pagination_class = NationalPages
    filter_backends = []

    def get_queryset(self):
        officials = filtered_officials(self.request, Official.objects.for_user(self.request.user))
        return national.keyed(officials)

    def list(self, request, *args, **kwargs):
        require_role(request.user, Role.OFFICER)
        page = self.paginate_queryset(self.get_queryset())
        data = national.records(page)
        audit_record(
            user=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type=Official._meta.label,
            detail=f"api national: {len(data)}",
        )
        return self.get_paginated_response(data)


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


class RowViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The rows of the officials of the scope, filtered by official."""

    filterset_fields = ["official"]

    def get_queryset(self):
        return self.queryset.for_user(self.request.user).order_by("-id")


def _row_viewset(slug: str, **extra) -> type[RowViewSet]:
    """The viewset of one kind of row (``KINDS[slug]``): its model and the fields its
    services write."""
    kind = KINDS[slug]
    name = kind.model.__name__
    meta = type(
        "Meta", (), {"model": kind.model, "fields": ["id", "official", *sorted(kind.editable)]}
    )
    serializer = type(f"{name}Serializer", (RowSerializer,), {"Meta": meta, "kind_slug": slug})
    attributes = {"queryset": kind.model.objects.all(), "serializer_class": serializer, **extra}
    return type(f"{name}ViewSet", (RowViewSet,), attributes)


PostingViewSet = _row_viewset(
    "posting", filterset_fields=["official", "org_unit", "position", "is_primary"]
)
TrainingViewSet = _row_viewset("training")
EvaluationViewSet = _row_viewset("evaluation", filterset_fields=["official", "year"])
PlanningViewSet = _row_viewset("planning")
DisciplineViewSet = _row_viewset("discipline")
RewardViewSet = _row_viewset("reward")

ROUTES = [
    ("localities", LocalityViewSet, "locality"),
    ("sectors", SectorViewSet, "sector"),
    ("post-types", PostTypeViewSet, "post-type"),
    ("org-units", OrgUnitViewSet, "org-unit"),
    ("positions", PositionViewSet, "position"),
    ("officials", OfficialViewSet, "official"),
    ("national-records", NationalRecordViewSet, "national-record"),
    ("postings", PostingViewSet, "posting"),
    ("training", TrainingViewSet, "training"),
    ("evaluations", EvaluationViewSet, "evaluation"),
    ("planning", PlanningViewSet, "planning"),
    ("discipline", DisciplineViewSet, "discipline"),
    ("rewards", RewardViewSet, "reward"),
]
