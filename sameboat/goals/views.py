"""Pages for goals. Thin: parse input, ask the policy, call one service or selector, render.

Every goals page inside a group starts from `network_access` and finds the group inside the
viewer's network: a group the viewer may not know of is a 404 (an outsider, or a member for a
confidential group they are not in); a group they know of but do not belong to is a 403, as
goals are for a group's active members. A goal the viewer may not see is a 404, so nobody
learns that a hidden personal goal exists."""

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sameboat import policy
from sameboat.aid.forms import add_service_error
from sameboat.audit.services import audit_view
from sameboat.core.access import NetworkAccess, network_access, render_network_page
from sameboat.goals import selectors, services
from sameboat.goals.forms import CheckInForm, GoalForm
from sameboat.goals.models import Goal, GoalKind
from sameboat.groups import selectors as group_selectors
from sameboat.groups.models import Group, GroupMember, GroupMemberStatus


@dataclass(frozen=True, slots=True)
class GoalsAccess:
    access: NetworkAccess
    group: Group
    membership: GroupMember | None


@dataclass(frozen=True, slots=True)
class Section:
    """My goals in one group, on my goals page."""

    group: Group
    belongs: bool
    scored: selectors.Scored


def _goals_access(request: HttpRequest, network: str, group_id: int) -> GoalsAccess:
    access = network_access(request, network)
    group = group_selectors.group_get(network=access.network, pk=group_id)
    if group is None:
        raise Http404
    membership = group_selectors.membership_of(group=group, member=access.member)
    if not policy.can_see_group(access.member, group, membership):
        raise Http404
    if not policy.can_see_goals(access.member, group, membership):
        # Inside a confidential group one is not in, nothing is confirmed to exist.
        raise Http404 if group.confidential else PermissionDenied
    return GoalsAccess(access=access, group=group, membership=membership)


def _goal(found: GoalsAccess, goal_id: int) -> Goal:
    goal = selectors.goal_get(group=found.group, pk=goal_id)
    if goal is None or not policy.can_see_goal(
        found.access.member,
        found.group,
        found.membership,
        goal,
        owner_belongs=selectors.owner_belongs(goal),
    ):
        raise Http404
    return goal


def _can_change(found: GoalsAccess, goal: Goal) -> bool:
    return policy.can_change_goal(found.access.member, found.group, found.membership, goal)


def _to_goal(network: str, goal: Goal) -> HttpResponse:
    return redirect("goals:detail", network=network, group_id=goal.group_id, goal_id=goal.pk)


@login_required
def mine(request: HttpRequest, network: str) -> HttpResponse:
    """My personal goals in every group, with my T-score in each."""
    access = network_access(request, network)
    goals = list(selectors.goals_of_owner(network=access.network, member=access.member))
    active = {
        row.group_id: row
        for row in selectors.active_memberships_of(network=access.network, member=access.member)
    }
    sections = [
        Section(group=group, belongs=group.pk in active, scored=selectors.score_goals(list(rows)))
        for group, rows in groupby(goals, key=lambda goal: goal.group)
    ]
    with_goals = {section.group.pk for section in sections}
    return render_network_page(
        request,
        access,
        "goals/mine.html",
        {
            "sections": sections,
            "groups_without_goals": [
                row.group for group_id, row in active.items() if group_id not in with_goals
            ],
        },
    )


