"""The REST API for matching: run it, read its runs, and review its proposals.

For coordinators and admins: a member of the network gets 403, anyone else 404 (as for any
network they do not belong to), an anonymous caller 401. The rules live in
`matching.services` and `sameboat.policy`; this module parses and renders.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat import policy
from sameboat.aid.api import PostRefSerializer
from sameboat.aid.models import Match, Urgency
from sameboat.matching import selectors, services
from sameboat.matching.models import MatchingRun, RunStatus, RunTrigger
from sameboat.networks.api import MemberRefSerializer, NetworkScopedViewSet, named_choice_field

RunStatusField = named_choice_field("MatchingRunStatus", RunStatus)
RunTriggerField = named_choice_field("MatchingRunTrigger", RunTrigger)


class MatchingRunSerializer(serializers.Serializer[MatchingRun]):
    id = serializers.IntegerField(read_only=True)
    status = RunStatusField(choices=RunStatus.choices, read_only=True)
    trigger = RunTriggerField(choices=RunTrigger.choices, read_only=True)
    started_by = MemberRefSerializer(read_only=True, allow_null=True)
    queued_at = serializers.DateTimeField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)
    stats = serializers.DictField(
        child=serializers.FloatField(),
        read_only=True,
        help_text=(
            "Figures of a finished run: asks, helpers, proposed, new, kept, withdrawn, "
            "unmatched, total_cost, solve_seconds, and the engine's own (engine_...)."
        ),
    )
    error = serializers.CharField(read_only=True, help_text="Why a failed run failed.")


class ProposalAskSerializer(PostRefSerializer):
    urgency = serializers.ChoiceField(choices=Urgency.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class ProposalSerializer(serializers.Serializer[Match]):
    """A proposal of matching's waiting for a coordinator's review."""

    id = serializers.IntegerField(read_only=True)
    ask = ProposalAskSerializer(read_only=True)
    offer = PostRefSerializer(read_only=True, allow_null=True)
    helper = MemberRefSerializer(read_only=True)
    receiver = MemberRefSerializer(read_only=True)
    reasons = serializers.SerializerMethodField(
        help_text="Why matching proposed it, in the caller's language."
    )
    reason_codes = serializers.ListField(
        source="reasons",
        child=serializers.CharField(),
        read_only=True,
        help_text="The same reasons as the engine gave them.",
    )
    distance_km = serializers.FloatField(read_only=True, allow_null=True)
    days_waiting = serializers.SerializerMethodField(help_text="Days since the ask was posted.")
    run = serializers.IntegerField(source="run_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, match: Match) -> list[str]:
        return [str(text) for text in selectors.reason_texts(match.reasons)]

    @extend_schema_field(serializers.FloatField())
    def get_days_waiting(self, match: Match) -> float:
        assert match.ask is not None
        return round((timezone.now() - match.ask.created_at).total_seconds() / 86400, 2)


class CoordinatorViewSet(NetworkScopedViewSet):
    """Matching's endpoints are for the network's coordinators and admins."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # A method the endpoint does not take (self.action is None) is left to answer 405,
        # like every other POST-only action.
        if self.action is not None and not policy.can_run_matching(self.member):
            raise exceptions.PermissionDenied(_("Only coordinators can use matching."))


class MatchingRunViewSet(CoordinatorViewSet):
    """Matching runs: each a pass of the engine over the network's open asks and helpers."""

    serializer_class = MatchingRunSerializer
    queryset = MatchingRun.objects.none()
    lookup_value_converter = "int"

    @extend_schema(summary="The network's matching runs, newest first")
    def list(self, request: Request, network_slug: str) -> Response:
        return self.paginated(selectors.runs_latest(network=self.network))

    @extend_schema(summary="One matching run")
    def retrieve(self, request: Request, network_slug: str, pk: int) -> Response:
        run = selectors.run_get(network=self.network, pk=pk)
        if run is None:
            raise exceptions.NotFound
        return Response(self.get_serializer(run).data)

    @extend_schema(
        summary="Run matching now",
        description=(
            "Asks the task worker for a run. 201 with the finished run when the worker ran it "
            "at once; 202 with the run queued (or already under way) otherwise: read it again "
            "by its id to see it finish. A failed run leaves the proposals as they were."
        ),
        request=None,
        responses={
            201: MatchingRunSerializer,
            202: OpenApiResponse(MatchingRunSerializer, description="Queued or under way."),
        },
    )
    def create(self, request: Request, network_slug: str) -> Response:
        run = services.matching_run_request(network=self.network, by=self.member)
        finished = run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)
        return Response(
            self.get_serializer(run).data,
            status=status.HTTP_201_CREATED if finished else status.HTTP_202_ACCEPTED,
        )


class ProposalViewSet(CoordinatorViewSet):
    """Matching's proposals waiting for review (in a network that reviews them)."""

    serializer_class = ProposalSerializer
    queryset = Match.objects.none()
    lookup_value_converter = "int"

    def pending(self) -> QuerySet[Match]:
        return selectors.proposals_pending(network=self.network)

    @extend_schema(summary="Proposals waiting for review, most urgent and oldest first")
    def list(self, request: Request, network_slug: str) -> Response:
        return self.paginated(self.pending())

    def review(self, pk: int, release: bool) -> Response:
        if not self.pending().filter(pk=pk).exists():
            raise exceptions.NotFound
        if release:
            services.proposals_release(network=self.network, by=self.member, ids=[pk])
        else:
            services.proposals_reject(network=self.network, by=self.member, ids=[pk])
        match = (
            Match.objects.filter(network=self.network, pk=pk)
            .select_related("ask__category", "offer__category", "helper__user", "receiver__user")
            .get()
        )
        return Response(self.get_serializer(match).data)

    @extend_schema(
        summary="Release a proposal: both members are asked to accept",
        request=None,
        responses=ProposalSerializer,
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, network_slug: str, pk: int) -> Response:
        return self.review(pk, release=True)

    @extend_schema(
        summary="Reject a proposal: it is called off and never proposed again",
        request=None,
        responses=ProposalSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, network_slug: str, pk: int) -> Response:
        return self.review(pk, release=False)
