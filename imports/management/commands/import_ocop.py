"""manage.py import_ocop FILE [--province CODE] [--dry-run]: the same services as the import pages. The dry run
prints the row verdicts of the preview and exits non-zero if any row is an error; otherwise the valid rows are
written in one transaction."""
import pathlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from imports import services
from imports.enums import BatchState, RowStatus
from units.models import AdministrativeUnit


def province_of(code):
    if not code:
        return None
    province = AdministrativeUnit.objects.filter(level="province", code=code, valid_to__isnull=True).first()
    if province is None:
        raise CommandError(_("Không có tỉnh mã %(c)s.") % {"c": code})
    return province


class Command(BaseCommand):
    help = "Nhập sổ OCOP từ tệp XLSX/CSV (như trang Nhập dữ liệu)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--province", help="Mã tỉnh hiện nay (QĐ 19/2025/QĐ-TTg)")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi")

    def handle(self, *args, file, province=None, dry_run=False, **options):
        path = pathlib.Path(file)
        unit = province_of(province)
        if unit is None:
            raise CommandError(_("Hãy ghi --province: mỗi lần nhập thuộc một tỉnh."))
        try:
            batch = services.batch_create(province=unit, file_name=path.name, content=path.read_bytes(), by=None,
                                          queue=False)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        batch = services.batch_preview(batch_id=batch.pk)
        if not dry_run and batch.state == BatchState.PREVIEWED:
            batch = services.batch_apply(batch_id=batch.pk, by_id=None)
        batch.refresh_from_db()
        for row in batch.rows.order_by("sheet", "line"):
            reasons = "; ".join(f"{r['cell']}: {r['message']}" for r in row.reasons)
            self.stdout.write(f"{row.get_sheet_display()}\t{row.line}\t{row.get_status_display()}\t{row.key}\t{reasons}")
        counts = batch.counts
        self.stdout.write(_("Lần nhập #%(id)s: %(state)s — mới %(new)s, không đổi %(unchanged)s, cập nhật %(updated)s, lỗi %(error)s.")
                          % {"id": batch.pk, "state": batch.get_state_display(), **{k: counts.get(k, 0) for k in RowStatus.values}})
        if batch.state == BatchState.FAILED:
            raise CommandError(batch.message)
        if dry_run and counts.get(RowStatus.ERROR):
            raise CommandError(_("Có %(n)s dòng lỗi.") % {"n": counts[RowStatus.ERROR]})
