"""The HSDS directory at scale: import 10,000 full HSDS service documents into a network's
directory, beside the time of validating the same documents with jsonschema alone.

    .venv/bin/python bench/directory.py                    # 10,000 services
    .venv/bin/python bench/directory.py --services 1000    # a quicker look

The documents are synthetic but shaped like a city's directory (repeatable from --seed):
400 organizations; each service nests its organization (briefly, as the HSDS API's
/services/{id} does), one or two service-at-locations with their location (an address,
coordinates, sometimes accessibility and a phone), phones with languages, schedules,
languages, a cost option, one to three taxonomy terms (of a taxonomy of 60) and a metadata
record. Every measure runs in a process of its own, so that each peak RSS is its own:

- jsonschema alone: load the file, validate every document against the official compiled
  service schema with one Draft202012Validator built once (the floor for "every record is
  validated first");
- import: `sameboat hsds import` into an empty network of a fresh SQLite database, in a
  temporary folder (never ./data, never DATABASE_URL), DEBUG off;
- the members' search page on that database (10,000 services): a few representative searches
  (none, words, a taxonomy term, a language, distance and open now, a second page), each
  through the page itself (Django's test client, logged in as a member with a place), at a
  fixed moment (a Wednesday, 11:00), timed over several runs, with its queries counted;
- then, on that database: the same import again (nothing changes), an import of a newer
  version (a tenth of the services changed: a new name, a phone less, a schedule more),
  exports (JSON and the tabular form), and the tabular form imported into a second network.

`--search-only` skips jsonschema alone and what follows the search (a quicker look at the
search).

Put the figures, the command and the machine in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from benchenv import bench_environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ORGANIZATIONS = 400
TERMS = 60
LANGUAGES = [
    ("en", "English"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("ar", "Arabic"),
    ("so", "Somali"),
    ("zh", "Chinese"),
    ("ti", "Tigrinya"),
    ("uk", "Ukrainian"),
]
WORDS = [
    "food",
    "pantry",
    "hot",
    "meals",
    "shelter",
    "legal",
    "advice",
    "tenant",
    "rights",
    "recovery",
    "peer",
    "support",
    "clothing",
    "bank",
    "furniture",
    "clinic",
    "dental",
    "care",
    "counselling",
    "youth",
    "drop-in",
    "seniors",
    "lunch",
    "language",
    "classes",
    "job",
    "search",
    "childcare",
    "diapers",
    "hygiene",
    "kits",
    "laundry",
    "showers",
]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=10_000, help="services to import")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--search-only", action="store_true", help="import, then time the search page only"
    )
    parser.add_argument("--step", help=argparse.SUPPRESS)  # internal: run one measure
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    return parser.parse_args()


# The documents -----------------------------------------------------------------------------


class City:
    """Synthetic documents, repeatable from the seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def language(self) -> dict[str, Any]:
        code, name = self.rng.choice(LANGUAGES)
        return {"id": self.uid(), "name": name, "code": code, "attributes": [], "metadata": []}

    def phone(self) -> dict[str, Any]:
        return {
            "id": self.uid(),
            "number": f"+1 613 555 {self.rng.randrange(10_000):04}",
            "type": "voice",
            "languages": [self.language()],
            "attributes": [],
            "metadata": [],
        }

    def schedule(self) -> dict[str, Any]:
        opens = self.rng.randrange(7, 14)
        return {
            "id": self.uid(),
            "freq": "WEEKLY",
            "byday": ",".join(sorted(self.rng.sample(DAYS, 2))),
            "opens_at": f"{opens:02}:00",
            "closes_at": f"{opens + 4:02}:00",
            "attributes": [],
            "metadata": [],
        }

    def place(self, service_id: str, organization_id: str, name: str) -> dict[str, Any]:
        rng, location_id = self.rng, self.uid()
        location = {
            "id": location_id,
            "location_type": "physical",
            "organization_id": organization_id,
            "name": name,
            "latitude": round(45.4 + rng.random() / 10, 6),
            "longitude": round(-75.7 + rng.random() / 10, 6),
            "languages": [],
            "addresses": [
                {
                    "id": self.uid(),
                    "address_1": f"{rng.randrange(1, 999)} Main Street",
                    "city": "Riverside",
                    "state_province": "ON",
                    "postal_code": "R2V 1A1",
                    "country": "CA",
                    "address_type": "physical",
                    "attributes": [],
                    "metadata": [],
                }
            ],
            "contacts": [],
            "accessibility": [
                {
                    "id": self.uid(),
                    "description": "Step-free entrance",
                    "attributes": [],
                    "metadata": [],
                }
            ]
            if rng.random() < 0.5
            else [],
            "phones": [self.phone()] if rng.random() < 0.3 else [],
            "schedules": [],
            "attributes": [],
            "metadata": [],
        }
        return {
            "id": self.uid(),
            "service_id": service_id,
            "location_id": location_id,
            "contacts": [],
            "phones": [],
            "schedules": [],
            "location": location,
            "attributes": [],
            "metadata": [],
        }

    def services(self, count: int) -> list[dict[str, Any]]:
        rng = self.rng
        taxonomy = {
            "id": self.uid(),
            "name": "City service categories",
            "description": "The categories of the city's directory.",
            "metadata": [],
        }
        terms = []
        for n in range(TERMS):
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)}".capitalize()
            terms.append(
                {
                    "id": self.uid(),
                    "code": f"c{n:03}",
                    "name": name,
                    "description": f"Services of the kind '{name}'",
                    "taxonomy": "City service categories",
                    "taxonomy_detail": taxonomy,
                    "taxonomy_id": taxonomy["id"],
                    "metadata": [],
                }
            )
        organizations = [
            {
                "id": self.uid(),
                "name": f"Organization {n}",
                "description": f"Community group number {n}",
                "website": f"https://example.org/o{n}",
                "email": f"hello{n}@example.org",
            }
            for n in range(ORGANIZATIONS)
        ]
        services = []
        for n in range(count):
            organization = rng.choice(organizations)
            service_id = self.uid()
            words = rng.sample(WORDS, 3)
            services.append(
                {
                    "id": service_id,
                    "organization_id": organization["id"],
                    "name": " ".join(words).capitalize(),
                    "description": f"{' '.join(rng.choices(WORDS, k=30))}.",
                    "status": "active",
                    "eligibility_description": "Anyone living in the city",
                    "phones": [self.phone() for _ in range(rng.randint(1, 2))],
                    "schedules": [self.schedule() for _ in range(rng.randint(1, 3))],
                    "service_areas": [],
                    "service_at_locations": [
                        self.place(service_id, organization["id"], f"{words[0]} hall {n}.{k}")
                        for k in range(rng.randint(1, 2))
                    ],
                    "languages": [
                        {
                            "id": self.uid(),
                            "name": name,
                            "code": code,
                            "attributes": [],
                            "metadata": [],
                        }
                        for code, name in rng.sample(LANGUAGES, rng.randint(1, 3))
                    ],
                    "organization": organization,
                    "funding": [],
                    "cost_options": [
                        {
                            "id": self.uid(),
                            "option": "Everyone",
                            "currency": "CAD",
                            "amount": rng.choice([0, 2.5, 5]),
                            "attributes": [],
                            "metadata": [],
                        }
                    ],
                    "required_documents": [],
                    "contacts": [],
                    "attributes": [
                        {
                            "id": self.uid(),
                            "taxonomy_term_id": term["id"],
                            "link_type": "service_category",
                            "taxonomy_term": term,
                            "metadata": [],
                        }
                        for term in rng.sample(terms, rng.randint(1, 3))
                    ],
                    "metadata": [
                        {
                            "id": self.uid(),
                            "resource_id": service_id,
                            "resource_type": "service",
                            "last_action_date": "2026-11-01",
                            "last_action_type": "create",
                            "field_name": "",
                            "previous_value": "",
                            "replacement_value": "",
                            "updated_by": "bench",
                        }
                    ],
                }
            )
        return services


