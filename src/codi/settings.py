"""Django settings. Values come from ``codi.config`` (environment variables)."""

from __future__ import annotations

import os
from urllib.parse import unquote, urlparse

import dj_database_url

from codi import config

CFG = config.load()
BASE_DIR = config.BASE_DIR
VAR_DIR = CFG.var_dir

DEBUG = CFG.debug
SECRET_KEY = CFG.secret_key
# Personal data at rest: Fernet key for encrypted fields, HMAC key for blind indexes.
FIELD_ENCRYPTION_KEY = CFG.field_encryption_key
BLIND_INDEX_KEY = CFG.blind_index_key
ALLOWED_HOSTS = CFG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CFG.csrf_trusted_origins

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "oauth2_provider",  # single sign-on: OIDC provider (codi.identity.oidc)
    "codi.core",
    "codi.api",  # only its AppConfig: connects the API key cache's invalidation in every process
    "codi.calendar",
    "codi.identity",
    "codi.areas",
    "codi.communities",
    "codi.search",
    "codi.knowledge",
    "codi.notifications",
    "codi.feedback",
    "codi.projects",
    "codi.signatures",
    "codi.documents",
    "codi.correspondence",
    "codi.governance",
    "codi.privacy",
    "codi.opendata",
    "codi.workflow",
    "codi.finance",
    "codi.procurement",
    "codi.people",
    "codi.lending",
    "codi.audit",  # e-Audit (label eaudit): analytics, findings, risk registers
    "codi.gis",  # maps, OGC API – Features, informal settlements (GIS Slum)
    "codi.insights",  # security operations: incidents, alert rules, anomaly detection, SIEM feed
    "codi.scoring",  # social scoring: community-strength index, project-risk model
    "codi.web",
    # --- public website (codi.website): Wagtail CMS, admin at /cms/ ---
    "codi.website",  # before wagtail.admin: its widget templates replace Wagtail's inline scripts
    "django.contrib.sitemaps",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",  # the admin's "Translate" action: an English copy of a Thai page
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.sites",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    "codi.core.middleware.RequestContextMiddleware",
    "codi.core.middleware.RequestSizeLimitMiddleware",
    "codi.core.middleware.ApiProblemMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "codi.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "codi.web.locale.ThaiFirstLocaleMiddleware",  # Thai unless the person chose English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "codi.identity.trusted.TrustedDeviceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "codi.insights.middleware.SatisfactionMiddleware",  # notes a completed task for the survey
    "codi.identity.middleware.IdleTimeoutMiddleware",
    "codi.identity.middleware.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "codi.core.middleware.MetricsMiddleware",
    "codi.website.pagecache.AnonymousPageCacheMiddleware",  # anonymous website pages (codi.website)
]

ROOT_URLCONF = "codi.urls"
WSGI_APPLICATION = "codi.wsgi.application"
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# --- public website (codi.website, Wagtail) --------------------------------------
WAGTAIL_SITE_NAME = "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
WAGTAILADMIN_BASE_URL = "http://localhost:8000"  # links in the admin's e-mails; pages use the request host
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"  # one sign-in: the platform's (MFA, lockout, SSO)
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no third-party requests
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # passwords are managed by identity, not the CMS
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("th", "ไทย"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True  # English pages where translated (Wagtail's own i18n; codi.website)
WAGTAIL_CONTENT_LANGUAGES = [("th", "ไทย"), ("en", "English")]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "zip"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_FINDERS: list[dict[str, object]] = []  # no oEmbed calls to other sites
WEBSITE_CONTACT_RATE = (5, 600)  # contact-form posts per client address per window (seconds)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "codi.web.context.navigation",
                "codi.insights.context.satisfaction",
            ],
        },
    }
]

