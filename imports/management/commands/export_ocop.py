"""manage.py export_ocop FILE [--province CODE]: the register in the layout import_ocop reads (.xlsx, .json, or
.csv — then one sheet, --sheet)."""
import pathlib

from django.core.management.base import BaseCommand, CommandError

from imports import exports
from imports.enums import Sheet

from .import_ocop import province_of


class Command(BaseCommand):
    help = "Xuất sổ OCOP (chủ thể, sản phẩm và giấy chứng nhận, tập huấn, điểm bán) của một tỉnh hoặc cả nước."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--province", help="Mã tỉnh hiện nay; bỏ trống: mọi tỉnh")
        parser.add_argument("--sheet", choices=Sheet.values, default=Sheet.PRODUCTS, help="Trang, khi xuất CSV")

    def handle(self, *args, file, province=None, sheet=Sheet.PRODUCTS, **options):
        path = pathlib.Path(file)
        rows = exports.register_rows(province_of(province))
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            content = exports.to_xlsx(rows)
        elif suffix == ".json":
            content = exports.to_json(rows)
        elif suffix == ".csv":
            content = exports.to_csv(rows, sheet)
        else:
            raise CommandError("FILE phải là .xlsx, .json hoặc .csv")
        path.write_bytes(content)
        self.stdout.write(", ".join(f"{Sheet(s).label}: {len(r)}" for s, r in rows.items()))
