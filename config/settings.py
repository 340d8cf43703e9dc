"""Settings, read from the environment with safe defaults (see .env.example).

The embedded default (no variables set) runs on SQLite and Celery's filesystem
transport under ``var/``; ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL
and Redis.
"""

import datetime
import os
import secrets
import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# .env first (variables already set win), so that every setting below, VAR_DIR included,
# honours it. ENV_FILE names another file (a deployment's, a test's).
environ.Env.read_env(os.environ.get("ENV_FILE", str(BASE_DIR / ".env")), overwrite=False)
env = environ.Env()
# Run-time files; importing the settings creates nothing (config/runtime.py makes the
# folders when a process that writes there starts).
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
# matplotlib (server-side charts) keeps its font cache here instead of the home folder.
os.environ.setdefault("MPLCONFIGDIR", str(VAR_DIR / "matplotlib"))

DEBUG = env.bool("DEBUG", default=False)
# pytest imports itself before it loads these settings; a test run needs no key of its own.
TESTING = "pytest" in sys.modules

# The secret key: SECRET_KEY, else the file SECRET_KEY_FILE names (default
# $VAR_DIR/secret_key, which `make run` generates once). With DEBUG off, a missing or
# known-insecure key stops the start: sessions, password resets and CSRF tokens are
# signed with it.
DEVELOPMENT_SECRET_KEY = "insecure-development-key-change-me-in-production"  # noqa: S105 - DEBUG only
INSECURE_SECRET_KEYS = frozenset({DEVELOPMENT_SECRET_KEY, "change-me-to-a-long-random-string"})


def _secret_key_from_file(path: Path) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


def _secret_key_problem(key: str) -> str | None:
    if not key:
        return "SECRET_KEY is not set"
    if key in INSECURE_SECRET_KEYS or key.startswith("django-insecure"):
        return "SECRET_KEY is a published placeholder"
    if len(key) < 40:
        return "SECRET_KEY is shorter than 40 characters"
    return None


SECRET_KEY = env.str("SECRET_KEY", default="") or _secret_key_from_file(
    Path(env.str("SECRET_KEY_FILE", default=str(VAR_DIR / "secret_key")))
)
if _secret_key_problem(SECRET_KEY):
    if TESTING:
        SECRET_KEY = secrets.token_urlsafe(50)
    elif DEBUG:
        SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
    else:
        raise ImproperlyConfigured(
            f"{_secret_key_problem(SECRET_KEY)} and DEBUG is off. Set SECRET_KEY (or "
            "SECRET_KEY_FILE) to a long random value, e.g. the output of: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "axes",
    "csp",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "accounts",
    "personnel",
    "rotation",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.ScopePathsCacheMiddleware",
    # The language is chosen before anything can fail (CommonMiddleware refuses an unknown
    # host), so that every error page is in the user's language, not a previous request's.
    "accounts.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.NoScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Before any view reads input; its 400 page gets the language and headers set above.
    "config.middleware.RefuseControlCharactersMiddleware",
    "config.middleware.RefuseHugeNumbersMiddleware",
    "config.middleware.BoundedSearchMiddleware",
    "config.middleware.NoStoreForUsersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout flagged during login into a page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.staff",
                "accounts.context_processors.language_menu",
            ],
        },
    },
]

# Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for locks instead of failing,
    # and let readers proceed while one process writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # Short queries: PostgreSQL's JIT compilation costs more than it saves here.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RolePermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
FORM_RENDERER = "config.forms.FormRenderer"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time --------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="vi")
# Vietnamese unless the user chose otherwise (accounts.middleware.SiteLanguageMiddleware):
# the browser's Accept-Language is not consulted. Each language named in its own language.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

# Static files ------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# Large exports built by a worker (personnel.ExportJob): a private folder, never served
# (not under MEDIA_ROOT nor static); web and worker must share it. Files are deleted
# EXPORT_FILE_HOURS after they are made.
EXPORT_FILES_DIR = Path(env.str("EXPORT_FILES_DIR", default=str(VAR_DIR / "exports")))
EXPORT_FILE_HOURS = 24

# Email --------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="luanchuyen@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# Celery -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Time limits, leases and the broker agree (README, "Celery: time limits and leases"):
# for every task, soft limit < hard limit < lease < broker visibility timeout, so a live
# worker never loses its claim, a run or an email of a lost worker is taken over when its
# lease ends (the next identical request, the sweep), and the broker redelivers a lost
# task's message only after everything else has given up on it.
CELERY_TASK_SOFT_TIME_LIMIT = 300  # tasks without their own limits (notifications)
CELERY_TASK_TIME_LIMIT = 330
REPORT_RUN_SOFT_TIME_LIMIT = 300  # seconds a report may compute
REPORT_RUN_TIME_LIMIT = 330
REPORT_RUN_LEASE_SECONDS = 360  # a run's claim; a queued run's wait before it is re-sent
REPORT_RUN_MAX_ATTEMPTS = 3  # claims of one run before it is failed as "lost worker"
REPORT_DELIVERY_SOFT_TIME_LIMIT = 900  # a subscription email: may wait one run's lease
REPORT_DELIVERY_TIME_LIMIT = 960
REPORT_DELIVERY_LEASE_SECONDS = 1200
EXPORT_JOB_SOFT_TIME_LIMIT = 1200  # a large export (up to 1,000,000 rows)
EXPORT_JOB_TIME_LIMIT = 1260
EXPORT_JOB_LEASE_SECONDS = 1320  # a running job silent this long is taken over or failed
BROKER_VISIBILITY_TIMEOUT = 3600  # longer than the longest hard limit (the daily job)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
else:
    # Server-less broker: messages are files under var/celery.
    _celery_dir = VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "out"),
        "data_folder_out": str(_celery_dir / "out"),
        "data_folder_processed": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Security ------------------------------------------------------------------
