"""Sameboat's own deployment checks, run by `manage.py check --deploy` beside Django's."""

import ipaddress
from collections.abc import Iterator, Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
LOCAL_HOSTS = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _mailers() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(alias, backend, options) of every mailer: MAILERS, or else the older EMAIL_* settings."""
    mailers: dict[str, dict[str, Any]] | None = getattr(settings, "MAILERS", None)
    if mailers:
        for alias, mailer in mailers.items():
            yield alias, str(mailer.get("BACKEND", "")), dict(mailer.get("OPTIONS", {}))
    else:
        yield (
            "default",
            settings.EMAIL_BACKEND,
            {
                "host": settings.EMAIL_HOST,
                "use_tls": settings.EMAIL_USE_TLS,
                "use_ssl": settings.EMAIL_USE_SSL,
            },
        )


def is_local(host: str) -> bool:
    """Whether mail to this host stays on this machine (a local relay needs no TLS)."""
    host = host.strip().strip("[]").lower()
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@register(Tags.security, deploy=True)
def check_email_tls(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """Mail to another machine goes encrypted (ASVS 9.2.2): password reset links and
    invitations pass through it, and so does the SMTP password."""
    warnings: list[CheckMessage] = []
    for alias, backend, options in _mailers():
        if backend != SMTP_BACKEND:
            continue
        host = str(options.get("host") or "localhost")
        if is_local(host) or options.get("use_tls") or options.get("use_ssl"):
            continue
        warnings.append(
            Warning(
                f"The mailer {alias!r} sends mail to {host} over SMTP without TLS.",
                hint=(
                    "Set EMAIL_USE_TLS=true (STARTTLS, usually port 587) or EMAIL_USE_SSL=true "
                    "(usually port 465), or relay through a mail server on this machine."
                ),
                id="sameboat.W001",
            )
        )
    return warnings


ENCRYPTED_SSLMODES = {"require", "verify-ca", "verify-full"}


@register(Tags.security, deploy=True)
def check_database_and_cache_tls(
    app_configs: Sequence[Any] | None, **kwargs: Any
) -> list[CheckMessage]:
    """The database and the shared cache, when on another machine, are reached over TLS
    (ASVS 9.2.2): everything a member has ever written crosses the first, login limits and
    used two-factor codes the second."""
    warnings: list[CheckMessage] = []
    for alias, database in settings.DATABASES.items():
        if database.get("ENGINE") != "django.db.backends.postgresql":
            continue
        host = str(database.get("HOST") or "localhost")
        if host.startswith("/") or is_local(host):
            continue  # a Unix socket or this machine
        if database.get("OPTIONS", {}).get("sslmode") not in ENCRYPTED_SSLMODES:
            warnings.append(
                Warning(
                    f"The database {alias!r} at {host} is reached without requiring TLS.",
                    hint="Add ?sslmode=verify-full (or require) to DATABASE_URL.",
                    id="sameboat.W002",
                )
            )
    for alias, cache in settings.CACHES.items():
        location = str(cache.get("LOCATION", ""))
        if not location.startswith("redis://"):
            continue
        host = location.removeprefix("redis://").split("@")[-1].split("/")[0]
        host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if not is_local(host):
            warnings.append(
                Warning(
                    f"The cache {alias!r} reaches Redis at {host} without TLS.",
                    hint="Use a rediss:// address in REDIS_URL.",
                    id="sameboat.W003",
                )
            )
    return warnings
