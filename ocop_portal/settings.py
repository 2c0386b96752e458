"""Settings for the OCOP portal, read from the environment.

With nothing set, the portal runs on SQLite with Celery tasks executed in-process, so `make demo`
needs no server. With DATABASE_URL and REDIS_URL it uses PostgreSQL and a real broker.
Production hardening lives in ocop_portal/settings_production.py.
"""
import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-for-any-real-deployment")
DEBUG = env_bool("DEBUG", True)
# Pages and fragments cached on the versions of the tables they read (ocop_portal.pagecache); off only to
# measure the uncached cost.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# Part of every cache key: a release never answers with pages of another. Empty: a digest of the source tree.
OCOP_RELEASE = os.environ.get("OCOP_RELEASE", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # Our apps, lowest layer first.
    "units",
    "accounts",
    "activity",
    "registrations",
    "evaluations",
    "products",
    "plans",
    "reports",
    "imports",
    "ocop_portal",
]

MIDDLEWARE = [
    "ocop_portal.middleware.HealthCheckMiddleware",  # first: answers before host checks and redirects
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ocop_portal.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ocop_portal.pagecache.RequestMiddleware",  # remembered values checked against the request's data versions
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
    # Refuses an oversized body before it is read; last, so its 413 page passes through the others.
    "ocop_portal.uploads.UploadLimitMiddleware",
]

ROOT_URLCONF = "ocop_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.chrome",
                "accounts.context_processors.roles",
                "activity.context_processors.notifications",
            ],
        },
    },
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "ocop_portal.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections (a new PostgreSQL connection per request costs about 7x in throughput).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", 60)),
                                                  conn_health_checks=True)}
    # Behind PgBouncer in transaction pooling mode a server-side cursor (QuerySet.iterator()) would lose its
    # transaction between fetches: set DB_DISABLE_SERVER_SIDE_CURSORS=1 there (README: scaling out).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(os.environ.get("SQLITE_PATH", BASE_DIR / "var" / "db.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }
# Content-Security-Policy, in development as in production, so the browser tests run under it: scripts
# and styles come only from our own static files. No 'unsafe-inline': templates carry no <script>,
# <style> or style="" (tests/test_csp.py checks). The nonce is for Django's admin, which puts it on its
# tags and on the one inline <style> of some change lists. img-src allows data: for Bootstrap's SVG icons.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and str(DATABASES["default"]["NAME"]) != ":memory:":
    # A fresh clone has no var/: SQLite cannot create its file in a missing folder ("unable to open
    # database file"), and `check` already opens it (the JSONField check), so create the folder here.
    try:
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only tree: SQLite will say so when it is first opened
        pass
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginThrottleBackend",  # first: refuses a locked-out account or address
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, whose get_user also reads the unread inbox count (sessions begun under the former
    # "django.contrib.auth.backends.ModelBackend" end once: their users sign in again).
    "accounts.backends.PortalModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): this many wrong passwords lock the account, and separately the
# address they came from, for the cool-off period; the right password is refused meanwhile. An
# administrator unlocks early by deleting the access attempt in the admin (Axes › Access attempts).
AXES_FAILURE_LIMIT = int(os.environ.get("OCOP_LOGIN_FAILURE_LIMIT", 20))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("OCOP_LOGIN_COOLOFF_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = "accounts.throttling.lockout_parameters"  # by account and by address
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
# Proxies in front of the portal that append to X-Forwarded-For (0: the peer address is the client).
OCOP_TRUSTED_PROXY_COUNT = int(os.environ.get("OCOP_TRUSTED_PROXY_COUNT", 0))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded evidence and generated documents are private: stored outside the web root, never given
# a public URL, and served only by views that check permissions.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# OCOP_STORAGE=s3 keeps them in an S3-compatible bucket instead (django-storages), shared by several web and
# worker machines: AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL (MinIO, Ceph, a provider's S3), AWS_S3_REGION_NAME;
# the keys come from boto3's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or an instance role).
# The bucket stays private: files are read through the portal's views, never by a bucket URL.
OCOP_STORAGE = os.environ.get("OCOP_STORAGE", "filesystem").strip().lower()
if OCOP_STORAGE == "s3":
    _private_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "location": os.environ.get("AWS_LOCATION", ""),  # a key prefix, e.g. one per province on a shared bucket
        "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for most MinIO set-ups
        "signature_version": "s3v4",
        "default_acl": None,  # the bucket's own (private) policy
        "file_overwrite": False,  # two uploads of "bao-cao.pdf" keep two objects, as on the filesystem
        "querystring_auth": True,
    }}
elif OCOP_STORAGE == "filesystem":
    _private_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
else:
    raise ValueError(f"OCOP_STORAGE must be 'filesystem' or 's3', not {OCOP_STORAGE!r}")
