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
    # The other side may have withdrawn their consent to sharing them (sameboat.privacy).
    return (
        match.status in (MatchStatus.ACCEPTED, MatchStatus.COMPLETED)
        and match.other_side(member).user.shares_contact
    )


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
#
# A session record's notes, processes and stage are for the group's active members alone,
# in every group: session notes say more about people than a meeting's time and place, so
# even an open group's record is not for the whole network. Per-member participation counts
# are for whoever writes them (the meeting's note-taker, who counted them, and the group's
# facilitators); the equity page, which puts every meeting together, for the facilitators
# only. A member's check-in is seen by that member and the group's facilitators, who need it
# to look after the group, and by nobody else: not other members, not the note-taker, not
# coordinators. Coordinators have no role here: a coordinator sees a record only as a member.


def can_see_session_record(
    member: Member | None, group: Group, membership: GroupMember | None
) -> bool:
    """Read a meeting's notes, processes observed and stage, and the record history."""
    return _in_group(member, group, membership)


def can_write_session_record(
    member: Member | None,
    group: Group,
    membership: GroupMember | None,
    note_takers: tuple[int | None, ...],
) -> bool:
    """Write or edit a meeting's record: the group's facilitators, or the meeting's note-taker
    (`note_takers` are the group-membership ids holding that role at the meeting)."""
    if can_manage_group(member, group, membership):
        return True
    return (
        _in_group(member, group, membership)
        and membership is not None
        and membership.pk in note_takers
    )


# The counts of one meeting are seen by those who may write them, and by nobody else.
can_see_participation = can_write_session_record


def can_see_equity(member: Member | None, group: Group, membership: GroupMember | None) -> bool:
    """Participation equity over time (Gini coefficients, who never leads or rarely takes
    part): the group's facilitators."""
    return can_manage_group(member, group, membership)


def can_check_in(member: Member | None, group: Group, membership: GroupMember | None) -> bool:
    """Add, change or withdraw one's own check-in for a meeting: any active member."""
    return _in_group(member, group, membership)


def can_see_check_ins(member: Member | None, group: Group, membership: GroupMember | None) -> bool:
    """See every member's check-ins for a meeting (each member always sees their own)."""
    return can_manage_group(member, group, membership)


# Meeting-role availability and calendar feeds.
#
# Which meeting roles a member is willing to hold, whether they are available and when they
# are away are theirs to say: each active member of a group edits their own, and nobody
# else's. The group's facilitators see everyone's (to plan who could chair, and to see why
# the rotation passed someone over), but do not change them. Coordinators have no role here.
#
# A calendar feed is fetched by a calendar client that cannot log in, so its secret address
# stands in for the person: every fetch asks again whether they are still an active member
# of the network (a feed of someone who left answers 404) and shows the meetings of the
# groups they belong to now (a group they left drops out). Calendars sync to phones, lock
# screens and family calendars, so what a feed shows is kept to the time, the place and a
# link to the meeting page: never who else comes or what is on the agenda, and a
# confidential group's name only if the person chose to show it.

from sameboat.calendars.models import GroupNames  # noqa: E402


def can_set_own_availability(
    member: Member | None, group: Group, membership: GroupMember | None
) -> bool:
    """Say which roles one is willing to hold, whether one is available, and one's times away:
    any active member of the group, for themselves."""
    return _in_group(member, group, membership)


def can_see_everyones_availability(
    member: Member | None, group: Group, membership: GroupMember | None
) -> bool:
    """See every member's willingness, availability and times away: the group's
    facilitators."""
    return can_manage_group(member, group, membership)


def can_have_calendar_feed(member: Member | None) -> bool:
    """Have a calendar address for one's groups' meetings in the network, and have it answer:
    an active member of the network whose account is active."""
    return member is not None and member.is_active and member.user.is_active


def feed_shows_group(member: Member | None, group: Group, membership: GroupMember | None) -> bool:
    """Whether a member's feed carries a group's meetings: the groups they belong to now."""
    return can_have_calendar_feed(member) and _in_group(member, group, membership)


def feed_names_group(group: Group, group_names: str) -> bool:
    """Whether a feed's events may name the group, by the person's choice: by default open
    groups only; "discreet" none; or every group, which they must choose."""
    if group_names == GroupNames.ALL:
        return True
    if group_names == GroupNames.OPEN:
        return not group.confidential
    return False


