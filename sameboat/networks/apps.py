from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "sameboat.networks"
    label = "networks"
