import os

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from ocop_portal.demo import DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Tạo tỉnh mẫu (Vĩnh Long) với một người dùng cho mỗi vai trò và dữ liệu minh họa."

    def handle(self, *args, **options):
        call_command("load_units", verbosity=0, stdout=open(os.devnull, "w"))
        for command in ("load_rubrics",):
            try:
                call_command(command, verbosity=0)
            except Exception as exc:  # the command exists once the evaluations app ships it
                if "Unknown command" not in str(exc):
                    raise
        # The demo's own notifications are stored in the outbox but not printed: the logins stay readable.
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
            ctx = demo_load()
        self.stdout.write(self.style.SUCCESS(f"Tỉnh mẫu: {ctx.province.name}"))
        self.stdout.write("Tài khoản mẫu (mật khẩu chung: %s):" % DEMO_PASSWORD)
        for key, username, full_name, role, _unit in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {role.label} — {full_name}")
