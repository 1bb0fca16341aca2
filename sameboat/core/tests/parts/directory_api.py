"""The HSDS read API's objects in the permission-table scenario.

Riverside's directory gets the test dataset's legal clinic (an organization, its services,
their places, a taxonomy and its terms), imported as HSDS. The directory stays unpublished,
so the API is for the network's active members alone: anyone else, anonymous callers
included, gets 404 as for a network that does not exist. (A published directory is open to
all; sameboat/directory/tests/test_hsds_api_reads_*.py walks both.)

The detail routes take an HSDS id as `id`: the kinds below, namespaced so that no other
part's values can be taken for them, are the URL names' own (most specific first)."""

from typing import Any

from sameboat.directory import sample as dataset
from sameboat.directory.services import hsds_import_documents

# Kinds (words in API URL names) whose "pk" this part supplies, most specific first.
PK_KINDS: tuple[str, ...] = (
    "hsds:service_at_location",
    "hsds:taxonomy_term",
    "hsds:taxonomy",
    "hsds:organization",
    "hsds:service",
)


def add(base: dict[str, Any]) -> dict[str, object]:
    clinic = dataset.organizations()[1]
    report = hsds_import_documents(network=base["network"], data=clinic, kind="organization")
    assert report.ok, report.problems
    tenant = clinic["services"][0]
    return {
        "hsds:service_at_location": tenant["service_at_locations"][0]["id"],
        "hsds:taxonomy_term": tenant["attributes"][0]["taxonomy_term_id"],
        "hsds:taxonomy": dataset.TAXONOMY["id"],
        "hsds:organization": clinic["id"],
        "hsds:service": tenant["id"],
    }
