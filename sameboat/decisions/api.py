"""The REST API for decisions, under /api/v1/networks/{network_slug}/decisions/. The same
policy as the pages: a confidential group's proposals are 404 to anyone outside the group
(coordinators included); an anonymous proposal never says who took which stance; the
running count only where the process allows it.

Bad input (a second stance, a stance after closing, a malformed ballot) is a 400 with a
message, and nothing is written."""

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat import policy
from sameboat.decisions import selectors, services
from sameboat.decisions.models import Process, Proposal, ProposalStatus, Stance, StanceKind
from sameboat.decisions.presenting import ProposalView, proposal_view
from sameboat.groups.models import Group, GroupMember, GroupMemberStatus
from sameboat.groups.selectors import membership_of
from sameboat.networks.api import (
    MemberRefSerializer,
    NetworkScopedViewSet,
    ScopedPrimaryKeyField,
    named_choice_field,
)
from sameboat.networks.models import Member, Network

ProcessField = named_choice_field("DecisionProcess", Process)
StatusField = named_choice_field("DecisionStatus", ProposalStatus)
StanceKindField = named_choice_field("DecisionStanceKind", StanceKind)


def groups_for_proposals(network: Network, viewer: Member) -> QuerySet[Group]:
    """Groups whose proposals the caller may see: open groups, and confidential groups they
    are an active member of. Any other id reads as "does not exist"."""
    belongs = GroupMember.objects.filter(
        group=OuterRef("pk"), member=viewer, status=GroupMemberStatus.ACTIVE
    )
    return Group.objects.filter(network=network).filter(Q(confidential=False) | Exists(belongs))


class DecisionSerializer(serializers.ModelSerializer[Proposal]):
    """A proposal. `group` is null for a proposal to the whole network."""

    group = ScopedPrimaryKeyField(
        scope=groups_for_proposals,
        queryset=Group.objects.all(),
        allow_null=True,
        default=None,
        help_text="The group it is put to; null for the whole network.",
    )
    text = serializers.CharField(allow_blank=True, default="", max_length=10_000)
    process = ProcessField(choices=Process.choices)
    options = serializers.ListField(
        child=serializers.CharField(max_length=200),
        default=list,
        max_length=20,
        help_text="The options, for score and ranked choice (2 to 20); empty otherwise.",
    )
    max_score = serializers.IntegerField(default=5, help_text="Score only: from 1 to 10.")
    quorum_count = serializers.IntegerField(allow_null=True, default=None)
    quorum_percent = serializers.IntegerField(allow_null=True, default=None)
    anonymous = serializers.BooleanField(default=False)
    status = StatusField(choices=ProposalStatus.choices, read_only=True)
    created_by = MemberRefSerializer(read_only=True, allow_null=True)
    closed_early_by = MemberRefSerializer(read_only=True, allow_null=True)
    stance_count = serializers.IntegerField(read_only=True)
    taken_part = serializers.BooleanField(
        read_only=True, help_text="Whether the caller has taken a stance."
    )
    outcome_passed = serializers.BooleanField(read_only=True, allow_null=True)
    outcome_winner = serializers.CharField(read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "group",
            "title",
            "text",
            "process",
            "options",
            "max_score",
            "quorum_count",
            "quorum_percent",
            "anonymous",
            "opens_at",
            "closes_at",
            "status",
            "created_by",
            "created_at",
            "decided_at",
            "closed_early_by",
            "withdrawn_at",
            "stance_count",
            "taken_part",
            "outcome_passed",
            "outcome_winner",
        ]
        read_only_fields = [
            "id",
            "opens_at",
            "status",
            "created_by",
            "created_at",
            "decided_at",
            "closed_early_by",
            "withdrawn_at",
            "stance_count",
            "taken_part",
            "outcome_passed",
            "outcome_winner",
        ]


class DecisionStanceSerializer(serializers.Serializer[Any]):
    """A stance. For an anonymous proposal `member` and the times are always null."""

    ref = serializers.UUIDField(help_text="The stance's handle (to resolve an objection).")
    member = MemberRefSerializer(allow_null=True)
    kind = StanceKindField(
        choices=StanceKind.choices, allow_blank=True, help_text="Empty for score and ranked."
    )
    scores = serializers.DictField(child=serializers.IntegerField())
    ranking = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField(allow_null=True)
    resolved = serializers.BooleanField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_by_facilitator = serializers.BooleanField()
    resolution_note = serializers.CharField(allow_blank=True)


class DecisionStanceInputSerializer(serializers.Serializer[Any]):
    """What fits the process: `kind` for consent (agree, stand_aside, object), consensus
    (agree, stand_aside, block) and majority (yes, no, abstain); `scores` (option -> score)
    for score; `ranking` (options, most preferred first) for ranked choice."""

    kind = StanceKindField(choices=StanceKind.choices, required=False, allow_blank=True)
    scores = serializers.DictField(child=serializers.IntegerField(), required=False)
    ranking = serializers.ListField(child=serializers.CharField(), required=False)
    reason = serializers.CharField(allow_blank=True, default="", max_length=2000)


