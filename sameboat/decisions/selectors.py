"""Reads for decisions. Every query starts from the network; which proposals a viewer may see
follows `sameboat.policy` (`can_see_proposal`), and the tests hold the two together.

Who took which stance is read only where the policy allows it: `stances_named` selects the
members, `stances_unnamed` never touches them and orders rows so that not even their order
tells who voted when."""

from datetime import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from sameboat.decisions.models import Proposal, ProposalStatus, Stance
from sameboat.groups.models import Group, GroupMember, GroupMemberStatus
from sameboat.networks.models import Member, Network

ACTIVE = GroupMemberStatus.ACTIVE


def _listed(queryset: QuerySet[Proposal], viewer: Member) -> QuerySet[Proposal]:
    """With what a list shows (its group, how many took part, whether the viewer did),
    open proposals first, soonest to close first, then the rest, latest first."""
    mine = Stance.objects.filter(proposal=OuterRef("pk"), member=viewer)
    return (
        queryset.select_related("group", "created_by__user", "closed_early_by__user")
        .annotate(
            stance_count=Count("stances", distinct=True),
            taken_part=Exists(mine),
            open_rank=Case(
                When(status=ProposalStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            open_closes=Case(When(status=ProposalStatus.OPEN, then=F("closes_at"))),
            ended_at=Coalesce("decided_at", "withdrawn_at"),
        )
        .order_by(
            "open_rank",
            F("open_closes").asc(nulls_last=True),
            F("ended_at").desc(nulls_last=True),
            "-id",
        )
    )


def proposals_visible(
    *, network: Network, viewer: Member, group: Group | None = None
) -> QuerySet[Proposal]:
    """Every proposal the viewer may see: the network's own, and those of groups whose
    inside they see (open groups, and confidential groups they are an active member of).
    With `group`, that group's only (the caller has asked the policy about the group)."""
    proposals = Proposal.objects.filter(network=network)
    if group is not None:
        return _listed(proposals.filter(group=group), viewer)
    belongs = GroupMember.objects.filter(group=OuterRef("group"), member=viewer, status=ACTIVE)
    proposals = proposals.filter(
        Q(group__isnull=True) | Q(group__confidential=False) | Exists(belongs)
    )
    return _listed(proposals, viewer)


def proposals_of_network(*, network: Network, viewer: Member) -> QuerySet[Proposal]:
    """The proposals put to the whole network."""
    return _listed(Proposal.objects.filter(network=network, group__isnull=True), viewer)


def proposals_in_groups_of(*, network: Network, viewer: Member) -> QuerySet[Proposal]:
    """The proposals of the groups the viewer is an active member of."""
    belongs = GroupMember.objects.filter(group=OuterRef("group"), member=viewer, status=ACTIVE)
    return _listed(Proposal.objects.filter(network=network).filter(Exists(belongs)), viewer)


def proposal_get(*, network: Network, pk: int) -> Proposal | None:
    """A proposal of this network with its group, author and number of stances; the caller
    asks the policy next."""
    return (
        Proposal.objects.filter(network=network, pk=pk)
        .select_related("network", "group", "created_by__user")
        .annotate(stance_count=Count("stances"))
        .first()
    )


def membership_for(*, proposal: Proposal, member: Member) -> GroupMember | None:
    """The member's row in the proposal's group (None for a network-wide proposal)."""
    if proposal.group_id is None:
        return None
    return GroupMember.objects.filter(group_id=proposal.group_id, member=member).first()


def eligible_members(*, proposal: Proposal) -> QuerySet[Member]:
    """Those who may take part now: the group's active members, or the network's."""
    members = Member.objects.filter(network_id=proposal.network_id, is_active=True)
    if proposal.group_id is not None:
        in_group = GroupMember.objects.filter(
            group_id=proposal.group_id, member=OuterRef("pk"), status=ACTIVE
        )
        members = members.filter(Exists(in_group))
    return members.select_related("user").order_by("id")


def electorate_size(*, proposal: Proposal) -> int:
    """How many the outcome counts as eligible: those who may take part now, and anyone who
    took a stance and has left since (their stance still counts, so must they)."""
    took_part = Stance.objects.filter(proposal=proposal, member=OuterRef("pk"))
    return (
        Member.objects.filter(network_id=proposal.network_id)
        .filter(Q(pk__in=eligible_members(proposal=proposal).values("pk")) | Exists(took_part))
        .count()
    )


def stance_of(*, proposal: Proposal, member: Member) -> Stance | None:
    return Stance.objects.filter(proposal=proposal, member=member).first()


def stances_named(*, proposal: Proposal) -> QuerySet[Stance]:
    """Each stance with who took it, in the order taken: only where the policy lets the
    viewer see who took which stance."""
    return (
        Stance.objects.filter(proposal=proposal)
        .select_related("member__user", "resolved_by__user")
        .order_by("created_at", "id")
    )


def stances_unnamed(*, proposal: Proposal) -> QuerySet[Stance]:
    """Each stance without who took it, for an anonymous proposal: by stance and reason, so
    not even the order tells who voted when. The member ids stay on the rows (the policy
    reads them to let an objector resolve their own objection); nothing shows them."""
    return Stance.objects.filter(proposal=proposal).order_by("kind", "reason", "ref")


def stance_by_ref(*, proposal: Proposal, ref: str) -> Stance | None:
    return Stance.objects.filter(proposal=proposal, ref=ref).first()


def running_counts(*, proposal: Proposal) -> dict[str, int]:
    """Stances so far by kind, for a stance-based proposal that shows its count while open."""
    rows = Stance.objects.filter(proposal=proposal).values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def due_to_close(*, now: datetime) -> QuerySet[Proposal]:
    """Open proposals whose closing time has passed (the sweep's work)."""
    return Proposal.objects.filter(status=ProposalStatus.OPEN, closes_at__lte=now).order_by(
        "closes_at", "id"
    )


def due_for_closing_notice(*, now: datetime) -> QuerySet[Proposal]:
    """Open proposals whose "closes soon" notice is due and has not gone out."""
    return Proposal.objects.filter(
        status=ProposalStatus.OPEN,
        closing_notified_at__isnull=True,
        closing_notice_at__lte=now,
        closes_at__gt=now,
    ).order_by("closes_at", "id")
