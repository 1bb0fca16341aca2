"""The REST API for networks, and the base every network-scoped endpoint builds on.

`NetworkScopedViewSet` resolves the network named in the URL and the caller's active
membership once per request, before anything else runs, and answers 404 when there is none:
an outsider learns nothing, not even that the network exists. Every queryset below it starts
from that network and that member, through the selectors; access is asked of `sameboat.policy`.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Choices, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sameboat import policy
from sameboat.accounts.models import User
from sameboat.core.access import NetworkAccess, network_access
from sameboat.ledger.reciprocity import Balance
from sameboat.ledger.selectors import member_counterparts, member_reciprocity
from sameboat.networks.models import Category, Member, Network, Role, ServiceArea
from sameboat.networks.selectors import areas_of, categories_of, members_of, networks_with_role

# --- what every endpoint shares ---------------------------------------------------------


def authenticate_header(view: APIView, request: Request) -> str:
    """The WWW-Authenticate challenge of the first authenticator that has one.

    DRF asks only the first configured authenticator; session authentication has no
    challenge, so an anonymous caller would get 403 instead of 401. Asking each in turn keeps
    the configured classes and gives the right answer: 401 with `WWW-Authenticate: Token`.
    """
    for authenticator in view.get_authenticators():
        header = authenticator.authenticate_header(request)
        if header:
            return str(header)
    return ""


def hours_text(amount: int) -> str:
    """A ledger amount in hundredths as a decimal string with two places: 150 -> "1.50"."""
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 100)
    return f"{sign}{whole}.{part:02d}"


HOURS_SCHEMA = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


def named_choice_field(
    name: str, choices: type[Choices], help_text: str = "", *, blank: bool = False
) -> type[serializers.ChoiceField]:
    """A ChoiceField whose choices are one named component of the schema (say `PostStatus`),
    so two choice sets that share a field name (`status`) keep names of their own. `blank`:
    the fields of this kind take and give "" (none) as well, and the schema says so."""
    values: list[object] = [choice.value for choice in choices]
    lines = [f"* `{value}` - {label}" for value, label in choices.choices]
    if blank:
        values.append("")
        lines.append("* `` - none")
    schema = {
        "type": "integer" if all(isinstance(value, int) for value in values) else "string",
        "enum": values,
        "description": "\n".join([help_text, *lines]).strip(),
    }
    field_class = type(f"{name}Field", (serializers.ChoiceField,), {})
    return extend_schema_field(schema, component_name=name)(field_class)


def current_user(request: Request) -> User:
    """The authenticated person; every view that calls this requires authentication."""
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated
    return user


class ApiViewSet(viewsets.GenericViewSet[Any]):
    def get_authenticate_header(self, request: Request) -> str:
        return authenticate_header(self, request)


class NetworkScopedViewSet(ApiViewSet):
    """An endpoint under /networks/{network_slug}/: resolves the network and the caller's
    membership once, after authentication, or answers 404."""

    network: Network
    member: Member

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        access = network_access(request, kwargs["network_slug"])
        self.network = access.network
        self.member = access.member

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["network"] = getattr(self, "network", None)
        context["viewer"] = getattr(self, "member", None)
        return context

    def parse(self, serializer_class: type[serializers.Serializer[Any]], **kwargs: Any) -> Any:
        """Validated input, or a 400 with field errors; the serializer sees the scope."""
        serializer = serializer_class(context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def paginated(self, queryset: QuerySet[Any]) -> Response:
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField[Any]):
    """An id that must name a row of the caller's network.

    The rows come from a scoped selector given the serializer's context, so an id from another
    network is "does not exist", exactly like an id that is nowhere: a 400 field error that
    reveals nothing. `queryset` only tells the schema which model the id belongs to.
    """

    def __init__(
        self,
        *,
        scope: Callable[[Network, Member], QuerySet[Any]],
        queryset: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        self.scope = scope
        self.unscoped = queryset
        super().__init__(queryset=queryset, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        network = self.context.get("network")
        viewer = self.context.get("viewer")
        if network is None or viewer is None:
            return self.unscoped.none()  # no scope known: fail closed
        return self.scope(network, viewer)


# --- small shared representations ---------------------------------------------------------


class MemberRefSerializer(serializers.Serializer[Member]):
    """A member as others see them: the display name they chose, which may be a pseudonym."""

    id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)


class CategorySerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["id", "slug", "name", "parent"]
        read_only_fields = fields


class CategoryRefSerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class AreaSerializer(serializers.ModelSerializer[ServiceArea]):
    class Meta:
        model = ServiceArea
        fields = ["id", "name", "kind", "parent"]
        read_only_fields = fields


class AreaRefSerializer(serializers.ModelSerializer[ServiceArea]):
    class Meta:
        model = ServiceArea
        fields = ["id", "name"]
        read_only_fields = fields


# --- networks -----------------------------------------------------------------------------


class NetworkSerializer(serializers.ModelSerializer[Network]):
    role = serializers.ChoiceField(
        source="my_role",
        choices=Role.choices,
        read_only=True,
        help_text="The caller's role in this network.",
    )

    class Meta:
        model = Network
        fields = ["slug", "name", "description", "unit_name", "open_signup", "role"]
        read_only_fields = fields


class NetworkViewSet(ApiViewSet):
    """The networks the caller belongs to. Any other network is 404, as if absent."""

    serializer_class = NetworkSerializer
    queryset = Network.objects.none()
    access: NetworkAccess
    lookup_field = "slug"
    lookup_url_kwarg = "network_slug"
    lookup_value_converter = "slug"

    def get_queryset(self) -> QuerySet[Network]:
        if getattr(self, "swagger_fake_view", False):
            return Network.objects.none()
        return networks_with_role(user=current_user(self.request))

    @extend_schema(summary="The caller's networks")
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if "network_slug" in kwargs:  # one network: 404 for outsiders, whatever the method
            self.access = network_access(request, kwargs["network_slug"])

    @extend_schema(summary="One of the caller's networks")
    def retrieve(self, request: Request, network_slug: str) -> Response:
        network = self.access.network
        network.my_role = self.access.member.role  # type: ignore[attr-defined]
        return Response(self.get_serializer(network).data)


class CategoryViewSet(NetworkScopedViewSet):
    """What help is about in this network, as a tree (`parent` is the id of the parent)."""

    serializer_class = CategorySerializer
    queryset = Category.objects.none()

    @extend_schema(summary="The network's categories")
    def list(self, request: Request, network_slug: str) -> Response:
        return self.paginated(
            categories_of(network=self.network).order_by("parent__name", "name", "id")
        )


class AreaViewSet(NetworkScopedViewSet):
    """The places this network serves, as a tree (`parent` is the id of the parent)."""

    serializer_class = AreaSerializer
    queryset = ServiceArea.objects.none()

    @extend_schema(summary="The network's service areas")
    def list(self, request: Request, network_slug: str) -> Response:
        return self.paginated(areas_of(network=self.network).order_by("name", "id"))


# --- members ------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer[Member]):
    display_name = serializers.CharField(source="user.display_name", read_only=True)
    area = AreaRefSerializer(source="service_area", read_only=True, allow_null=True)

    class Meta:
        model = Member
        fields = ["id", "display_name", "role", "area", "joined_at"]
        read_only_fields = fields


class CounterpartSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(read_only=True)
    given_to_amount = serializers.IntegerField(source="given_to", read_only=True)
    given_to_hours = serializers.SerializerMethodField()
    received_from_amount = serializers.IntegerField(source="received_from", read_only=True)
    received_from_hours = serializers.SerializerMethodField()

    @extend_schema_field(HOURS_SCHEMA)
    def get_given_to_hours(self, counterpart: Any) -> str:
        return hours_text(counterpart.given_to)

    @extend_schema_field(HOURS_SCHEMA)
    def get_received_from_hours(self, counterpart: Any) -> str:
        return hours_text(counterpart.received_from)


class ReciprocitySerializer(serializers.Serializer[Any]):
    """A member's giving and receiving. Amounts are hundredths of the network's unit; the
    `_hours` fields are the same as decimal strings."""

    member = MemberRefSerializer(read_only=True)
    unit = serializers.CharField(read_only=True)
    given_amount = serializers.IntegerField(read_only=True)
    given_hours = serializers.SerializerMethodField()
    received_amount = serializers.IntegerField(read_only=True)
    received_hours = serializers.SerializerMethodField()
    net_amount = serializers.IntegerField(read_only=True)
    net_hours = serializers.SerializerMethodField()
    given_percent = serializers.IntegerField(read_only=True)
    received_percent = serializers.IntegerField(read_only=True)
    balance = serializers.ChoiceField(
        choices=[(choice.value, choice.value) for choice in Balance], read_only=True
    )
    counterparts = CounterpartSerializer(many=True, read_only=True)

    @extend_schema_field(HOURS_SCHEMA)
    def get_given_hours(self, data: dict[str, Any]) -> str:
        return hours_text(data["given_amount"])

    @extend_schema_field(HOURS_SCHEMA)
    def get_received_hours(self, data: dict[str, Any]) -> str:
        return hours_text(data["received_amount"])

    @extend_schema_field(HOURS_SCHEMA)
    def get_net_hours(self, data: dict[str, Any]) -> str:
        return hours_text(data["net_amount"])


class MemberViewSet(NetworkScopedViewSet):
    """The member directory, for coordinators and admins; a member's reciprocity, for that
    member and the coordinators."""

    serializer_class = MemberSerializer
    queryset = Member.objects.none()
    lookup_value_converter = "int"

    @extend_schema(summary="The network's members (coordinators and admins)")
    def list(self, request: Request, network_slug: str) -> Response:
        if not policy.can_list_members(self.member):
            raise exceptions.PermissionDenied
        return self.paginated(members_of(network=self.network))

    @extend_schema(
        summary="A member's giving and receiving (the member, or coordinators)",
        responses=ReciprocitySerializer,
    )
    @action(detail=True, methods=["get"], serializer_class=ReciprocitySerializer)
    def reciprocity(self, request: Request, network_slug: str, pk: int) -> Response:
        subject = members_of(network=self.network).filter(pk=pk).first()
        if subject is None:
            raise exceptions.NotFound
        if not policy.can_view_member_ledger(self.member, subject):
            raise exceptions.PermissionDenied
        totals = member_reciprocity(member=subject)
        data = {
            "member": subject,
            "unit": self.network.unit_name,
            "given_amount": totals.given,
            "received_amount": totals.received,
            "net_amount": totals.net,
            "given_percent": totals.given_percent,
            "received_percent": totals.received_percent,
            "balance": totals.balance.value,
            "counterparts": member_counterparts(member=subject),
        }
        return Response(ReciprocitySerializer(data).data)
