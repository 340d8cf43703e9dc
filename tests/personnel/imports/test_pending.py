"""A record to create, held by the import as its values: read like the model instance it
will be, and written from those values."""

import pytest

from personnel.imports.plan import Pending
from personnel.models import Official, Posting
from tests.factories import OfficialFactory


def test_a_field_not_given_reads_as_its_default_and_a_relation_id_as_the_related_pk():
    official = Official(pk=41, code="X")
    posting = Pending(Posting, official=official, title="Chuyên viên")
    assert posting.title == "Chuyên viên"
    assert posting.official_id == 41
    assert posting.end_date is None
    assert posting.is_primary is Posting._meta.get_field("is_primary").default
    assert posting.position_id is None and posting.pk is None
    with pytest.raises(AttributeError):
        posting.no_such_field  # noqa: B018


def test_a_new_official_referred_to_before_it_has_an_id_is_read_when_written():
    official = Pending(Official, code="N1", full_name="Trần Văn Bình")
    posting = Pending(Posting, official=official, title="Chuyên viên")
    assert posting.official_id is None
    official.pk = 7
    assert posting.official_id == 7
    fields = Posting._meta.concrete_fields
    row = dict(zip([f.attname for f in fields], posting.values(fields), strict=True))
    assert row["official_id"] == 7 and row["title"] == "Chuyên viên" and row["id"] is None


@pytest.mark.django_db
def test_built_once_the_instance_carries_the_values_and_its_id_is_the_records():
    stored = OfficialFactory()
    posting = Pending(Posting, official=stored, title="Chuyên viên", org_unit=None)
    instance = posting.build()
    assert isinstance(instance, Posting) and instance.official_id == stored.pk
    assert posting.build() is instance
    instance.pk = 99
    assert posting.pk == 99
