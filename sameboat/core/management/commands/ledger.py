"""`manage.py ledger verify` (and `sameboat ledger verify`): check the ledger's invariants.

Prints "ledger ok: ..." and exits 0, or names each broken invariant (with its first broken
case) on stderr and exits 1."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

HELP = "Check the ledger: double entry, balances, reversals, one exchange per completed match."


def add_arguments(parser: ArgumentParser) -> None:
    """The actions and their options, shared with the `sameboat` command line (which parses
    them before Django is set up, so nothing here may touch models)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    verify = actions.add_parser(
        "verify",
        help="check every invariant of the ledger",
        description=(
            "Check that each exchange has two entries summing to zero (the provider credited, "
            "the receiver debited), that each network's accounts sum to zero, that each cached "
            "balance equals the sum of its entries, that reversals mirror what they reverse, "
            "and that each completed match posted exactly one exchange. Exits 0 if all hold, "
            "1 if one is broken, 2 if the network is unknown."
        ),
    )
    verify.add_argument(
        "--network", metavar="SLUG", help="check one network, by its short name (default: all)"
    )


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify(slug=options.get("network"))

    def verify(self, *, slug: str | None) -> None:
        # Imported here, not above: the `sameboat` CLI imports this module before Django is set up.
        from sameboat.ledger.models import Account, Entry, Exchange
        from sameboat.ledger.verify import ledger_problems
        from sameboat.networks.models import Network

        network_id: int | None = None
        if slug:
            network = Network.objects.filter(slug=slug).first()
            if network is None:
                raise CommandError(
                    f"There is no network with the short name {slug!r}.", returncode=2
                )
            network_id = network.pk
        problems = list(ledger_problems(network_id=network_id))
        if problems:
            raise CommandError("\n".join(f"ledger broken: {problem}" for problem in problems))
        exchanges, entries, accounts = (
            Exchange.objects.all(),
            Entry.objects.all(),
            Account.objects.all(),
        )
        if network_id is not None:
            exchanges = exchanges.filter(network_id=network_id)
            entries = entries.filter(exchange__network_id=network_id)
            accounts = accounts.filter(network_id=network_id)
        self.stdout.write(
            f"ledger ok: {exchanges.count()} exchanges, {entries.count()} entries, "
            f"{accounts.count()} accounts"
        )
