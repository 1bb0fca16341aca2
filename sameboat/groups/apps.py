from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "sameboat.groups"
    label = "groups"
