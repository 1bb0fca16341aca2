"""The directory tests' fixtures: the test dataset (`dataset.py`) imported into Riverside."""

import pytest

from sameboat.directory.importing import ImportReport
from sameboat.directory.services import hsds_import_documents
from sameboat.directory.tests import dataset
from sameboat.networks.models import Network


@pytest.fixture
def imported(network: Network) -> ImportReport:
    """Riverside's directory: the three organizations of the dataset, services and all."""
    report = hsds_import_documents(network=network, data=dataset.organizations())
    assert report.ok, report.problems
    return report
