"""Print the database and private-media settings the backup scripts need, as shell assignments.

Used by scripts/backup.sh and scripts/restore.sh, so they read the same settings as the portal
(DJANGO_SETTINGS_MODULE, DATABASE_URL, MEDIA_ROOT, OCOP_STORAGE) instead of guessing paths.
"""
import os
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_portal.settings")

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402

database = settings.DATABASES["default"]
values = {
    "DB_VENDOR": database["ENGINE"].rsplit(".", 1)[-1],  # postgresql or sqlite3
    "DB_NAME": str(database["NAME"]),
    "MEDIA_DIR": str(settings.MEDIA_ROOT),
    "MEDIA_ON_FILESYSTEM": "1" if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage") else "0",
}
for name, value in values.items():
    print(f"{name}={shlex.quote(value)}")
