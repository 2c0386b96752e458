import unicodedata

import pytest

from evaluations.models import Council
from tests.factories import ProvinceFactory, UserFactory


@pytest.mark.django_db
def test_text_of_every_app_is_stored_nfc():
    decomposed = unicodedata.normalize("NFD", "Hội đồng đánh giá tỉnh Vĩnh Long")
    assert decomposed != "Hội đồng đánh giá tỉnh Vĩnh Long"
    province = ProvinceFactory(name=unicodedata.normalize("NFD", "Tỉnh Vĩnh Long"))
    user = UserFactory(full_name=unicodedata.normalize("NFD", "Nguyễn Thị Hồng"))
    council = Council.objects.create(province=province, name=decomposed)

    province.refresh_from_db(); user.refresh_from_db(); council.refresh_from_db()

    assert (province.name, user.full_name, council.name) == ("Tỉnh Vĩnh Long", "Nguyễn Thị Hồng", "Hội đồng đánh giá tỉnh Vĩnh Long")
