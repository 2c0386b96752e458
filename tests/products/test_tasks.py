import io
import shutil
import subprocess
import time
import unicodedata

import pytest
from pypdf import PdfReader

from products.certificate_pdf import certificate_render
from products.models import Certificate
from products.tasks import certificate_render as certificate_render_task

from .factories import closed_round, published_decision


def _text(pdf_bytes: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    text = unicodedata.normalize("NFC", " ".join(page.extract_text() for page in reader.pages))
    return " ".join(text.split())


@pytest.fixture
def certificate(setup, django_capture_on_commit_callbacks):
    round_ = closed_round(setup.province, [4], commune=setup.commune, product_names=["Bánh phồng sữa Sơn Đốc"])
    with django_capture_on_commit_callbacks(execute=True):
        published_decision(round_, setup.staff, number="1887/QĐ-UBND")
    return Certificate.objects.select_related("decision", "product").get()


def test_certificate_pdf_carries_the_product_the_issuer_and_the_validity(certificate):
    assert certificate.pdf, "publishing queues the render (eager in unit tests)"
    with certificate.pdf.open("rb") as fh:
        text = _text(fh.read())
    assert "Bánh phồng sữa Sơn Đốc" in text
    assert certificate.decision.issuer_name.upper() in text.upper()
    assert certificate.product.code in text
    assert certificate.number in text
    assert "1887/QĐ-UBND" in text
    assert f"đến ngày {certificate.valid_until:%d/%m/%Y}" in text
    assert "★★★★" in text


def test_certificate_qr_decodes_to_the_verification_url(certificate, tmp_path):
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.skip("pdftoppm / zbarimg not installed")
    pdf_path = tmp_path / "gcn.pdf"
    with certificate.pdf.open("rb") as fh:
        pdf_path.write_bytes(fh.read())
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "page")],
                   check=True)
    png = next(tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"https://ocop.vinhlong.gov.vn/xac-minh/{certificate.verify_code}/"


def test_rendering_twice_does_not_rewrite_the_file(certificate):
    name, rendered_at = certificate.pdf.name, certificate.pdf_rendered_at
    certificate_render_task.delay(certificate_id=certificate.pk).get()
    again = certificate_render(certificate_id=certificate.pk)
    assert (again.pdf.name, again.pdf_rendered_at) == (name, rendered_at)


def test_render_of_an_unknown_certificate_is_a_no_op(db):
    assert certificate_render_task.delay(certificate_id=999999).get() == ""


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_certificate_pdf(celery_worker, settings):
    from accounts.enums import Role
    from tests.factories import CommuneFactory, user_with_role

    from .factories import province_with_committee

    settings.OCOP_PUBLIC_BASE_URL = "https://ocop.vinhlong.gov.vn"
    province = province_with_committee()
    commune = CommuneFactory(parent=province)
    staff = user_with_role(Role.PROVINCE_STAFF, province)
    published_decision(closed_round(province, [3], commune=commune, product_names=["Mật hoa dừa Chợ Lách"]), staff)
    cert = Certificate.objects.get()
    deadline = time.monotonic() + 60
    while not cert.pdf and time.monotonic() < deadline:
        time.sleep(0.5)
        cert.refresh_from_db()
    assert cert.pdf.name == f"products/certificates/{cert.issued_on:%Y}/{cert.verify_code}.pdf"
    with cert.pdf.open("rb") as fh:
        assert "Mật hoa dừa Chợ Lách" in _text(fh.read())
