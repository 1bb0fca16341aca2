"""The REST API for asks, offers and matches: the core loop of mutual aid.

Serializers parse and render; the rules live in `aid.services` (writes) and `sameboat.policy`
(who may). Every object is found through a selector scoped to the network in the URL and the
caller's membership there; ids from anywhere else are simply not found.
"""

from abc import ABCMeta, abstractmethod
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat import policy
from sameboat.accounts.api import LanguageCodesField
from sameboat.accounts.models import ContactPreference
from sameboat.aid.models import Ask, Match, MatchStatus, Offer, PostStatus, Urgency, Visibility
from sameboat.aid.selectors import (
    PostFilters,
    ask_get,
    asks_visible,
    match_get,
    matches_of,
    matches_visible,
    offer_get,
    offers_visible,
)
from sameboat.aid.services import (
    PostFields,
    ask_create,
    match_accept,
    match_cancel,
    match_complete_once,
    match_decline,
    match_feedback,
    match_offer_help,
    match_pair,
    match_request_offer,
    offer_create,
    post_transition,
    post_update,
)
from sameboat.audit.services import audit_record
from sameboat.ledger.api import ExchangeSerializer, exchange_get
from sameboat.networks.api import (
    AreaRefSerializer,
    CategoryRefSerializer,
    MemberRefSerializer,
    NetworkScopedViewSet,
    ScopedPrimaryKeyField,
    named_choice_field,
)
from sameboat.networks.models import AccessibilityTag, Category, Member, Network, ServiceArea
from sameboat.networks.selectors import areas_of, categories_of, members_of

PostStatusField = named_choice_field("PostStatus", PostStatus)
MatchStatusField = named_choice_field("MatchStatus", MatchStatus)

# --- asks and offers: rendering -----------------------------------------------------------


class PostPermissionsSerializer(serializers.Serializer[Any]):
    edit = serializers.BooleanField(read_only=True)
    answer = serializers.BooleanField(read_only=True)


