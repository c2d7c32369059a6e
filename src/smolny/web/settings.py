"""Django settings for Smolny, read from environment variables.

One module for every deployment: a fresh clone runs with no variables set
(SQLite under ``./var``), and one variable, ``DATABASE_URL``, switches to
PostgreSQL. docs/operations.md lists every variable.

A setting that cannot be understood does not raise here: an exception in the
settings module would hide its cause behind an import traceback and would also
break ``smolny check`` itself. Each problem is recorded in
``SMOLNY_CONFIGURATION_ERRORS`` and reported by the system check at the bottom
of this module, which ``check``, ``migrate`` and ``runserver`` run first and
refuse to go on past.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core import checks

# (check id, message, hint), reported by check_configuration() below.
SMOLNY_CONFIGURATION_ERRORS: list[tuple[str, str, str]] = []

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def envstr(name: str, default: str) -> str:
    """The variable's value, or ``default`` when it is unset or empty."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    SMOLNY_CONFIGURATION_ERRORS.append(
        (
            "smolny.E002",
            f"{name}={os.environ[name]!r} is not a yes/no value.",
            f"Use one of {sorted(_TRUE)} or {sorted(_FALSE)}.",
        )
    )
    return default


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        SMOLNY_CONFIGURATION_ERRORS.append(
            (
                "smolny.E002",
                f"{name}={value!r} is not a whole number.",
                f"For example {name}={default}.",
            )
        )
        return default


def envlist(name: str) -> list[str]:
    """A comma-separated list; blanks around items and empty items are dropped."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


# --- Where things live --------------------------------------------------------

# Relative to the working directory the server starts in (the repository root
# for `smolny demo`), made absolute once so that a later chdir changes nothing.
DATA_DIR = Path(envstr("SMOLNY_DATA_DIR", "var")).resolve()

# The record's signing key lives in files, outside the database: whoever can
# read a database dump must not thereby be able to sign checkpoints.
SMOLNY_KEY_DIR = Path(envstr("SMOLNY_KEY_DIR", str(DATA_DIR / "keys"))).resolve()


def _secret_key() -> str:
    """SMOLNY_SECRET_KEY, or a key generated once into the data directory.

    The file is written under a temporary name and linked into place, so that
    two processes starting at once (a server and a test worker) end up reading
    the same complete key instead of one overwriting the other.
    """
    if key := os.environ.get("SMOLNY_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    try:
        if not path.exists():
            DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
            tmp = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50) + "\n")
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        key = path.read_text().strip()
        if not key:
            raise OSError(f"{path} is empty")
        return key
    except OSError as exc:
        SMOLNY_CONFIGURATION_ERRORS.append(
            (
                "smolny.E003",
                f"Cannot read or create the secret key file {path}: {exc}",
                "Make SMOLNY_DATA_DIR writable, or set SMOLNY_SECRET_KEY.",
            )
        )
        return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
DEBUG = envbool("SMOLNY_DEBUG", False)
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", *envlist("SMOLNY_ALLOWED_HOSTS")]
CSRF_TRUSTED_ORIGINS = envlist("SMOLNY_CSRF_TRUSTED_ORIGINS")


# --- Database -----------------------------------------------------------------

# SQLite: WAL so that readers never wait for the writer; synchronous=FULL so a
# commit is on disk before it is acknowledged (the record must survive a power
# cut, not just a crash of the process); IMMEDIATE so that a transaction takes
# the write lock when it begins rather than failing with "database is locked"
# halfway through when it first writes.
SQLITE_OPTIONS: dict[str, Any] = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL",
    "transaction_mode": "IMMEDIATE",
    "timeout": envint("SMOLNY_SQLITE_TIMEOUT", 20),
}

# Set per session whatever the server's default: durability is not the
# operator's to trade for speed.
POSTGRES_SESSION_OPTIONS = "-c synchronous_commit=on"

# Each of the server's threads keeps its connection between requests (the
# health check replaces a broken one before a request uses it), so a server holds
# as many connections as it has threads. Django's default, a new connection for
# every request, is a new backend process and a SCRAM handshake on PostgreSQL;
# on SQLite, opening the file and running its pragmas (and, for the last one
# open, a checkpoint of the WAL at close). With a congress voting at once
# (bench/congress.py, 32 threads) that cost half the votes per second or more
# on PostgreSQL, and about a third on SQLite.
DB_CONN_MAX_AGE = envint("SMOLNY_DB_CONN_MAX_AGE", 600)


def database_from_url(url: str) -> dict[str, Any]:
    """Django's DATABASES entry for a postgres:// (or postgresql://) URL.

    Raises ValueError with a message fit to show the operator. Percent-escapes
    are decoded in every part (a password may contain '@' as %40, a socket
    directory may be given as the host, %2Frun%2Fpostgresql); query parameters
    are passed to libpq as connection parameters (sslmode, connect_timeout, ...).
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(
            f"the scheme is {parts.scheme + '://' if parts.scheme else 'missing'}; "
            "only postgres:// and postgresql:// are supported"
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"the port is not valid ({exc})") from None
    name = unquote(parts.path.removeprefix("/"))
    if not name or "/" in name:
        raise ValueError("it names no database: end it with /DATABASE_NAME")
    try:
        query = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError as exc:
        raise ValueError(f"the query string is not valid ({exc})") from None
    options: dict[str, Any] = dict(query)
    options["options"] = " ".join(
        filter(None, [options.get("options", ""), POSTGRES_SESSION_OPTIONS])
    )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(port) if port is not None else "",
        "OPTIONS": options,
        "CONN_MAX_AGE": DB_CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
    }


