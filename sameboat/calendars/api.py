"""The REST API for one's calendar feed, under /api/v1/networks/{network_slug}/calendar/: its
addresses, what it calls the groups, and a new address in place of the old. The feeds
themselves are not in the API: calendar clients fetch them at their secret addresses."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat import policy
from sameboat.calendars import selectors, services
from sameboat.calendars.models import CalendarFeed, GroupNames
from sameboat.networks.api import NetworkScopedViewSet, named_choice_field

GroupNamesField = named_choice_field(
    "CalendarGroupNames",
    GroupNames,
    help_text="What the feed's events are called (confidential groups unnamed by default).",
)


class GroupFeedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True, help_text="The group's id.")
    name = serializers.CharField(read_only=True)
    named_in_feed = serializers.BooleanField(
        read_only=True, help_text="Whether the feed's events name this group."
    )
    feed_url = serializers.URLField(read_only=True)


@extend_schema_serializer(many=False)
class CalendarFeedSerializer(serializers.Serializer[Any]):
    """One's calendar feed in the network. Its addresses carry a secret: anyone who has one
    sees when and where one's groups meet, so keep them private; `reset/` replaces them."""

    feed_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="All one's groups' meetings; null until made."
    )
    group_names = GroupNamesField(choices=GroupNames.choices)
    groups = GroupFeedSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)
    reset_at = serializers.DateTimeField(read_only=True, allow_null=True)


class CalendarViewSet(NetworkScopedViewSet):
    """One's calendar feed in the network: one per person and network, so no ids and no
    pages. Calendar clients fetch the feed itself at `feed_url`, without logging in."""

    serializer_class = CalendarFeedSerializer
    queryset = CalendarFeed.objects.none()
    pagination_class = None

    def _allowed(self) -> None:
        if not policy.can_have_calendar_feed(self.member):
            raise exceptions.NotFound

    def _data(self, request: Request, feed: CalendarFeed | None) -> dict[str, Any]:
        def url(name: str, **kwargs: Any) -> str:
            assert feed is not None
            return request.build_absolute_uri(
                reverse(name, kwargs={"feed_token": feed.token, **kwargs})
            )

        groups = []
        if feed is not None:
            groups = [
                {
                    "id": group.pk,
                    "name": group.name,
                    "named_in_feed": policy.feed_names_group(group, feed.group_names),
                    "feed_url": url("calendars:group_feed", group_id=group.pk),
                }
                for group in selectors.feed_groups(member=self.member)
            ]
        return dict(
            CalendarFeedSerializer(
                {
                    "feed_url": url("calendars:feed") if feed else None,
                    "group_names": feed.group_names if feed else GroupNames.OPEN,
                    "groups": groups,
                    "created_at": feed.created_at if feed else None,
                    "reset_at": feed.reset_at if feed else None,
                }
            ).data
        )

    @extend_schema(summary="One's calendar feed: its addresses and what it calls the groups")
    def list(self, request: Request, network_slug: str) -> Response:
        self._allowed()
        return Response(self._data(request, selectors.feed_of(member=self.member)))

    @extend_schema(
        summary="Make one's calendar address, or a new one in place of the old (which stops "
        "working at once)",
        request=None,
        responses={200: CalendarFeedSerializer},
    )
    @action(detail=False, methods=["post"])
    def reset(self, request: Request, network_slug: str) -> Response:
        self._allowed()
        return Response(self._data(request, services.feed_reset(member=self.member)))

    @extend_schema(
        summary="Choose what the feed calls the groups",
        request=CalendarFeedSerializer,
        responses={200: CalendarFeedSerializer},
    )
    @action(detail=False, methods=["patch"])
    def preferences(self, request: Request, network_slug: str) -> Response:
        self._allowed()
        data = self.parse(CalendarFeedSerializer, data=request.data, partial=True)
        feed = selectors.feed_of(member=self.member)
        if feed is None:
            raise exceptions.ValidationError(
                {"detail": _("Make your calendar address first (POST reset/).")}
            )
        if "group_names" in data:
            feed = services.feed_group_names_set(feed=feed, group_names=data["group_names"])
        return Response(self._data(request, feed))
