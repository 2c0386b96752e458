"""Check that every private file the database names is in storage; render again what can be rendered.

scripts/restore.sh runs it after a restore. Certificate PDFs and council minutes are rendered again from
the database (their content is fixed at issue and at closing), report files are produced again; an evidence
file cannot be recreated and is listed, and the command then exits with status 1.
"""
from django.core.management.base import BaseCommand, CommandError

from evaluations.minutes import minutes_render
from evaluations.models import Round
from products.certificate_pdf import certificate_render
from products.models import Certificate
from registrations.models import EvidenceFile
from reports.enums import RunStatus
from reports.models import ReportRun
from reports.services import report_run_execute


def _certificate(pk):
    Certificate.objects.filter(pk=pk).update(pdf="", pdf_rendered_at=None)
    certificate_render(certificate_id=pk)


def _minutes(pk):
    Round.objects.filter(pk=pk).update(minutes_pdf="", minutes_rendered_at=None)
    minutes_render(round_id=pk)


def _report_run(pk):
    ReportRun.objects.filter(pk=pk).update(file="", status=RunStatus.QUEUED)
    report_run_execute(run_id=pk)


# (label, model, file field, how to make the file again or None)
SOURCES = [
    ("giấy chứng nhận", Certificate, "pdf", _certificate),
    ("biên bản hội đồng", Round, "minutes_pdf", _minutes),
    ("tệp báo cáo", ReportRun, "file", _report_run),
    ("minh chứng", EvidenceFile, "file", None),
]


def missing_files():
    """(label, model, pk, stored name, remake) for every file named in the database but absent from storage."""
    for label, model, field, remake in SOURCES:
        storage = model._meta.get_field(field).storage
        for pk, name in model.objects.exclude(**{field: ""}).order_by("pk").values_list("pk", field).iterator():
            if not storage.exists(name):
                yield label, model, pk, name, remake


class Command(BaseCommand):
    help = "Kiểm tra các tệp riêng (giấy chứng nhận, biên bản, báo cáo, minh chứng) còn trong kho lưu trữ; lập lại tệp thiếu."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Chỉ liệt kê tệp thiếu, không lập lại.")

    def handle(self, *args, check=False, **options):
        remade, lost = 0, []
        for label, _model, pk, name, remake in list(missing_files()):
            if remake is None or check:
                lost.append(f"{label} #{pk}: {name}")
                continue
            remake(pk)
            remade += 1
            self.stdout.write(f"Đã lập lại {label} #{pk} (thiếu tệp {name}).")
        self.stdout.write(f"Tệp lập lại: {remade}; tệp thiếu không lập lại được: {len(lost)}.")
        if lost:
            raise CommandError("Thiếu tệp:\n" + "\n".join(lost))
