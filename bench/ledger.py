"""The ledger at scale: build the large demo network, then time `ledger verify`, a member's
reciprocity and counterparts, the first page of asks, and the pure reciprocity module.

    .venv/bin/python bench/ledger.py               # full size: 10,000 members, 1,000,000 entries
    .venv/bin/python bench/ledger.py --scale 0.1   # a tenth, for a quick look

It runs on a fresh SQLite database in a temporary folder (never ./data, never DATABASE_URL),
with DEBUG off as in production, so each run measures the same thing. Put the figures, the
command and the machine in bench/RESULTS.md.
"""

import argparse
import io
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchenv import bench_environment

ROWS = 100_000  # for the pure counterparts() benchmark


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--repeat", type=int, default=20, help="runs of each quick measure")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def setup_django(data_dir: str) -> None:
    bench_environment(data_dir)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def human(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.0f} µs"


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, int, float, float, str]] = []

    def time(self, what: str, job: Callable[[], Any], *, runs: int, warm_up: bool = True) -> Any:
        """Run `job` `runs` times (after one untimed run if `warm_up`), counting its queries."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if warm_up:
            job()
        times, result = [], None
        with CaptureQueriesContext(connection) as queries:
            for _ in range(runs):
                start = time.perf_counter()
                result = job()
                times.append(time.perf_counter() - start)
        per_run = len(queries.captured_queries) / runs
        self.rows.append(
            (what, runs, statistics.median(times), min(times), f"{per_run:g}" if per_run else "")
        )
        print(f"  {what}: {human(statistics.median(times))}", file=sys.stderr)
        return result

    def print(self) -> None:
        width = max(len(row[0]) for row in self.rows)
        print(f"| {'what':<{width}} | runs |    median |       min | queries |")
        print(f"|{'-' * (width + 2)}|-----:|----------:|----------:|--------:|")
        for what, runs, median, fastest, queries in self.rows:
            print(
                f"| {what:<{width}} | {runs:>4} | {human(median):>9} | {human(fastest):>9} "
                f"| {queries:>7} |"
            )


def main() -> None:
    args = parse_args()
    data_dir = tempfile.mkdtemp(prefix="sameboat-bench-")
    try:
        setup_django(data_dir)
        run(args, Path(data_dir))
    finally:
        if args.keep:
            print(f"The database is kept in {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def run(args: argparse.Namespace, data_dir: Path) -> None:
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from sameboat.aid.selectors import asks_visible
    from sameboat.demo import LARGE_SLUG, build_large, large_size
    from sameboat.ledger.models import Exchange
    from sameboat.ledger.reciprocity import counterparts
    from sameboat.ledger.selectors import member_counterparts, member_reciprocity
    from sameboat.networks.models import Member

    sizes = large_size(args.scale)
    table = Table()
    print(f"Building the large network at scale {args.scale:g}: {sizes}", file=sys.stderr)
    built = table.time(
        "build the large demo network (bulk inserts)",
        lambda: build_large(**sizes, log=lambda line: None),
        runs=1,
        warm_up=False,
    )
    network = built.network
    database = sum(f.stat().st_size for f in data_dir.glob("sameboat.sqlite3*"))

    def verify() -> None:
        call_command("ledger", "verify", network=LARGE_SLUG, stdout=io.StringIO())

    table.time(f"ledger verify --network {LARGE_SLUG}", verify, runs=3)

    # A member in the middle of the pack, and a coordinator (who sees every ask).
    member = Member.objects.select_related("user").get(
        network=network, user__email="large10@example.org"
    )
    coordinator = Member.objects.get(network=network, user__email="large2@example.org")
    theirs = Exchange.objects.filter(Q(provider=member) | Q(receiver=member)).count()
    runs = args.repeat
    table.time(
        f"member_reciprocity (a member with {theirs} exchanges)",
        lambda: member_reciprocity(member=member),
        runs=runs,
    )
    people = table.time(
        "member_counterparts (same member)", lambda: member_counterparts(member=member), runs=runs
    )
    table.time(
        "asks_visible, first page of 25 (member)",
        lambda: list(asks_visible(network=network, viewer=member)[:25]),
        runs=runs,
    )
    table.time(
        "asks_visible, first page of 25 (coordinator)",
        lambda: list(asks_visible(network=network, viewer=coordinator)[:25]),
        runs=runs,
    )
    table.time(
        "asks_visible, count for the pager (member)",
        lambda: asks_visible(network=network, viewer=member).count(),
        runs=runs,
    )

    rng = random.Random(1)
    rows = [
        (key, f"Person {key}", rng.randrange(500), rng.randrange(500))
        for key in (rng.randrange(1, 5_000) for _ in range(ROWS))
    ]
    table.time(
        f"reciprocity.counterparts over {ROWS:,} rows (pure)", lambda: counterparts(rows), runs=runs
    )

    print()
    print(
        f"Scale {args.scale:g}: {built.members:,} members, {built.asks + built.offers:,} asks and "
        f"offers, {built.exchanges:,} exchanges, {built.entries:,} ledger entries; "
        f"the member above has {len(people)} counterparts. "
        f"Database file: {database / 2**20:.0f} MiB."
    )
    print(
        f"SQLite {connection.Database.sqlite_version}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs"
    )
    print()
    table.print()


if __name__ == "__main__":
    main()