class DecisionResolveSerializer(serializers.Serializer[Any]):
    stance = serializers.UUIDField(help_text="The objection's `ref`.")
    note = serializers.CharField(allow_blank=True, default="", help_text="How it was resolved.")


class DecisionRoundSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    exhausted = serializers.IntegerField()
    continuing = serializers.IntegerField()
    eliminated = serializers.CharField(allow_null=True)
    tie_break = serializers.CharField(
        allow_null=True, help_text="`first_preferences` or `option_order` when a tie was broken."
    )
    winner = serializers.CharField(allow_null=True)


class DecisionOutcomeSerializer(serializers.Serializer[Any]):
    """The outcome as counted at closing: counts only, never who took which stance."""

    process = ProcessField(choices=Process.choices)
    passed = serializers.BooleanField()
    winner = serializers.CharField(allow_null=True)
    quorum_met = serializers.BooleanField()
    quorum_required = serializers.IntegerField()
    participants = serializers.IntegerField()
    eligible = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Stances by kind, total points by option (score) or first preferences.",
    )
    means = serializers.DictField(child=serializers.FloatField())
    rounds = DecisionRoundSerializer(many=True)
    objections_resolved = serializers.IntegerField()
    objections_unresolved = serializers.IntegerField()
    blocks = serializers.IntegerField()


class DecisionDetailSerializer(DecisionSerializer):
    """A proposal with what the caller may see of its stances and outcome."""

    eligible = serializers.IntegerField(read_only=True)
    participants = serializers.IntegerField(read_only=True)
    my_stance = DecisionStanceSerializer(read_only=True, allow_null=True)
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        allow_null=True,
        help_text="The running count while open, where the process shows one; null otherwise.",
    )
    stances = DecisionStanceSerializer(
        source="visible_stances",
        many=True,
        read_only=True,
        allow_null=True,
        help_text="Null where the count is hidden.",
    )
    objections = DecisionStanceSerializer(
        many=True, read_only=True, allow_null=True, help_text="Consent only; null otherwise."
    )
    outcome = DecisionOutcomeSerializer(read_only=True, allow_null=True)
    outcome_statement = serializers.CharField(
        read_only=True, help_text="The outcome in one sentence, in the request's language."
    )
    outcome_statement_recorded = serializers.CharField(
        read_only=True, help_text="The statement as recorded at closing, in the site's language."
    )
    can_take_stance = serializers.BooleanField(read_only=True)
    can_close = serializers.BooleanField(read_only=True)
    can_withdraw = serializers.BooleanField(read_only=True)

    class Meta(DecisionSerializer.Meta):
        fields = [
            *DecisionSerializer.Meta.fields,
            "eligible",
            "participants",
            "my_stance",
            "counts",
            "stances",
            "objections",
            "outcome",
            "outcome_statement",
            "outcome_statement_recorded",
            "can_take_stance",
            "can_close",
            "can_withdraw",
        ]
        read_only_fields = fields


def _stance_data(stance: Stance, *, named: bool) -> dict[str, Any]:
    return {
        "ref": stance.ref,
        "member": stance.member if named else None,
        "kind": stance.kind,
        "scores": stance.scores,
        "ranking": stance.ranking,
        "reason": stance.reason,
        "created_at": stance.created_at if named else None,
        "resolved": stance.is_resolved,
        "resolved_at": stance.resolved_at if named else None,
        "resolved_by_facilitator": stance.resolved_by_facilitator,
        "resolution_note": stance.resolution_note,
    }


STATUS_PARAM = OpenApiParameter(
    "status", str, enum=ProposalStatus.values, description="Only proposals with this status."
)
GROUP_PARAM = OpenApiParameter(
    "group", int, description="Only this group's proposals; `network` for the network's own."
)