class PostSerializer(serializers.Serializer[Any]):
    """What asks and offers share. `languages` comes from the selectors' prefetch."""

    id = serializers.IntegerField(read_only=True)
    member = MemberRefSerializer(read_only=True)
    category = CategoryRefSerializer(read_only=True)
    title = serializers.CharField(read_only=True)
    details = serializers.CharField(read_only=True)
    area = AreaRefSerializer(read_only=True, allow_null=True)
    starts_on = serializers.DateField(read_only=True, allow_null=True)
    ends_on = serializers.DateField(read_only=True, allow_null=True)
    languages = serializers.SerializerMethodField()
    visibility = serializers.ChoiceField(choices=Visibility.choices, read_only=True)
    status = PostStatusField(choices=PostStatus.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    can = serializers.SerializerMethodField(
        help_text="What the caller may do with it: edit (and pause, close...), answer."
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_languages(self, post: Ask | Offer) -> list[str]:
        return [language.code for language in post.languages.all()]

    @extend_schema_field(PostPermissionsSerializer)
    def get_can(self, post: Ask | Offer) -> dict[str, bool]:
        viewer = self.context.get("viewer")
        return {
            "edit": policy.can_edit_post(viewer, post),
            "answer": policy.can_answer(viewer, post),
        }


class AskSerializer(PostSerializer):
    urgency = serializers.ChoiceField(choices=Urgency.choices, read_only=True)
    accessibility_needs = serializers.ListField(
        child=serializers.ChoiceField(choices=AccessibilityTag.choices), read_only=True
    )


class OfferSerializer(PostSerializer):
    pass


# --- asks and offers: parsing -------------------------------------------------------------


def _categories(network: Network, viewer: Member) -> QuerySet[Category]:
    return categories_of(network=network)


def _areas(network: Network, viewer: Member) -> QuerySet[ServiceArea]:
    return areas_of(network=network)


class PostWriteSerializer(serializers.Serializer[Any]):
    """An ask or offer as a member writes it. Ids name rows of this network only."""

    category = ScopedPrimaryKeyField(scope=_categories, queryset=Category.objects.all())
    title = serializers.CharField(max_length=120)
    details = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    area = ScopedPrimaryKeyField(
        scope=_areas, queryset=ServiceArea.objects.all(), required=False, allow_null=True
    )
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    languages = LanguageCodesField(required=False, help_text="Language codes, e.g. en, so, ase.")
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class AskWriteSerializer(PostWriteSerializer):
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    accessibility_needs = serializers.ListField(
        child=serializers.ChoiceField(choices=AccessibilityTag.choices),
        required=False,
        help_text="Needs a helper must be able to meet; matching proposes only those who can.",
    )


class OfferWriteSerializer(PostWriteSerializer):
    pass


def post_fields(data: dict[str, Any], post: Ask | Offer | None = None) -> PostFields:
    """The service's PostFields from parsed input; a PATCH keeps what it does not name."""

    def value(name: str) -> Any:
        if name in data or post is None:
            return data.get(name)
        return getattr(post, name)

    if "languages" in data:
        languages = tuple(data["languages"])
    elif post is not None:
        languages = tuple(post.languages.all())
    else:
        languages = ()
    return PostFields(
        category=value("category"),
        title=value("title"),
        details=value("details") or "",
        area=value("area"),
        starts_on=value("starts_on"),
        ends_on=value("ends_on"),
        languages=languages,
        visibility=Visibility(value("visibility") or Visibility.NETWORK),
    )


# The largest id a database integer holds: a larger one in a filter would not reach the
# query as a number at all (SQLite raises OverflowError), so it is a 400 here.
MAX_ID = 2**63 - 1


class PostFilterSerializer(serializers.Serializer[Any]):
    """Query parameters of a list of asks or offers; each left out means any."""

    category = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="A category id; its subcategories count too.",
    )
    area = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="An area id; the areas inside it count too.",
    )
    status = PostStatusField(choices=PostStatus.choices, required=False)
    language = serializers.CharField(required=False, max_length=16, help_text="A language code.")


class AskFilterSerializer(PostFilterSerializer):
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)


class MessageSerializer(serializers.Serializer[Any]):
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# --- matches: rendering -------------------------------------------------------------------


class PostRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    category = CategoryRefSerializer(read_only=True)


class ContactSerializer(serializers.Serializer[Any]):
    """How to reach the other side of a match: only for the two sides, once both accepted."""

    display_name = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    phone = serializers.CharField(read_only=True)
    contact_preference = serializers.ChoiceField(choices=ContactPreference.choices, read_only=True)


class MatchPermissionsSerializer(serializers.Serializer[Any]):
    accept = serializers.BooleanField(read_only=True)
    decline = serializers.BooleanField(read_only=True)
    cancel = serializers.BooleanField(read_only=True)
    complete = serializers.BooleanField(read_only=True)
    feedback = serializers.BooleanField(read_only=True)


class MatchSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    status = MatchStatusField(choices=MatchStatus.choices, read_only=True)
    ask = PostRefSerializer(read_only=True, allow_null=True)
    offer = PostRefSerializer(read_only=True, allow_null=True)
    helper = MemberRefSerializer(read_only=True)
    receiver = MemberRefSerializer(read_only=True)
    proposed_by = MemberRefSerializer(read_only=True, allow_null=True)
    message = serializers.CharField(read_only=True)
    helper_accepted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    receiver_accepted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    hours = serializers.DecimalField(
        max_digits=7, decimal_places=2, read_only=True, allow_null=True
    )
    helper_feedback = serializers.CharField(read_only=True)
    receiver_feedback = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    ended_at = serializers.DateTimeField(read_only=True, allow_null=True)
    my_side = serializers.SerializerMethodField(
        help_text="The caller's side of the match: helper, receiver, or null."
    )
    contact = serializers.SerializerMethodField(
        help_text="The other side's contact details, once both have accepted; otherwise null."
    )
    can = serializers.SerializerMethodField(help_text="What the caller may do with it now.")

    @extend_schema_field(serializers.ChoiceField(choices=["helper", "receiver"], allow_null=True))
    def get_my_side(self, match: Match) -> str | None:
        viewer = self.context.get("viewer")
        return match.side_of(viewer) if viewer is not None else None

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contact(self, match: Match) -> dict[str, str] | None:
        viewer = self.context.get("viewer")
        if viewer is None or not policy.can_see_contact_details(viewer, match):
            return None
        # Every answer that carries another person's contact details is recorded (ASVS
        # 8.3.5), ids only: one match's answer here; a list collects its matches' ids and
        # the list endpoint records them in one event (one INSERT, however long the page).
        shown = self.context.get("contacts_shown")
        if isinstance(shown, list):
            shown.append(match.pk)
        else:
            audit_record(
                action="contact.view",
                network=self.context.get("network"),
                actor=viewer.user,
                target=f"match:{match.pk}",
                request=self.context.get("request"),
            )
        user = match.other_side(viewer).user
        return {
            "display_name": user.display_name,
            "email": user.email,
            "phone": user.phone,
            "contact_preference": user.contact_preference,
        }

    @extend_schema_field(MatchPermissionsSerializer)
    def get_can(self, match: Match) -> dict[str, bool]:
        viewer = self.context.get("viewer")
        return {
            "accept": policy.can_accept_match(viewer, match),
            "decline": policy.can_decline_match(viewer, match),
            "cancel": policy.can_cancel_match(viewer, match),
            "complete": policy.can_complete_match(viewer, match),
            "feedback": policy.can_give_feedback(viewer, match),
        }


# --- matches: parsing ---------------------------------------------------------------------


def _asks(network: Network, viewer: Member) -> QuerySet[Ask]:
    return asks_visible(network=network, viewer=viewer)


def _offers(network: Network, viewer: Member) -> QuerySet[Offer]:
    return offers_visible(network=network, viewer=viewer)


def _members(network: Network, viewer: Member) -> QuerySet[Member]:
    return members_of(network=network)


class MatchPairSerializer(serializers.Serializer[Any]):
    """A coordinator pairs an ask with an offer, or with a member who can help."""

    ask = ScopedPrimaryKeyField(scope=_asks, queryset=Ask.objects.all())
    offer = ScopedPrimaryKeyField(
        scope=_offers, queryset=Offer.objects.all(), required=False, allow_null=True
    )
    helper = ScopedPrimaryKeyField(
        scope=_members,
        queryset=Member.objects.all(),
        required=False,
        allow_null=True,
        help_text="A member's id; leave out when pairing with an offer.",
    )
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MatchFilterSerializer(serializers.Serializer[Any]):
    all = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Every match of the network, not only the caller's (coordinators only).",
    )
    status = MatchStatusField(choices=MatchStatus.choices, required=False)


IDEMPOTENCY_HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 64


class CompleteSerializer(serializers.Serializer[Any]):
    hours = serializers.DecimalField(
        max_digits=9, decimal_places=2, help_text='Hours given, e.g. "1.5".'
    )
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    key = serializers.CharField(
        required=False,
        max_length=KEY_MAX_LENGTH,
        help_text=(
            "A key you choose for this request, so that a retry cannot post twice. "
            f"May be sent instead as the {IDEMPOTENCY_HEADER} header; one of the two is required."
        ),
    )


class FeedbackSerializer(serializers.Serializer[Any]):
    feedback = serializers.CharField(max_length=5000)


# --- asks and offers: endpoints -----------------------------------------------------------


