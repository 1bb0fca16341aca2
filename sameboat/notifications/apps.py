from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sameboat.notifications"
    label = "notifications"
