"""Settings, all driven by the environment (see docs/configuration.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config import production
from config.private_files import private_folder, private_sqlite_file

BASE_DIR = Path(__file__).resolve().parent.parent
SRC_DIR = BASE_DIR / "src" / "secondopinion"


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DATA_DIR = Path(os.environ.get("SECONDOPINION_DATA_DIR", BASE_DIR / "var")).resolve()
private_folder(DATA_DIR)
(DATA_DIR / "static").mkdir(exist_ok=True)
DEBUG = env_bool("SECONDOPINION_DEBUG", False)
TESTING = env_bool("SECONDOPINION_TESTING", False)

# Secrets: development defaults outside production. Production refuses them, DEBUG and test mode with one
# message (config/production.py), here, before the hex key is decoded: every command and the server stop.
PRODUCTION = env_bool("SECONDOPINION_PRODUCTION", False)
if PRODUCTION:
    production.refuse_unsafe(os.environ)
SECRET_KEY = os.environ.get("SECONDOPINION_SECRET_KEY", production.DEV_SECRET_KEY)
AUDIT_HMAC_KEY = os.environ.get("SECONDOPINION_AUDIT_KEY", production.DEV_AUDIT_KEY).encode()
# 32 bytes, hex; wraps every per-file key.
FILE_MASTER_KEY = bytes.fromhex(
    os.environ.get("SECONDOPINION_FILE_MASTER_KEY", production.DEV_FILE_MASTER_KEY)
)

ALLOWED_HOSTS = os.environ.get("SECONDOPINION_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SECONDOPINION_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "secondopinion.core",
    "secondopinion.accounts",
    "secondopinion.cases",
    "secondopinion.triage",
    "secondopinion.consults",
    "secondopinion.opinions",
    "secondopinion.outcomes",
    "secondopinion.directory",
    "secondopinion.reviews",
    "secondopinion.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "secondopinion.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "secondopinion.accounts.middleware.BearerTokenMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "secondopinion.core.middleware.AuditContextMiddleware",
    "secondopinion.api.middleware.ApiProblemMiddleware",
    "secondopinion.accounts.middleware.SecondFactorRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    }
]

# Database: DATABASE_URL, default SQLite under the data directory (WAL, immediate transactions, busy timeout).
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'secondopinion.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("SECONDOPINION_TEST_SQLITE") or None
    private_sqlite_file(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sessions: idle timeout (each request pushes the expiry forward).
SESSION_COOKIE_AGE = env_int("SECONDOPINION_IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECONDOPINION_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Lock-out: 5 failed sign-ins for one address within 15 minutes lock it for 15 minutes (accounts.lockout).
LOCKOUT_FAILURES = env_int("SECONDOPINION_LOCKOUT_FAILURES", 5)
LOCKOUT_MINUTES = env_int("SECONDOPINION_LOCKOUT_MINUTES", 15)
# Failed sign-ins one client address may make, for any accounts, within the lock-out window.
SIGNIN_FAILURES_PER_ADDRESS = env_int("SECONDOPINION_SIGNIN_FAILURES_PER_ADDRESS", 50)

# Two-factor
OTP_TOTP_ISSUER = "secondopinion"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Español"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = os.environ.get("SECONDOPINION_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploads: every file goes through the encrypting handler; nothing in memory, no plaintext on disk.
FILE_UPLOAD_HANDLERS = ["secondopinion.core.uploads.EncryptingUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_STORE_DIR = DATA_DIR / "files"
UPLOAD_MAX_BYTES = env_int("SECONDOPINION_UPLOAD_MAX_BYTES", 104_857_600)
UPLOAD_MAX_BYTES_LARGE = env_int("SECONDOPINION_UPLOAD_MAX_BYTES_LARGE", 2_147_483_648)
# The longest an upload may take from its first byte to its row's commit: `storage sweep` never removes a
# file that changed more recently, row or no row (a slow 2 GiB upload, or a file moved into place just
# before its commit).
UPLOAD_MAX_SECONDS = env_int("SECONDOPINION_UPLOAD_MAX_SECONDS", 6 * 3600)
ZIP_MAX_ENTRIES = env_int("SECONDOPINION_ZIP_MAX_ENTRIES", 10_000)
ZIP_MAX_UNCOMPRESSED = env_int("SECONDOPINION_ZIP_MAX_UNCOMPRESSED", 4 * 1024**3)
ZIP_MAX_RATIO = env_int("SECONDOPINION_ZIP_MAX_RATIO", 100)

# Security headers. Downloads get their own sandboxing policy (core.files).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS only in production; TLS ends at the proxy, which must overwrite X-Forwarded-Proto (configuration.md).
SECURE_SSL_REDIRECT = env_bool("SECONDOPINION_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECONDOPINION_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECONDOPINION_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECONDOPINION_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = production.proxy_ssl_header(
    os.environ.get("SECONDOPINION_PROXY_SSL_HEADER", "X-Forwarded-Proto: https" if PRODUCTION else "")
)
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}

# Background tasks: the database backend (django-tasks-db); tests run them immediately.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.backend.DatabaseBackend"
        )
    }
}

# E-mail never carries health data (accounts.notify). Console by default; SMTP from the environment.
_MAIL_BACKEND = os.environ.get("SECONDOPINION_EMAIL_BACKEND", "secondopinion.core.mail.ConsoleBackend")
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": (
            {
                "host": os.environ.get("SECONDOPINION_EMAIL_HOST", "localhost"),
                "port": env_int("SECONDOPINION_EMAIL_PORT", 25),
            }
            if _MAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("SECONDOPINION_FROM_EMAIL", "secondopinion <no-reply@localhost>")


def site_url(environ: Mapping[str, str]) -> str:
    """The base of links in e-mails: SECONDOPINION_SITE_URL, else the address `secondopinion serve` listens
    on (its PORT and HOST; every address, 0.0.0.0, is reached locally as 127.0.0.1)."""
    if environ.get("SECONDOPINION_SITE_URL"):
        return environ["SECONDOPINION_SITE_URL"]
    host = environ.get("HOST", "").strip()
    if host in ("", "0.0.0.0", "::"):  # noqa: S104
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{int(environ.get('PORT') or 8000)}"


SITE_URL = site_url(os.environ)
ADMINS = [a for a in os.environ.get("SECONDOPINION_ADMIN_EMAILS", "").split(",") if a]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_request_body": {"()": "secondopinion.core.logging.StripRequestFilter"},
        "no_secrets": {"()": "secondopinion.core.logging.MaskSecretsFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_secrets"]},
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["no_request_body", "no_secrets"],
            "include_html": False,
            "reporter_class": "secondopinion.core.logging.BodylessExceptionReporter",
        },
    },
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "WARNING"},
        "PyRuSH": {"level": "ERROR"},
    },
}
DEFAULT_EXCEPTION_REPORTER = "secondopinion.core.logging.BodylessExceptionReporter"

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    # WhiteNoise rescans every static file for each new test client; the live server serves them itself.
    MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")

# Counters shared by every process (rate limits, failed sign-ins per client address): in Redis when
# SECONDOPINION_REDIS_URL is set (redis://host:6379/0), else in the database (core.ratelimit).
SECONDOPINION_REDIS_URL = os.environ.get("SECONDOPINION_REDIS_URL", "")
if SECONDOPINION_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": SECONDOPINION_REDIS_URL,
            "KEY_PREFIX": os.environ.get("SECONDOPINION_REDIS_PREFIX", "secondopinion"),
        }
    }

# API access tokens open the API this many days after they are made (a new password ends them sooner).
SECONDOPINION_TOKEN_DAYS = int(os.environ.get("SECONDOPINION_TOKEN_DAYS", "90"))

# How rare is rare, and how far from a comprehensive center is rural (read by core/thresholds.py)
SECONDOPINION_RARE_THRESHOLD = float(os.environ.get("SECONDOPINION_RARE_THRESHOLD", "15"))
SECONDOPINION_RURAL_MILES = float(os.environ.get("SECONDOPINION_RURAL_MILES", "60"))