# --- database ---------------------------------------------------------------
# Persistent connections are checked before each request reuses one, so after a database restart
# the first request on each old connection reconnects instead of failing (bench/drill.py, window C).
DATABASES = {"default": dj_database_url.parse(CFG.database_url, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE avoids
        # "database is locked" upgrades inside write transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and shared counters ------------------------------------------------
# CACHE_URL: redis:// (shared by every process; needs the `redis` package, a dependency),
# db:// (Django's database cache) or locmem:// (one process only: fine for `make run`).
_cache = urlparse(CFG.cache_url)
if _cache.scheme in ("redis", "rediss"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CFG.cache_url}
    }
elif _cache.scheme == "db":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "codi_cache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate limits and sign-in throttling count in one store for all processes (codi.core.ratelimit):
# API key → user → grants kept this long in the shared cache (codi.api.keycache); only with Redis:
# a per-process cache could not be cleared in the other processes when a key is revoked.
API_KEY_CACHE_SECONDS = 60 if _cache.scheme in ("redis", "rediss") else 0
# Redis when RATELIMIT_URL or a redis:// CACHE_URL is set, else a table in the database.
RATELIMIT_URL = CFG.ratelimit_url or (CFG.cache_url if _cache.scheme in ("redis", "rediss") else "")
# Sign-in: failures per address before it gets 429, and the per-account backoff
# (LOGIN_LOCKOUT_FAILURES failures → 1, 2, 4 … minutes, at most LOGIN_LOCKOUT_SECONDS).
LOGIN_IP_FAILURES = 20
LOGIN_IP_WINDOW_SECONDS = 15 * 60
LOGIN_BACKOFF_BASE_SECONDS = 60
TRUSTED_DEVICE_DAYS = 30

# --- auth & sessions ----------------------------------------------------------
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

# --- single sign-on: OIDC provider and optional LDAP / Active Directory ---------------
# OIDC (django-oauth-toolkit): authorization code with PKCE (S256) only; RS256 id_tokens
# carry roles and area scopes (codi.identity.oidc.CodiOAuth2Validator). Clients are made by
# `manage.py oidc_client_create`.
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": CFG.oidc_rsa_private_key,
    "OIDC_ISS_ENDPOINT": CFG.oidc_issuer,
    "OAUTH2_VALIDATOR_CLASS": "codi.identity.oidc.CodiOAuth2Validator",
    "SCOPES": {
        "openid": "OpenID Connect sign-in",
        "profile": "Name, username, position and unit",
        "email": "E-mail address",
        "roles": "CODI roles and the areas they cover",
    },
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 60 * 60,
    "ID_TOKEN_EXPIRE_SECONDS": 60 * 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 14 * 24 * 60 * 60,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REQUEST_APPROVAL_PROMPT": "auto",
}
# LDAP / AD sign-in is off unless CODI_LDAP_URI is set; codi.identity.ldap.CodiLDAPBackend
# builds its searches from these and maps LDAP groups to CODI roles (CODI_LDAP_ROLE_MAP).
LDAP_ENABLED = bool(CFG.ldap_uri)
AUTH_LDAP_SERVER_URI = CFG.ldap_uri
AUTH_LDAP_BIND_DN = CFG.ldap_bind_dn
AUTH_LDAP_BIND_PASSWORD = CFG.ldap_bind_password
AUTH_LDAP_START_TLS = CFG.ldap_start_tls
AUTH_LDAP_USER_ATTR_MAP = {
    "first_name": "givenName",
    "last_name": "sn",
    "email": "mail",
    "name_th": "displayName",
}
CODI_LDAP_USER_SEARCH_BASE = CFG.ldap_user_search_base
CODI_LDAP_USER_FILTER = CFG.ldap_user_filter
CODI_LDAP_GROUP_SEARCH_BASE = CFG.ldap_group_search_base
CODI_LDAP_GROUP_TYPE = CFG.ldap_group_type
CODI_LDAP_ROLE_MAP = CFG.ldap_role_map
if LDAP_ENABLED:
    import importlib.util

    if importlib.util.find_spec("ldap") is None or importlib.util.find_spec("django_auth_ldap") is None:
        # python-ldap compiles against libldap; it is an optional extra so `make run` needs no compiler.
        raise config.ConfigError(
            "CODI_LDAP_URI is set but LDAP support is not installed / ตั้งค่า CODI_LDAP_URI แต่ยังไม่ได้ติดตั้งส่วน LDAP: "
            "apt-get install libldap2-dev libsasl2-dev gcc && pip install -e '.[ldap]'"
        )
    AUTHENTICATION_BACKENDS = ["codi.identity.ldap.CodiLDAPBackend", *AUTHENTICATION_BACKENDS]
