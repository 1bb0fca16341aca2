from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "sameboat.aid"
    label = "aid"