@login_required
def group_goals(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    """The group's goals, my own, and those shared with me, with their T-scores."""
    found = _goals_access(request, network, group_id)
    viewer = found.access.member
    goals = list(
        selectors.goals_visible(group=found.group, viewer=viewer, membership=found.membership)
    )
    personal = [goal for goal in goals if goal.kind == GoalKind.PERSONAL]
    members = selectors.member_scores(personal)
    context: dict[str, Any] = {
        "group": found.group,
        "group_scored": selectors.score_goals(
            [goal for goal in goals if goal.kind == GoalKind.GROUP]
        ),
        "my_scored": selectors.score_goals([g for g in personal if g.owner_id == viewer.pk]),
        "others": [row for row in members if row.member.pk != viewer.pk],
        "members": members,
        "mean": selectors.mean_score(members),
        "can_set_group_goal": policy.can_set_group_goal(viewer, found.group, found.membership),
        "can_set_personal_goal": policy.can_set_personal_goal(
            viewer, found.group, found.membership
        ),
    }
    if any(goal.owner_id != viewer.pk for goal in personal):
        # Others' personal goals, shared with the viewer: their reading is audited.
        audit_view(
            request=request,
            network=found.access.network,
            target=f"group:{found.group.pk}",
            what="personal_goals",
        )
    return render_network_page(request, found.access, "goals/group_goals.html", context)


def _goal_form_page(
    request: HttpRequest, found: GoalsAccess, *, kind: str, goal: Goal | None = None
) -> HttpResponse:
    """Set a goal of `kind`, or edit `goal`: the form, and what a POST makes of it."""
    locked = goal is not None and goal.check_ins.exists()
    form = GoalForm(
        request.POST or None,
        kind=kind,
        goal=goal,
        scale_locked=locked,
        initial=GoalForm.initial_for(goal, kind),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if goal is None:
                    saved = services.goal_create(
                        group=found.group,
                        by=found.access.member,
                        kind=kind,
                        title=data["title"],
                        levels=form.levels(),
                        baseline=data["baseline"],
                        weight=data["weight"],
                        visibility=data.get("visibility", ""),
                        set_on=data["set_on"],
                    )
                else:
                    fields = {name: data[name] for name in form.fields}
                    if locked:
                        fields = {k: v for k, v in fields.items() if not form.fields[k].disabled}
                    saved = services.goal_update(goal=goal, by=found.access.member, fields=fields)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Goal saved.") if goal else _("Goal set."))
                return _to_goal(found.access.network.slug, saved)
        status = 400
    return render_network_page(
        request,
        found.access,
        "goals/goal_form.html",
        {"form": form, "group": found.group, "goal": goal, "kind": kind, "locked": locked},
        status=status,
    )


@login_required
def create_personal(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found = _goals_access(request, network, group_id)
    if not policy.can_set_personal_goal(found.access.member, found.group, found.membership):
        raise PermissionDenied
    return _goal_form_page(request, found, kind=GoalKind.PERSONAL)


@login_required
def create_group(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found = _goals_access(request, network, group_id)
    if not policy.can_set_group_goal(found.access.member, found.group, found.membership):
        raise PermissionDenied
    return _goal_form_page(request, found, kind=GoalKind.GROUP)


@login_required
def edit(request: HttpRequest, network: str, group_id: int, goal_id: int) -> HttpResponse:
    found = _goals_access(request, network, group_id)
    goal = _goal(found, goal_id)
    if not _can_change(found, goal):
        raise PermissionDenied
    return _goal_form_page(request, found, kind=goal.kind, goal=goal)


def _detail_page(
    request: HttpRequest,
    found: GoalsAccess,
    goal: Goal,
    *,
    form: CheckInForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_change = _can_change(found, goal)
    row = selectors.goal_row(goal)
    context: dict[str, Any] = {
        "group": found.group,
        "goal": goal,
        "row": row,
        "check_ins": list(reversed(goal.check_ins.all())),
        "can_change": can_change,
        "is_mine": goal.owner_id == found.access.member.pk,
        "form": (form or CheckInForm(goal=goal)) if can_change else None,
    }
    return render_network_page(request, found.access, "goals/goal_detail.html", context, status)


@login_required
def detail(request: HttpRequest, network: str, group_id: int, goal_id: int) -> HttpResponse:
    found = _goals_access(request, network, group_id)
    goal = _goal(found, goal_id)
    if goal.kind == GoalKind.PERSONAL and goal.owner_id != found.access.member.pk:
        audit_view(
            request=request,
            network=found.access.network,
            target=f"goal:{goal.pk}",
            what="personal_goal",
            group=found.group.pk,
        )
    return _detail_page(request, found, goal)


@login_required
@require_POST
def check_in(request: HttpRequest, network: str, group_id: int, goal_id: int) -> HttpResponse:
    found = _goals_access(request, network, group_id)
    goal = _goal(found, goal_id)
    if not _can_change(found, goal):
        raise PermissionDenied
    form = CheckInForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            services.goal_check_in(goal=goal, by=found.access.member, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Check-in recorded."))
            return _to_goal(network, goal)
    return _detail_page(request, found, goal, form=form, status=400)


@login_required
def member_goals(request: HttpRequest, network: str, group_id: int, member_id: int) -> HttpResponse:
    """One member's personal goals in the group, as far as the viewer may see them, with
    their T-score over those goals and its history."""
    found = _goals_access(request, network, group_id)
    viewer = found.access.member
    row = selectors.group_member_get(group=found.group, member_id=member_id)
    if row is None or (row.status != GroupMemberStatus.ACTIVE and row.member_id != viewer.pk):
        raise Http404
    goals = list(
        selectors.goals_visible(
            group=found.group, viewer=viewer, membership=found.membership
        ).filter(kind=GoalKind.PERSONAL, owner_id=row.member_id)
    )
    context = {
        "group": found.group,
        "person": row.member,
        "is_me": row.member_id == viewer.pk,
        "visible_only": row.member_id != viewer.pk,
        "scored": selectors.score_goals(goals),
    }
    if goals and row.member_id != viewer.pk:
        audit_view(
            request=request,
            network=found.access.network,
            target=f"member:{row.member_id}",
            what="personal_goals",
            group=found.group.pk,
        )
    return render_network_page(request, found.access, "goals/member_goals.html", context)
