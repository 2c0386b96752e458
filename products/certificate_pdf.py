"""The certificate as a PDF, rendered once by WeasyPrint (one shared font configuration and cache) and kept
in private storage. Its QR code points at the public verification page."""
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Certificate

_font_config = None
_cache: dict = {}


def _fonts():
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, border=2)


def certificate_context(certificate: Certificate) -> dict:
    product = certificate.product
    return {
        "certificate": certificate, "decision": certificate.decision, "product": product,
        "producer": product.producer, "product_set": product.product_set,
        "stars": "★" * certificate.star, "verify_url": certificate.public_verify_url,
        "qr_svg": qr_svg(certificate.public_verify_url),
    }


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    from weasyprint import HTML

    with translation.override("vi"):
        html = render_to_string("products/certificate_pdf.html", certificate_context(certificate))
    return HTML(string=html).write_pdf(font_config=_fonts(), cache=_cache)


def pdf_present(certificate: Certificate) -> bool:
    """The PDF is recorded and its file is in storage (a lost file, e.g. after a restore, is rendered again)."""
    return bool(certificate.pdf) and certificate.pdf.storage.exists(certificate.pdf.name)


def certificate_render(*, certificate_id: int) -> Certificate | None:
    """Idempotent: a certificate whose PDF exists is left alone (its content never changes after issue); one
    whose file went missing is rendered again."""
    certificate = (Certificate.objects.select_related("product__producer__commune", "product__product_set",
                                                      "product__commune", "decision").filter(pk=certificate_id).first())
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
