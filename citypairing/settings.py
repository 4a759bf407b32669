"""Django settings for the City Pairing Registry.

Everything that differs between machines comes from the environment:
``DATABASE_URL``, ``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS``, ``DJANGO_ENV``,
``CONN_MAX_AGE``, ``STATIC_COLLECTED``.
Without ``DATABASE_URL`` the project starts its own PostgreSQL (see ``embedded_db``).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
import pghistory
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

from core.embedded_db import ENGINE, default_pgdata, embedded_database_settings
from core.spreadsheets import FILE_FORMATS

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean from the environment ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_count(name: str, default: int) -> int:
    """Read a whole number of 0 or more from the environment; refuse to start on another."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of 0 or more, not “{value}”.")
    return int(value)


DEBUG = env_bool("DEBUG", not PRODUCTION)

_INSECURE_KEY = "django-insecure-development-only-key"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _INSECURE_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")

if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs SECRET_KEY set to a random value of 50+ characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs ALLOWED_HOSTS (comma-separated host names)."
        )
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_ENV=production refuses DEBUG=true.")

INSTALLED_APPS = [
    # The base every app builds on (it imports none of them).
    "core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "import_export",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "corsheaders",
    "django_htmx",
    "themes",
    # Background jobs on the registry's own PostgreSQL (`manage.py run_worker`).
    "procrastinate.contrib.django",
    "sources",
    "cities",
    "programmes",
    "partners",
    "activities",
    # Programme reports; they add their page and CSV to the programme's address themselves.
    "reports",
    "imports",
    "intake",
    "contacts",
    "followup",
    # Reading the history back; it adds its pages, admin restore and API action to the
    # apps' records itself (history/apps.py), so they import nothing of it.
    "history",
    # Pushes to partners: signed JSON POSTs of the changes (docs/webhooks.md).
    "webhooks",
    # Officers' digest e-mails of their My-work items that changed.
    "digests",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cross-origin reads of the API (CORS_* below); first, so preflights and errors get it.
    "corsheaders.middleware.CorsMiddleware",
    # Under /api/: errors as JSON whatever made them, and 304 for If-None-Match.
    "core.api.middleware.JsonErrorsMiddleware",
    "core.api.middleware.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, logins and history read the request: a NUL byte is a 400, not a 500.
    "core.unstorable.UnstorableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.htmx: whether htmx asked, for which target (django-htmx).
    "django_htmx.middleware.HtmxMiddleware",
    "core.history.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.KeptPolicyCSPMiddleware",
    # Last, as django-axes asks: it locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]
# Reads of the API that carry no cookie (anonymous readers, partners' tokens) go through
# this shorter list (core.wsgi): no session, CSRF, login, messages, htmx or history
# middleware, nor static files; the same headers, CORS, JSON errors and input refusals.
API_READ_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "core.api.middleware.JsonErrorsMiddleware",
    "core.api.middleware.ConditionalGetMiddleware",
    "core.unstorable.UnstorableInputMiddleware",
    "core.middleware.CookielessReadMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.KeptPolicyCSPMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "citypairing.urls"
WSGI_APPLICATION = "citypairing.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Each worker keeps its connection between requests (connecting costs more than a small
# query); a kept connection is checked before a request reuses it, so that after a database
# restart the first request reconnects instead of failing (and being answered 503).
CONN_MAX_AGE = env_count("CONN_MAX_AGE", 60)
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=CONN_MAX_AGE,
            conn_health_checks=True,
            engine=ENGINE,
        )
    }
else:
    DATABASES = {"default": embedded_database_settings(default_pgdata())}
    DATABASES["default"].update(CONN_MAX_AGE=CONN_MAX_AGE, CONN_HEALTH_CHECKS=True)
DATABASES["default"].setdefault("TEST", {})
# Parallel test runs on one server (several developers, CI) each get their own database.
if os.environ.get("TEST_DB_SUFFIX"):
    DATABASES["default"]["TEST"]["NAME"] = f"test_citypairing_{os.environ['TEST_DB_SUFFIX']}"

if os.environ.get("DATABASE_REPLICA_URL"):
    # Reads may lag the primary by the replication delay; writes always go to the primary.
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=True,
        engine=ENGINE,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    # A replica that does not answer is skipped, not waited for (core/db_router.py).
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]
    # A reader's reads stay on the primary this long after they wrote (read-your-writes);
    # a replica further behind than this is skipped; each process checks it this often.
    REPLICA_PIN_SECONDS = float(os.environ.get("REPLICA_PIN_SECONDS", 5))
    REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", 10))
    REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", 1))
    for _chain in (MIDDLEWARE, API_READ_MIDDLEWARE):
        _chain.insert(
            _chain.index("core.unstorable.UnstorableInputMiddleware") + 1,
            "core.db_router.ReadYourWritesMiddleware",
        )