# Decisions.
#
# A proposal belongs to a group, or (with no group) to the whole network. `membership` is
# the viewer's own row in the proposal's group (None for a network-wide proposal, or when
# they have none). A group's proposals are seen by whoever sees inside the group: for a
# confidential group, its active members alone (404 to everyone else, coordinators
# included); they are decided by the group's active members. A network-wide proposal is
# seen and decided by the network's active members; facilitators, coordinators and admins
# put one forward. When a proposal is anonymous nobody, facilitators and coordinators
# included, sees who took which stance; reasons are shown without names.

# Imported here so this section stays together; the decisions app imports nothing of this.
from sameboat.decisions.models import (  # noqa: E402
    STANCE_PROCESSES,
    Process,
    Proposal,
    ProposalStatus,
    Stance,
)


def can_see_proposals(
    member: Member | None, group: Group | None, membership: GroupMember | None
) -> bool:
    """See the proposals of a group (or, with no group, the network's own)."""
    if group is None:
        return can_view_network(member)
    return can_see_group_inside(member, group, membership)


def can_propose(member: Member | None, group: Group | None, membership: GroupMember | None) -> bool:
    """Put a proposal to a group (any active member of it) or to the whole network
    (facilitators, coordinators and admins)."""
    if member is None or not member.is_active:
        return False
    if group is None:
        return member.role != Role.MEMBER
    return member.network_id == group.network_id and _in_group(member, group, membership)


def can_see_proposal(
    member: Member | None, proposal: Proposal, membership: GroupMember | None
) -> bool:
    if member is None or member.network_id != proposal.network_id:
        return False
    return can_see_proposals(member, proposal.group, membership)


def can_take_part(
    member: Member | None, proposal: Proposal, membership: GroupMember | None
) -> bool:
    """Be one of those who decide: the group's active members, or for a network-wide
    proposal the network's. Whether the proposal still takes stances is the service's."""
    if member is None or not can_see_proposal(member, proposal, membership):
        return False
    if proposal.group is None:
        return member.is_active
    return _in_group(member, proposal.group, membership)


def facilitates_proposal(
    member: Member | None, proposal: Proposal, membership: GroupMember | None
) -> bool:
    """Act as facilitator of the decision: the group's facilitators, or for a network-wide
    proposal the network's facilitators, coordinators and admins."""
    if member is None or not can_see_proposal(member, proposal, membership):
        return False
    if proposal.group is None:
        return member.is_active and member.role != Role.MEMBER
    return can_manage_group(member, proposal.group, membership)


def can_close_proposal(
    member: Member | None, proposal: Proposal, membership: GroupMember | None
) -> bool:
    """Close it before its time (recorded): its author or a facilitator. Whether it is still
    open is the service's to say (a second close is bad input, not a forbidden act)."""
    if member is None or not can_see_proposal(member, proposal, membership):
        return False
    return proposal.created_by_id == member.pk or facilitates_proposal(member, proposal, membership)


def can_withdraw_proposal(
    member: Member | None, proposal: Proposal, membership: GroupMember | None
) -> bool:
    """Withdraw it undecided: its author (while it is open, which the service checks)."""
    return (
        member is not None
        and proposal.created_by_id == member.pk
        and can_see_proposal(member, proposal, membership)
    )


def can_resolve_objection(
    member: Member | None, proposal: Proposal, membership: GroupMember | None, stance: Stance
) -> bool:
    """Mark an objection resolved, with a note: the objector, or a facilitator (recorded as
    such). Whether it can still be resolved (an unresolved objection, under consent, while
    the proposal is open) is the service's to say."""
    if member is None or stance.proposal_id != proposal.pk:
        return False
    if not can_see_proposal(member, proposal, membership):
        return False
    return stance.member_id == member.pk or facilitates_proposal(member, proposal, membership)


def can_see_who_took_which_stance(
    member: Member | None, proposal: Proposal, membership: GroupMember | None
) -> bool:
    """Names beside stances: never for an anonymous proposal, whoever asks."""
    return not proposal.anonymous and can_see_proposal(member, proposal, membership)


def can_see_counts(
    member: Member | None, proposal: Proposal, membership: GroupMember | None
) -> bool:
    """The running count (and each stance with its reason) while a proposal is open: only
    for a stance on one proposal that is not anonymous. Scores and rankings, which invite
    voting tactically, and anonymous stances, which a count over time could unmask, are
    shown once it is closed."""
    if not can_see_proposal(member, proposal, membership):
        return False
    if proposal.status != ProposalStatus.OPEN:
        return True
    return not proposal.anonymous and proposal.process in STANCE_PROCESSES


