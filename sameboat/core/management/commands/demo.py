"""`manage.py demo` (and `sameboat demo`): load the demo network, or the large one for benchmarks.

Both are built in one transaction and only once: run it as often as you like."""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

HELP = "Load the demo network, Riverside Mutual Aid (or, with --size large, a benchmark network)."


def add_arguments(parser: ArgumentParser) -> None:
    """The options, shared with the `sameboat` command line (which parses them before Django
    is set up, so nothing here may touch models)."""
    parser.add_argument(
        "--size",
        choices=["normal", "large"],
        default="normal",
        help=(
            "normal: 63 people, 200+ asks and offers, matches in every state, built through the "
            "app's own services (seconds). large: a separate network 'riverside-large' with "
            "10,000 members, 100,000 asks and offers and 1,000,000 ledger entries (minutes)."
        ),
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="with --size large: build this fraction of it (0.1 = 1,000 members...); default 1",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="random seed; the default is fixed, so every run builds the same network",
    )
    parser.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="no progress bars (they go to stderr)",
    )


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here, not above: the `sameboat` CLI imports this module before Django is set up.
        from sameboat import demo

        quiet = options["verbosity"] == 0

        def log(line: str) -> None:
            if not quiet:
                self.stdout.write(line)

        seed: int | None = options["seed"]
        try:
            if options["size"] == "large":
                scale: float = options["scale"]
                if scale <= 0:
                    raise CommandError("--scale must be more than 0.")
                built = demo.build_large(
                    **demo.large_size(scale),
                    seed=demo.LARGE_SEED if seed is None else seed,
                    progress=options["progress"] and not quiet,
                    log=log,
                )
            else:
                built = demo.build_demo(seed=demo.DEMO_SEED if seed is None else seed, log=log)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if built.created:
            log(self.style.SUCCESS(f"Built {built.describe()}."))
        else:
            log(f"Already built, left as it is: {built.describe()}.")
        log(demo.demo_logins() if options["size"] == "normal" else demo.large_logins())
