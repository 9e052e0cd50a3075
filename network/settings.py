"""Settings for the subject-network portal.

One module, configured from the environment (12-factor, django-environ), as in
cookiecutter-django. Every variable is listed with its default in the README's
configuration table and in `.env.example`.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# A local `.env` is read when present so `make run` can be tuned without exporting.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# -- Core ---------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# The fallback key serves a first local run and the tests; `check --deploy` reports it
# (network.W001), so production cannot pass its checks with it.
DEV_SECRET_KEY = "dev-only-key-not-for-production-8f3b2c7e1a9d4f6b0e5c3a7d9b1f2e4c6a8"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

ROOT_URLCONF = "network.urls"
WSGI_APPLICATION = "network.wsgi.application"
AUTH_USER_MODEL = "network.User"
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "import_export",
    "simple_history",
    "csp",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    # Our rooms, lowest first (see docs/architecture.md for who may import whom).
    "trusts",
    "network",
    "events",
    "impact",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # no-store on pages and downloads, Permissions-Policy (network/base/security.py). Below
    # WhiteNoise, so static files keep their long cache lifetimes.
    "network.base.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # No NUL reaches a view (PostgreSQL refuses it in text): network/base/inputs.py.
    "network.base.inputs.CleanInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Coordinators and trust executives set up two-step sign-in first (network/base/mfa.py).
    "network.base.mfa.MFARequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

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
                "network.base.context_processors.portal",
            ],
            # Quicker, equal `{% url %}` and `|date` for every template (after Django's
            # own, so they take their place): network/templatetags/quick.py.
            "builtins": ["network.templatetags.quick"],
        },
    },
]

# -- Database -----------------------------------------------------------------------
# SQLite is the embedded default for a first run; PostgreSQL in production and CI.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # A worker and the web server share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

# The PostgreSQL planner's cost of a random read, set on each new connection
# (network/base/database.py), for storage where it costs little more than a sequential
# one (SSDs, every managed PostgreSQL): at PostgreSQL's default of 4 (for spinning
# disks) the directory search scanned every person rather than use its GIN index, 6.0
# against 3.6 ms of the database's time (speed, issue 14). 4 for spinning disks; empty
# to keep the server's own setting. Set with SET, not a startup option, which
# PgBouncer and some managed poolers refuse.
_page_cost = env("PG_RANDOM_PAGE_COST", default="1.1").strip()
try:
    PG_RANDOM_PAGE_COST = float(_page_cost) if _page_cost else None
except ValueError:
    PG_RANDOM_PAGE_COST = float("nan")
if PG_RANDOM_PAGE_COST is not None and not (0 < PG_RANDOM_PAGE_COST < 1000):
    raise ImproperlyConfigured(f"PG_RANDOM_PAGE_COST must be a positive number such as 1.1 or 4, not {_page_cost!r}.")

# -- Cache (allauth's login rate limits and the portal's own count here) ------------
REDIS_URL = env("REDIS_URL", default="")
# A Redis that is down or frozen must not stop anyone signing in: the backend gives up
# on Redis after these timeouts and counts in process memory for a while (network/base/cache.py).
# (Named on its own so the outage tests apply exactly these values.)
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "network.base.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
            "RETRY_AFTER": 30,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Dashboards and the annual report are remembered between readers in the cache until a
# counted record changes (network/base/changes.py): only in a cache every process shares.
FIGURES_REMEMBERED = env.bool("FIGURES_REMEMBERED", default=bool(REDIS_URL))
# Several portals (or the benchmark's two databases) on one Redis keep apart by prefix.
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="")

# -- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English (UK)")]
TIME_ZONE = env("TIME_ZONE", default="Europe/London")
USE_I18N = True
# Our own wording for en-GB: sentence case on django-allauth's pages. Listed here (not
# only found as the network app's locale) so it outranks every installed app's catalogue.
LOCALE_PATHS = [BASE_DIR / "network" / "locale"]
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]

# -- Static files -------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production images run collectstatic and set STATIC_MANIFEST=1 for cache-busting
        # names (WhiteNoise's compressed manifest); a first run and the tests serve files
        # straight from static/. Both remember each file's URL (network/base/static.py).
        "BACKEND": (
            "network.base.static.ManifestStaticFiles"
            if env.bool("STATIC_MANIFEST", default=False)
            else "network.base.static.StaticFiles"
        )
    },
}
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", default=False)

# -- Uploads (network/base/uploads.py) ------------------------------------------------------
# Form fields of one request (not files) may total this many bytes; files larger than
# FILE_UPLOAD_MAX_MEMORY_SIZE are streamed to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# Largest ordinary upload (evidence, a register), and largest file imported by a
# background job (a full GIAS download is about 60 MB), in megabytes.
UPLOAD_MAX_MB = env.int("UPLOAD_MAX_MB", default=10)
IMPORT_UPLOAD_MAX_MB = env.int("IMPORT_UPLOAD_MAX_MB", default=100)

# -- Authentication (django-allauth) ------------------------------------------------
# https://docs.allauth.org/en/latest/account/configuration.html
AUTHENTICATION_BACKENDS = [
    # "May this user…" rules of every room (network/base/rules.py explains).
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "network.base.adapters.PortalAccountAdapter"
# Coordinators invite people; public sign-up is off unless a network opts in.
ACCOUNT_ALLOW_SIGNUP = env.bool("ACCOUNT_ALLOW_SIGNUP", default=False)
# Failed sign-ins: 10 a minute from one address; 5 within 5 minutes for one account *from
# one address* (the adapter keys the account's count by account and address, so nobody
# can lock a person out from elsewhere by failing on purpose with their email).
# https://docs.allauth.org/en/latest/account/configuration.html (ACCOUNT_RATE_LIMITS)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    # Password reset emails: at most 5 an hour to one address (allauth's default is 5 a
    # minute, 300 an hour to someone's inbox), 20 an hour from one client.
    "reset_password": "20/h/ip,5/h/key",
}
# Who the client is. Behind the TLS proxy every request comes from the proxy's address,
# so per-address limits would count everyone together (ten failures a minute from anyone
# would keep everyone out): take the address the proxy appends to X-Forwarded-For
# (TRUSTED_PROXY_COUNT proxies in front; docker-compose.yml sets 1), or a header the
# proxy sets (TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP). Never set either without a
# proxy that overwrites them: a client could then claim any address.
# https://docs.allauth.org/en/latest/common/rate_limits.html
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="") or None
LOGIN_REDIRECT_URL = "network:home"
LOGIN_URL = "account_login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
# The portal's own limits (network/base/ratelimit.py), written like allauth's: amount /
# period / per user, ip or key. Over one, the person sees "too many attempts" (429).
PORTAL_RATE_LIMITS = {
    # Each invitation sends an email; the admin's bulk action is for many at once.
    "invitation_create": "20/m/user,200/d/user",
    # Choosing a password from an invitation link (the token is the key).
    "invitation_accept": "10/m/ip,5/m/key",
    # Bookings and waitlist requests, own or for someone else; each may email.
    "booking_create": "20/m/user,300/h/user",
    # For the connection and survey endpoints when they arrive:
    "connection_request": "10/m/user,50/d/user",
    # Answers are saved as a person goes (one POST per change): generous per person or link.
    "survey_answer": "60/m/user,60/m/key",
    # Academy visits: a request emails the coordinators; scheduling, cancelling, marking
    # completed, reports and actions email the people on the visit.
    "visit_request": "10/m/user,50/d/user",
    "visit_change": "30/m/user,500/h/user",
}

# Two-step sign-in (allauth.mfa): required for coordinators and trust executives
# (network/base/mfa.py), optional for everyone else. An authenticator app (TOTP) or a
# security key / passkey (WebAuthn, where the browser has it); recovery codes are made
# with the first. https://docs.allauth.org/en/latest/mfa/configuration.html
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# Accept the code before and after the current one too (RFC 6238's one step of network
# delay and phone clock drift); each code still works once.
MFA_TOTP_TOLERANCE = 1
# Passkeys are a second step here, not a way to sign in without a password.
MFA_PASSKEY_LOGIN_ENABLED = False
# Browsers allow WebAuthn on https, and on http://localhost for development only.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# -- Forms --------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# -- Email --------------------------------------------------------------------------
# Without EMAIL_URL, mail is printed to the console (the embedded default for `make run`).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# A hung SMTP server must not hold a worker (and the outbox row's lock) for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Subject Network <noreply@network.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's public address, written into email links, calendar-feed addresses,
# certificate check links and CSV exports. Production sets it; a local run derives it
# from the HOST and PORT that `make run` serves on (the Makefile exports them), so
# `make run PORT=8765` writes links that work. A server listening on every interface
# (0.0.0.0 or ::) is reached on this machine as 127.0.0.1.
_SERVE_HOST = env("HOST", default="127.0.0.1")
_SERVE_HOST = "127.0.0.1" if _SERVE_HOST in ("0.0.0.0", "::", "[::]") else _SERVE_HOST  # noqa: S104
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default=f"http://{_SERVE_HOST}:{env('PORT', default='8000')}").rstrip("/")
# A worker claims an email before sending it; if it dies, another worker sends the email
# once this many seconds have passed since the claim (network.base.outbox). Keep it well
# above EMAIL_TIMEOUT, or a slow SMTP exchange could be sent twice.
OUTBOX_CLAIM_LEASE_SECONDS = env.int("OUTBOX_CLAIM_LEASE_SECONDS", default=600)

# -- Celery -------------------------------------------------------------------------
# With REDIS_URL unset, the broker is kombu's filesystem transport under var/, so `make
# run` needs no server. Results are never stored: tasks write what matters to the DB.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# A hung Redis must not hang a booking: fail fast and let the outbox sweep deliver.
# (Named on its own so the broker tests apply exactly these values.)
REDIS_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    "visibility_timeout": 3600,
    "max_retries": 1,
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
else:
    _queue = BASE_DIR / "var" / "celery"
    for _sub in ("out", "processed", "control"):
        (_queue / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "out"),
        "data_folder_out": str(_queue / "out"),
        "processed_folder": str(_queue / "processed"),
        "store_processed": False,
        "control_folder": str(_queue / "control"),  # otherwise kombu writes ./control/
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")

# -- Security -----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# A strict Content Security Policy: no inline script or style, nothing from a CDN.
# https://django-csp.readthedocs.io/en/latest/configuration.html
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# -- Logging ------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# -- The portal ---------------------------------------------------------------------
PORTAL_NAME = env("PORTAL_NAME", default="Subject Network Portal")

# -- Personal data (network/base/privacy/retention.py, network/base/privacy/erasure.py) -----------------------
# Days each kind of personal data is kept before the daily sweep removes it; the public
# privacy page (/privacy/) is written from these. Six years of attendance detail covers
# a limitation period for claims; the rest is the least the work needs.
RETENTION_ATTENDANCE_DETAIL_DAYS = env.int("RETENTION_ATTENDANCE_DETAIL_DAYS", default=6 * 365)
RETENTION_UNANSWERED_INVITATIONS_DAYS = env.int("RETENTION_UNANSWERED_INVITATIONS_DAYS", default=365)
RETENTION_OUTBOX_BODIES_DAYS = env.int("RETENTION_OUTBOX_BODIES_DAYS", default=90)
RETENTION_IMPORT_FILES_DAYS = env.int("RETENTION_IMPORT_FILES_DAYS", default=30)
# For the impact room's survey answers (registered when surveys land; see retention.py).
RETENTION_SURVEY_FREE_TEXT_DAYS = env.int("RETENTION_SURVEY_FREE_TEXT_DAYS", default=3 * 365)
# Who people write to about their data (shown on the privacy page).
PRIVACY_CONTACT = env("PRIVACY_CONTACT", default="the network's coordinators")
# Key of the one-way fingerprints of erased people (network/base/privacy/erasure.py). Empty: derived
# from SECRET_KEY. Set once and never change it, or erased people are forgotten.
ERASURE_FINGERPRINT_KEY = env("ERASURE_FINGERPRINT_KEY", default="")
MFA_TOTP_ISSUER = PORTAL_NAME  # the name authenticator apps show beside the codes
# Cross-trust figures shown to a trust suppress counts below this ("<5").
SMALL_NUMBER_THRESHOLD = 5

# -- The network programme: connections (issue 13) -----------------------------------
# The most connection requests one person may have waiting for a reply at once.
CONNECTIONS_MAX_OPEN_REQUESTS = env.int("CONNECTIONS_MAX_OPEN_REQUESTS", default=3)
