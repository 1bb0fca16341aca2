"""Reads for asks, offers and matches: always scoped to one network and one viewer."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from sameboat import policy
from sameboat.aid.models import Ask, Match, MatchStatus, Offer, PostStatus, ReviewState, Visibility
from sameboat.networks.models import Member, Network, ServiceArea


@dataclass(frozen=True, slots=True)
class PostFilters:
    """The filters a list of asks or offers takes; empty means any."""

    category: int | None = None
    area: int | None = None
    urgency: int | None = None
    status: str | None = None
    language: str | None = None


def _with_relations[Post: (Ask, Offer)](posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("member__user", "category__parent", "area").prefetch_related(
        "languages"
    )


def _visible[Post: (Ask, Offer)](
    posts: QuerySet[Post], *, network: Network, viewer: Member
) -> QuerySet[Post]:
    posts = posts.filter(network=network)
    if policy.is_coordinator(viewer):
        return posts
    # Same rule as policy.can_view_post, as a query.
    return posts.filter(
        Q(member=viewer) | (Q(visibility=Visibility.NETWORK) & ~Q(status=PostStatus.PAUSED))
    )


def _filtered[Post: (Ask, Offer)](posts: QuerySet[Post], filters: PostFilters) -> QuerySet[Post]:
    if filters.category:
        posts = posts.filter(
            Q(category_id=filters.category) | Q(category__parent_id=filters.category)
        )
    if filters.area:
        posts = posts.filter(
            Q(area_id=filters.area)
            | Q(area__parent_id=filters.area)
            | Q(area__parent__parent_id=filters.area)
        )
    if filters.urgency and posts.model is Ask:
        posts = posts.filter(urgency=filters.urgency)  # type: ignore[misc]
    if filters.status:
        posts = posts.filter(status=filters.status)
    if filters.language:
        posts = posts.filter(languages__code=filters.language)
    return posts


def asks_visible(
    *, network: Network, viewer: Member, filters: PostFilters | None = None
) -> QuerySet[Ask]:
    asks = _filtered(
        _visible(Ask.objects.all(), network=network, viewer=viewer), filters or PostFilters()
    )
    return _with_relations(asks).order_by("-urgency", "-created_at", "-id")


def offers_visible(
    *, network: Network, viewer: Member, filters: PostFilters | None = None
) -> QuerySet[Offer]:
    offers = _filtered(
        _visible(Offer.objects.all(), network=network, viewer=viewer), filters or PostFilters()
    )
    return _with_relations(offers).order_by("-created_at", "-id")


def asks_waiting_oldest_first(*, network: Network) -> QuerySet[Ask]:
    """The coordinator's queue: every open ask, whoever may see it, oldest first."""
    return _with_relations(Ask.objects.filter(network=network, status=PostStatus.OPEN)).order_by(
        "created_at", "id"
    )


def asks_of(*, member: Member) -> QuerySet[Ask]:
    return _with_relations(
        Ask.objects.filter(network_id=member.network_id, member=member)
    ).order_by("-created_at", "-id")


def offers_of(*, member: Member) -> QuerySet[Offer]:
    return _with_relations(
        Offer.objects.filter(network_id=member.network_id, member=member)
    ).order_by("-created_at", "-id")


def ask_get(*, network: Network, viewer: Member, pk: int) -> Ask:
    """One ask the viewer may see; 404 otherwise (never 403: absence reveals nothing)."""
    ask = _with_relations(Ask.objects.filter(network=network, pk=pk)).first()
    if ask is None or not policy.can_view_post(viewer, ask):
        raise Http404
    return ask


def offer_get(*, network: Network, viewer: Member, pk: int) -> Offer:
    offer = _with_relations(Offer.objects.filter(network=network, pk=pk)).first()
    if offer is None or not policy.can_view_post(viewer, offer):
        raise Http404
    return offer


def _match_relations(matches: QuerySet[Match]) -> QuerySet[Match]:
    return matches.select_related(
        "helper__user", "receiver__user", "ask__category", "offer__category", "proposed_by__user"
    )


def _released(matches: QuerySet[Match]) -> QuerySet[Match]:
    """Without matching's proposals still waiting for a coordinator: the two members are not
    shown those until one is released (see policy.can_view_match)."""
    return matches.exclude(review_state=ReviewState.PENDING)


def matches_visible(
    *, network: Network, viewer: Member, status: str | None = None
) -> QuerySet[Match]:
    """A member's own matches; a coordinator sees every match of the network."""
    matches = Match.objects.filter(network=network)
    if not policy.is_coordinator(viewer):
        matches = _released(matches.filter(Q(helper=viewer) | Q(receiver=viewer)))
    if status:
        matches = matches.filter(status=status)
    return _match_relations(matches).order_by("-created_at", "-id")


def matches_of(*, member: Member) -> QuerySet[Match]:
    """Only the matches this member is a side of, even for a coordinator; a proposal still
    waiting for review is nobody's yet, not even a coordinator's own."""
    return _match_relations(
        _released(
            Match.objects.filter(network_id=member.network_id).filter(
                Q(helper=member) | Q(receiver=member)
            )
        )
    ).order_by("-created_at", "-id")


def matches_waiting_on(*, member: Member) -> QuerySet[Match]:
    """Proposals this member has yet to answer."""
    return matches_of(member=member).filter(
        Q(helper=member, helper_accepted_at__isnull=True)
        | Q(receiver=member, receiver_accepted_at__isnull=True),
        status=MatchStatus.PROPOSED,
    )


def match_get(*, network: Network, viewer: Member, pk: int) -> Match:
    match = _match_relations(Match.objects.filter(network=network, pk=pk)).first()
    if match is None or not policy.can_view_match(viewer, match):
        raise Http404
    return match


def matches_for_post(*, post: Ask | Offer, viewer: Member) -> QuerySet[Match]:
    """Matches on a post, as far as the viewer may see them."""
    lookup = {"ask": post} if isinstance(post, Ask) else {"offer": post}
    matches = Match.objects.filter(network_id=post.network_id, **lookup)
    if policy.is_coordinator(viewer):
        return _match_relations(matches).order_by("-created_at")
    matches = _released(matches)
    if post.member_id != viewer.pk:
        matches = matches.filter(Q(helper=viewer) | Q(receiver=viewer))
    return _match_relations(matches).order_by("-created_at")


# Reads for the aid pages.


def areas_for_choice(*, network: Network) -> QuerySet[ServiceArea]:
    """A network's areas with two levels of ancestors loaded, so a select can show each by
    its path (city, neighbourhood, block) without a query per option."""
    return ServiceArea.objects.filter(network=network).select_related("parent__parent")


def offers_open_for_pairing(*, network: Network) -> QuerySet[Offer]:
    """Every open offer a coordinator may pair an ask with, whoever may see it."""
    return _with_relations(Offer.objects.filter(network=network, status=PostStatus.OPEN)).order_by(
        "created_at", "id"
    )


def matches_listed(
    *, network: Network, viewer: Member, everyone: bool = False, status: str | None = None
) -> QuerySet[Match]:
    """The matches page: the viewer's own matches, or every match of the network when a
    coordinator asks for them all."""
    if everyone and policy.is_coordinator(viewer):
        return matches_visible(network=network, viewer=viewer, status=status)
    matches = matches_of(member=viewer)
    if status:
        matches = matches.filter(status=status)
    return matches
