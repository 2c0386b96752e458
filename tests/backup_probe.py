"""What a backup must carry: a populated province, and the figures and files a restore must give back.

The backup test runs these in its own process on the original database and, through `manage.py shell`, in a
subprocess on the restored one, so both sides compute the same things the same way.
"""
import hashlib
import json

PROVINCE_CODE = "86"
ADMIN = "quantri.saoluu"


def populate() -> dict:
    """ReportWorld's province (producers, dossiers, results), a published decision with two certificates and
    their PDFs, an evidence file and a finished report run; returns the names of the certificate files."""
    import datetime

    from django.utils import timezone

    from accounts.enums import OrganisationKind
    from accounts.models import Organisation
    from products.models import Certificate
    from reports.periods import Params
    from reports.services import report_run_request
    from tests.factories import UserFactory
    from tests.products.factories import closed_round, published_decision
    from tests.registrations.factories import EvidenceFileFactory
    from tests.reports.factories import ReportWorld

    world = ReportWorld()
    Organisation.objects.create(kind=OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, unit=world.province,
                                name="Ủy ban nhân dân tỉnh Vĩnh Long", valid_from=datetime.date(2025, 7, 1))
    published_decision(closed_round(world.province, [4, 3], commune=world.a), world.staff)
    EvidenceFileFactory(revision=world.d_four.revisions.get())
    report_run_request(code="dossier_progress", params=Params(province=world.province, year=timezone.localdate().year),
                       fmt="xlsx", by=world.viewer)
    UserFactory(username=ADMIN, is_superuser=True, is_staff=True)
    return {c.pk: c.pdf.name for c in Certificate.objects.order_by("pk")}


def report_figures() -> dict:
    """Every registered report's rows and total for the province and this year, through the registry."""
    from django.utils import timezone, translation

    from reports.periods import Params
    from reports.registry import all_reports
    from units.models import AdministrativeUnit

    province = AdministrativeUnit.objects.get(code=PROVINCE_CODE, valid_to__isnull=True)
    figures = {}
    with translation.override("vi"):
        for report in all_reports():
            table = report.rows(Params(province=province, year=timezone.localdate().year,
                                       grouping=report.default_grouping))
            figures[report.code] = {"rows": table.rows, "total": table.total}
    return json.loads(json.dumps(figures, default=str))


def served_files() -> dict:
    """Each certificate PDF, evidence file and report file as the portal's views serve it: status and SHA-256."""
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from products.models import Certificate
    from registrations.models import EvidenceFile
    from reports.models import ReportRun

    client = Client()
    client.force_login(User.objects.get(username=ADMIN))
    urls = [reverse("products:certificate_pdf", args=[pk]) for pk in Certificate.objects.order_by("pk").values_list("pk", flat=True)]
    urls += [reverse("registrations:evidence_download", args=[pk]) for pk in EvidenceFile.objects.order_by("pk").values_list("pk", flat=True)]
    urls += [reverse("reports:run_download", args=[pk]) for pk in ReportRun.objects.order_by("pk").values_list("pk", flat=True)]
    served = {}
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.status_code == 200 else b""
        served[url] = {"status": response.status_code, "sha256": hashlib.sha256(body).hexdigest(),
                       "pdf": body.startswith(b"%PDF")}
    return served


def main() -> None:
    print(json.dumps({"figures": report_figures(), "files": served_files()}))
