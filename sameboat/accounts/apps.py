from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sameboat.accounts"
    label = "accounts"