class PostViewSet[Post: (Ask, Offer)](NetworkScopedViewSet, metaclass=ABCMeta):
    """What the ask and offer endpoints share: list, create, retrieve, patch, and the life
    cycle (pause, resume, close, reopen)."""

    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]
    write_serializer_class: type[PostWriteSerializer]
    filter_serializer_class: type[PostFilterSerializer]

    # Each kind says how it is found and written.
    @abstractmethod
    def visible(self, filters: PostFilters) -> QuerySet[Post]: ...

    @abstractmethod
    def get_post(self, pk: int) -> Post: ...

    @abstractmethod
    def create_post(self, data: dict[str, Any]) -> Post: ...

    def render(self, post: Post, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_post(post.pk)  # the selector's relations and prefetch, and its scope
        return Response(self.get_serializer(fresh).data, status=status_code)

    def list(self, request: Request, network_slug: str) -> Response:
        data = self.parse(self.filter_serializer_class, data=request.query_params)
        return self.paginated(self.visible(PostFilters(**data)))

    def create(self, request: Request, network_slug: str) -> Response:
        if not policy.can_create_post(self.member):
            raise exceptions.PermissionDenied
        data = self.parse(self.write_serializer_class, data=request.data)
        return self.render(self.create_post(data), status.HTTP_201_CREATED)

    def retrieve(self, request: Request, network_slug: str, pk: int) -> Response:
        return Response(self.get_serializer(self.get_post(pk)).data)

    def partial_update(self, request: Request, network_slug: str, pk: int) -> Response:
        post = self.get_post(pk)
        if not policy.can_edit_post(self.member, post):
            raise exceptions.PermissionDenied
        data = self.parse(self.write_serializer_class, data=request.data, partial=True)
        urgency = Urgency(data["urgency"]) if data.get("urgency") is not None else None
        post_update(
            post=post,
            by=self.member,
            fields=post_fields(data, post),
            urgency=urgency,
            accessibility_needs=data.get("accessibility_needs"),
        )
        return self.render(post)

    def transition(self, pk: int, name: str) -> Response:
        post = post_transition(post=self.get_post(pk), by=self.member, action=name)
        return self.render(post)

    @extend_schema(summary="Pause it: hidden from others until resumed", request=None)
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, network_slug: str, pk: int) -> Response:
        return self.transition(pk, "pause")

    @extend_schema(summary="Resume it after a pause", request=None)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, network_slug: str, pk: int) -> Response:
        return self.transition(pk, "resume")

    @extend_schema(summary="Close it; matches still waiting on it are cancelled", request=None)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, network_slug: str, pk: int) -> Response:
        return self.transition(pk, "close")

    @extend_schema(summary="Reopen it after closing", request=None)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, network_slug: str, pk: int) -> Response:
        return self.transition(pk, "reopen")


