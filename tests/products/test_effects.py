"""products/effects.py and the certificate hand-over: a broker that is down never costs a certificate its PDF."""
import datetime

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from activity.models import Effect
from activity.services import effects_sweep
from products import services
from products.enums import DecisionStatus
from products.models import Certificate
from tests.brokers import broker_down
from tests.factories import PASSWORD

NOW = datetime.timedelta(0)


def _recorded_decision(setup):
    decision = services.decision_create_from_round(round_=setup.round, by=setup.staff)
    services.decision_transition(decision=decision, to=DecisionStatus.RECORDED, by=setup.staff, number="1887/QĐ-UBND",
                                 decided_on=timezone.localdate(), signer_name="Nguyễn Văn Hưng", signer_title="")
    return decision


def _pdfs(settings):
    return sorted(p.name for p in (settings.MEDIA_ROOT / "products" / "certificates").rglob("*.pdf"))


def test_with_the_broker_down_publishing_succeeds_and_the_sweep_renders_each_pdf_once(
        client, setup, settings, django_capture_on_commit_callbacks):
    decision = _recorded_decision(setup)
    assert client.login(username=setup.staff.username, password=PASSWORD)

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("products:decision_transition", args=[decision.pk]), {"to": "published", "confirmed": "1"})

    assert (response.status_code, response["Location"]) == (302, decision.get_absolute_url())
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã công bố quyết định và cấp giấy chứng nhận."]
    certificates = list(Certificate.objects.order_by("pk"))
    assert [(c.star, c.pdf.name) for c in certificates] == [(4, ""), (3, "")]
    effects = Effect.objects.filter(task="products.tasks.certificate_render").order_by("kwargs__certificate_id")
    assert [(e.kwargs, e.status, e.attempts) for e in effects] == [
        ({"certificate_id": c.pk}, "queued", 1) for c in certificates]

    with django_capture_on_commit_callbacks(execute=True):  # the broker is back (tasks run in-process here)
        effects_sweep(grace=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        assert effects_sweep(grace=NOW) == {"recorded": 0, "redispatched": 0, "failed": 0, "purged": 0}
    assert sorted(effects.values_list("status", flat=True)) == ["done", "done"]
    assert _pdfs(settings) == sorted(f"{c.verify_code}.pdf" for c in certificates)
    assert all(c.pdf for c in Certificate.objects.all())


def test_a_certificate_that_never_got_its_pdf_is_found_and_rendered(setup, settings, django_capture_on_commit_callbacks):
    """A certificate issued before effects were recorded (or whose effect row was lost) still gets its PDF."""
    decision = _recorded_decision(setup)
    services.decision_transition(decision=decision, to=DecisionStatus.PUBLISHED, by=setup.staff)  # never committed
    Effect.objects.all().delete()
    Certificate.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    young = Certificate.objects.order_by("pk").last()
    Certificate.objects.filter(pk=young.pk).update(created_at=timezone.now())  # within the grace period

    with django_capture_on_commit_callbacks(execute=True):
        effects_sweep()

    assert dict(Certificate.objects.values_list("pk", "pdf")) == {
        c.pk: (f"products/certificates/{c.issued_on:%Y}/{c.verify_code}.pdf" if c.pk != young.pk else "")
        for c in Certificate.objects.all()}
    assert list(Effect.objects.filter(task="products.tasks.certificate_render").values_list("kwargs", "status")) == [
        ({"certificate_id": Certificate.objects.exclude(pk=young.pk).get().pk}, "done")]
