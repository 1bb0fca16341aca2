from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "sameboat.matching"
    label = "matching"
