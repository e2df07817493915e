"""Settings for Xianjie.

One file; every deployment knob is an environment variable (CONTRACT.md).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else default


DATA_DIR = Path(env_str("XIANJIE_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Demo mode loads the CONTRACT.md demo users and relaxes the 三员 second factor; production sets 0.
DEMO_MODE = env_bool("XIANJIE_DEMO", True)
DEBUG = env_bool("XIANJIE_DEBUG", False)


def _secret_key() -> str:
    if key := env_str("XIANJIE_SECRET_KEY"):
        return key
    key_file = Path(env_str("XIANJIE_SECRET_KEY_FILE", str(DATA_DIR / "secret_key")))
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("XIANJIE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("XIANJIE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "xianjie.core",
    "xianjie.accounts",
    "xianjie.access",
    "xianjie.audit",
    "xianjie.calendar",
    "xianjie.catalog",
    "xianjie.notifications",
    "xianjie.documents",
    "xianjie.referrals",
    "xianjie.inspections",
    "xianjie.sharing",
    "xianjie.dashboards",
    "xianjie.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "xianjie.accounts.middleware.SessionSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xianjie.urls"
WSGI_APPLICATION = "xianjie.wsgi.application"

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
                "xianjie.dashboards.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'xianjie.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
        # two services racing on one record serialise instead of both reading the old state.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "xianjie.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("XIANJIE_PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "xianjie.accounts.passwords.ComplexityValidator"},
    {"NAME": "xianjie.accounts.passwords.NotUsernameValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:workbench"
LOGOUT_REDIRECT_URL = "accounts:login"

# 等保 2.0 level 3: lockout after repeated failures, per account and per address separately.
# These seed the security policy; the live values are the security administrator's
# (accounts.SecurityPolicy), which axes reads through the two callables.
LOCKOUT_FAILURES = env_int("XIANJIE_LOCKOUT_FAILURES", 5)
LOCKOUT_MINUTES = env_int("XIANJIE_LOCKOUT_MINUTES", 10)
AXES_FAILURE_LIMIT = "xianjie.accounts.security.axes_failure_limit"
AXES_COOLOFF_TIME = "xianjie.accounts.security.axes_cooloff_time"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "xianjie.accounts.views.auth.lockout_response"

# Idle timeout: the session expires this long after the last request.
SESSION_IDLE_MINUTES = env_int("XIANJIE_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("XIANJIE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
API_TOKEN_HOURS = env_int("XIANJIE_API_TOKEN_HOURS", 8)

OTP_TOTP_ISSUER = "衔接"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Tier 3 encryption (第十一条): envelope keys wrapped by this key-encryption key.
MASTER_KEY_FILE = env_str(
    "XIANJIE_MASTER_KEY_FILE", str(DATA_DIR / "master.key") if DEMO_MODE else ""
)
CIPHER = env_str("XIANJIE_CIPHER", "sm4-gcm")

# Evidence files of referrals: the size limit per file (413 beyond), and where Django buffers an
# upload too large for memory while the request is read — owner-only, inside the data dir, never
# in world-readable /tmp, since that copy is still plaintext.
EVIDENCE_MAX_BYTES = env_int("XIANJIE_EVIDENCE_MAX_MB", 100) * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "uploads")
os.makedirs(FILE_UPLOAD_TEMP_DIR, mode=0o700, exist_ok=True)
os.chmod(FILE_UPLOAD_TEMP_DIR, 0o700)

# Watermarks on tier 3 files downloaded under an access grant (第十一条): a font with CJK glyphs
# for images (PDFs use the standard STSong-Light CID font and need none). Empty: the usual Debian
# font paths are tried, then an ASCII-only mark.
WATERMARK_FONT = env_str("XIANJIE_WATERMARK_FONT", "")

EMAIL_BACKEND = env_str("XIANJIE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("XIANJIE_LOG_LEVEL", "WARNING")},
}
