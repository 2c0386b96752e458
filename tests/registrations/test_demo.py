import pytest
from django.core.management import call_command
from django.utils import timezone

from ocop_portal.demo import demo_load
from registrations.models import Dossier, Producer, ProductIdea


@pytest.mark.django_db
def test_demo_is_idempotent_and_links_the_producer_account(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_units", verbosity=0)
    call_command("load_rubrics", verbosity=0)
    ctx = demo_load()
    ctx = demo_load()
    assert Producer.objects.count() == 9  # 8 of the registrations demo, 1 of the demo import
    # The demo import's producer lies in an old commune of Bến Tre (Xã An Thạnh, now in Xã Mỏ Cày).
    assert set(Producer.objects.values_list("commune__name", flat=True)) == {"Xã Chợ Lách", "Xã Mỏ Cày", "Xã An Thạnh"}
    assert list(ctx.users["producer"].producers.values_list("name", flat=True)) == ["HTX Dừa Xiêm Chợ Lách"]
    assert ProductIdea.objects.count() == 5
    statuses = dict(Dossier.objects.values_list("product_name", "status"))
    # The evaluations demo places the accepted dossiers in its rounds (and products closes round 2).
    assert statuses.pop("Dừa xiêm xanh Chợ Lách") in {"accepted", "in_round", "scored", "recommended", "not_recognised", "recognised"}
    for name in ("Mật hoa dừa Chợ Lách", "Bưởi da xanh Mỏ Cày", "Dầu dừa nguyên chất Bảy Hiền"):
        assert statuses.pop(name) in {"accepted", "in_round"}
    assert statuses == {
        "Kẹo dừa sáp Thanh Long": "forwarded", "Bánh tráng dừa Mỏ Cày": "submitted", "Túi xách sợi dừa": "draft",
        "Sầu riêng Ri6 Sơn Định": "commune_review", "Mai vàng bonsai Cái Mơn": "submitted",
        "Nước dừa xiêm đóng chai": "draft",
    }
    accepted = Dossier.objects.get(product_name="Dừa xiêm xanh Chợ Lách")
    assert accepted.registration_number.startswith("1/PĐK-86-")
    assert accepted.revisions.get().evidence_files.count() == 2
    # Received (through the services, the clock set back) more than 15 working days ago: overdue at the commune.
    overdue = Dossier.objects.get(product_name="Sầu riêng Ri6 Sơn Định")
    assert overdue.is_commune_overdue
    assert overdue.commune_due_on < timezone.localdate() and overdue.assessments.count() == 0
    renewal = Dossier.objects.get(product_name="Mật hoa dừa Chợ Lách")
    assert renewal.kind == "re_evaluation" and renewal.previous_certificate.endswith("/GCN-OCOP-BT")
    # The producer account's own draft lacks the quality declaration.
    draft = Dossier.objects.get(product_name="Nước dừa xiêm đóng chai")
    assert draft.created_by == ctx.users["producer"]
    assert list(draft.revisions.get().evidence_files.values_list("kind", flat=True)) == ["business_registration"]
