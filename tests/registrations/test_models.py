import pytest
from django.db import IntegrityError

from registrations.models import Holiday
from tests.registrations.factories import DossierFactory, ProducerFactory


@pytest.mark.django_db
def test_holidays_are_loaded_by_the_migration_including_the_make_up_saturday():
    assert Holiday.objects.get(date="2026-09-02").is_day_off is True
    assert Holiday.objects.get(date="2026-08-22").is_day_off is False


@pytest.mark.django_db
def test_tax_code_is_unique_in_the_database():
    ProducerFactory(tax_code="1300123456")
    with pytest.raises(IntegrityError):
        ProducerFactory(tax_code="1300123456")


@pytest.mark.django_db
def test_a_forwarded_dossier_needs_a_registration_number():
    with pytest.raises(IntegrityError):
        DossierFactory(status="forwarded", registration_number=None)


@pytest.mark.django_db
def test_text_is_stored_nfc_normalised():
    decomposed = "Ho\u0302\u0323 sa\u0309n xua\u0302\u0301t"  # "Hộ sản xuất" typed as combining marks
    producer = ProducerFactory(name=decomposed)
    producer.refresh_from_db()
    assert producer.name == "Hộ sản xuất"
