"""Typed settings read from the environment, in one place.

Every setting the platform takes is declared here with its type, default and
meaning; the README's configuration table lists the same names. Nothing else
reads ``os.environ``.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


def _str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _str(name, default) or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


_CACHE_SCHEMES = ("redis", "rediss", "locmem", "db")


def _cache_url(name: str, default: str) -> str:
    """A cache address: ``redis://host:port/db`` (or ``rediss://``), ``locmem://`` or ``db://``."""
    value = _str(name, default)
    if not value:
        return value
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in _CACHE_SCHEMES:
        raise ConfigError(
            f"{name} must start with one of {', '.join(s + '://' for s in _CACHE_SCHEMES)}, got {value!r}"
        )
    if scheme.startswith("redis") and not value.split("://", 1)[1].split("/", 1)[0]:
        raise ConfigError(f"{name} must name the Redis host, e.g. redis://127.0.0.1:6379/0, got {value!r}")
    return value


# Where uploaded files live: "local" (MEDIA_ROOT; shared storage when several hosts serve) or "s3"
# (an S3-compatible bucket: AWS, MinIO, Ceph, ...). The old default, Django's file-system class, still
# means "local".
_STORAGE_BACKENDS = ("local", "s3")
_STORAGE_ALIASES = {"django.core.files.storage.FileSystemStorage": "local"}


def _storage_backend(name: str) -> str:
    value = _str(name, "local").strip() or "local"
    value = _STORAGE_ALIASES.get(value, value)
    if value not in _STORAGE_BACKENDS:
        raise ConfigError(f"{name} must be one of {', '.join(_STORAGE_BACKENDS)}, got {value!r}")
    return value


_DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


def _database_url(name: str, default: str) -> str:
    """``sqlite:///path`` or ``postgres://user:password@host:port/name``; anything else stops start-up."""
    value = _str(name, default).strip() or default
    scheme = value.split("://", 1)[0] if "://" in value else ""
    shown = _hide_password(value)
    if scheme not in _DATABASE_SCHEMES:
        raise ConfigError(
            f"{name} must start with sqlite:// or postgres://, e.g. postgres://codi@127.0.0.1:5432/codi, "
            f"got {shown!r}"
        )
    rest = value.split("://", 1)[1]
    if scheme == "sqlite":
        if rest != ":memory:" and not (rest.startswith("/") and rest.strip("/")):
            raise ConfigError(f"{name} must name the SQLite file, e.g. sqlite:////var/lib/codi/codi.sqlite3")
        return value
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as exc:
        raise ConfigError(f"{name} has a port that is not a number: {shown!r}") from exc
    if not parts.path.strip("/"):
        raise ConfigError(
            f"{name} must name the database, e.g. postgres://codi@127.0.0.1:5432/codi, got {shown!r}"
        )
    return value


def _hide_password(url: str) -> str:
    parts = urlsplit(url) if "://" in url else None
    if parts is None or not parts.password:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def start_failure_line(exc: ConfigError) -> str:
    """The one line a process prints when its configuration is wrong (manage.py, the WSGI app)."""
    return f"การตั้งค่าไม่ถูกต้อง / configuration error: {exc}"


def _http_url(name: str) -> str:
    value = _str(name, "").strip()
    if value and not (value.startswith(("http://", "https://")) and value.split("://", 1)[1].strip("/")):
        raise ConfigError(f"{name} must be an http:// or https:// address, got {value!r}")
    return value


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in _str(name, default).split(",") if item.strip()]


def _kept_secret(var_dir: Path, name: str, make: Callable[[], str]) -> str:
    """Use the environment variable ``name`` when given; otherwise make a value once and keep it under var/.

    Local use only: in production set the variable (and back it up — data
    encrypted with a lost key cannot be read again).
    """
    given = os.environ.get(name)
    if given:
        return given
    key_file = var_dir / name.lower()
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = make()
    # Opened exclusively so two processes starting together cannot both write one.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _new_fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


