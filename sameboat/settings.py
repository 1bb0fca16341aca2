"""One settings module, read from the environment.

With nothing set, Sameboat runs on SQLite in ./data with DEBUG on, so a newcomer's
first command just works. Production sets DATABASE_URL (PostgreSQL), SECRET_KEY,
DEBUG=false, ALLOWED_HOSTS and the email settings.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SAMEBOAT_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
TESTING = "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed key so sessions survive restarts of `make run`.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Each person's list of their logins, which they may end (ASVS 3.3.4): /accounts/sessions/.
    "allauth.usersessions",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
    "sameboat.core",
    "sameboat.accounts",
    "sameboat.networks",
    "sameboat.aid",
    "sameboat.ledger",
    "sameboat.matching",
    "sameboat.notifications",
    "sameboat.groups",
    "sameboat.decisions",
    "sameboat.goals",
    "sameboat.calendars",
    "sameboat.directory",
    "sameboat.audit",
    "sameboat.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy and Cross-Origin-Resource-Policy, which Django does not send.
    "sameboat.core.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A login older than SESSION_ABSOLUTE_AGE ends, however busy it was (ASVS 3.3.2).
    "sameboat.accounts.middleware.AbsoluteSessionAgeMiddleware",
    # A leader a network requires two-factor of, without it, is sent to set it up.
    "sameboat.accounts.mfa.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Notes each session's last request in the person's session list when
    # USERSESSIONS_TRACK_ACTIVITY is on (allauth adds a session to the list at login).
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Lets audit_record, called from services, stamp the request id and network address.
    "sameboat.audit.services.AuditContextMiddleware",
    # A NUL in a path, query or form field is a 400 before any view (PostgreSQL refuses it).
    "sameboat.core.nul.RejectNulMiddleware",
]

ROOT_URLCONF = "sameboat.urls"
WSGI_APPLICATION = "sameboat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sameboat" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'sameboat.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# ASVS 2.4.5: new hashes are Argon2 over a keyed HMAC with a secret pepper
# (PASSWORD_PEPPERS, below); plain Argon2 and PBKDF2 hashes still verify and are re-hashed
# with the pepper at the next login.
PASSWORD_HASHERS = [
    "sameboat.accounts.hashers.PepperedArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests create many users; a fast hasher keeps them quick. Argon2 stays the
    # production hasher and is checked by its own test.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *PASSWORD_HASHERS,
    ]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 2.1.1/2.1.2: at least 12 characters and at most 128 (long passphrases welcome).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "sameboat.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the login; signup is by invitation or into an open network.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "none")
ACCOUNT_ADAPTER = "sameboat.accounts.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "sameboat.accounts.forms.SignupExtraForm"
# The whole signup (account, consents, membership, email address) in one transaction.
ACCOUNT_FORMS = {"signup": "sameboat.accounts.signup.SignupForm"}
# A password change keeps the session that made it and ends every other one: Django stores a
# hash of the password in each session and drops the sessions whose hash no longer matches,
# and sameboat.accounts.signals revokes the person's API token too. Logging out the very
# session that just proved the new password would only ask them to type it once more.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Changing email addresses, the password or the second factor asks for the password again
# unless it was given in the last few minutes (ACCOUNT_REAUTHENTICATION_TIMEOUT): a session
# left open on a shared computer cannot take over the account (ASVS 3.7.1).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# The person is told by email when their password, email addresses or second factor change,
# so a change they did not make is noticed (ASVS 2.2.3, 2.5.5). allauth's own templates: the
# change, the date, the address and browser it came from; nothing else about the person.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Login, password reset and the rest are rate-limited always, tests included (they prove the
# limits; an autouse fixture starts each test from a clear cache). Counted in CACHES below.
ACCOUNT_RATE_LIMITS = {
    # Wrong passwords (and wrong two-factor codes): 10 a minute from one address, and 5 in
    # 5 minutes against one account from anywhere. A success gives its attempt back.
    "login_failed": "10/m/ip,5/5m/key",
    # Every login form sent, right or wrong, from one address.
    "login": "30/m/ip",
    # Reset emails: 20 a minute from one address, 5 a minute to one address.
    "reset_password": "20/m/ip,5/m/key",
    # The page a reset email links to (its key is what a guesser would try).
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
# Proxies in front of the app (see REST_FRAMEWORK's NUM_PROXIES): allauth then counts per the
# client's address from X-Forwarded-For, never per an address the client made up.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("NUM_PROXIES", "0"))
# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery codes.
# A network may require it of its coordinators and admins (Network.mfa_required_for_leaders,
# enforced by sameboat.accounts.mfa.MfaRequiredMiddleware and the API's authentication).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "sameboat.accounts.mfa.MfaAdapter"
# allauth's code forms, refusing an app code used before for as long as it is accepted, and
# reporting the attempt (ASVS 2.8.4, 2.8.5).
MFA_FORMS = {
    "authenticate": "sameboat.accounts.mfa.AuthenticateForm",
    "reauthenticate": "sameboat.accounts.mfa.ReauthenticateForm",
}
MFA_TOTP_ISSUER = "Sameboat"
# One 30-second step either side: phones' clocks drift; a code is still good only once.
MFA_TOTP_TOLERANCE = 1
LOGIN_REDIRECT_URL = "core:home"
LOGIN_URL = "account_login"

# Email (Django 6.1 mailers). Development prints mail to the console; production sets
# EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the EMAIL_* variables.
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": {}}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        # STARTTLS (port 587) or TLS from the start (port 465): `check --deploy` warns when a
        # mail server other than this machine is reached with neither (sameboat.core.checks).
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sameboat <noreply@sameboat.local>")

# Field encryption at rest (sameboat.core.crypto): Fernet keys, newest first. Production must
# set them, kept outside the database and its backups; development and tests derive one from
# SECRET_KEY so that a first `make run` just works.
FIELD_ENCRYPTION_KEYS = env_list("SAMEBOAT_FIELD_KEYS", "")
if not FIELD_ENCRYPTION_KEYS:
    if not (DEBUG or TESTING):
        raise RuntimeError(
            "SAMEBOAT_FIELD_KEYS must be set when DEBUG is off "
            "(`sameboat keys generate` prints a new key)."
        )
    import base64
    import hashlib

    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"sameboat-field-encryption:" + SECRET_KEY.encode()).digest()
        ).decode("ascii")
    ]

# Password peppers (sameboat.accounts.hashers, ASVS 2.4.5): secrets, newest first, kept outside
# the database and its backups, so that a leaked password hash cannot be tried offline.
# Production must set them; a rotation is SAMEBOAT_PASSWORD_PEPPERS=NEW,OLD (each person's
# hash moves to NEW at their next login). Development and tests derive one from SECRET_KEY,
# distinct from the field and backup keys.
PASSWORD_PEPPERS = env_list("SAMEBOAT_PASSWORD_PEPPERS", "")
if not PASSWORD_PEPPERS:
    if not (DEBUG or TESTING):
        raise RuntimeError(
            "SAMEBOAT_PASSWORD_PEPPERS must be set when DEBUG is off (a long random secret, "
            'e.g. from `python -c "import secrets; print(secrets.token_urlsafe(32))"`).'
        )
    import hashlib

    PASSWORD_PEPPERS = [
        hashlib.sha256(b"sameboat-password-pepper:" + SECRET_KEY.encode()).hexdigest()
    ]

# Backup encryption (sameboat.core.backup): Fernet keys, newest first, apart from the field
# keys and the database. Only `sameboat backup` and `sameboat restore` need them, so the web
# processes may run without (they should: a server broken into then holds no backup key);
# without them in production those two commands refuse to run. Development and tests derive
# one from SECRET_KEY, distinct from the field key.
BACKUP_ENCRYPTION_KEYS = env_list("SAMEBOAT_BACKUP_KEYS", "")
if not BACKUP_ENCRYPTION_KEYS and (DEBUG or TESTING):
    import base64
    import hashlib

    BACKUP_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"sameboat-backup-encryption:" + SECRET_KEY.encode()).digest()
        ).decode("ascii")
    ]

# Privacy (sameboat.privacy): the erasure journal, replayed after a restore from a backup
# older than an erasure; and how many days each kind of record is kept before the daily
# purge removes it. The ledger is never purged (balances rest on every entry); nor is the
# audit log here: it is the evidence of who saw and changed what, kept longer than the data.
ERASURE_JOURNAL = Path(os.environ.get("ERASURE_JOURNAL", DATA_DIR / "erasures.jsonl"))
RETENTION_DAYS = {
    # Closed or fulfilled asks and offers, counted from their last change.
    "closed_posts": int(os.environ.get("RETAIN_CLOSED_POSTS_DAYS", "365")),
    # Notifications already sent or skipped.
    "sent_notifications": int(os.environ.get("RETAIN_SENT_NOTIFICATIONS_DAYS", "90")),
    # The message and feedback of a match that ended (completed, declined, cancelled).
    "finished_match_texts": int(os.environ.get("RETAIN_FINISHED_MATCH_TEXTS_DAYS", "180")),
    # Withdrawn consent records, once the withdrawal is this old.
    "withdrawn_consents": int(os.environ.get("RETAIN_WITHDRAWN_CONSENTS_DAYS", "1095")),
    # The most sensitive texts (ASVS 8.3.8), each with a period counted from the event that
    # ends its use; what the group's or network's reports count stays, the free text goes.
    # Members' meeting check-ins (how they were doing, in their words), counted from the
    # meeting: deleted whole (no report counts them; a check-in is for the next meeting).
    "meeting_check_ins": int(os.environ.get("RETAIN_MEETING_CHECK_INS_DAYS", "365")),
    # Session records' notes, counted from the meeting: emptied; the record stays with its
    # mutual aid processes, stage and participation counts (the group's coarse history).
    "session_notes": int(os.environ.get("RETAIN_SESSION_NOTES_DAYS", "730")),
    # Goal check-ins' notes, counted from when they were recorded: emptied; the level and
    # date stay (the goal's progress).
    "goal_check_in_notes": int(os.environ.get("RETAIN_GOAL_CHECK_IN_NOTES_DAYS", "730")),
    # A closed referral's note and "why not" words (its own and its history's), counted from
    # its last change of status: emptied; the service, outcome and reason code stay for the
    # coordinators' report.
    "closed_referral_notes": int(os.environ.get("RETAIN_CLOSED_REFERRAL_NOTES_DAYS", "365")),
}

# The security watch (sameboat/audit/watch.py, run every 5 minutes by the task worker): over
# the last SECURITY_WATCH_WINDOW_MINUTES it alerts on more refused accesses by one person, more
# failed logins from one address network, more lockouts or more reused two-step codes than these.
SECURITY_WATCH_WINDOW_MINUTES = int(os.environ.get("SECURITY_WATCH_WINDOW_MINUTES", "15"))
SECURITY_WATCH_DENIALS = int(os.environ.get("SECURITY_WATCH_DENIALS", "20"))
SECURITY_WATCH_FAILED_LOGINS = int(os.environ.get("SECURITY_WATCH_FAILED_LOGINS", "30"))
SECURITY_WATCH_LOCKOUTS = int(os.environ.get("SECURITY_WATCH_LOCKOUTS", "5"))
SECURITY_WATCH_CODES_REUSED = int(os.environ.get("SECURITY_WATCH_CODES_REUSED", "3"))
# Who is told of findings that belong to no network (failed logins, lockouts): the site's
# operators, as email addresses.
ADMINS = env_list("ADMINS", "")

# Links in emails point here (no request to build them from in a task worker).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# A proposed match still waiting on a side after this many days earns that side one reminder.
MATCH_REMINDER_AFTER_DAYS = int(os.environ.get("MATCH_REMINDER_AFTER_DAYS", "3"))
# A referral's follow-up reminder comes this many days after it was made or last changed.
REFERRAL_FOLLOW_UP_DAYS = int(os.environ.get("REFERRAL_FOLLOW_UP_DAYS", "7"))
# An open referral with no news for this many days counts as gone nowhere in the report.
REFERRAL_NO_NEWS_AFTER_DAYS = int(os.environ.get("REFERRAL_NO_NEWS_AFTER_DAYS", "21"))

# Uploads (ASVS 12.1.1/12.1.2). A request body other than files (a form, a JSON document) may
# be 2.5 MB; a file over 2.5 MB goes to a temporary file rather than memory; one request may
# carry few files (the directory import is the only upload). The directory import refuses a
# file over DIRECTORY_IMPORT_MAX_UPLOAD_BYTES, and a zip whose files would unpack to more than
# DIRECTORY_IMPORT_MAX_UNPACKED_BYTES in all, or any of whose files is compressed more than
# DIRECTORY_IMPORT_MAX_COMPRESSION_RATIO times (CSV packs ten-fold or so; a zip bomb
# thousands-fold), judged from the zip's directory before anything is unpacked.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", "2621440"))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", "2621440"))
DATA_UPLOAD_MAX_NUMBER_FILES = 10
DIRECTORY_IMPORT_MAX_UPLOAD_BYTES = int(
    os.environ.get("DIRECTORY_IMPORT_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024))
)
DIRECTORY_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("DIRECTORY_IMPORT_MAX_UNPACKED_BYTES", str(500 * 1024 * 1024))
)
DIRECTORY_IMPORT_MAX_COMPRESSION_RATIO = int(
    os.environ.get("DIRECTORY_IMPORT_MAX_COMPRESSION_RATIO", "200")
)
# Imports a network may start in any 24 hours (one at a time, too): ASVS 12.1.3.
DIRECTORY_IMPORTS_PER_DAY = int(os.environ.get("DIRECTORY_IMPORTS_PER_DAY", "20"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "en"
# Languages the interface is translated into; a language joins the list with its translation
# in sameboat/locale (the base template already handles right-to-left scripts).
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "sameboat" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# In development and tests whitenoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security headers, sessions and cookies (see docs/security.md) -------------------------
# Content-Security-Policy: every asset comes from our own server; no inline script or style
# runs unless it carries this response's nonce (`nonce="{{ csp_nonce }}"` in a template), and
# no style="" attribute or on* handler runs at all. The directory's search page alone adds the
# map's tile server for images (sameboat.directory.views_search.SEARCH_CSP).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-src": [CSP.NONE],
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Powerful browser features no page of ours uses, refused to every frame and script
# (sameboat.core.headers.SecurityHeadersMiddleware sends these two headers).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# Sessions: cookies out of scripts' reach and never sent on another site's POST; a session
# ends after SESSION_COOKIE_AGE (12 hours unless set: ASVS 3.3.2 asks a login to be proved
# again at least that often, used or idle; the server forgets the session then too, even if
# the browser kept its cookie), or when the browser closes if
# SESSION_EXPIRE_AT_BROWSER_CLOSE=true (for networks whose members share computers). Django
# gives the session a new key at login, so a key planted before login is worthless after.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
# Django moves a session's expiry on whenever the session changes, so a busy session could
# outlive SESSION_COOKIE_AGE; this is the hard limit, in seconds from the login (12 hours
# unless set), kept by sameboat.accounts.middleware.AbsoluteSessionAgeMiddleware.
SESSION_ABSOLUTE_AGE = int(os.environ.get("SESSION_ABSOLUTE_AGE", str(12 * 60 * 60)))
# The session list (allauth.usersessions) shows when and from where each login began; with
# this on it also shows each one's last request, at the cost of a database write per request.
USERSESSIONS_TRACK_ACTIVITY = env_bool("USERSESSIONS_TRACK_ACTIVITY", False)
# An API token is refused this many days after it was issued; asking for a token again then
# gives a new one (sameboat.accounts.authentication).
API_TOKEN_MAX_AGE_DAYS = int(os.environ.get("API_TOKEN_MAX_AGE_DAYS", "90"))
# The login form's "Remember me" may keep a login past the browser's closing, unless the
# deployment says every login ends there: then the box is gone.
ACCOUNT_SESSION_REMEMBER = False if SESSION_EXPIRE_AT_BROWSER_CLOSE else None
# Forms and htmx carry the CSRF token in the page; no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # "__Host-": the browser keeps the cookie only if it came over HTTPS for this very host
    # and path "/", so neither a sibling subdomain nor plain HTTP can set or replace it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "sameboat.accounts.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "sameboat.core.api.AutoSchema",
    # JSON bodies with a NUL anywhere are a 400 (sameboat.core.nul).
    "DEFAULT_PARSER_CLASSES": [
        "sameboat.core.nul.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "sameboat.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # How many proxies stand before us; DRF trusts X-Forwarded-For only that deep.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
    # Every endpoint is throttled (ASVS 11.1.4), counted in the cache below: per address for
    # anonymous callers, per person once signed in. A person using the app through a client
    # makes far fewer calls than this; a script scraping or flooding the API is held to it
    # (429 with Retry-After). Views with throttles of their own (the token endpoint) keep
    # theirs. The suite runs unthrottled (None: no count kept); test_api_throttling sets rates.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": None if TESTING else os.environ.get("API_THROTTLE_ANON", "300/hour"),
        "user": None if TESTING else os.environ.get("API_THROTTLE_USER", "3000/hour"),
    },
}

# Throttles, login limits and used two-factor codes count in the cache, which must be shared
# by every web process: a cache in each process's memory would give an attacker a fresh count
# per process, and forget it at each restart. Redis when REDIS_URL is set (several web
# servers); otherwise a table in the database every process already shares (`manage.py
# createcachetable` makes it; `make run` and the test runner do).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "sameboat"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "sameboat_cache",
        }
    }
SPECTACULAR_SETTINGS = {
    "TITLE": "Sameboat API",
    "DESCRIPTION": "Asks, offers, matches and exchanges of a mutual aid network.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
