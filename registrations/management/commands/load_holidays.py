from django.core.management.base import BaseCommand

from registrations.services import holidays_load


class Command(BaseCommand):
    help = "Nạp danh sách ngày nghỉ lễ và ngày làm bù (registrations/data/holidays-vn.json); chạy lại không tạo trùng."

    def handle(self, *args, **options):
        count = holidays_load()
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {count} ngày nghỉ lễ / làm bù."))
