"""The permission policy: who may see and do what. The one place such rules live.

Six kinds of visitor: anonymous, someone from another network (an outsider, who is no
member here), and members by role: member, facilitator, coordinator, admin. Views and the
API ask these functions; they never decide access themselves.

Rules of thumb, for people whose safety can depend on them:
- an outsider learns nothing about a network: its pages answer 404, as if absent;
- an ask or offer marked "coordinators only" is seen by its author and the coordinators;
- a match is seen by its two sides and the coordinators; contact details only by the two
  sides, and only once both have accepted;
- a member's giving and receiving is seen by that member and the coordinators;
- a confidential group is seen only by its active members: they alone see who belongs, its
  plan and its stages; the network's coordinators see that it exists and how many belong,
  nothing more; anyone else in the network does not see it at all (404, absent from lists);
- matching's proposals in a network that reviews them are seen by coordinators alone until
  one of them releases a proposal to the two members.
"""

from sameboat.aid.models import AidPost, Match, MatchStatus, PostStatus, Visibility
from sameboat.groups.models import Group, GroupMember, GroupMemberStatus, Joining
from sameboat.networks.models import Member, Role


def is_coordinator(member: Member | None) -> bool:
    return member is not None and member.role in (Role.COORDINATOR, Role.ADMIN)


def is_admin(member: Member | None) -> bool:
    return member is not None and member.role == Role.ADMIN


# Networks and members


def can_view_network(member: Member | None) -> bool:
    return member is not None and member.is_active


def can_invite(member: Member | None) -> bool:
    return is_coordinator(member)


def can_manage_roles(member: Member | None) -> bool:
    return is_admin(member)


def can_list_members(member: Member | None) -> bool:
    """The member directory (with roles and areas) is for those who coordinate."""
    return is_coordinator(member)


def can_manage_areas(member: Member | None) -> bool:
    """Add, rename, move and remove the network's service areas. Matching places asks and
    people by them, so they are kept by those who coordinate."""
    return is_coordinator(member)


def can_view_member_ledger(viewer: Member | None, subject: Member) -> bool:
    if viewer is None or viewer.network_id != subject.network_id:
        return False
    return viewer.pk == subject.pk or is_coordinator(viewer)


# Asks and offers


def can_view_post(member: Member | None, post: AidPost) -> bool:
    if member is None or member.network_id != post.network_id:
        return False
    if post.member_id == member.pk or is_coordinator(member):
        return True
    return post.visibility == Visibility.NETWORK and post.status != PostStatus.PAUSED


def can_create_post(member: Member | None) -> bool:
    return can_view_network(member)


def can_edit_post(member: Member | None, post: AidPost) -> bool:
    if member is None or member.network_id != post.network_id:
        return False
    return post.member_id == member.pk or is_coordinator(member)


def can_answer(member: Member | None, post: AidPost) -> bool:
    """Offer help with an ask, or ask for an offer: open, visible, and not one's own."""
    return (
        member is not None
        and can_view_post(member, post)
        and post.status == PostStatus.OPEN
        and post.member_id != member.pk
    )


def can_see_coordinator_queue(member: Member | None) -> bool:
    return is_coordinator(member)


# Matches


def can_pair(member: Member | None) -> bool:
    return is_coordinator(member)


def can_view_match(member: Member | None, match: Match) -> bool:
    if member is None or member.network_id != match.network_id:
        return False
    if is_coordinator(member):
        return True
    return match.side_of(member) is not None and not match.is_pending_review


def can_see_contact_details(member: Member | None, match: Match) -> bool:
    """Contact details are private until both sides agree: never for a third party."""
    if member is None or match.side_of(member) is None:
        return False
    return match.status in (MatchStatus.ACCEPTED, MatchStatus.COMPLETED)


def can_accept_match(member: Member | None, match: Match) -> bool:
    return (
        member is not None
        and match.status == MatchStatus.PROPOSED
        and not match.is_pending_review
        and match.side_of(member) is not None
        and not match.has_accepted(member)
    )


def can_decline_match(member: Member | None, match: Match) -> bool:
    return (
        member is not None
        and match.status == MatchStatus.PROPOSED
        and not match.is_pending_review
        and match.side_of(member) is not None
    )