# --- end single sign-on ----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_ENGINE = "django.contrib.sessions.backends." + CFG.session_engine
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_IDLE_SECONDS = CFG.session_idle_seconds
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CFG.secure_cookies
CSRF_COOKIE_SECURE = CFG.secure_cookies
SECURE_SSL_REDIRECT = CFG.secure_ssl_redirect
SECURE_HSTS_SECONDS = CFG.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = CFG.hsts_seconds > 0
SECURE_HSTS_PRELOAD = CFG.hsts_preload
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if CFG.secure_ssl_redirect else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own static files (vendored, no CDN), never inline: a test renders every
# page kind and fails on an inline <script>, an on*= handler or a javascript: URL. Style
# *attributes* stay allowed (style-src-attr): a few data-driven widths and the feedback form's
# hidden honeypot use them, and an attribute cannot load or run anything; <style> elements and
# stylesheets from elsewhere are refused.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],  # data: for icons inside vendored CSS
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features: none for other sites; our own pages only ask for the location (the feedback
# form's "use my location" button on the map picker).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(self), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
LOGIN_LOCKOUT_FAILURES = 5
LOGIN_LOCKOUT_SECONDS = 15 * 60
OTP_TOTP_ISSUER = CFG.mfa_issuer

# --- i18n: Thai first ----------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "codi" / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# --- files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = CFG.media_root
# The analytics store's Parquet marts (codi.insights.marts); DuckDB reads them whatever the database.
CODI_MARTS_DIR = VAR_DIR / os.environ.get("CODI_MARTS_DIR", "marts")  # an absolute path replaces var/
MEDIA_URL = CFG.media_url
# --- storage: uploaded files in MEDIA_ROOT (local) or an S3-compatible bucket (STORAGE_BACKEND=s3) ---
STORAGE_BACKEND = CFG.storage_backend
if CFG.storage_backend == "s3":
    import importlib.util

    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        raise config.ConfigError(
            "STORAGE_BACKEND=s3 but S3 support is not installed / ตั้งค่า STORAGE_BACKEND=s3 "
            "แต่ยังไม่ได้ติดตั้งส่วน S3: pip install -e '.[s3]'"
        )
    _media_storage: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": CFG.s3_bucket,
            "endpoint_url": CFG.s3_endpoint_url or None,
            "region_name": CFG.s3_region or None,
            "access_key": CFG.s3_access_key_id or None,
            "secret_key": CFG.s3_secret_access_key or None,
            "location": CFG.s3_prefix,
            "addressing_style": CFG.s3_addressing_style,
            "querystring_auth": True,  # private bucket: links are signed and expire
            "querystring_expire": CFG.s3_url_expire_seconds,
            "default_acl": None,
            "file_overwrite": False,  # never replace an upload that has the same name
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = CFG.max_request_bytes
MAX_REQUEST_BYTES = CFG.max_request_bytes

# --- email ---------------------------------------------------------------------
_email = urlparse(CFG.email_url)
DEFAULT_FROM_EMAIL = CFG.default_from_email
if _email.scheme == "smtp" or _email.scheme == "smtps":
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = "starttls" in _email.query
elif _email.scheme == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = _email.path or str(VAR_DIR / "mail")

# --- background tasks ------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- platform ---------------------------------------------------------------------
AUDIT_RETENTION_DAYS = CFG.audit_retention_days
CODI_PUBLIC_URL = CFG.public_url
DOCUMENTS_MAX_BYTES = CFG.documents_max_bytes
DOCUMENTS_MAX_PAGES = CFG.documents_max_pages
DOCUMENTS_OCR_LANGUAGES = CFG.documents_ocr_languages
DOCUMENTS_OCR_DPI = CFG.documents_ocr_dpi
DOCUMENTS_OCR_PAGE_TIMEOUT = CFG.documents_ocr_page_timeout
API_RATE_LIMIT_PER_MINUTE = CFG.api_rate_limit_per_minute
FEEDBACK_LINE_CHANNEL_SECRET = CFG.feedback_line_channel_secret
FEEDBACK_SUBMISSIONS_PER_HOUR = CFG.feedback_submissions_per_hour
NOTIFICATIONS_LINE_TOKEN = CFG.notifications_line_token
FEEDBACK_CONNECTORS: list[str] = []
KNOWLEDGE_LLM_BASE_URL = CFG.llm_base_url
KNOWLEDGE_LLM_MODEL = CFG.llm_model
KNOWLEDGE_LLM_API_KEY = CFG.llm_api_key
KNOWLEDGE_RETENTION_DAYS = CFG.knowledge_retention_days
SEARCH_EMBED_THREADS = CFG.search_embed_threads

# --- people: CODI's 13-digit tax ID, printed as the payer on the 50 ทวิ and ภ.ง.ด.1ก (docs/people.md).
# Unset (or not a valid 13-digit ID), the pages and PDFs warn HR in Thai. Only with DEBUG (the demo),
# a clearly fake all-zero value stands in, marked as a demo value wherever it is shown.
PEOPLE_PAYER_TAX_ID = os.environ.get("CODI_PEOPLE_PAYER_TAX_ID", "").strip() or (
    "0000000000000" if DEBUG else ""
)

# --- lending: CODI's 15-digit Thai QR bill-payment biller ID (tax ID + suffix) for loan repayments
# (docs/lending.md). Unset, the borrower portal shows no QR; only with DEBUG a fake all-zero demo value.
LENDING_BILLER_ID = os.environ.get("CODI_LENDING_BILLER_ID", "").strip() or (
    "000000000000000" if DEBUG else ""
)

# --- logging: JSON lines with the request id ----------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "codi.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "codi.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if CFG.log_format == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": CFG.log_level},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Security operations (codi.insights): the SIEM feed sends the audit trail as RFC 5424 syslog to
# SIEM_SYSLOG_URL (tcp://host:514 or tls://host:6514; SIEM_CA_FILE for a private CA). Unsent entries
# beyond SIEM_MAX_BACKLOG are skipped and counted as lost. Alert policy limits (not metric baselines,
# which the anomaly detector learns): task lag and free disk.
SIEM_SYSLOG_URL = config._str("SIEM_SYSLOG_URL", "")
SIEM_CA_FILE = config._str("SIEM_CA_FILE", "")
SIEM_MAX_BACKLOG = config._int("SIEM_MAX_BACKLOG", 100_000, minimum=0)
ALERT_TASK_LAG_SECONDS = config._int("ALERT_TASK_LAG_SECONDS", 900, minimum=1)
ALERT_DISK_FREE_PERCENT = config._int("ALERT_DISK_FREE_PERCENT", 10, minimum=0)
ALERT_5XX_PERCENT = config._int("ALERT_5XX_PERCENT", 5, minimum=1)
ALERT_5XX_WINDOW_SECONDS = config._int("ALERT_5XX_WINDOW_SECONDS", 300, minimum=60)
ALERT_5XX_MIN_REQUESTS = config._int("ALERT_5XX_MIN_REQUESTS", 20, minimum=1)