@extend_schema_view(
    list=extend_schema(summary="Asks the caller may see", parameters=[AskFilterSerializer]),
    create=extend_schema(
        summary="Ask for help", request=AskWriteSerializer, responses={201: AskSerializer}
    ),
    retrieve=extend_schema(summary="One ask"),
    partial_update=extend_schema(
        summary="Change an ask (its author or a coordinator)", request=AskWriteSerializer
    ),
)
class AskViewSet(PostViewSet[Ask]):
    """Asks for help in the network."""

    serializer_class = AskSerializer
    write_serializer_class = AskWriteSerializer
    filter_serializer_class = AskFilterSerializer
    queryset = Ask.objects.none()

    def visible(self, filters: PostFilters) -> QuerySet[Ask]:
        return asks_visible(network=self.network, viewer=self.member, filters=filters)

    def get_post(self, pk: int) -> Ask:
        return ask_get(network=self.network, viewer=self.member, pk=pk)

    def create_post(self, data: dict[str, Any]) -> Ask:
        return ask_create(
            member=self.member,
            fields=post_fields(data),
            urgency=Urgency(data.get("urgency") or Urgency.NORMAL),
            accessibility_needs=data.get("accessibility_needs", ()),
        )

    @extend_schema(
        summary="Offer to help with this ask",
        request=MessageSerializer,
        responses={201: MatchSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=MatchSerializer)
    def help(self, request: Request, network_slug: str, pk: int) -> Response:
        ask = self.get_post(pk)
        data = self.parse(MessageSerializer, data=request.data)
        match = match_offer_help(ask=ask, helper=self.member, message=data.get("message", ""))
        fresh = match_get(network=self.network, viewer=self.member, pk=match.pk)
        return Response(
            MatchSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(summary="Offers the caller may see", parameters=[PostFilterSerializer]),
    create=extend_schema(
        summary="Offer help", request=OfferWriteSerializer, responses={201: OfferSerializer}
    ),
    retrieve=extend_schema(summary="One offer"),
    partial_update=extend_schema(
        summary="Change an offer (its author or a coordinator)", request=OfferWriteSerializer
    ),
)
class OfferViewSet(PostViewSet[Offer]):
    """Offers of help in the network."""

    serializer_class = OfferSerializer
    write_serializer_class = OfferWriteSerializer
    filter_serializer_class = PostFilterSerializer
    queryset = Offer.objects.none()

    def visible(self, filters: PostFilters) -> QuerySet[Offer]:
        return offers_visible(network=self.network, viewer=self.member, filters=filters)

    def get_post(self, pk: int) -> Offer:
        return offer_get(network=self.network, viewer=self.member, pk=pk)

    def create_post(self, data: dict[str, Any]) -> Offer:
        return offer_create(member=self.member, fields=post_fields(data))

    @extend_schema(
        summary="Ask to receive this offer",
        request=MessageSerializer,
        responses={201: MatchSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        serializer_class=MatchSerializer,
        url_path="request",
        url_name="request",
    )
    def request_offer(self, request: Request, network_slug: str, pk: int) -> Response:
        offer = self.get_post(pk)
        data = self.parse(MessageSerializer, data=request.data)
        match = match_request_offer(
            offer=offer, receiver=self.member, message=data.get("message", "")
        )
        fresh = match_get(network=self.network, viewer=self.member, pk=match.pk)
        return Response(
            MatchSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


# --- matches: endpoints -------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="The caller's matches (coordinators: ?all=true for every match)",
        parameters=[MatchFilterSerializer],
    ),
    create=extend_schema(
        summary="Pair an ask with an offer or a helper (coordinators)",
        request=MatchPairSerializer,
        responses={201: MatchSerializer},
    ),
    retrieve=extend_schema(summary="One match"),
)
class MatchViewSet(NetworkScopedViewSet):
    """Matches: a helper and a receiver paired over an ask, an offer, or both."""

    serializer_class = MatchSerializer
    queryset = Match.objects.none()
    lookup_value_converter = "int"

    def get_match(self, pk: int) -> Match:
        return match_get(network=self.network, viewer=self.member, pk=pk)

    def render(self, match: Match, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_match(match.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def list(self, request: Request, network_slug: str) -> Response:
        filters = self.parse(MatchFilterSerializer, data=request.query_params)
        matches: QuerySet[Match]
        if filters["all"]:
            if not policy.is_coordinator(self.member):
                raise exceptions.PermissionDenied(_("Only coordinators see every match."))
            matches = matches_visible(
                network=self.network, viewer=self.member, status=filters.get("status")
            )
        else:
            matches = matches_of(member=self.member)
            if filters.get("status"):
                matches = matches.filter(status=filters["status"])
        shown: list[int] = []
        page = self.paginate_queryset(matches)
        serializer = self.get_serializer(
            page, many=True, context={**self.get_serializer_context(), "contacts_shown": shown}
        )
        response = self.get_paginated_response(serializer.data)
        if shown:
            audit_record(
                action="contact.view",
                network=self.network,
                actor=self.member.user,
                target=f"match:{shown[0]}" if len(shown) == 1 else f"network:{self.network.pk}",
                detail={"matches": shown},
                request=request,
            )
        return response

    def create(self, request: Request, network_slug: str) -> Response:
        if not policy.can_pair(self.member):
            raise exceptions.PermissionDenied(_("Only coordinators can pair asks with helpers."))
        data = self.parse(MatchPairSerializer, data=request.data)
        match = match_pair(
            by=self.member,
            ask=data["ask"],
            offer=data.get("offer"),
            helper=data.get("helper"),
            message=data.get("message", ""),
        )
        return self.render(match, status.HTTP_201_CREATED)

    def retrieve(self, request: Request, network_slug: str, pk: int) -> Response:
        return Response(self.get_serializer(self.get_match(pk)).data)

    @extend_schema(summary="Accept the match (either side)", request=None)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, network_slug: str, pk: int) -> Response:
        return self.render(match_accept(match=self.get_match(pk), by=self.member))

    @extend_schema(summary="Decline a proposed match (either side)", request=None)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, network_slug: str, pk: int) -> Response:
        return self.render(match_decline(match=self.get_match(pk), by=self.member))

    @extend_schema(summary="Call the match off (either side, or a coordinator)", request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, network_slug: str, pk: int) -> Response:
        return self.render(match_cancel(match=self.get_match(pk), by=self.member))

    @extend_schema(
        summary="Mark the match done and post its exchange, once",
        description=(
            "Posts the hours to the ledger. Send a key of your choosing (in the body or the "
            f"{IDEMPOTENCY_HEADER} header): repeating the request with the same key returns "
            "the same exchange (200) and posts nothing; the first answer is 201."
        ),
        request=CompleteSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="The request's key, if not given in the body.",
            )
        ],
        responses={
            201: ExchangeSerializer,
            200: OpenApiResponse(ExchangeSerializer, description="A replay of the same key."),
        },
    )
    @action(detail=True, methods=["post"], serializer_class=ExchangeSerializer)
    def complete(self, request: Request, network_slug: str, pk: int) -> Response:
        match = self.get_match(pk)
        data = self.parse(CompleteSerializer, data=request.data)
        key = self.request_key(request, data.get("key"))
        # Keys are the caller's own: scoped to them, one person's key cannot collide with
        # another's, nor with the keys the ledger makes for itself.
        ledger_key = f"api:{self.member.pk}:{key}"
        # The service says whether this request posted the exchange: a retry (even one that
        # arrived at the same instant and waited on the match's lock) replays it with 200.
        completion = match_complete_once(
            match=match,
            by=self.member,
            hours=Decimal(data["hours"]),
            key=ledger_key,
            feedback=data.get("feedback", ""),
        )
        fresh = exchange_get(network=self.network, member=self.member, pk=completion.exchange.pk)
        return Response(
            ExchangeSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if completion.created else status.HTTP_200_OK,
        )

    @staticmethod
    def request_key(request: Request, body_key: str | None) -> str:
        header = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if len(header) > KEY_MAX_LENGTH:
            raise exceptions.ValidationError(
                {"key": [_("The request key is longer than %d characters.") % KEY_MAX_LENGTH]}
            )
        if body_key and header and body_key != header:
            raise exceptions.ValidationError(
                {"key": [_("The key in the body and the %s header differ.") % IDEMPOTENCY_HEADER]}
            )
        key = body_key or header
        if not key:
            raise exceptions.ValidationError(
                {
                    "key": [
                        _(
                            "Send a key for this request (in the body or the %s header), "
                            "so that a retry cannot post twice."
                        )
                        % IDEMPOTENCY_HEADER
                    ]
                }
            )
        return key

    @extend_schema(summary="Say how it went, once done (either side)", request=FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, network_slug: str, pk: int) -> Response:
        match = self.get_match(pk)
        data = self.parse(FeedbackSerializer, data=request.data)
        return self.render(match_feedback(match=match, by=self.member, feedback=data["feedback"]))