def can_cancel_match(member: Member | None, match: Match) -> bool:
    if member is None or match.status not in (MatchStatus.PROPOSED, MatchStatus.ACCEPTED):
        return False
    return match.side_of(member) is not None or is_coordinator(member)


def can_complete_match(member: Member | None, match: Match) -> bool:
    return (
        member is not None
        and match.status == MatchStatus.ACCEPTED
        and match.side_of(member) is not None
    )


def can_give_feedback(member: Member | None, match: Match) -> bool:
    return (
        member is not None
        and match.status == MatchStatus.COMPLETED
        and match.side_of(member) is not None
    )


# Matching


def can_run_matching(member: Member | None) -> bool:
    """Start a matching run and see its figures, and why asks went unmatched."""
    return is_coordinator(member)


def can_review_proposals(member: Member | None) -> bool:
    """Release, reject or change matching's proposals before the members see them."""
    return is_coordinator(member)


def can_configure_matching(member: Member | None) -> bool:
    """Choose whether proposals are reviewed and how often matching runs: a choice about
    what members are shown without a person looking first, so an admin's."""
    return is_admin(member)


def can_set_matching_preferences(member: Member | None) -> bool:
    """Say how far one will go, how much one takes on, and whom not to be matched with."""
    return can_view_network(member)


# Ledger


def can_reverse_exchange(member: Member | None) -> bool:
    return is_coordinator(member)


# Groups. `membership` is the viewer's own row in the group (any status), or None.


def can_create_group(member: Member | None) -> bool:
    """Facilitators, coordinators and admins start groups; the creator facilitates it."""
    return member is not None and member.is_active and member.role != Role.MEMBER


def _in_group(member: Member | None, group: Group, membership: GroupMember | None) -> bool:
    return (
        member is not None
        and membership is not None
        and membership.member_id == member.pk
        and membership.group_id == group.pk
        and membership.status == GroupMemberStatus.ACTIVE
    )


def can_see_group(member: Member | None, group: Group, membership: GroupMember | None) -> bool:
    """Know that the group exists (its name and how many belong)."""
    if member is None or member.network_id != group.network_id:
        return False
    if not group.confidential:
        return True
    return _in_group(member, group, membership) or is_coordinator(member)


def can_see_group_inside(
    member: Member | None, group: Group, membership: GroupMember | None
) -> bool:
    """See its purpose, who belongs, its plan and its stages. For a confidential group only
    its active members: a coordinator's role does not open it."""
    if member is None or member.network_id != group.network_id:
        return False
    if not group.confidential:
        return True
    return _in_group(member, group, membership)


def can_manage_group(member: Member | None, group: Group, membership: GroupMember | None) -> bool:
    """Edit the group and its plan, record its stage, approve and add members: the group's
    active facilitators."""
    return (
        _in_group(member, group, membership) and membership is not None and (membership.facilitates)
    )


def can_request_to_join(
    member: Member | None, group: Group, membership: GroupMember | None
) -> bool:
    return (
        member is not None
        and group.joining == Joining.REQUEST
        and can_see_group_inside(member, group, membership)
        and (membership is None or membership.status == GroupMemberStatus.LEFT)
    )


def can_leave_group(member: Member | None, group: Group, membership: GroupMember | None) -> bool:
    """Leave, or withdraw a request to join."""
    return (
        member is not None
        and membership is not None
        and membership.member_id == member.pk
        and membership.group_id == group.pk
        and membership.status in (GroupMemberStatus.ACTIVE, GroupMemberStatus.REQUESTED)
    )


# Meetings follow the group: who sees inside sees its meetings; its facilitators run them.
can_see_meetings = can_see_group_inside
can_manage_meetings = can_manage_group


def can_propose_agenda_item(
    member: Member | None, group: Group, membership: GroupMember | None
) -> bool:
    """Any active member of the group, facilitators included."""
    return _in_group(member, group, membership)


def can_swap_roles(
    member: Member | None,
    group: Group,
    membership: GroupMember | None,
    holders: tuple[int | None, ...],
) -> bool:
    """Those who hold one of the two roles (by group-membership id), or a facilitator."""
    if can_manage_group(member, group, membership):
        return True
    return (
        _in_group(member, group, membership) and membership is not None and membership.pk in holders
    )


# Session records and participation equity (groups).


# Meeting-role availability and calendar feeds.


# Decisions.


# Goals.