def generate(count: int, seed: int) -> list[dict[str, Any]]:
    return City(seed).services(count)


def newer(services: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """A tenth of the services changed: renamed, a phone less, a schedule more."""
    rng = random.Random(seed + 1)
    changed = json.loads(json.dumps(services))
    for service in rng.sample(changed, len(changed) // 10):
        service["name"] += " (new hours)"
        service["phones"] = service["phones"][:-1] if len(service["phones"]) > 1 else []
        service["schedules"].append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "freq": "WEEKLY",
                "byday": "SA",
                "opens_at": "10:00",
                "closes_at": "12:00",
                "attributes": [],
                "metadata": [],
            }
        )
    return changed


# The measures (each in its own process) ---------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(job: Any) -> tuple[Any, list[float]]:
    """Run `job`: its result, and [wall seconds, CPU seconds of this process]. The CPU time
    moves less than the wall time when other work shares the machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = job()
    return result, [time.perf_counter() - wall, time.process_time() - cpu]


def step_validate(folder: Path) -> dict[str, Any]:
    from jsonschema import Draft202012Validator

    from sameboat.directory.validation import FORMATS

    def load() -> tuple[Any, Any]:
        schema_file = ROOT / "sameboat/directory/hsds/schema/compiled/service.json"
        return json.loads(schema_file.read_text()), json.loads(
            (folder / "services.json").read_text()
        )

    def check(checker: Any, documents: list[Any]) -> None:
        invalid = sum(1 for document in documents if not checker.is_valid(document))
        assert invalid == 0, invalid

    (schema, documents), loaded = measure(load)
    _, plain = measure(lambda: check(Draft202012Validator(schema), documents))
    # The same, checking the formats the import checks (uuid, date-time, email).
    _, formats = measure(
        lambda: check(Draft202012Validator(schema, format_checker=FORMATS), documents)
    )
    total = [loaded[0] + plain[0], loaded[1] + plain[1]]
    return {
        "load": loaded,
        "validate": plain,
        "total": total,
        "formats": formats,
        "rss": peak_rss_mb(),
    }


def setup_django(folder: Path) -> None:
    bench_environment(str(folder))
    import django

    django.setup()


def step_import(folder: Path) -> dict[str, Any]:
    setup_django(folder)
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sameboat.directory.services import hsds_import
    from sameboat.networks.services import network_create

    call_command("migrate", verbosity=0, interactive=False)
    network = network_create(slug="city", name="City directory")
    with CaptureQueriesContext(connection) as queries:
        report, total = measure(lambda: hsds_import(network=network, path=folder / "services.json"))
    assert report.ok and report.rejected == 0, report.problems[:5]
    return {
        "total": total,
        "rss": peak_rss_mb(),
        "queries": len(queries),
        "rows": sum(report.created.values()),
        "sources": report.sources,
    }


# The searches the search step times: (what, query string, whether the member searching has
# a place), `TERM` standing for a taxonomy term's id. A member with a place gets every list
# nearest first (distances measured in memory); one without, by name (paged in the database).
SEARCHES = [
    ("no filter (all, nearest first)", {}, True),
    ('words: "food pantry"', {"q": "food pantry"}, True),
    ("a taxonomy term", {"term": "TERM"}, True),
    ("a language: es", {"language": "es"}, True),
    ("a language with a region: zh-hant (finds zh)", {"language": "zh-hant"}, True),
    ("within 2 km, open now", {"within_km": "2", "open_now": "on"}, True),
    (
        "words, language, within 5 km, open now, age",
        {"q": "food", "language": "fr", "within_km": "5", "open_now": "on", "age": "30"},
        True,
    ),
    ("page 2 of no filter", {"page": "2"}, True),
    ('page 50 of words: "support"', {"q": "support", "page": "50"}, True),
    ("no place: no filter (by name)", {}, False),
    ('no place: page 50 of words: "support"', {"q": "support", "page": "50"}, False),
    ("no place: a language, open now", {"language": "es", "open_now": "on"}, False),
]
SEARCH_RUNS = 7
# Wednesday 2026-11-18, 11:00 UTC: the synthetic schedules open between 7:00 and 17:00.
SEARCH_AT = (2026, 11, 18, 11, 0)


def step_search(folder: Path) -> dict[str, Any]:
    setup_django(folder)
    import statistics
    from datetime import UTC, datetime
    from decimal import Decimal
    from unittest import mock

    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        override_settings,
        setup_test_environment,
        teardown_test_environment,
    )
    from django.urls import reverse
    from django.utils import timezone

    from sameboat.accounts.models import User
    from sameboat.directory.models import TaxonomyTerm
    from sameboat.networks.models import Member, Network
    from sameboat.networks.services import member_add

    network = Network.objects.get(slug="city")

    def searcher(email: str) -> Any:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, "bench-only", display_name="Searcher"
        )
        return Member.objects.filter(network=network, user=user).first() or member_add(
            network=network, user=user
        )

    placed, unplaced = searcher("searcher@example.org"), searcher("nowhere@example.org")
    # In the middle of the synthetic city (45.4-45.5, -75.7 to -75.6).
    placed.latitude, placed.longitude = Decimal("45.45"), Decimal("-75.65")
    placed.save(update_fields=["latitude", "longitude"])
    term = TaxonomyTerm.objects.filter(network=network, code="c000").values_list("id", flat=True)
    url = reverse("directory:search", kwargs={"network": "city"})
    results = []
    at = datetime(*SEARCH_AT, tzinfo=UTC)
    # DEBUG is off: the page is served as in production, but for the static files' manifest
    # (no collectstatic here) and the host the test client uses.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with (
        override_settings(
            ALLOWED_HOSTS=["testserver"], STORAGES={**_storages(), "staticfiles": static}
        ),
        mock.patch.object(timezone, "now", new=lambda: at),
    ):
        clients = {True: Client(), False: Client()}
        clients[True].force_login(placed.user)
        clients[False].force_login(unplaced.user)
        for what, given, has_place in SEARCHES:
            params = {k: str(term[0]) if v == "TERM" else v for k, v in given.items()}

            def get(params: dict[str, str] = params, client: Client = clients[has_place]) -> Any:
                return client.get(url, params, secure=True)

            response = get()  # warm up
            assert response.status_code == 200, response.status_code
            walls, cpus = [], []
            for _ in range(SEARCH_RUNS):
                _, (wall, cpu) = measure(get)
                walls.append(wall)
                cpus.append(cpu)
            # The test client sees the page's context only in a test environment, which
            # instruments template rendering: set it up for this last request alone.
            setup_test_environment()
            try:
                with CaptureQueriesContext(connection) as queries:
                    response = get()
            finally:
                teardown_test_environment()
            results.append(
                {
                    "what": what,
                    "params": params,
                    "median": [statistics.median(walls), statistics.median(cpus)],
                    "worst": max(walls),
                    "queries": len(queries),
                    "found": response.context["total"],
                    "shown": len(response.context["hits"]),
                }
            )
    return {"searches": results, "rss": peak_rss_mb()}


def _storages() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.STORAGES)


def step_rest(folder: Path) -> dict[str, Any]:
    setup_django(folder)
    from sameboat.directory.exporting import write_json, write_package
    from sameboat.directory.services import hsds_import
    from sameboat.networks.models import Network
    from sameboat.networks.services import network_create

    network = Network.objects.get(slug="city")
    results: dict[str, Any] = {}

    def timed(name: str, job: Any) -> Any:
        result, results[name] = measure(job)
        return result

    again = timed("again", lambda: hsds_import(network=network, path=folder / "services.json"))
    assert again.changed == 0, again.summary()
    results["again_unchanged"] = sum(again.unchanged.values())
    update = timed("newer", lambda: hsds_import(network=network, path=folder / "newer.json"))
    assert update.ok, update.problems[:5]
    results["newer_counts"] = (
        sum(update.created.values()),
        sum(update.updated.values()),
        sum(update.deleted.values()),
    )
    timed("export_services", lambda: write_json(network, folder / "out-services.json", "service"))
    timed(
        "export_organizations",
        lambda: write_json(network, folder / "out-organizations.json", "organization"),
    )
    timed("export_tabular", lambda: write_package(network, folder / "out.zip"))
    other = network_create(slug="other", name="Another network")
    tabular = timed("import_tabular", lambda: hsds_import(network=other, path=folder / "out.zip"))
    assert tabular.ok, tabular.problems[:5]
    results["tabular_rows"] = sum(tabular.created.values())
    results["rss"] = peak_rss_mb()
    results["database_mb"] = sum(f.stat().st_size for f in folder.glob("sameboat.sqlite3*")) / 2**20
    return results


def run_step(step: str, folder: Path) -> dict[str, Any]:
    # Ourselves, with fixed arguments: nothing untrusted reaches the command line.
    output = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--step", step, "--folder", str(folder)],
        check=False,
        capture_output=True,
        text=True,
    )
    if output.returncode != 0:
        sys.stderr.write(output.stderr)
        raise SystemExit(f"The {step} step failed.")
    return json.loads(output.stdout.strip().splitlines()[-1])


def human(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


def both(times: list[float]) -> str:
    """Wall time (CPU time)."""
    return f"{human(times[0])} ({human(times[1])})"


def main() -> None:
    args = parse_args()
    if args.step:
        folder = Path(args.folder)
        step = {
            "validate": step_validate,
            "import": step_import,
            "search": step_search,
            "rest": step_rest,
        }[args.step]
        print(json.dumps(step(folder)))
        return
    folder = Path(tempfile.mkdtemp(prefix="sameboat-bench-directory-"))
    try:
        services = generate(args.services, args.seed)
        (folder / "services.json").write_text(json.dumps(services))
        (folder / "newer.json").write_text(json.dumps(newer(services, args.seed)))
        size = (folder / "services.json").stat().st_size / 2**20
        print(f"{args.services:,} services, {size:.1f} MiB of JSON", file=sys.stderr)
        if not args.search_only:
            validate = run_step("validate", folder)
            print(f"  jsonschema alone: {both(validate['total'])}", file=sys.stderr)
        imported = run_step("import", folder)
        print(f"  import: {both(imported['total'])}", file=sys.stderr)
        searched = run_step("search", folder)
        if args.search_only:
            report_search(args, searched)
            return
        rest = run_step("rest", folder)
        report(args, size, validate, imported, rest)
        report_search(args, searched)
    finally:
        if args.keep:
            print(f"Kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def report(
    args: argparse.Namespace,
    size: float,
    validate: dict[str, Any],
    imported: dict[str, Any],
    rest: dict[str, Any],
) -> None:
    import sqlite3
    from importlib.metadata import version

    import django

    n = args.services
    created, updated, deleted = rest["newer_counts"]
    print()
    print(
        f"{n:,} services ({size:.1f} MiB of JSON, {imported['rows']:,} HSDS records); "
        f"database file afterwards {rest['database_mb']:.0f} MiB."
    )
    print(
        f"SQLite {sqlite3.sqlite_version}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, jsonschema {version('jsonschema')}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )
    print()
    print("Times are wall (CPU of the process); per service, CPU.")
    print()
    print("| what | time | per service | peak RSS |")
    print("|---|---:|---:|---:|")

    def row(what: str, times: list[float], rss: str = "") -> None:
        print(f"| {what} | {both(times)} | {times[1] / n * 1000:.2f} ms | {rss} |")

    row(
        f"jsonschema alone: load the file ({both(validate['load'])}), validate each document",
        validate["total"],
        f"{validate['rss']:.0f} MB",
    )
    row(
        "jsonschema alone, checking the formats the import checks (validation only)",
        validate["formats"],
    )
    row(
        f"**import** into an empty network ({imported['queries']:,} queries)",
        imported["total"],
        f"{imported['rss']:.0f} MB",
    )
    ratio = [imported["total"][i] / validate["total"][i] for i in (0, 1)]
    print(f"| import / jsonschema alone | {ratio[0]:.2f}x ({ratio[1]:.2f}x) | | |")
    row(f"the same import again ({rest['again_unchanged']:,} records unchanged)", rest["again"])
    row(
        f"a newer version ({created:,} created, {updated:,} updated, {deleted:,} removed)",
        rest["newer"],
    )
    row("export: full service documents (each validated)", rest["export_services"])
    row("export: full organization documents (each validated)", rest["export_organizations"])
    row("export: tabular data package, .zip (each row validated)", rest["export_tabular"])
    row(
        f"import of that package into another network ({rest['tabular_rows']:,} rows)",
        rest["import_tabular"],
        f"{rest['rss']:.0f} MB",
    )


def report_search(args: argparse.Namespace, searched: dict[str, Any]) -> None:
    print()
    print(
        f"The search page at {args.services:,} services, as a member with a place (results "
        f"nearest first) or without one (by name): {SEARCH_RUNS} runs each after one to warm "
        f"up; peak RSS {searched['rss']:.0f} MB."
    )
    print()
    print("| search | page, median wall (CPU) | slowest | queries | found |")
    print("|---|---:|---:|---:|---:|")
    for row in searched["searches"]:
        print(
            f"| {row['what']} | {both(row['median'])} | {human(row['worst'])} | "
            f"{row['queries']} | {row['found']:,} |"
        )


if __name__ == "__main__":
    main()