# Cache (API throttling counters, sessions' cache if chosen): shared by every app server
# through Redis in production (REDIS_URL); per-process memory otherwise.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Kosovo has no ISO 3166-1 code yet; XK is the user-assigned code GeoNames and the EU use.
COUNTRIES_OVERRIDE = {"XK": "Kosovo"}

# --- Change history: PostgreSQL triggers (django-pghistory) record every insert, update
# and delete, bulk and raw SQL included; the middleware adds who and through which channel.
PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
)
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PGHISTORY_OBJ_FIELD = pghistory.ObjForeignKey(db_index=True)
# Triggers live in migrations, except those of many-to-many link tables Django creates
# itself (an activity's cities and organisers, records' themes), which have no migrations
# of their own: history/apps.py installs those once migrations have run (only on tables
# that exist, so `migrate <one app>` still works).

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files: our own in static/, front-end packages from node_modules (npm ci) ---
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / ".data" / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
    ("vendor/topojson", NODE_MODULES / "topojson-client" / "dist"),
    # Natural Earth's land and borders as TopoJSON: the map's basemap, with no tile server.
    ("vendor/world-atlas", NODE_MODULES / "world-atlas"),
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
]
# Collected with hashed names and compressed copies (WhiteNoise serves them gzipped, cached
# for ever) in production and under `make run`, which collects them first; `make dev` and
# the tests serve them from their folders as they are.
STATIC_COLLECTED = env_bool("STATIC_COLLECTED", PRODUCTION)

# Uploaded documents (sources): a git-ignored local folder, never served as it is (the
# download view checks who may read each one); any S3-compatible store when
# SOURCES_S3_BUCKET is set (django-storages: docs/deployment.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / ".data" / "media"))
MEDIA_URL = "/media/"


def documents_storage(environ) -> dict:
    """Return the STORAGES entry for uploaded documents that ``environ`` configures."""
    if not environ.get("SOURCES_S3_BUCKET"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["SOURCES_S3_BUCKET"],
            # Credentials come from boto3's own chain (AWS_ACCESS_KEY_ID... or a role).
            "endpoint_url": environ.get("SOURCES_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("SOURCES_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


DEFAULT_STORAGE = documents_storage(os.environ)

# The largest document an officer may upload (bytes); a larger one is refused in words.
SOURCE_MAX_UPLOAD_BYTES = env_count("SOURCE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# A form or JSON body larger than this is refused with 413 (Django's default, stated: the
# API's JSON is read through it too). Files uploaded for import do not count.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"


# --- REST API -------------------------------------------------------------------------
def env_rate(name: str, default: str) -> str | None:
    """Read a throttle rate ("60/min") from the environment; "off" switches the limit off."""
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"", "off", "none"} else value


# Reverse proxies in front of the app (nginx, a load balancer) that each append the address
# they received the request from to X-Forwarded-For. 0: the header is ignored and the
# client is the connection's address. The API's rate limits and the login lock-out both
# read the client's address this way (core/proxies.py).
NUM_PROXIES = env_count("NUM_PROXIES", 0)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.RegistryAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.RegistryFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.RegistryPermission"],
    # DRF's JSON parser with a size and depth limit, refusing text PostgreSQL cannot store.
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.RegistryJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["core.api.jsonrenderer.FastJSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.RegistryContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.RegistryPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonThrottle",
        "core.api.throttling.UserThrottle",
    ],
    # Anonymous readers by IP, partners by token; "off" in the environment disables one.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "60/min"),
        "user": env_rate("API_THROTTLE_USER", "1000/min"),
    },
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": False,  # coordinates and costs as JSON numbers
    "NUM_PROXIES": NUM_PROXIES,
}
# Tokens for partners (django-rest-knox): stored as SHA-512 digests, issued by an admin
# (admin page or `manage.py api_token create`), valid API_TOKEN_DAYS (365) unless the
# admin gives another lifetime.
API_TOKEN_DAYS = env_count("API_TOKEN_DAYS", 365)
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be 1 or more: tokens need a lifetime.")
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
}
# The admin's import and export offer the pages' file formats: CSV and XLSX with defused
# formulas (core.spreadsheets), JSON; no other spreadsheet format.
IMPORT_EXPORT_FORMATS = list(FILE_FORMATS)
# Cross-origin reads (django-cors-headers): a partner's web page may read the API from a
# browser, from any origin, but only GET and HEAD under /api/ and never with credentials.
# The browser then sends no cookie, and no Authorization header (not allowed below), so
# such a request reads what anonymous visitors read, and cannot write.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "content-language", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "Content-Disposition"]
# Export formats (csv, geojson, ics) return the whole filtered list up to this many rows.
API_EXPORT_MAX_ROWS = int(os.environ.get("API_EXPORT_MAX_ROWS", 10_000))
# The map page's own data (/map/*.geojson) draws whole programmes: the imported twin towns
# are about 24,600 pairings and 17,000 cities (docs/map.md measures drawing them).
MAP_MAX_ROWS = int(os.environ.get("MAP_MAX_ROWS", 60_000))
SPECTACULAR_SETTINGS = {
    "TITLE": "City Pairing Registry API",
    "DESCRIPTION": "City-to-city cooperation in the Asia-Pacific: cities, networks, "
    "programmes, thematic streams, pairings, activities and their sources.\n\n"
    "Published records are readable without a token. Partners send "
    "`Authorization: Token <key>` for higher rate limits and, with permission, writes. "
    'Errors are JSON: `{"detail": message, "errors": {field: [messages]}}`.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.strict_openapi",
    ],
    # One name per choice class (many models have a `status`, a `kind`, a `role`).
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "core.dates.DatePrecision",
        "SourceKindEnum": "sources.choices.SourceKind",
        "ProposalKindEnum": "intake.choices.ProposalKind",
        "LocalGovernmentKindEnum": "cities.choices.LocalGovernmentKind",
        "AlternativeNameKindEnum": "cities.choices.AlternativeNameKind",
        "NetworkKindEnum": "programmes.choices.NetworkKind",
        "MemberTypeEnum": "programmes.choices.MemberType",
        "ProgrammeRoleEnum": "programmes.choices.ProgrammeRole",
        "ProgrammeStatusEnum": "programmes.choices.ProgrammeStatus",
        "StreamMemberRoleEnum": "programmes.choices.StreamMemberRole",
        "PairingKindEnum": "programmes.choices.PairingKind",
        "PairingStatusEnum": "programmes.choices.PairingStatus",
        "ParticipantRoleEnum": "programmes.choices.ParticipantRole",
        "ActivityKindEnum": "activities.choices.ActivityKind",
        "ActivityStatusEnum": "activities.choices.ActivityStatus",
        "PartnerRequestStatusEnum": "partners.choices.PartnerRequestStatus",
        "PartnerKindEnum": "partners.choices.PartnerKind",
        # A city's country and a partner request's preferred countries: one choice set.
        "CountryEnum": "django_countries.countries",
    },
    "PREPROCESSING_HOOKS": ["core.api.schema.api_endpoints_only"],
}

