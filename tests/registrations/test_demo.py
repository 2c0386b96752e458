import pytest
from django.core.management import call_command

from ocop_portal.demo import demo_load
from registrations.models import Dossier, Producer, ProductIdea


@pytest.mark.django_db
def test_demo_is_idempotent_and_links_the_producer_account(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_units", verbosity=0)
    call_command("load_rubrics", verbosity=0)
    ctx = demo_load()
    ctx = demo_load()
    assert Producer.objects.count() == 4
    assert list(ctx.users["producer"].producers.values_list("name", flat=True)) == ["HTX Dừa Xiêm Chợ Lách"]
    assert ProductIdea.objects.count() == 3
    statuses = dict(Dossier.objects.values_list("product_name", "status"))
    # The evaluations demo may already have placed the accepted dossier in a round.
    assert statuses.pop("Dừa xiêm xanh Chợ Lách") in {"accepted", "in_round", "scored", "recommended", "not_recognised", "recognised"}
    assert statuses == {"Kẹo dừa sáp Thanh Long": "forwarded", "Bánh tráng dừa Mỏ Cày": "submitted", "Túi xách sợi dừa": "draft"}
    accepted = Dossier.objects.get(product_name="Dừa xiêm xanh Chợ Lách")
    assert accepted.registration_number.startswith("1/PĐK-86-")
    assert accepted.revisions.get().evidence_files.count() == 2
