from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "sameboat.ledger"
    label = "ledger"
