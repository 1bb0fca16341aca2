"""Fixtures every test may use: a network with one person in each role, and an outsider who
belongs to another network. Real database, no mocks of our own parts."""

import importlib
import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from sameboat.accounts.models import User
from sameboat.aid.models import Ask, Offer
from sameboat.aid.services import PostFields, ask_create, offer_create
from sameboat.networks.models import Category, Member, Network, Role
from sameboat.networks.services import member_add, network_create

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# The groups the apps' tests share (groups, calendars, decisions, goals).
pytest_plugins = ["sameboat.core.tests.fixtures_groups"]

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


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Tasks run at once, in the test's own thread, instead of waiting for a worker."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def food(network: Network) -> Category:
    return Category.objects.get(network=network, slug="food")


@pytest.fixture
def ask(member: Member, food: Category) -> Ask:
    return ask_create(member=member, fields=PostFields(category=food, title="Groceries on Friday"))


@pytest.fixture
def offer(helper: Member, food: Category) -> Offer:
    return offer_create(member=helper, fields=PostFields(category=food, title="I can cook meals"))


# Browser tests: Debian's Chromium driven by Playwright (which cannot download its own here).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "chromium"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium for the browser tests (apt-get install chromium).")
        pytest.skip("Chromium is not installed; `make test` installs it when run as root.")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def seeded_languages(transactional_db: None) -> None:
    """Browser tests flush the database between tests; put the seeded languages back."""
    from django.apps import apps as django_apps

    seed = importlib.import_module("sameboat.core.migrations.0002_seed_languages").seed
    seed(django_apps, None)


AXE_OPTIONS = {"resultTypes": ["violations"]}


@pytest.fixture
def assert_accessible() -> Callable[["Page"], None]:
    """Run axe on the page as it is now and fail with its report if it finds anything."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: "Page") -> None:
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> None:
    """Login limits, throttles and used two-factor codes live in the cache, which outlives a
    test (Redis in CI, else a database table a flush leaves alone): each test starts empty.
    The table is only touched by tests that use the test database."""
    from django.conf import settings as django_settings
    from django.core.cache import cache

    if "DatabaseCache" not in django_settings.CACHES["default"]["BACKEND"]:
        cache.clear()
        return
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if uses_db:
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            cache.clear()
