"""Each network keeps its own directory, unpublished until it chooses to publish it."""

from sameboat.directory.models import Directory
from sameboat.directory.selectors import directory_published
from sameboat.directory.services import directory_for, directory_publish
from sameboat.networks.models import Network


def test_a_directory_starts_unpublished(network: Network) -> None:
    assert not directory_for(network=network).published
    assert not directory_published(network=network)


def test_publishing_one_network_leaves_the_other(network: Network, other_network: Network) -> None:
    directory_publish(network=network, published=True)
    assert directory_published(network=network)
    assert not directory_published(network=other_network)
    directory_publish(network=network, published=False)
    assert not directory_published(network=network)
    assert Directory.objects.filter(network=network).count() == 1
