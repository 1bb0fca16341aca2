"""`manage.py matching run --network SLUG` (and `sameboat manage matching run ...`): run
matching for a network now, in this process; `manage.py matching schedule`: start the
schedule of every network that runs matching by itself.

`run` prints the run's figures and exits 0, or prints why it failed on stderr and exits 1
(the proposals waiting are then as they were); an unknown network exits 2."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

HELP = "Matching jobs: run it for a network now, or start the networks' schedules."


def add_arguments(parser: ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    run = actions.add_parser(
        "run",
        help="run matching for a network now",
        description=(
            "Match the network's open asks with its helpers now, replacing the proposals "
            "nobody has acted on. Exits 0 when the run succeeds, 1 when it fails (the "
            "previous proposals stay), 2 if the network is unknown."
        ),
    )
    run.add_argument("--network", metavar="SLUG", required=True, help="the network's short name")
    actions.add_parser(
        "schedule",
        help="start the schedule of every network that runs matching by itself",
        description=(
            "For each network with `find matches every N minutes` set, queue its next run "
            "N minutes from now (superseding any queued before). Needs a task backend that "
            "can run tasks later, such as the database backend `make run` uses."
        ),
    )


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "run":
            self.run(slug=options["network"])
        elif options["action"] == "schedule":
            self.schedule()

    def run(self, *, slug: str) -> None:
        # Imported here: the module may be imported before Django is set up.
        from sameboat.matching.models import RunStatus
        from sameboat.matching.services import matching_run
        from sameboat.networks.models import Network

        network = Network.objects.filter(slug=slug).first()
        if network is None:
            raise CommandError(f"There is no network with the short name {slug!r}.", returncode=2)
        run = matching_run(network=network)
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"matching run {run.pk} failed: {run.error}")
        stats = run.stats
        self.stdout.write(
            f"matching run {run.pk} succeeded: {int(stats.get('proposed', 0))} proposed "
            f"({int(stats.get('new', 0))} new, {int(stats.get('kept', 0))} kept, "
            f"{int(stats.get('withdrawn', 0))} withdrawn), "
            f"{int(stats.get('unmatched', 0))} unmatched, "
            f"{int(stats.get('asks', 0))} asks, {int(stats.get('helpers', 0))} helpers, "
            f"{run.seconds or 0:.2f} s"
        )

    def schedule(self) -> None:
        from sameboat.matching.services import matching_schedule_next
        from sameboat.matching.tasks import can_schedule
        from sameboat.networks.models import Network

        if not can_schedule():
            raise CommandError(
                "The task backend cannot run tasks later; configure the database backend."
            )
        networks = Network.objects.filter(matching_every_minutes__gt=0).order_by("slug")
        for network in networks:
            due = matching_schedule_next(network=network)
            self.stdout.write(f"{network.slug}: next run at {due:%Y-%m-%d %H:%M:%S %Z}")
        if not networks:
            self.stdout.write("No network runs matching by itself.")
