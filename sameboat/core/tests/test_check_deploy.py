"""Production settings pass Django's deployment checklist with nothing to report, and send
the production-only protections: HSTS, HTTPS redirects, "__Host-" secure cookies.

Each runs in a subprocess with the environment a deployment sets, since settings are read
once, at start-up, from the environment."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from sameboat.core.tests.production import production_env, run

CHECK_DEPLOY = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]


def test_check_deploy_reports_nothing_with_production_settings(tmp_path: Path) -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_check_deploy_would_catch_a_weak_setting(tmp_path: Path) -> None:
    """The check is not vacuous: turn off HSTS preloading and it speaks up."""
    env = production_env(tmp_path) | {"SECURE_HSTS_PRELOAD": "false"}
    result = run(CHECK_DEPLOY, env)
    assert result.returncode != 0
    assert "security.W021" in result.stdout + result.stderr


def test_check_deploy_warns_of_mail_sent_to_another_host_without_tls(tmp_path: Path) -> None:
    env = production_env(tmp_path) | {"EMAIL_USE_TLS": "false"}
    result = run(CHECK_DEPLOY, env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "sameboat.W001" in output, output
    assert "smtp.example.org" in output
    # TLS from the start (port 465) will do as well as STARTTLS.
    result = run(CHECK_DEPLOY, env | {"EMAIL_USE_SSL": "true", "EMAIL_PORT": "465"})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("backend", "options", "warned"),
    [
        ("django.core.mail.backends.smtp.EmailBackend", {"host": "smtp.example.org"}, True),
        ("django.core.mail.backends.smtp.EmailBackend", {"host": "10.0.0.5"}, True),
        (
            "django.core.mail.backends.smtp.EmailBackend",
            {"host": "smtp.example.org", "use_tls": True},
            False,
        ),
        (
            "django.core.mail.backends.smtp.EmailBackend",
            {"host": "smtp.example.org", "use_ssl": True},
            False,
        ),
        # A relay on this machine: the mail leaves it by that relay's own rules.
        ("django.core.mail.backends.smtp.EmailBackend", {"host": "localhost"}, False),
        ("django.core.mail.backends.smtp.EmailBackend", {"host": "127.0.0.1"}, False),
        ("django.core.mail.backends.smtp.EmailBackend", {"host": "[::1]"}, False),
        ("django.core.mail.backends.console.EmailBackend", {}, False),
    ],
)
def test_the_email_check_reads_each_mailer(backend: str, options: dict, warned: bool) -> None:
    from django.test import override_settings

    from sameboat.core.checks import check_email_tls

    with override_settings(MAILERS={"default": {"BACKEND": backend, "OPTIONS": options}}):
        found = check_email_tls(None)
    assert [message.id for message in found] == (["sameboat.W001"] if warned else [])


PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# Production serves collected, hashed static files; the probe has not collected any.
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }}
).enable()
client = Client(HTTP_HOST="sameboat.example.org")
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
from sameboat.accounts.models import User
User.objects.create_user("probe@example.org", "a-long-probe-passphrase", display_name="Probe")
login = client.post(
    "/accounts/login/",
    {"login": "probe@example.org", "password": "a-long-probe-passphrase"},
    secure=True,
)
cookies = {**secure.cookies, **login.cookies}
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "headers": dict(secure.headers),
    "login_status": login.status_code,
    "cookies": {name: {**morsel, "secure": morsel["secure"]} for name, morsel in cookies.items()},
}))
"""


@pytest.fixture(scope="module")
def production_login_page(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(tmp_path)
    migrated = run(["manage.py", "migrate", "--no-input"], env)
    assert migrated.returncode == 0, migrated.stderr
    result = run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_plain_http_to_https(production_login_page: dict) -> None:
    assert production_login_page["plain_status"] == 301
    assert production_login_page["plain_location"].startswith("https://sameboat.example.org/")


def test_production_sends_hsts_for_a_year_with_subdomains(production_login_page: dict) -> None:
    hsts = production_login_page["headers"]["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"


def test_production_cookies_are_host_only_secure_and_out_of_scripts_reach(
    production_login_page: dict,
) -> None:
    assert production_login_page["login_status"] == 302
    cookies = production_login_page["cookies"]
    assert {"__Host-csrftoken", "__Host-sessionid"} <= set(cookies), cookies
    # Every cookie (the two above, and the one-page "messages" cookie) is Secure, HttpOnly,
    # SameSite=Lax and host-only; the "__Host-" names hold the browser to that.
    for cookie in cookies.values():
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        assert not cookie["domain"]
    # Development, on plain HTTP, keeps the plain names a browser would accept there.
    assert settings.SESSION_COOKIE_NAME == "sessionid"


def test_check_deploy_warns_of_a_database_or_cache_on_another_host_without_tls(
    tmp_path: Path,
) -> None:
    env = production_env(tmp_path) | {
        "DATABASE_URL": "postgres://sameboat:secret@db.example.org:5432/sameboat",
        "REDIS_URL": "redis://cache.example.org:6379/0",
    }
    result = run(CHECK_DEPLOY, env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "sameboat.W002" in output and "db.example.org" in output, output
    assert "sameboat.W003" in output and "cache.example.org" in output, output
    secured = env | {
        "DATABASE_URL": env["DATABASE_URL"] + "?sslmode=verify-full",
        "REDIS_URL": "rediss://cache.example.org:6379/0",
    }
    result = run(CHECK_DEPLOY, secured)
    assert result.returncode == 0, result.stdout + result.stderr