# HTTPS: off by default so that `make run` works on http://127.0.0.1; .env.example and
# docker-compose.yml turn them on.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_REFERRER_POLICY = env.str("SECURE_REFERRER_POLICY", default="same-origin")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Sessions end after SESSION_IDLE_MINUTES without a request: every request renews the
# cookie (a page that polls, such as a report being computed, keeps it alive).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True

# Login throttling (django-axes): 5 failures lock the user name and, separately, the
# address for 15 minutes; administrators unlock in admin › Axes › Access attempts.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
# The address a login comes from: the connection's, or behind TRUSTED_PROXY_COUNT
# reverse proxies the one they recorded in X-Forwarded-For (config/middleware.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_ip"

# Content-Security-Policy: our pages need no inline script or style (see static/js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Domain -------------------------------------------------------------------
# Party congress terms (nhiệm kỳ): name, first day, last day. Reports "from the start
# of the term" begin on the first day of the term containing their end date.
TERMS = [
    ("2015-2020", "2015-10-01", "2020-09-30"),
    ("2020-2025", "2020-10-01", "2025-09-30"),
    ("2025-2030", "2025-10-01", "2030-09-30"),
]

# REST API -------------------------------------------------------------------
# /api/v1/: the pages' session, or a per-user token an administrator issues in Django
# admin (knox: only its digest is stored; it expires). Lists page by cursor; the access
# policy is the pages' (accounts/api.py). Rate limits per token (or user) and per
# address, counted in the shared cache (Redis when REDIS_URL is set).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.TokenAuthentication",
        "accounts.api.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api.StaffAccess"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "accounts.api.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.api.PerTokenThrottle",
        "accounts.api.PerAddressThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_RATE_PER_TOKEN", default="1200/hour"),
        "address": env.str("API_RATE_PER_ADDRESS", default="3000/hour"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "accounts.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # The address a request comes from, as for logins (never a client-written header).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cadre rotation records API",
    "DESCRIPTION": "Records of officials, postings and the decisions that rotate them. "
    "Authenticate with `Authorization: Token <key>` (issued in Django admin) or a session.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["accounts.api.StaffAccess"],
    "SWAGGER_UI_DIST": f"/{STATIC_URL.strip('/')}/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": f"/{STATIC_URL.strip('/')}/vendor/swagger-ui/favicon-32x32.png",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LocalityLevelEnum": "personnel.choices.LocalityLevel",
        "UnitLevelEnum": "personnel.choices.Level",
        "PositionKindEnum": "personnel.choices.PositionKind",
        "TrainingKindEnum": "personnel.choices.TrainingKind",
        "DisciplineKindEnum": "personnel.models_discipline.DisciplineKind",
        "RewardKindEnum": "personnel.models_discipline.RewardKind",
        "DecisionLevelEnum": "personnel.models_discipline.DecisionLevel",
        "MovementKindEnum": "rotation.choices.MovementKind",
        "OfficialStatusEnum": "personnel.choices.OfficialStatus",
        "PlanningStatusEnum": "personnel.choices.PlanningStatus",
        "DecisionStatusEnum": "rotation.choices.DecisionStatus",
        "RunStatusEnum": "reports.choices.RunStatus",
    },
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("REDIS_CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": "cadre",
        }
    }

# Regulation checks (rotation/rules.py): thresholds overriding RuleParameters' defaults,
# e.g. {"min_rotation_months": 36, "two_term_years": 8}.
ROTATION_RULES: dict = {}
# Who counts as "local" for posts requiring a non-local holder (DOMAIN.md rule 6).
ROTATION_LOCAL_TEST = "rotation.rules.default_is_local"
# Sector code of the territorial Party committees consulted on a decision (rule 7).
LOCAL_COMMITTEE_SECTOR_CODE = "party"

# Subscriptions may email addresses outside the staff only in these domains
# (comma-separated, e.g. "tinhuy.gov.vn,hatinh.gov.vn"); empty: staff users only.
REPORT_EMAIL_ALLOWED_DOMAINS = [
    d.strip().lower().lstrip("@")
    for d in env.list("REPORT_EMAIL_ALLOWED_DOMAINS", default=[])
    if d.strip()
]

# Demo ---------------------------------------------------------------------
DEMO_ADMIN_USERNAME = env.str("DEMO_ADMIN_USERNAME", default="admin")
DEMO_ADMIN_PASSWORD = env.str("DEMO_ADMIN_PASSWORD", default="luanchuyen-demo")
DEMO_ADMIN_EMAIL = env.str("DEMO_ADMIN_EMAIL", default="admin@localhost")
