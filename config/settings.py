"""The one settings module. Everything that differs between machines comes from the environment.

The defaults run the whole product on one machine with nothing else installed: SQLite, Celery on a
filesystem transport (a folder under ``var/``), mail to the console. Production sets ``DATABASE_URL``,
``CELERY_BROKER_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and the e-mail variables; no behaviour exists
only there.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", default=False)
# The "django-insecure-" prefix makes `check --deploy` refuse the default.
SECRET_KEY = env("SECRET_KEY", "django-insecure-development-key-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files (no CDN)
    "django_celery_beat",
    "django_fsm",
    "django_htmx",
    # viewflow's workflow engine only (processes, tasks, charts); its material frontend ("viewflow") stays
    # out: the pages are our own.
    "viewflow.workflow",
    "audit",
    "procurement",
    "tendering",
    "contracts",
    "workflows",
    "documents",
    "opendata",
    "notices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite by default, anything dj-database-url understands via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server and worker share the file: take the write lock when a transaction begins (so that two
    # services never both read a stale state) and wait for a concurrent writer instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: Dutch first, English complete; every deadline is Brussels time.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))

# eForms notices (notices/): the Schematron of the vendored SDK, turned into an XSLT once per machine, is kept
# here; where bidders submit (BT-18) and find the documents (BT-15): the Belgian e-Procurement platform unless set.
EFORMS_CACHE_DIR = Path(env("EFORMS_CACHE_DIR", str(BASE_DIR / "var" / "eforms")))
EFORMS_SUBMISSION_URL = env("EFORMS_SUBMISSION_URL", "https://www.publicprocurement.be")
EFORMS_DOCUMENTS_URL = env("EFORMS_DOCUMENTS_URL", "https://www.publicprocurement.be")

# E-mail: the console by default, SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Samenaankoop <noreply@samenaankoop.local>")
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)

# Celery. The default broker is a folder (kombu's filesystem transport) so that `bash dev run`
# needs no server; CELERY_TASK_ALWAYS_EAGER runs tasks in-process (the SQLite test run).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(env("CELERY_BROKER_DIR", str(BASE_DIR / "var" / "broker")))
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu keeps its exchange bindings here; its default is "control/" in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    # The filesystem transport has no broadcast exchange for remote control.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_BEAT_SCHEDULE = {
    "close-pooling-at-demand-deadline": {
        "task": "workflows.tasks.close_expired_pooling",
        "schedule": crontab(minute="*"),
    },
    "remind-before-demand-deadline": {
        "task": "workflows.tasks.send_demand_deadline_reminders",
        "schedule": crontab(minute=0),
    },
    "escalate-decision-tasks": {
        "task": "workflows.tasks.escalate_decision_tasks",
        "schedule": crontab(minute=15),
    },
    # Framework agreements past their end date expire (idempotent; hourly, so a missed run catches up soon).
    "expire-framework-agreements": {
        "task": "contracts.tasks.expire_framework_agreements",
        "schedule": crontab(minute=5),
    },
}

# REST API (contract: ../shared/API.md, copied to docs/API.md).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["procurement.api.filters.StrictFilterBackend"],
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    # JSON bodies are bounded in size and depth and must be objects (procurement/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "procurement.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# The largest JSON body the API reads (a demand of 600 lines is about 40 KB) and its deepest nesting.
API_JSON_MAX_BYTES = 1_000_000
API_JSON_MAX_DEPTH = 32
SPECTACULAR_SETTINGS = {
    "TITLE": "Samenaankoop API",
    "DESCRIPTION": "Joint procurement for Flemish local governments: initiatives, demand pooling, "
    "decisions, tenders and contracts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page (/api/docs/) loads Swagger UI from drf-spectacular-sidecar's static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "procurement.api.schema_hooks.document_kinds_hook",
    ],
    # Several models have a `state` and a `kind`: name each enum after its model, not State403Enum.
    "ENUM_NAME_OVERRIDES": {
        "InitiativeStateEnum": "procurement.models.InitiativeState",
        "InitiativeKindEnum": "procurement.models.InitiativeKind",
        "ParticipationStateEnum": "procurement.models.ParticipationState",
        "OrganisationKindEnum": "procurement.models.OrganisationKind",
        "NoticeKindEnum": "notices.models.NoticeKind",
    },
}

# Web pages: sign-in (every page requires it) and a cache-based throttle on failed sign-ins, counted per
# username and per client address (procurement/views/account.py). Use a shared cache (CACHE_URL) when
# several web processes run, otherwise each process counts on its own.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
LOGIN_THROTTLE_ATTEMPTS = int(env("LOGIN_THROTTLE_ATTEMPTS", "5"))
LOGIN_THROTTLE_SECONDS = int(env("LOGIN_THROTTLE_SECONDS", "900"))
if env("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}}

# Security: strict when not in DEBUG (check --deploy is clean with the production variables).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))  # one working day
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (config/csp.py): scripts, fonts, images and requests from our own origin only.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
if not DEBUG and env_bool("HTTPS", default=False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Domain settings.
DEMAND_REMINDER_DAYS = [3, 1]  # days before the demand deadline
DECISION_ESCALATION_WORKING_DAYS = 2  # escalate an open decision task this many working days before the deadline

# Open data (opendata/): the OCID prefix registered with the Open Contracting Partnership (ocds-xxxxxx),
# the publisher named in every release package and the URL of the data's licence (omitted when empty).
OCDS_PREFIX = env("OCDS_PREFIX", "ocds-samen01")
OCDS_PUBLISHER_NAME = env("OCDS_PUBLISHER_NAME", "Samenaankoop")
OCDS_LICENSE = env("OCDS_LICENSE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Django's own "django" logger has a console handler too; let it go through the root only (one line each).
    "loggers": {"django": {"handlers": [], "level": env("LOG_LEVEL", "INFO"), "propagate": True}},
}

# The demo's scenarios that span the apps (``manage.py demo`` runs them after procurement's own): a framework
# agreement played from pooling to call-offs (config/demo.py). (title, dotted path of the builder)
DEMO_SCENARIOS = [("Raamcontract netwerkswitches en wifi", "config.demo.network_framework")]
