"""The REST API for the ledger: exchanges as their two sides and the coordinators see them.

Amounts are integer hundredths of the network's unit (150 is 1.5 hours); each exchange shows
the raw `amount` and the same as `hours`, a decimal string. Exchanges are never edited: a
coordinator corrects one by reversing it, which posts its exact opposite.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat import policy
from sameboat.ledger.models import Exchange
from sameboat.ledger.selectors import exchanges_visible
from sameboat.ledger.services import exchange_reverse
from sameboat.networks.api import (
    HOURS_SCHEMA,
    MemberRefSerializer,
    NetworkScopedViewSet,
    hours_text,
)
from sameboat.networks.models import Member, Network


def exchanges_for(*, network: Network, member: Member) -> QuerySet[Exchange]:
    """The exchanges the member may see (the selector joins what the API shows)."""
    return exchanges_visible(network=network, member=member)


def exchange_get(*, network: Network, member: Member, pk: int) -> Exchange:
    """One exchange the member may see, or 404 (never 403: absence reveals nothing)."""
    exchange = exchanges_for(network=network, member=member).filter(pk=pk).first()
    if exchange is None:
        raise exceptions.NotFound
    return exchange


class ExchangeSerializer(serializers.Serializer[Exchange]):
    id = serializers.IntegerField(read_only=True)
    provider = MemberRefSerializer(read_only=True, help_text="Who gave the help.")
    receiver = MemberRefSerializer(read_only=True, help_text="Who received it.")
    amount = serializers.IntegerField(
        read_only=True, help_text="Hundredths of the network's unit; negative for a reversal."
    )
    hours = serializers.SerializerMethodField(help_text="The amount in the network's unit.")
    unit = serializers.SerializerMethodField(help_text="The network's unit, usually hours.")
    memo = serializers.CharField(read_only=True)
    match = serializers.IntegerField(source="match_id", read_only=True, allow_null=True)
    reverses = serializers.IntegerField(source="reverses_id", read_only=True, allow_null=True)
    reversed_by = serializers.SerializerMethodField(
        help_text="The id of the exchange that reversed this one, if any."
    )
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(HOURS_SCHEMA)
    def get_hours(self, exchange: Exchange) -> str:
        return hours_text(exchange.amount)

    @extend_schema_field(serializers.CharField())
    def get_unit(self, exchange: Exchange) -> str:
        network = self.context.get("network")
        return str(network.unit_name) if network is not None else ""

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_reversed_by(self, exchange: Exchange) -> int | None:
        try:
            return exchange.reversed_by.pk
        except ObjectDoesNotExist:
            return None


class ReverseSerializer(serializers.Serializer[Any]):
    memo = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Why it is corrected."
    )


@extend_schema_view(
    list=extend_schema(summary="Exchanges: the caller's own; coordinators see every one"),
    retrieve=extend_schema(summary="One exchange"),
)
class ExchangeViewSet(NetworkScopedViewSet):
    serializer_class = ExchangeSerializer
    queryset = Exchange.objects.none()
    lookup_value_converter = "int"

    def list(self, request: Request, network_slug: str) -> Response:
        return self.paginated(exchanges_for(network=self.network, member=self.member))

    def retrieve(self, request: Request, network_slug: str, pk: int) -> Response:
        exchange = exchange_get(network=self.network, member=self.member, pk=pk)
        return Response(self.get_serializer(exchange).data)

    @extend_schema(
        summary="Reverse an exchange by posting its opposite (coordinators)",
        request=ReverseSerializer,
        responses={201: ExchangeSerializer},
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, network_slug: str, pk: int) -> Response:
        if not policy.can_reverse_exchange(self.member):
            raise exceptions.PermissionDenied(_("Only coordinators can reverse an exchange."))
        exchange = exchange_get(network=self.network, member=self.member, pk=pk)
        data = self.parse(ReverseSerializer, data=request.data)
        reversal = exchange_reverse(exchange=exchange, by=self.member, memo=data.get("memo", ""))
        fresh = exchange_get(network=self.network, member=self.member, pk=reversal.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