STORAGES = {
    "default": _private_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Evidence files: the largest accepted upload (bytes).
OCOP_MAX_UPLOAD_BYTES = int(os.environ.get("OCOP_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# The most files one form sends at once (the dossier page takes one evidence file per save).
OCOP_MAX_UPLOAD_FILES = int(os.environ.get("OCOP_MAX_UPLOAD_FILES", 1))
# One request's cap: its files, its other fields (at most DATA_UPLOAD_MAX_MEMORY_SIZE) and 1 MiB of multipart
# framing. A larger Content-Length is refused (413) before the body is read; ocop_portal/uploads.py.
OCOP_MAX_REQUEST_BYTES = int(os.environ.get(
    "OCOP_MAX_REQUEST_BYTES",
    OCOP_MAX_UPLOAD_BYTES * OCOP_MAX_UPLOAD_FILES + DATA_UPLOAD_MAX_MEMORY_SIZE + 1024 * 1024,
))
# The limit handler first: it skips a file past OCOP_MAX_UPLOAD_BYTES before the next chunk is written.
FILE_UPLOAD_HANDLERS = [
    "ocop_portal.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

_SMTP_HOST = os.environ.get("EMAIL_HOST", "")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _SMTP_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
        if _SMTP_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}  # console mail by default
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ocop@localhost")

# Celery: a real broker when REDIS_URL is set, in-process otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it ends, not when it starts: a worker that dies mid-task (or whose pool child is
# killed) leaves the message to be delivered again. Tasks are idempotent, so running twice is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True  # redelivered anyway: do not run it twice
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # An unacknowledged task (its worker was killed, even with SIGKILL) goes back to the queue after this many
    # seconds. Keep it longer than the longest task and any retry countdown (retry_backoff_max, 600 s).
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 3600)),
    # How often each worker looks for such tasks; kombu's default throttle (10) would look only every 100 s.
    "unacked_restore_interval": int(os.environ.get("CELERY_UNACKED_RESTORE_INTERVAL", 10)),
    "unacked_restore_throttle": 1,
    # A broker that does not answer fails fast (the effect waits for the sweep) instead of hanging a request.
    "socket_connect_timeout": 5,
    "socket_timeout": 30,
}
# Beat: Celery's own scheduler with the schedule in ocop_portal/celery.py; it touches a heartbeat file on each
# tick (at least every CELERY_BEAT_MAX_LOOP_INTERVAL seconds) for the docker-compose health check.
CELERY_BEAT_SCHEDULER = "ocop_portal.celery:HeartbeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 60
CELERY_BEAT_HEARTBEAT_FILE = os.environ.get("CELERY_BEAT_HEARTBEAT_FILE", "")
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "var" / "celerybeat-schedule"))

# Durable effects (activity.services): committed work not done after the grace period is handed to the broker
# again by the sweep (every OCOP_EFFECT_SWEEP_SECONDS, see ocop_portal/celery.py), at most this many times.
OCOP_EFFECT_GRACE_SECONDS = int(os.environ.get("OCOP_EFFECT_GRACE_SECONDS", 600))
OCOP_EFFECT_MAX_ATTEMPTS = int(os.environ.get("OCOP_EFFECT_MAX_ATTEMPTS", 8))
# A mail is tried again by the sweep until it has used this many sending attempts.
OCOP_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OCOP_OUTBOX_MAX_ATTEMPTS", 12))



def redis_next_db(url: str) -> str:
    """The same Redis server's next database ("redis://h:6379/0" → "redis://h:6379/1")."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{db + 1}"))


# The cache lives in its own Redis database (by default the broker's next one): clearing the cache (a deploy,
# a test) must never empty the broker's queues of tasks not yet done.
REDIS_CACHE_URL = os.environ.get("REDIS_CACHE_URL", "") or (redis_next_db(REDIS_URL) if REDIS_URL else "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are written to the database and read through the cache: a page view reads its session from Redis,
# not PostgreSQL; a cleared cache costs one database read per session, and a cache that is down is passed over
# (accounts/sessions.py: Django's cached_db, tolerant of cache errors).
SESSION_ENGINE = "accounts.sessions"

# django-filter's empty choice ("---------") in Vietnamese: a list filter left empty means "all".
FILTERS_EMPTY_CHOICE_LABEL = _("Tất cả")

REST_FRAMEWORK = {
    # Tokens for integrations, sessions for the pages' own calls; never passwords (no HTTP Basic). The
    # token comes first, so an unauthenticated call gets 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("OCOP_API_RATE_ANON", "60/minute"),
        "user": os.environ.get("OCOP_API_RATE_USER", "1200/minute"),
    },
    "NUM_PROXIES": OCOP_TRUSTED_PROXY_COUNT,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OCOP portal API",
    "VERSION": "1.0.0",
    "LICENSE": {"name": "GPL-3.0-or-later"},
    # /api/docs/ loads Swagger UI from drf-spectacular-sidecar's static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Public base URL used in QR codes and mails.
OCOP_PUBLIC_BASE_URL = os.environ.get("OCOP_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
