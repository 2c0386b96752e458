"""The certificate as a PDF, rendered once by WeasyPrint (one shared font configuration and cache) and kept
in private storage. Its QR code points at the public verification page."""
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ocop_portal.documents import Letterhead, pdf_from_html, place_name, render_html

from .documents import decision_signer
from .models import Certificate


def qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, border=2)


def certificate_context(certificate: Certificate) -> dict:
    product = certificate.product
    decision = certificate.decision
    doc = Letterhead(kind="", place=place_name(decision.issuing_unit or decision.province),
                     day=decision.decided_on or certificate.issued_on, signers=[decision_signer(decision)])
    return {"doc": doc,
        "certificate": certificate, "decision": certificate.decision, "product": product,
        "producer": product.producer, "product_set": product.product_set,
        "stars": "★" * certificate.star, "verify_url": certificate.public_verify_url,
        "qr_svg": qr_svg(certificate.public_verify_url),
    }


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    return pdf_from_html(render_html("products/certificate_pdf.html", certificate_context(certificate)))


def pdf_present(certificate: Certificate) -> bool:
    """The PDF is recorded and its file is in storage (a lost file, e.g. after a restore, is rendered again)."""
    return bool(certificate.pdf) and certificate.pdf.storage.exists(certificate.pdf.name)


def certificate_render(*, certificate_id: int) -> Certificate | None:
    """Idempotent: a certificate whose PDF exists is left alone (its content never changes after issue); one
    whose file went missing is rendered again."""
    certificate = (Certificate.objects.select_related("product__producer__commune", "product__product_set",
                                                      "product__commune", "decision__issuing_unit",
                                                      "decision__province").filter(pk=certificate_id).first())
    if certificate is None or pdf_present(certificate):
        return certificate
    started = time.perf_counter()
    pdf = certificate_pdf_bytes(certificate)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if pdf_present(locked):
            return locked
        locked.pdf.save(f"{locked.verify_code}.pdf", ContentFile(pdf), save=False)
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_rendered_at"])
    locked.render_seconds = time.perf_counter() - started
    return locked
