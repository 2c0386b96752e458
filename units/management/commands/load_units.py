from django.core.management.base import BaseCommand

from units.services import units_load


class Command(BaseCommand):
    help = "Tải (idempotent) cây đơn vị hành chính trước và sau ngày 1/7/2025 từ gói vietnam-provinces."

    def handle(self, *args, **options):
        summary = units_load()
        self.stdout.write(
            f"Đơn vị hành chính: thêm {summary.created}, cập nhật {summary.updated}; "
            f"liên kết kế thừa mới {summary.lineage_created}."
        )
