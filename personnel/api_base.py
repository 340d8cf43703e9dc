"""What every resource of the REST API is built from: related records chosen within the
user's scope, dates inside the accepted range, serializers that write through a service,
and read views limited to the scope (404 outside it)."""

import re
from collections.abc import Callable

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from accounts.api import service_call

from .dates import is_sane, out_of_range_message

INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges
#: control characters other than tab and line breaks: no form lets them in, and no
#: spreadsheet stores them (an export holding one would fail)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(value) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(_("Không được chứa ký tự điều khiển."))


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
        if issubclass(field_class, serializers.CharField) and "read_only" not in kwargs:
            kwargs["validators"] = [*kwargs.get("validators", []), refuse_control_characters]
        if isinstance(model_field, models.IntegerField) and "read_only" not in kwargs:
            # the column's range on every database (SQLite would store what PostgreSQL refuses)
            low, high = INTEGER_RANGES.get(model_field.get_internal_type(), (None, None))
            if low is not None:
                kwargs["min_value"] = max(kwargs.get("min_value", low), low)
            if high is not None:
                kwargs["max_value"] = min(kwargs.get("max_value", high), high)
        return field_class, kwargs


class ServiceSerializer(RecordSerializer):
    """A resource written through its services, never by ``Model.save``:
    ``create_service(by=user, **fields)`` and
    ``update_service(<instance_argument>=record, by=user, **changes)``; their
    ``ValidationError`` is the API's 400. Set them with ``staticmethod``."""

    create_service: Callable | None = None
    update_service: Callable | None = None
    instance_argument = ""

    @property
    def user(self):
        return self.context["request"].user

    def create(self, validated):
        return service_call(self.create_service, by=self.user, **validated)

    def update(self, record, validated):
        return service_call(
            self.update_service, **{self.instance_argument: record}, by=self.user, **validated
        )


class ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Records of the user's scope only (404 outside it)."""

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)
