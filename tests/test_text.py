import unicodedata

import pytest

from evaluations.models import Council
from ocop_portal.text import fold, search_terms
from registrations.models import Dossier
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


@pytest.mark.parametrize("typed, folded", [
    ("Bưởi da xanh", "buoi da xanh"),
    ("  BƯỞI   Da\tXanh ", "buoi da xanh"),
    (unicodedata.normalize("NFD", "Bưởi da xanh"), "buoi da xanh"),
    ("Đường phèn Quảng Ngãi", "duong phen quang ngai"),
    ("HTX Ỷ Lan, 1300123456-001", "htx y lan, 1300123456-001"),
    ("", ""),
    (None, ""),
])
def test_fold_drops_diacritics_case_and_extra_spaces(typed, folded):
    assert fold(typed) == folded


def test_search_terms_are_the_folded_words():
    assert search_terms(" Bưởi  DA xanh ") == ["buoi", "da", "xanh"]
    assert search_terms("   ") == []


@pytest.mark.django_db
def test_search_text_follows_every_save_even_with_update_fields():
    from tests.registrations.factories import DossierFactory

    dossier = DossierFactory(product_name="Bưởi da xanh")
    assert Dossier.objects.get(pk=dossier.pk).search_text == "buoi da xanh"
    dossier.product_name = "Kẹo dừa Đông Hải"
    dossier.save(update_fields=["product_name"])
    assert Dossier.objects.get(pk=dossier.pk).search_text == "keo dua dong hai"


@pytest.mark.django_db
def test_bulk_writes_keep_search_text_in_step():
    from registrations.models import Producer
    from tests.factories import CommuneFactory
    from tests.registrations.factories import ProducerFactory

    built = ProducerFactory.build(commune=CommuneFactory(), name="HTX Bưởi Năm Roi", tax_code="1300999111")
    Producer.objects.bulk_create([built])
    producer = Producer.objects.get(tax_code="1300999111")
    assert producer.search_text == "htx buoi nam roi 1300999111"
    producer.name = "HTX Đường phèn"
    Producer.objects.bulk_update([producer], ["name"])
    assert Producer.objects.get(pk=producer.pk).search_text == "htx duong phen 1300999111"
