from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sameboat.core"
    label = "core"

    def ready(self) -> None:
        # Registers Sameboat's own `check --deploy` checks.
        from sameboat.core import checks  # noqa: F401