def can_see_objections(
    member: Member | None, proposal: Proposal, membership: GroupMember | None
) -> bool:
    """Under consent, the objections and their reasons, resolved or not, at any time: an
    objection is raised so that the group can work on it (without names if anonymous)."""
    return proposal.process == Process.CONSENT and can_see_proposal(member, proposal, membership)


# Goals.
#
# Goals live inside a group and are for its active members alone, in every group: goals say
# a lot about people, so even an open group's goals are not for the whole network, and a
# coordinator's role opens none of them (a coordinator sees goals only as a member of the
# group). Group goals: every active member of the group sees them; its facilitators set,
# edit and check them in, recording what the group agreed together. A personal goal is its
# member's: they alone set, edit and check it in (rating one's own progress is part of
# owning the goal), and they choose who else sees it: nobody, the group's facilitators, or
# the whole group. They always see their own goals, even after leaving the group (on their
# own goals page), but change them only while they belong; once they leave, nobody else
# sees their goals any more.

from sameboat.goals.models import Goal, GoalKind, GoalVisibility  # noqa: E402


def can_see_goals(member: Member | None, group: Group, membership: GroupMember | None) -> bool:
    """The group's goals pages: its group goals, one's own goals and those shared with one."""
    return _in_group(member, group, membership)


def can_set_personal_goal(
    member: Member | None, group: Group, membership: GroupMember | None
) -> bool:
    return _in_group(member, group, membership)


def can_set_group_goal(member: Member | None, group: Group, membership: GroupMember | None) -> bool:
    return can_manage_group(member, group, membership)


def can_see_goal(
    member: Member | None,
    group: Group,
    membership: GroupMember | None,
    goal: Goal,
    *,
    owner_belongs: bool,
) -> bool:
    """See a goal, its levels, its check-ins and its place in the T-scores. `owner_belongs`:
    whether a personal goal's member is still an active member of the group."""
    if member is None or member.network_id != group.network_id or goal.group_id != group.pk:
        return False
    if goal.kind == GoalKind.PERSONAL and goal.owner_id == member.pk:
        return True
    if not _in_group(member, group, membership) or membership is None:
        return False
    if goal.kind == GoalKind.GROUP:
        return True
    if not owner_belongs:
        return False
    if goal.visibility == GoalVisibility.GROUP:
        return True
    return goal.visibility == GoalVisibility.FACILITATORS and membership.facilitates


def can_change_goal(
    member: Member | None, group: Group, membership: GroupMember | None, goal: Goal
) -> bool:
    """Edit a goal and check it in: a group goal's facilitators, a personal goal's member
    while they belong to the group. Seeing a member's goal never lets anyone else write it."""
    if member is None or goal.group_id != group.pk or not _in_group(member, group, membership):
        return False
    if goal.kind == GoalKind.GROUP:
        return can_manage_group(member, group, membership)
    return goal.owner_id == member.pk


# Directory: who reads it, and who keeps it (pages, import, export, publishing).
#
# The directory lists public services, so every active member of the network reads its
# pages (outsiders get the network's 404). Coordinators and admins keep it: they add, edit
# and delete entries, import and export it, and publish it (a published directory is
# readable by anyone, without login, through the HSDS API). A member asking to edit gets a
# 403: they know the directory exists, and the answer tells them whom to ask.


def can_read_directory(member: Member | None) -> bool:
    return member is not None and member.is_active


def can_keep_directory(member: Member | None) -> bool:
    """Add, edit, delete, import, export and publish the directory's entries."""
    return member is not None and member.is_active and is_coordinator(member)


# Directory: the HSDS read API.
#
# The HSDS API reads a network's directory of community resources (organisations, services,
# places), never anything about its members. A published directory is open to anyone, logged
# in or not, as the field expects of a public directory. An unpublished one is read only by
# the network's active members; everyone else, anonymous callers included, gets 404, as for a
# network that does not exist, so nobody learns that an unpublished directory is there.


def can_read_hsds_api(member: Member | None, *, published: bool) -> bool:
    return published or can_view_network(member)


