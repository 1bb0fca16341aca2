"""The environment every benchmark runs Django in: production-like (DEBUG off), on a fresh
SQLite database in a folder of its own, never `./data` nor `DATABASE_URL`. DEBUG off asks for
the secrets a deployment sets; the bench's own, not secrets, stand in for them."""

import base64
import hashlib
import os


def bench_environment(data_dir: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["SAMEBOAT_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "sameboat.settings"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault(
        "SAMEBOAT_FIELD_KEYS",
        base64.urlsafe_b64encode(hashlib.sha256(b"bench-only").digest()).decode("ascii"),
    )
    os.environ.setdefault("SAMEBOAT_PASSWORD_PEPPERS", "bench-only-pepper")
