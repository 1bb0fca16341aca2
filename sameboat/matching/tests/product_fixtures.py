"""What the product tests of matching share: a small city around Riverside's centre, where
people live a few hundred metres to several kilometres apart. Real database, real engine.

(Plain functions, not a conftest.py: this folder also holds the engine's pure tests, which
need none of this.)"""

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from sameboat.aid.models import Ask, Match, MatchSource, Urgency
from sameboat.aid.services import PostFields, ask_create
from sameboat.core.models import Language
from sameboat.networks.models import Category, MatchingMode, Member, Network, Role

# Riverside's centre; 0.01 degree of latitude is about 1.1 km.
LAT = Decimal("-33.92")
LON = Decimal("18.42")


def north(km: float) -> Decimal:
    """A latitude about `km` kilometres north of the centre, to two decimals (as stored)."""
    return (LAT + Decimal(str(round(km / 111.2, 2)))).quantize(Decimal("0.01"))


def place(member: Member, km_north: float = 0.0) -> Member:
    member.latitude = north(km_north)
    member.longitude = LON
    member.save(update_fields=["latitude", "longitude"])
    return member


def speaks(member: Member, *codes: str) -> Member:
    member.user.languages.set(Language.objects.filter(code__in=codes))
    return member


def make_helper(
    make_member: Callable[..., Member],
    helps_with: Iterable[Category],
    *,
    km_north: float = 0.0,
    travel_km: float = 3,
    capacity: int = 2,
    languages: Iterable[str] = ("en",),
    accessibility: Iterable[str] = (),
    display_name: str | None = None,
    role: Role = Role.MEMBER,
) -> Member:
    helper = make_member(role, display_name=display_name)
    place(helper, km_north)
    helper.helps_with.set(list(helps_with))
    helper.travel_km = Decimal(str(travel_km))
    helper.weekly_capacity = capacity
    helper.accessibility_offered = list(accessibility)
    helper.save(update_fields=["travel_km", "weekly_capacity", "accessibility_offered"])
    if languages:
        speaks(helper, *languages)
    return helper


def make_ask(
    asker: Member,
    category: Category,
    title: str = "Groceries on Friday",
    *,
    urgency: Urgency = Urgency.NORMAL,
    languages: Iterable[str] = (),
    accessibility: Iterable[str] = (),
) -> Ask:
    ask = ask_create(
        member=asker,
        fields=PostFields(
            category=category,
            title=title,
            languages=tuple(Language.objects.filter(code__in=list(languages))),
        ),
        urgency=urgency,
    )
    if accessibility:
        ask.accessibility_needs = list(accessibility)
        ask.save(update_fields=["accessibility_needs"])
    return ask


def engine_proposals(network: Network) -> list[Match]:
    return list(
        Match.objects.filter(network=network, source=MatchSource.ENGINE)
        .select_related("ask", "helper")
        .order_by("ask_id", "helper_id")
    )


def set_mode(network: Network, mode: MatchingMode) -> None:
    network.matching_mode = mode
    network.save(update_fields=["matching_mode"])


def run_tasks_at_once(settings: Any) -> None:
    """Tasks run at once, in the request that enqueues them (pass pytest-django's
    `settings` fixture)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def make_asker(make_member: Callable[..., Member]) -> Member:
    """Amina, at the centre, who speaks English."""
    return speaks(place(make_member(Role.MEMBER, display_name="Amina")), "en")


def groceries_of(network: Network) -> Category:
    return Category.objects.get(network=network, slug="food-groceries")
