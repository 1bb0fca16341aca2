from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "sameboat.decisions"
