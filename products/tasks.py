"""Thin Celery tasks: ids in, a service call, nothing kept in memory between runs."""
from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def certificate_render(*, certificate_id: int) -> str:
    from .certificate_pdf import certificate_render as render

    certificate = render(certificate_id=certificate_id)
    return certificate.pdf.name if certificate and certificate.pdf else ""


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def certificates_expire_daily() -> dict:
    """The daily run: expire what ended (grace respected), then send the 30-day notices (once each)."""
    from .services import certificates_expire, certificates_expiry_notify

    return {"expired": certificates_expire(), "notified": certificates_expiry_notify()}


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def decision_certificates_issue(*, decision_id: int) -> int:
    """Re-issue whatever a published decision still lacks (idempotent; used after an interrupted publish)."""
    from .models import Decision
    from .services import decision_certificates_issue as issue

    decision = Decision.objects.filter(pk=decision_id).first()
    return len(issue(decision=decision)) if decision else 0