@extend_schema_view(
    list=extend_schema(
        summary="Proposals the caller may see, open first",
        parameters=[GROUP_PARAM, STATUS_PARAM],
    ),
    create=extend_schema(
        summary="Put a proposal to a group (its members) or the whole network (facilitators, "
        "coordinators, admins)",
        request=DecisionSerializer,
        responses={201: DecisionDetailSerializer},
    ),
    retrieve=extend_schema(summary="One proposal", responses=DecisionDetailSerializer),
)
class DecisionViewSet(NetworkScopedViewSet):
    serializer_class = DecisionSerializer
    queryset = Proposal.objects.none()
    lookup_value_converter = "int"

    def _found(self, pk: int) -> tuple[Proposal, GroupMember | None]:
        proposal = selectors.proposal_get(network=self.network, pk=pk)
        if proposal is None:
            raise exceptions.NotFound
        membership = selectors.membership_for(proposal=proposal, member=self.member)
        if not policy.can_see_proposal(self.member, proposal, membership):
            raise exceptions.NotFound
        return proposal, membership

    def _detail(self, pk: int) -> dict[str, Any]:
        proposal, membership = self._found(pk)
        view: ProposalView = proposal_view(
            proposal=proposal, viewer=self.member, membership=membership
        )
        rows: list[Stance] = []
        if view.show_counts or view.show_objections:
            rows = list(
                selectors.stances_named(proposal=proposal)
                if view.show_names
                else selectors.stances_unnamed(proposal=proposal)
            )
        shown = {
            "taken_part": view.my_stance is not None,
            "eligible": view.eligible,
            "participants": view.participants,
            "my_stance": (
                _stance_data(view.my_stance, named=not proposal.anonymous)
                if view.my_stance
                else None
            ),
            "counts": (
                {row.key: row.count for row in view.counts}
                if view.show_counts and proposal.status == ProposalStatus.OPEN and view.counts
                else None
            ),
            "visible_stances": (
                [_stance_data(row, named=view.show_names) for row in rows]
                if view.show_counts
                else None
            ),
            "objections": (
                [_stance_data(row, named=view.show_names) for row in rows if row.is_objection]
                if view.show_objections
                else None
            ),
            "outcome_statement": view.statement,
            "outcome_statement_recorded": proposal.outcome_statement,
            "can_take_stance": view.can_take_stance,
            "can_close": view.can_close,
            "can_withdraw": view.can_withdraw,
        }
        # Carried on the instance for the serializer; the row itself is never saved here.
        for key, value in shown.items():
            setattr(proposal, key, value)
        return dict(DecisionDetailSerializer(proposal, context=self.get_serializer_context()).data)

    def list(self, request: Request, network_slug: str) -> Response:
        proposals = selectors.proposals_visible(network=self.network, viewer=self.member)
        group = request.query_params.get("group")
        if group == "network":
            proposals = proposals.filter(group__isnull=True)
        elif group:
            if not group.isdigit():
                raise exceptions.ValidationError({"group": [_("Give a group's id, or network.")]})
            proposals = proposals.filter(group_id=int(group))
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in ProposalStatus.values:
                raise exceptions.ValidationError(
                    {"status": [_("Choose open, decided or withdrawn.")]}
                )
            proposals = proposals.filter(status=wanted)
        return self.paginated(proposals)

    def create(self, request: Request, network_slug: str) -> Response:
        data = self.parse(DecisionSerializer, data=request.data)
        group: Group | None = data.pop("group", None)
        membership = membership_of(group=group, member=self.member) if group else None
        if not policy.can_propose(self.member, group, membership):
            raise exceptions.PermissionDenied
        proposal = services.proposal_create(
            network=self.network, by=self.member, group=group, **data
        )
        return Response(self._detail(proposal.pk), status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, network_slug: str, pk: int) -> Response:
        return Response(self._detail(pk))

    @extend_schema(
        summary="Take one's stance, once (those who may take part, while it is open)",
        request=DecisionStanceInputSerializer,
        responses={201: DecisionDetailSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=DecisionStanceInputSerializer)
    def stance(self, request: Request, network_slug: str, pk: int) -> Response:
        proposal, membership = self._found(pk)
        if not policy.can_take_part(self.member, proposal, membership):
            raise exceptions.PermissionDenied
        data = self.parse(DecisionStanceInputSerializer, data=request.data)
        services.stance_take(
            proposal=proposal,
            member=self.member,
            kind=data.get("kind", ""),
            scores=data.get("scores"),
            ranking=data.get("ranking"),
            reason=data.get("reason", ""),
        )
        return Response(self._detail(pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mark an objection resolved, with a note (the objector or a facilitator)",
        request=DecisionResolveSerializer,
        responses={200: DecisionDetailSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=DecisionResolveSerializer)
    def resolve(self, request: Request, network_slug: str, pk: int) -> Response:
        proposal, membership = self._found(pk)
        data = self.parse(DecisionResolveSerializer, data=request.data)
        objection = selectors.stance_by_ref(proposal=proposal, ref=str(data["stance"]))
        if objection is None:
            raise exceptions.ValidationError({"stance": [_("There is no such objection.")]})
        if not policy.can_resolve_objection(self.member, proposal, membership, objection):
            raise exceptions.PermissionDenied
        services.objection_resolve(stance=objection, by=self.member, note=data["note"])
        return Response(self._detail(pk))

    @extend_schema(
        summary="Close it now and record the outcome (its author or a facilitator)",
        request=None,
        responses={200: DecisionDetailSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=DecisionDetailSerializer)
    def close(self, request: Request, network_slug: str, pk: int) -> Response:
        return self._end(pk, allowed=policy.can_close_proposal, end=services.proposal_close)

    @extend_schema(
        summary="Withdraw it undecided (its author)",
        request=None,
        responses={200: DecisionDetailSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=DecisionDetailSerializer)
    def withdraw(self, request: Request, network_slug: str, pk: int) -> Response:
        return self._end(pk, allowed=policy.can_withdraw_proposal, end=services.proposal_withdraw)

    def _end(
        self,
        pk: int,
        *,
        allowed: Callable[[Member | None, Proposal, GroupMember | None], bool],
        end: Callable[..., Proposal],
    ) -> Response:
        """Close or withdraw the proposal: the same check and the same answer for both."""
        proposal, membership = self._found(pk)
        if not allowed(self.member, proposal, membership):
            raise exceptions.PermissionDenied
        end(proposal=proposal, by=self.member)
        return Response(self._detail(pk))
