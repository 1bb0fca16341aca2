"""Fixtures every test may use: a network with one person in each role, and an outsider who
belongs to another network. Real database, no mocks of our own parts."""

import itertools
from collections.abc import Callable

import pytest

from sameboat.accounts.models import User
from sameboat.aid.models import Ask, Offer
from sameboat.aid.services import PostFields, ask_create, offer_create
from sameboat.networks.models import Category, Member, Network, Role
from sameboat.networks.services import member_add, network_create

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)

MakeMember = Callable[..., Member]


@pytest.fixture
def network(db: None) -> Network:
    return network_create(slug="riverside", name="Riverside Mutual Aid")


@pytest.fixture
def other_network(db: None) -> Network:
    return network_create(slug="hilltop", name="Hilltop Food Network")


@pytest.fixture
def make_member(network: Network) -> MakeMember:
    def make(
        role: Role = Role.MEMBER,
        *,
        in_network: Network | None = None,
        display_name: str | None = None,
        email: str | None = None,
    ) -> Member:
        n = next(_counter)
        user = User.objects.create_user(
            email or f"person{n}@example.org",
            PASSWORD,
            display_name=display_name or f"Person {n}",
        )
        return member_add(network=in_network or network, user=user, role=role)

    return make


@pytest.fixture
def member(make_member: MakeMember) -> Member:
    return make_member(Role.MEMBER, display_name="Amina")


@pytest.fixture
def helper(make_member: MakeMember) -> Member:
    return make_member(Role.MEMBER, display_name="Bongani")


@pytest.fixture
def facilitator(make_member: MakeMember) -> Member:
    return make_member(Role.FACILITATOR, display_name="Farah")


@pytest.fixture
def coordinator(make_member: MakeMember) -> Member:
    return make_member(Role.COORDINATOR, display_name="Carmen")


@pytest.fixture
def admin_member(make_member: MakeMember) -> Member:
    return make_member(Role.ADMIN, display_name="Ade")


@pytest.fixture
def outsider(make_member: MakeMember, other_network: Network) -> Member:
    return make_member(Role.COORDINATOR, in_network=other_network, display_name="Olek")


@pytest.fixture
def food(network: Network) -> Category:
    return Category.objects.get(network=network, slug="food")


@pytest.fixture
def ask(member: Member, food: Category) -> Ask:
    return ask_create(member=member, fields=PostFields(category=food, title="Groceries on Friday"))


@pytest.fixture
def offer(helper: Member, food: Category) -> Offer:
    return offer_create(member=helper, fields=PostFields(category=food, title="I can cook meals"))