# --- Security -------------------------------------------------------------------------
# Everything the pages load comes from this origin (front-end packages are served from
# node_modules by staticfiles), so the policy can be strict: no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    },
}

# Login throttling (django-axes): 5 failed attempts from one address (whatever the user
# names), or for one user name (from any address), lock that address or that name for 15
# minutes; the lock-out page says when to try again. The address is the client's behind
# NUM_PROXIES proxies, so one client behind a proxy does not lock out everyone.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "core.proxies.client_address"
# A success does not wipe the failures: it would clear those counted against its address
# (other names tried from there) and let whoever holds one account keep guessing others.
AXES_RESET_ON_SUCCESS = False

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A refused form (expired, or sent from another tab's session) says so in the site's page.
CSRF_FAILURE_VIEW = "citypairing.pages.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- Background jobs (procrastinate, on the same PostgreSQL; docs/deployment.md) --------
# Extra task modules for the worker besides each app's tasks.py (comma-separated).
PROCRASTINATE_IMPORT_PATHS = env_list("PROCRASTINATE_IMPORT_PATHS", "")

# --- Webhooks (docs/webhooks.md) ------------------------------------------------------
# Server-side request forgery: an address must resolve to public IP addresses, except
# loopback in development (a local receiver) and private networks when allowed.
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", DEBUG)
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)
# Failed attempts in a row that disable a subscription; the first retry's wait (doubling).
WEBHOOKS_MAX_FAILURES = env_count("WEBHOOKS_MAX_FAILURES", 8)
WEBHOOKS_RETRY_SECONDS = env_count("WEBHOOKS_RETRY_SECONDS", 60)
WEBHOOKS_TIMEOUT_SECONDS = 10

# --- E-mail (digests, webhook notices): SMTP when EMAIL_HOST is set, else files ---------
# The site's address, for the links in e-mails.
REGISTRY_URL = os.environ.get("REGISTRY_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "registry@localhost")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_count("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 30
else:
    # Each message a file in .data/mail (EMAIL_FILE_PATH): read them to see what was sent.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / ".data" / "mail"))

# --- Follow-up ("My work", the programme report; followup/services.py) -----------------
# A live (agreed or active) pairing with no activity for this many months needs a word.
FOLLOWUP_SILENT_MONTHS = env_count("FOLLOWUP_SILENT_MONTHS", 12)
# A proposed pairing waiting longer than this many days needs a decision.
FOLLOWUP_PROPOSED_DAYS = env_count("FOLLOWUP_PROPOSED_DAYS", 90)
