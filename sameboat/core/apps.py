from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sameboat.core"
    label = "core"
