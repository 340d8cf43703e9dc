import pytest

from personnel.models import OrgUnit
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def test_subtree_is_one_query_and_follows_moves(django_assert_num_queries):
    province = OrgUnitFactory(name="Tỉnh ủy")
    district = OrgUnitFactory(parent=province)
    commune = OrgUnitFactory(parent=district)
    other = OrgUnitFactory(parent=province)
    with django_assert_num_queries(1):
        assert set(OrgUnit.objects.subtree_of(district)) == {district, commune}
    district.parent = other
    district.save()
    commune.refresh_from_db()
    assert commune.is_descendant_of(other)
    assert set(OrgUnit.objects.subtree_of(other)) == {other, district, commune}


def test_a_unit_cannot_move_under_its_own_descendant():
    parent = OrgUnitFactory()
    child = OrgUnitFactory(parent=parent)
    parent.parent = child
    with pytest.raises(ValueError):
        parent.save()