# --- single sign-on (OIDC provider, optional LDAP) -----------------------------------
def _new_rsa_private_key_pem() -> str:
    """A 2048-bit RSA key in PEM, made once for local use (cryptography is imported only here)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _oidc_rsa_private_key(var_dir: Path) -> str:
    """``OIDC_RSA_PRIVATE_KEY_FILE`` (a PEM file) when given, else a key kept under var/."""
    path = os.environ.get("OIDC_RSA_PRIVATE_KEY_FILE")
    if path:
        try:
            return Path(path).read_text()
        except OSError as exc:
            raise ConfigError(f"OIDC_RSA_PRIVATE_KEY_FILE cannot be read: {exc}") from exc
    return _kept_secret(var_dir, "OIDC_RSA_PRIVATE_KEY", _new_rsa_private_key_pem) + "\n"


# --- end single sign-on ----------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    var_dir: Path
    debug: bool
    secret_key: str
    field_encryption_key: str
    blind_index_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    database_url: str
    media_root: Path
    media_url: str
    storage_backend: str
    # object storage (STORAGE_BACKEND=s3): an S3-compatible bucket through django-storages
    s3_bucket: str
    s3_endpoint_url: str
    s3_region: str
    s3_access_key_id: str
    s3_secret_access_key: str
    s3_prefix: str
    s3_addressing_style: str
    s3_url_expire_seconds: int
    email_url: str
    default_from_email: str
    session_idle_seconds: int
    audit_retention_days: int
    secure_cookies: bool
    secure_ssl_redirect: bool
    hsts_seconds: int
    hsts_preload: bool
    log_level: str
    log_format: str
    api_rate_limit_per_minute: int
    cache_url: str
    ratelimit_url: str
    session_engine: str
    max_request_bytes: int
    mfa_issuer: str
    feedback_line_channel_secret: str
    feedback_submissions_per_hour: int
    notifications_line_token: str
    llm_base_url: str
    llm_model: str
    llm_api_key: str
    knowledge_retention_days: int
    search_embed_threads: int
    # the address people and other systems reach the platform at (put into certificates, links)
    public_url: str
    # documents: upload limits and OCR
    documents_max_bytes: int
    documents_max_pages: int
    documents_ocr_languages: str
    documents_ocr_dpi: int
    documents_ocr_page_timeout: int
    # single sign-on
    oidc_rsa_private_key: str
    oidc_issuer: str
    ldap_uri: str
    ldap_bind_dn: str
    ldap_bind_password: str
    ldap_start_tls: bool
    ldap_user_search_base: str
    ldap_user_filter: str
    ldap_group_search_base: str
    ldap_group_type: str
    ldap_role_map: str


def _check_storage(cfg: Config) -> Config:
    if cfg.storage_backend == "s3" and not cfg.s3_bucket:
        raise ConfigError("S3_BUCKET must name the bucket when STORAGE_BACKEND=s3")
    return cfg


def load() -> Config:
    var_dir = Path(_str("CODI_VAR_DIR", str(BASE_DIR / "var")))
    return _check_storage(_load(var_dir))


def _load(var_dir: Path) -> Config:
    return Config(
        var_dir=var_dir,
        debug=_bool("DEBUG", False),
        secret_key=_kept_secret(var_dir, "SECRET_KEY", lambda: secrets.token_urlsafe(50)),
        field_encryption_key=_kept_secret(var_dir, "FIELD_ENCRYPTION_KEY", _new_fernet_key),
        blind_index_key=_kept_secret(var_dir, "BLIND_INDEX_KEY", lambda: secrets.token_hex(32)),
        allowed_hosts=_list("ALLOWED_HOSTS", "127.0.0.1,localhost"),
        csrf_trusted_origins=_list("CSRF_TRUSTED_ORIGINS", ""),
        database_url=_database_url("DATABASE_URL", f"sqlite:///{var_dir / 'codi.sqlite3'}"),
        media_root=Path(_str("MEDIA_ROOT", str(var_dir / "media"))),
        media_url=_str("MEDIA_URL", "/media/"),
        storage_backend=_storage_backend("STORAGE_BACKEND"),
        s3_bucket=_str("S3_BUCKET", ""),
        s3_endpoint_url=_http_url("S3_ENDPOINT_URL"),
        s3_region=_str("S3_REGION", ""),
        s3_access_key_id=_str("S3_ACCESS_KEY_ID", ""),
        s3_secret_access_key=_str("S3_SECRET_ACCESS_KEY", ""),
        s3_prefix=_str("S3_PREFIX", "media").strip("/"),
        s3_addressing_style=_choice("S3_ADDRESSING_STYLE", "path", ("path", "virtual", "auto")),
        s3_url_expire_seconds=_int("S3_URL_EXPIRE_SECONDS", 300, minimum=10),
        email_url=_str("EMAIL_URL", "file://" + str(var_dir / "mail")),
        default_from_email=_str("DEFAULT_FROM_EMAIL", "CODI Platform <no-reply@localhost>"),
        session_idle_seconds=_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60),
        audit_retention_days=_int("AUDIT_RETENTION_DAYS", 365, minimum=90),
        secure_cookies=_bool("SECURE_COOKIES", False),
        secure_ssl_redirect=_bool("SECURE_SSL_REDIRECT", False),
        hsts_seconds=_int("HSTS_SECONDS", 0, minimum=0),
        hsts_preload=_bool("HSTS_PRELOAD", False),
        log_level=_str("LOG_LEVEL", "INFO"),
        log_format=_str("LOG_FORMAT", "json"),
        api_rate_limit_per_minute=_int("API_RATE_LIMIT_PER_MINUTE", 600, minimum=1),
        cache_url=_cache_url("CACHE_URL", "locmem://"),
        # Counters shared by all processes (rate limits, sign-in throttling): Redis when given,
        # else the Redis of CACHE_URL, else the database (codi.core.ratelimit).
        ratelimit_url=_cache_url("RATELIMIT_URL", ""),
        session_engine=_choice("SESSION_ENGINE", "db", ("db", "cache", "cached_db")),
        # Scans are often larger than 10 MB: the request limit sits just above the documents limit.
        max_request_bytes=_int("MAX_REQUEST_BYTES", 26 * 1024 * 1024, minimum=1024),
        mfa_issuer=_str("MFA_ISSUER", "CODI Platform"),
        feedback_line_channel_secret=_str("FEEDBACK_LINE_CHANNEL_SECRET", ""),
        feedback_submissions_per_hour=_int("FEEDBACK_SUBMISSIONS_PER_HOUR", 10, minimum=1),
        notifications_line_token=_str("NOTIFICATIONS_LINE_TOKEN", ""),
        llm_base_url=_str("LLM_BASE_URL", ""),
        llm_model=_str("LLM_MODEL", ""),
        llm_api_key=_str("LLM_API_KEY", ""),
        knowledge_retention_days=_int("KNOWLEDGE_RETENTION_DAYS", 180, minimum=1),
        search_embed_threads=_int("SEARCH_EMBED_THREADS", 1, minimum=1),
        public_url=_str("CODI_PUBLIC_URL", "http://127.0.0.1:8000"),
        documents_max_bytes=_int("DOCUMENTS_MAX_BYTES", 25 * 1024 * 1024, minimum=1024),
        documents_max_pages=_int("DOCUMENTS_MAX_PAGES", 200, minimum=1),
        documents_ocr_languages=_str("DOCUMENTS_OCR_LANGUAGES", "tha+eng"),
        documents_ocr_dpi=_int("DOCUMENTS_OCR_DPI", 300, minimum=72),
        documents_ocr_page_timeout=_int("DOCUMENTS_OCR_PAGE_TIMEOUT", 120, minimum=5),
        # single sign-on
        oidc_rsa_private_key=_oidc_rsa_private_key(var_dir),
        oidc_issuer=_str("OIDC_ISSUER", ""),
        ldap_uri=_str("CODI_LDAP_URI", ""),
        ldap_bind_dn=_str("CODI_LDAP_BIND_DN", ""),
        ldap_bind_password=_str("CODI_LDAP_BIND_PASSWORD", ""),
        ldap_start_tls=_bool("CODI_LDAP_START_TLS", False),
        ldap_user_search_base=_str("CODI_LDAP_USER_SEARCH_BASE", ""),
        ldap_user_filter=_str("CODI_LDAP_USER_FILTER", "(uid=%(user)s)"),
        ldap_group_search_base=_str("CODI_LDAP_GROUP_SEARCH_BASE", ""),
        ldap_group_type=_str("CODI_LDAP_GROUP_TYPE", "groupOfNames"),
        ldap_role_map=_str("CODI_LDAP_ROLE_MAP", ""),
    )