# Directory: searching for help.
#
# Every active member of a network may search its directory (published or not): finding the
# resources around them is part of what membership gives. Outsiders learn nothing (404).
# The services suggested for an ask members cannot meet are shown on the ask's page to its
# author, who needs them, and to the coordinators, who keep asks from going stale; not to
# other members, for whom the ask's difficulty is none of their business.


def can_search_directory(member: Member | None) -> bool:
    return can_view_network(member)


def can_see_service_suggestions(member: Member | None, ask: AidPost) -> bool:
    if member is None or member.network_id != ask.network_id or not member.is_active:
        return False
    return ask.member_id == member.pk or is_coordinator(member)


# Referrals and partnerships.
#
# A referral says something of a member's needs, so it is seen only by the member referred,
# whoever made it and the network's coordinators; to anyone else it does not exist (404).
# The same three follow it up (change its status). A member may refer themselves; the
# network's facilitators and coordinators may refer any active member of the network. Not
# only the members of groups they facilitate: a facilitator is often the one who hears of a
# need first, whatever group the person is in, and the referral stays visible to the member,
# who sees who made it. The report of referrals that went nowhere is for coordinators.
#
# Partnerships: every active member of the network sees which organisations the network
# works with, since when and what each side brings (it helps them find help); the contact
# person's details and the notes are for coordinators, who alone keep the partnerships.

from sameboat.directory.models import Referral  # noqa: E402


def can_refer(member: Member | None, subject: Member) -> bool:
    """Refer `subject` to a service: oneself, or (facilitators and coordinators) any active
    member of the same network."""
    if member is None or not member.is_active or not subject.is_active:
        return False
    if member.network_id != subject.network_id:
        return False
    return member.pk == subject.pk or can_refer_others(member)


def can_refer_others(member: Member | None) -> bool:
    return member is not None and member.role in (Role.FACILITATOR, Role.COORDINATOR, Role.ADMIN)


def can_see_referral(member: Member | None, referral: Referral) -> bool:
    if member is None or not member.is_active or member.network_id != referral.network_id:
        return False
    return (
        referral.member_id == member.pk
        or referral.referred_by_id == member.pk
        or is_coordinator(member)
    )


def can_update_referral(member: Member | None, referral: Referral) -> bool:
    """Follow a referral up: the member referred, whoever referred them, the coordinators."""
    return can_see_referral(member, referral)


def can_see_referral_report(member: Member | None) -> bool:
    return is_coordinator(member)


def can_see_partnerships(member: Member | None) -> bool:
    return can_view_network(member)


def can_see_partnership_contacts(member: Member | None) -> bool:
    return is_coordinator(member)


def can_manage_partnerships(member: Member | None) -> bool:
    return is_coordinator(member)


# The audit log.
#
# A network's admins read its audit log (who viewed a confidential record, changed a role,
# exported or erased data, acted in the admin); to anyone else it does not exist (404).
# Nobody edits it: the database itself refuses.


def can_read_audit_log(member: Member | None) -> bool:
    return member is not None and member.is_active and is_admin(member)


# Account security.
#
# Two-factor authentication is every member's to turn on. A network's admins decide whether
# its coordinators and admins must use it (they hold the most: member lists, roles, the audit
# log); when the network says so, such a leader reaches none of its pages or API endpoints
# until they have set it up, and cannot turn it off while the rule holds.


def must_use_mfa(member: Member | None) -> bool:
    return (
        member is not None
        and member.is_active
        and is_coordinator(member)
        and member.network.mfa_required_for_leaders
    )


def can_manage_security(member: Member | None) -> bool:
    return is_admin(member)


# Privacy: consent, export and erasure.
#
# A person's consents, the copy of their data and the erasure of their account are theirs
# alone (their own pages, no network in the address). A coordinator or admin may also erase
# an account at the person's request, when that person is an active member of their network,
# is not themselves (their own page is the way) and does not coordinate more than the actor
# (a coordinator cannot erase an admin). The service adds one more condition: the person
# belongs to no other network, whose records are not this network's to erase.


def can_erase_member(actor: Member | None, subject: Member) -> bool:
    if actor is None or not actor.is_active or not is_coordinator(actor):
        return False
    if actor.network_id != subject.network_id or actor.user_id == subject.user_id:
        return False
    if not subject.is_active:
        return False
    return not (subject.role == Role.ADMIN and actor.role != Role.ADMIN)
