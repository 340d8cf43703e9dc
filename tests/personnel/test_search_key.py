import pytest

from personnel.models import Official
from personnel.text import fold_vietnamese
from tests.factories import OfficialFactory


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Nguyễn Văn A", "nguyen van a"),
        ("Đặng Thị Ánh Tuyết", "dang thi anh tuyet"),
        ("  Lê   Đức  Thọ ", "le duc tho"),
        ("Huỳnh Ngọc Ẩn", "huynh ngoc an"),
        ("Trương Quốc Khánh", "truong quoc khanh"),
    ],
)
def test_fold_removes_diacritics_and_maps_d_stroke(text, key):
    assert fold_vietnamese(text) == key


@pytest.mark.django_db
def test_search_finds_accented_name_by_unaccented_query():
    target = OfficialFactory(full_name="Nguyễn Văn A")
    dang = OfficialFactory(full_name="Đặng Văn Bình")
    OfficialFactory(full_name="Trần Thị Cúc")
    assert list(Official.objects.search("nguyen van a")) == [target]
    assert list(Official.objects.search("dang")) == [dang]
    assert list(Official.objects.search("ĐẶNG")) == [dang]
    assert list(Official.objects.search(target.code)) == [target]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["nguyen dung", "dung nguyen", "Dũng NGUYỄN", "van  dung"])
def test_search_takes_words_in_any_order_with_or_without_accents(query):
    target = OfficialFactory(full_name="Nguyễn Văn Dũng")
    OfficialFactory(full_name="Nguyễn Thị Hoa")
    OfficialFactory(full_name="Trần Dũng")
    assert list(Official.objects.search(query)) == [target]


@pytest.mark.django_db
def test_search_key_follows_renames():
    official = OfficialFactory(full_name="Lê Văn Hưng")
    official.full_name = "Lê Văn Hùng"
    official.save(update_fields=["full_name"])
    official.refresh_from_db()
    assert official.search_key == "le van hung"
