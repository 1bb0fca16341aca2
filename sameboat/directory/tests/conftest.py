"""The directory tests' fixtures: the sample directory (sameboat/directory/sample.py) imported
into Riverside."""

import pytest

from sameboat.directory import sample as dataset
from sameboat.directory.importing import ImportReport
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Network


@pytest.fixture
def imported(network: Network) -> ImportReport:
    """Riverside's directory: the three organizations of the dataset, services and all."""
    report = hsds_import_documents(network=network, data=dataset.organizations())
    assert report.ok, report.problems
    return report
