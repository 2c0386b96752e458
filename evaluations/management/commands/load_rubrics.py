from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluations.rubric_import import (
    DEFAULT_RUBRIC_FILE,
    classification_import_file,
    legal_data_seed,
    rubrics_import_file,
)


class Command(BaseCommand):
    help = ("Nạp bộ tiêu chí đánh giá sản phẩm OCOP (26 phiếu của Quyết định 26/2026/QĐ-TTg) từ tệp JSON, rồi phân "
            "loại sản phẩm của Quyết định 1048/QĐ-TTg (2019) đối chiếu sang bộ sản phẩm hiện hành.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_RUBRIC_FILE))
        parser.add_argument("--set", dest="sets", type=int, action="append", help="chỉ nạp bộ sản phẩm số …")

    def handle(self, *args, path, sets, **options):
        legal_data_seed()
        report = rubrics_import_file(Path(path), only_sets=set(sets) if sets else None)
        self.stdout.write(
            f"{report.legal_document}: tạo {len(report.created)} phiếu, bỏ qua {len(report.skipped)} phiếu đã có"
        )
        if not sets and Path(path) == DEFAULT_RUBRIC_FILE:
            old_sets = classification_import_file()
            self.stdout.write(f"1048/QĐ-TTg: {len(old_sets)} phân nhóm sản phẩm, đối chiếu sang bộ sản phẩm hiện hành")
        if report.refused:
            lines = [f"bộ {n}: {'; '.join(errs)}" for n, errs in sorted(report.refused.items())]
            raise CommandError("Từ chối các phiếu không khớp tổng điểm:\n" + "\n".join(lines))