def _default_database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "smolny.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
            "CONN_MAX_AGE": DB_CONN_MAX_AGE,
        }
    try:
        return database_from_url(url)
    except ValueError as exc:
        # Never fall back to SQLite: data written there would silently be
        # missing from the PostgreSQL the operator meant. The dummy backend
        # refuses every query, and the check explains why.
        SMOLNY_CONFIGURATION_ERRORS.append(
            (
                "smolny.E001",
                f"DATABASE_URL cannot be used: {exc}.",
                "Expected postgres://USER:PASSWORD@HOST:PORT/DBNAME, with special "
                "characters percent-escaped; unset it to use SQLite.",
            )
        )
        return {"ENGINE": "django.db.backends.dummy"}


DATABASES = {"default": _default_database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Applications -------------------------------------------------------------

# >>> Smolny's own apps. Append new apps here, nowhere else. >>>
SMOLNY_APPS = [
    "smolny.web",
    "smolny.store",
    "smolny.readmodels",
    "smolny.pages",
    "smolny.api",
    "smolny.publicrecord",
]
# <<< Smolny's own apps. <<<

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    *SMOLNY_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "smolny.web.middleware.PageMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "smolny.web.urls"
LOGIN_URL = "signin"
LOGIN_REDIRECT_URL = "home"
WSGI_APPLICATION = "smolny.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smolny.publicrecord.context.record_key",
            ],
        },
    },
]


# --- Passwords and sessions ---------------------------------------------------

# Argon2 first: new and changed passwords are hashed with it; the others only
# verify (and upgrade on login) hashes made before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# --- HTTP security ------------------------------------------------------------

# The default is a demo on a LAN over plain HTTP. Behind TLS set SMOLNY_HTTPS=on
# (and SMOLNY_BEHIND_PROXY=on when a proxy terminates TLS and sets
# X-Forwarded-Proto).
_https = envbool("SMOLNY_HTTPS", False)
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = envint("SMOLNY_HSTS_SECONDS", 0) if _https else 0
if envbool("SMOLNY_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


# --- Internationalization, static files, logging ------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

# Without this, with DEBUG off, Django logs errors only by mail to ADMINS
# (nobody): a server error would leave no trace.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("SMOLNY_LOG_LEVEL", "INFO").upper()},
    # Waitress warns "Task queue depth is N" for every request that finds no idle thread:
    # when a congress votes at once that is nearly every vote (bench/congress.py: 1,731 lines
    # for 2,091 votes), each formatted and written by the thread that reads every connection.
    # Requests waiting their turn are how the server is meant to work under load.
    "loggers": {"waitress.queue": {"level": "ERROR"}},
}


# --- Configuration checks -----------------------------------------------------


@checks.register()
def check_configuration(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Report every setting this module could not understand (smolny.E001-E003),
    and a signing-key directory that other users can read (smolny.W001)."""
    from django.conf import settings

    messages: list[checks.CheckMessage] = [
        checks.Error(msg, hint=hint, id=id_)
        for id_, msg, hint in getattr(settings, "SMOLNY_CONFIGURATION_ERRORS", [])
    ]
    key_dir = Path(getattr(settings, "SMOLNY_KEY_DIR", SMOLNY_KEY_DIR))
    try:
        mode = key_dir.stat().st_mode
    except FileNotFoundError:
        mode = 0
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        messages.append(
            checks.Warning(
                f"The signing key directory {key_dir} is open to other users "
                f"(mode {stat.filemode(mode)}).",
                hint=f"chmod 700 {key_dir}",
                id="smolny.W001",
            )
        )
    return messages
