"""Settings for the TTHTCĐ portal.

Every value that differs between deployments is read from the environment, with a safe default for
development. `.env.example` lists them; README.md ("Configuration" and "Deployment") explains them.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tthtcd_portal.env import env_bool, env_int, env_list, env_str
from tthtcd_portal.secret_key import refuse_unless_private

BASE_DIR = Path(__file__).resolve().parent.parent

# The development key: refused when DJANGO_DEBUG=0, so it can never reach production by accident.
DEV_SECRET_KEY = "dev-insecure-tthtcd-portal-secret-key-change-me-in-production-0123456789"

DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY)
if not DEBUG:
    # Short keys, and any key sharing a run of characters with a file of the repository (this one's
    # development key, the docs' examples, tests' and benchmarks' keys) are refused (tthtcd_portal/secret_key.py).
    if SECRET_KEY == DEV_SECRET_KEY:
        SECRET_KEY = ""
    refuse_unless_private(SECRET_KEY, root=BASE_DIR)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    # Before django_tasks_db: its `db_worker` command is replaced by one that survives database errors.
    "background",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "units",
    "centres",
    "library",
    "resources",
    "staff_accounts",
    "courses",
    "evaluations",
    "training",
    "materials",
    "planning",
    "reports",
    "reminders",
    "portal",
]

MIDDLEWARE = [
    # First, to time everything; removes itself unless BENCH_HEADERS=1 (bench/run.py).
    "tthtcd_portal.middleware.ServerTimingMiddleware",
    # Pages compressed for browsers that accept it (a 40 KB list becomes ~6 KB on a commune's 3G link; issue 18).
    # Django's own, with its BREACH mitigation (random padding); whitenoise sends static files precompressed,
    # which this leaves alone (they already carry Content-Encoding). docs/performance.md, "Slow link".
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # In place of Django's LocaleMiddleware: Vietnamese unless the user chose English (stored on the user),
    # never the browser's Accept-Language (tthtcd_portal/middleware.py).
    "tthtcd_portal.middleware.PortalLanguageMiddleware",
    # Cache-Control: no-store on every answer to a signed-in user (learners' personal data).
    "tthtcd_portal.middleware.PrivatePagesMiddleware",
    # Before anything reads the body (the CSRF check does, in process_view): a body above the limits is
    # refused from its Content-Length with a 413 page (tthtcd_portal/middleware.py).
    "tthtcd_portal.middleware.UploadSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A first-time password given by the province is changed before anything else (accounts/middleware.py).
    "accounts.middleware.FirstPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A replica lost in the middle of a GET: the page is read again from the primary (only with a replica).
    "tthtcd_portal.middleware.ReplicaFallbackMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "tthtcd_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.navigation.navigation",
            ],
            "builtins": ["tthtcd_portal.template_filters"],
        },
    },
]

# Django's form renderer with the select box written in Python: a select of ~500 centres cost more than a
# page's queries through the option templates (tthtcd_portal/form_renderer.py, issue 18).
FORM_RENDERER = "tthtcd_portal.form_renderer.PortalFormRenderer"

# --- Database -------------------------------------------------------------------------------------
# SQLite file in the project root by default; DATABASE_URL=postgres://user@host:5432/name in production.
DATABASE_URL = env_str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    _default_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60))
except ValueError as exc:  # unknown scheme, malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
_default_db["CONN_HEALTH_CHECKS"] = True
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the background export worker read while the web process writes.
    _default_db.setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    _default_db["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # A writer waits this long for another's lock before "database is locked" (Python's default is 5 s; an
    # attendance grid and the export worker's progress writes may meet). IMMEDIATE transactions take the lock
    # at BEGIN, so the wait applies to every write instead of failing a read that turns into a write.
    _default_db["OPTIONS"]["timeout"] = env_int("SQLITE_BUSY_TIMEOUT", default=20)
DATABASES = {"default": _default_db}

# Optional read replica: dashboards and exports read from it (tthtcd_portal/db_router.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a valid database URL: {exc}") from exc
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    # A replica host that stops answering must cost a request seconds, not the TCP timeout (minutes).
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_REPLICA_CONNECT_TIMEOUT", default=2)
    )
# read_db() leaves the replica for the primary while its replay lag is above this many seconds, and checks
# reachability and lag at most once per DATABASE_REPLICA_CHECK_SECONDS per process (docs/deployment.md).
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", default=30)
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", default=5)
DATABASE_ROUTERS = ["tthtcd_portal.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the signed-in user read with their unit in one query (accounts/backends.py, issue 18).
    "accounts.backends.PortalBackend",
    # Kept so that sessions signed in before PortalBackend (they name this backend) stay signed in after the
    # upgrade: a request of such a session reads the user without the unit. Only a failed login reaches it (the
    # password checked a second time). Remove after a release has been live longer than SESSION_COOKIE_AGE.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: 5 failures for the same account from the same address lock that pair for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
# Behind nginx, the client's address is the X-Real-IP header nginx sets (tthtcd_portal/client_ip.py).
TRUST_X_REAL_IP = env_bool("DJANGO_TRUST_X_REAL_IP", default=False)
AXES_CLIENT_IP_CALLABLE = "tthtcd_portal.client_ip.client_ip"

# Sessions end after 8 hours of a working day, or when the browser closes.
# Django's database sessions, read by SQL built once per process (tthtcd_portal/sessions.py, issue 18).
SESSION_ENGINE = "tthtcd_portal.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Language, time, numbers ----------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", default="vi")
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# The language cookie is read by Django only; Secure in production (below), like the session cookie.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# Off: a bare {{ x }} prints an integer as it is, so years, codes, ids and phone numbers never read as
# quantities ("2.026"); quantities go through the built-in `|so` filter (tthtcd_portal/template_filters.py).
USE_THOUSAND_SEPARATOR = False
# dd/mm/yyyy in both languages: officials read dates the Vietnamese way whatever the interface language.
FORMAT_MODULE_PATH = ["tthtcd_portal.formats"]

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads (imports, attachments) are refused above this size; see the upload validators.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000  # a month grid of 60 learners × 31 sessions posts ~1,900 fields

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Cache ----------------------------------------------------------------------------------------
# The dashboards keep their computed figures here, keyed by a stamp of the data (reports.dashboard.dashboard),
# so a cached answer is never stale. Per process: each gunicorn worker warms its own.
# `objects` keeps Python objects without pickling them (tthtcd_portal/cache.py): the dashboards' computed figures.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}},
    "objects": {"BACKEND": "tthtcd_portal.cache.ObjectCache", "LOCATION": "objects", "OPTIONS": {"MAX_ENTRIES": 500}},
    # A centre's record (portal.selectors.centre_record: its figures, assessments, predecessors), one per centre
    # visited: apart from the dashboards' boards, so that a province's centres do not push them out.
    "records": {"BACKEND": "tthtcd_portal.cache.ObjectCache", "LOCATION": "records", "OPTIONS": {"MAX_ENTRIES": 2000}},
    # Main pages kept while PostgreSQL's snapshot is unchanged (tthtcd_portal/page_cache.py); ~40 KB each.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}
# 0 turns the page cache off; it only ever works on PostgreSQL, outside transaction blocks.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", default=300)
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", default=600)

# --- Background tasks (exports) and periodic tasks ------------------------------------------------
# Tasks run in `manage.py db_worker` (background/management/commands/db_worker.py).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
# Tasks enqueued by `manage.py run_periodic` once per slot: {"task": dotted path, "at": "HH:MM" local time every
# day} or {"task": …, "every": minutes}. The interface: background/schedule.py and docs/architecture.md.
PERIODIC_TASKS = [
    {"task": "reports.tasks.prune_export_files", "at": "02:30"},
    {"task": "tthtcd_portal.tasks.prune_staged_uploads", "at": "02:40"},
    {"task": "reports.tasks.fail_stale_export_jobs", "every": 5},
    # Each user's reminders by e-mail, before the working day (docs/training.md, "Reminders").
    {"task": "reminders.tasks.send_daily_digests", "at": "06:30"},
]
# Background exports: a job that has not reported progress for this long is judged dead (its worker stopped)
# and marked failed, so it can be started again; finished exports' files are deleted after this many days.
EXPORT_JOB_STALE_SECONDS = env_int("EXPORT_JOB_STALE_SECONDS", default=600)
EXPORT_FILES_MAX_AGE_DAYS = env_int("EXPORT_FILES_MAX_AGE_DAYS", default=7)
# An import staged between its preview and its confirmation (it holds learners' names) is deleted after this.
STAGED_UPLOADS_MAX_AGE_HOURS = env_int("STAGED_UPLOADS_MAX_AGE_HOURS", default=24)

# --- E-mail (the daily reminder digest, password reset) -----------------------------------------------
# Development prints e-mails on the console; production sends through SMTP with the settings below.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="TTHTCĐ <no-reply@localhost>")
# The portal's address as users reach it, for links in e-mails sent outside a request (the digest).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# Password reset requests: at most this many per client address, and per e-mail address, per hour.
PASSWORD_RESET_PER_ADDRESS_HOUR = env_int("PASSWORD_RESET_PER_ADDRESS_HOUR", default=5)
PASSWORD_RESET_PER_EMAIL_HOUR = env_int("PASSWORD_RESET_PER_EMAIL_HOUR", default=3)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24)

# --- Security headers -----------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SILENCED_SYSTEM_CHECKS = env_list("DJANGO_SILENCED_SYSTEM_CHECKS", default=[])

# --- Benchmark instrumentation (bench/run.py): Server-Timing and X-Query-Count headers, /bench/ping/ ----
BENCH_HEADERS = env_bool("BENCH_HEADERS", default=False)

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# The demo accounts' password (seed_demo); demo accounts are never created when DJANGO_DEBUG=0.
DEMO_PASSWORD = "tthtcd-demo-2026"
