"""`manage.py hsds import|export|publish` (and `sameboat hsds ...`): a network's directory of
community resources in the Open Referral HSDS 3.0 format.

`import` reads HSDS JSON (full service or organization objects, arrays of them, or pages of
the HSDS API's list forms) or the tabular form (a folder or .zip of CSV files, one per HSDS
table, with datapackage.json); it validates every record against the official schemas,
writes the valid ones and lists the invalid ones (exit 1 if there was any). `export` writes
the directory in either form, validated the same way. `publish` says whether anyone may read
the directory."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

HELP = "A network's directory in HSDS 3.0: import, export, publish."

OBJECTS = ["organizations", "services", "service_at_locations", "taxonomies", "taxonomy_terms"]
# The list form of each kind of object (taxonomies and terms are listed whole).
LIST_FORMS = {
    "services": "service_list",
    "organizations": "organization_list",
    "service_at_locations": "service_at_location_list",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}
PROBLEMS_SHOWN = 200


def add_arguments(parser: ArgumentParser) -> None:
    """The actions and their options, shared with the `sameboat` command line (which parses
    them before Django is set up, so nothing here may touch models)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    load = actions.add_parser(
        "import",
        help="import HSDS JSON or a tabular data package into a network's directory",
        description=(
            "Import PATH into the network's directory: a .json file (one HSDS object, an array "
            "of them, or a page of the HSDS API's lists), or the tabular form (a folder or a "
            ".zip of CSV files named as HSDS names them, such as services.csv, with or "
            "without datapackage.json). Every record is validated against the official HSDS "
            "3.0 schemas first; invalid ones are listed and not written, valid ones are. "
            "Records are matched by HSDS id within the network: importing the same data "
            "twice changes nothing, a newer version updates them. Exits 0 if every record was "
            "valid, 1 if some were not, 2 if PATH or the network cannot be used."
        ),
    )
    load.add_argument("path", metavar="PATH", help="a .json file, a folder or a .zip")
    _common(load)
    load.add_argument(
        "--objects",
        choices=OBJECTS,
        help="what a JSON file holds (default: told by its name, such as services.json, or "
        "by the objects' fields)",
    )
    load.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="no progress bars (they go to stderr)",
    )
    dump = actions.add_parser(
        "export",
        help="export a network's directory as HSDS JSON or a tabular data package",
        description=(
            "Write the network's directory to PATH. JSON (the default when PATH ends in "
            ".json): an array of full objects (--objects, organizations by default: each "
            "with its locations, programs and services, every service with its schedules, "
            "phones, languages, costs, locations and taxonomy terms), or with --list one page "
            "of the HSDS API's list form holding them all. Tabular: a folder, or a .zip, "
            "holding datapackage.json and one CSV file per HSDS table. Every document and "
            "row is validated against the official HSDS 3.0 schemas before it is written."
        ),
    )
    dump.add_argument("path", metavar="PATH", help="a .json file, a folder or a .zip")
    _common(dump)
    dump.add_argument(
        "--objects", choices=OBJECTS, default="organizations", help="JSON: which objects"
    )
    dump.add_argument(
        "--list", action="store_true", help="JSON: the list form, as one page of the HSDS API"
    )
    publish = actions.add_parser(
        "publish",
        help="publish a network's directory, or take it back",
        description="Say whether anyone may read the network's directory without logging in.",
    )
    publish.add_argument("--network", metavar="SLUG", required=True, help="the network")
    publish.add_argument(
        "--off", dest="published", action="store_false", help="take the directory back"
    )


def _common(parser: ArgumentParser) -> None:
    parser.add_argument("--network", metavar="SLUG", required=True, help="the network's short name")
    parser.add_argument(
        "--format",
        choices=["json", "tabular"],
        help="json or tabular (default: json for a .json PATH, tabular otherwise)",
    )


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here, not above: the `sameboat` CLI imports this module before Django is set up.
        from sameboat.networks.models import Network

        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(
                f"There is no network with the short name {options['network']!r}.", returncode=2
            )
        if options["action"] == "import":
            self.load(network, Path(options["path"]), options)
        elif options["action"] == "export":
            self.dump(network, Path(options["path"]), options)
        elif options["action"] == "publish":
            from sameboat.directory.services import directory_publish

            directory = directory_publish(network=network, published=options["published"])
            state = "published" if directory.published else "not published"
            self.stdout.write(f"The directory of {network.slug} is {state}.")

    def load(self, network: Any, path: Path, options: dict[str, Any]) -> None:
        from sameboat.directory.importing import PLURALS, ImportFailed
        from sameboat.directory.services import hsds_import

        quiet = options["verbosity"] == 0
        objects = options.get("objects")
        try:
            report = hsds_import(
                network=network,
                path=path,
                form=options.get("format"),
                kind=PLURALS[objects] if objects else None,
                progress=options.get("progress", True) and not quiet,
            )
        except ImportFailed as error:
            raise CommandError(str(error), returncode=2) from error
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        for problem in report.problems[:PROBLEMS_SHOWN]:
            self.stderr.write(f"invalid: {problem}")
        if len(report.problems) > PROBLEMS_SHOWN:
            self.stderr.write(f"... and {len(report.problems) - PROBLEMS_SHOWN} more problems")
        if not quiet:
            self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(
                f"{report.rejected} of {report.sources} records were invalid and were not "
                "written; the valid ones were.",
                returncode=1,
            )

    def dump(self, network: Any, path: Path, options: dict[str, Any]) -> None:
        from sameboat.directory.exporting import ExportInvalid, write_json, write_package
        from sameboat.directory.importing import PLURALS

        form = options.get("format") or ("json" if path.suffix.lower() == ".json" else "tabular")
        try:
            if form == "json":
                objects = options["objects"]
                kind = LIST_FORMS[objects] if options["list"] else PLURALS[objects]
                count = write_json(network, path, kind, as_page=options["list"])
                what = f"{count} {objects}"
            else:
                count = write_package(network, path)
                what = f"{count} tables"
        except ExportInvalid as error:
            raise CommandError(f"An exported document is invalid (a bug): {error}") from error
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}", returncode=2) from error
        from sameboat.audit.services import audit_record

        audit_record(
            action="directory.export",
            network=network,
            target=f"network:{network.pk}",
            detail={"format": form, "command": True},
        )
        if options["verbosity"]:
            self.stdout.write(f"Wrote {what} to {path}.")
