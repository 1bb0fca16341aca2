"""A deployment's environment for tests that start Sameboat in a subprocess: settings are read
once, at start-up, from the environment, so production behaviour is seen only that way."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "REDIS_URL", "DATABASE_URL"))
    }
    env.update(
        DEBUG="false",
        # A long random key, as `python -c "import secrets; print(secrets.token_urlsafe(50))"`.
        SECRET_KEY="pRod-" + Fernet.generate_key().decode() + Fernet.generate_key().decode(),
        ALLOWED_HOSTS="sameboat.example.org",
        SAMEBOAT_FIELD_KEYS=Fernet.generate_key().decode(),
        SAMEBOAT_PASSWORD_PEPPERS=Fernet.generate_key().decode(),
        SAMEBOAT_DATA_DIR=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.org",
        EMAIL_USE_TLS="true",
        DJANGO_SETTINGS_MODULE="sameboat.settings",
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
