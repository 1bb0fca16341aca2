from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """Login limits and used two-factor codes are counted in the cache; without Redis it is a
    table in the database (settings.CACHES), made here so every `migrate` has it ready."""
    call_command("createcachetable", database=using, verbosity=0)


class AccountsConfig(AppConfig):
    name = "sameboat.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Token revocation and audit records around passwords and two-factor authentication.
        from sameboat.accounts import signals  # noqa: F401

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="sameboat-cache-table")
