"""Django settings for Stances, read from the environment.

Two modes, chosen by STANCES_ENV: "development" (the default: DEBUG on, a SQLite file,
a throwaway secret key) and "production" (DEBUG off, SECRET_KEY required, HTTPS only).
Every value can still be overridden one by one through the environment.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

from stances.languages import OFFICIAL_LANGUAGES

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


STANCES_ENV = os.environ.get("STANCES_ENV", "development")
if STANCES_ENV not in ("development", "production"):
    raise ImproperlyConfigured("STANCES_ENV must be 'development' or 'production'.")
PRODUCTION = STANCES_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set it to a long random string, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    # Development only: a key that signs nothing worth stealing.
    SECRET_KEY = "development-only-not-secret-" + "x" * 32

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    # Last: its post-migrate hook needs the permissions the apps above create.
    "stances.apps.StancesConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses pages; the CSRF token is masked per request, which defeats BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache, whose key names the language this activates; its headers
    # (Content-Language, Vary) go on cached pages too.
    "stances.languages.middleware.LanguageMiddleware",
    # Above everything that adds headers, so that a cached page goes out with all of them.
    "stances.serving.caching.PageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    # Below CSPMiddleware, so that it adjusts the policy before the header is written.
    "stances.serving.middleware.AdminStylesMiddleware",
    "stances.serving.middleware.PermissionsPolicyMiddleware",
    "stances.serving.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "stances.serving.sessions.SessionDeadlinesMiddleware",
    # Below the deadlines: a session they end takes its second-factor verification with it.
    "django_otp.middleware.OTPMiddleware",
    "stances.serving.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the final user and can lock out after authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stances.urls"
WSGI_APPLICATION = "stances.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                # After auth and Django's csrf: the signed-in name and the token, or stand-ins.
                "stances.serving.signed_in_pages.context",
                "django.contrib.messages.context_processors.messages",
                "stances.pages.context_processors.site",
                "stances.languages.switcher.languages",
            ],
        },
    },
]

# A SQLite file when DATABASE_URL is not set; PostgreSQL (psycopg 3) in production and CI.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the server is away, so that readers get a 503 rather than a hang.
    # (libpq counts at least 2 s.)
    connect_seconds = env_int("DATABASE_CONNECT_TIMEOUT", 2)
    # Every query of a web request gets a deadline (README, "Database deadlines"): the server
    # cancels a slow statement after DATABASE_TIMEOUT_SECONDS, and the client stops waiting
    # half a second later for an answer that never comes (a frozen server or network). A kept
    # connection's health check, then the reconnection, may both wait: 2.5 s + 2 s stays under
    # the 5 s the 503 must come within. Management commands (migrate, the worker, imports) may
    # rightly run long, and the test process creates and empties databases: no deadline there
    # (the tests check it on a real server, tests/serving/test_database_deadlines.py).
    command = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["runserver"]
    command = command or "pytest" in sys.modules
    query_seconds = 0 if command else env_int("DATABASE_TIMEOUT_SECONDS", 2)
    DATABASES["default"]["ENGINE"] = "stances.serving.postgresql_deadline"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=connect_seconds,
        # A kept connection to a host that vanished without a reset is given up as quickly,
        # rather than after the kernel's quarter of an hour of retransmissions.
        tcp_user_timeout=1000 * connect_seconds,
        keepalives=1,
        keepalives_idle=10,
        keepalives_interval=2,
        keepalives_count=3,
        options=f"-c statement_timeout={1000 * query_seconds}"
        f" -c idle_in_transaction_session_timeout={10_000 * query_seconds}",
        wait_deadline=query_seconds + 0.5 if query_seconds else None,
    )
    # Prepared statements: a query a connection has run twice is planned once and kept, which
    # halves the database's share of a cold map page (4.7 -> 2.8 ms; its plans took longer
    # than running them). They need the parameters sent apart from the query (server-side
    # binding). A pooler in transaction mode (PgBouncer before 1.21) cannot keep them:
    # DATABASE_PREPARED_STATEMENTS=0 there.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's, with one client per connection pool (stances/serving/redis_cache.py).
            "BACKEND": "stances.serving.redis_cache.Cache",
            "LOCATION": os.environ["REDIS_URL"],
            # Pages are rendered without it while it is away (caching.py): never wait long.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# While edits stream in, a page readers ask for is rendered at most once in this many seconds
# (stances/serving/turns.py); 0 renders it again on every revision.
PAGE_RENDER_INTERVAL_SECONDS = env_int("PAGE_RENDER_INTERVAL_SECONDS", 1)
# Each client's share of rendering (stances/serving/render_budget.py): processor seconds per
# window; 0 turns the budget off.
RENDER_BUDGET_SECONDS = env_int("RENDER_BUDGET_SECONDS", 10)
RENDER_BUDGET_WINDOW_SECONDS = 60
# Each process's own copies of the pages it serves most, in front of the shared cache
# (stances/serving/caching.py): about 100 KB each, so at most some 10 MB per process.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "stances-pages",
    "OPTIONS": {"MAX_ENTRIES": 100},
}

# Where readers report an error in a record (a "Report an error" mail link on each country's
# panel, and the About page); without it, the link is not shown.
CORRECTIONS_EMAIL = os.environ.get("CORRECTIONS_EMAIL", "")
# Editors are shown the stances of open questions neither checked nor changed for this many
# days (/checks/).
CHECK_AFTER_DAYS = env_int("CHECK_AFTER_DAYS", 90)
# The licence under which the data may be reused, as the About page and the downloads state it.
DATA_LICENCE = os.environ.get("DATA_LICENCE", "CC BY 4.0")
DATA_LICENCE_URL = os.environ.get(
    "DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)

# On PostgreSQL, each process learns new revisions by LISTEN/NOTIFY (one extra connection per
# process) instead of reading the revision on every request: see stances/revisions.py.
REVISION_LISTENER = env_bool("REVISION_LISTENER", True)

# Following (stances/following/): mail and webhooks go out from a worker, never from a request.
# Tasks are rows in the database (django-tasks), written in the transaction of the change they
# are about, so a rolled-back change sends nothing and a committed one is never lost.
# `manage.py stances_worker` runs them (`make run` starts one beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The address links in mails and webhooks point at, e.g. https://stances.example.org.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Mail through SMTP when EMAIL_HOST is set; otherwise printed where the worker runs.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Stances <alerts@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who is told when a webhook endpoint is disabled: "Name <address>, other@address".
ADMINS = [
    (name.strip() or address.strip(" >"), address.strip(" >"))
    for name, _, address in (item.rpartition("<") for item in env_list("ADMINS"))
]
# The hour (site time) the daily digests go out, for the day before.
DIGEST_HOUR = env_int("DIGEST_HOUR", 7)
# Webhooks only to https:// addresses on public networks (server-side request forgery);
# tests turn WEBHOOK_ALLOW_LOOPBACK on to reach a receiver of their own.
WEBHOOK_REQUIRE_HTTPS = env_bool("WEBHOOK_REQUIRE_HTTPS", PRODUCTION)
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", False)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# First retry after this many seconds, doubling each time, for a day; then the endpoint is off.
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "stances.permissions.EditorRoleBackend",
    # Sessions begun before EditorRoleBackend name this one; they stay signed in.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # OWASP ASVS level 2
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): lock a username, and separately an address, after
# repeated failures; the lock lifts by itself after the cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Attempts during a pause do not restart it: otherwise anyone who knows a username could keep
# its editor out for good, one wrong password every quarter of an hour.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "stances.serving.throttling.locked_out"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind proxies of our own (load balancer, CDN), set TRUSTED_PROXY_COUNT to how many there
# are, so that throttling sees the reader's address rather than the last proxy's.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "stances.clients.client_address"
AXES_USERNAME_CALLABLE = "stances.serving.throttling.attempted_username"

# English at the addresses without a prefix; the Union's 23 other official languages under
# /bg/, /cs/, ... (stances/languages/). Each catalogue is in stances/locale/; `make install`
# compiles them (manage.py compilemessages), the compiled files are not committed.
LANGUAGE_CODE = "en"
LANGUAGES = OFFICIAL_LANGUAGES
LOCALE_PATHS = [BASE_DIR / "stances" / "locale"]
# Date and number formats where Django has none (Maltese).
FORMAT_MODULE_PATH = ["stances.languages.formats"]
LANGUAGE_COOKIE_NAME = "stances_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need `collectstatic`, part of every production deploy;
        # development serves the files as they are, DEBUG or not.
        "BACKEND": (
            "stances.serving.static_files.StaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Tests render pages without running collectstatic first.
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_USE_FINDERS = not PRODUCTION

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The largest upload we accept (CSV import); larger bodies get a 400, not a crash.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# A signed-in session ends after an idle hour, and after a working day in any case
# (stances/serving/sessions.py).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60) * 60
SESSION_MAX_SECONDS = env_int("SESSION_MAX_HOURS", 10) * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): our own files only, no inline script or style, no
# eval (htmx is configured for that in base.html), framed by no one. The embed page opts in
# to framing with stances.serving.framing.allow_framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The admin, checked page by page in Chromium, needs one style attribute beyond that:
# style="border-top: 0" on django-simple-history's history list. Allowed there by its hash.
ADMIN_EXTRA_STYLE_SRC = [UNSAFE_HASHES, "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"]
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
)

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER=1 only if that
    # proxy always sets X-Forwarded-Proto and strips it from clients.
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Second factor (django-otp): the issuer authenticator apps show beside the account.
OTP_TOTP_ISSUER = "Stances"
