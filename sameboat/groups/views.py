"""Pages for groups. Thin: parse input, ask the policy, call one service or selector, render.
Every page starts from `network_access` and finds the group inside that network, so an
outsider gets a 404, and so does a member for a confidential group they are not in."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sameboat import policy
from sameboat.aid.forms import add_service_error
from sameboat.core.access import NetworkAccess, network_access, render_network_page
from sameboat.groups import selectors, services
from sameboat.groups.forms import (
    AddMemberForm,
    GroupForm,
    MembershipActionForm,
    PlanForm,
    StageForm,
)
from sameboat.groups.models import Group, GroupMember, GroupMemberStatus, PreGroupPlan


@dataclass(frozen=True, slots=True)
class GroupAccess:
    access: NetworkAccess
    group: Group
    membership: GroupMember | None

    @property
    def inside(self) -> bool:
        return policy.can_see_group_inside(self.access.member, self.group, self.membership)

    @property
    def manages(self) -> bool:
        return policy.can_manage_group(self.access.member, self.group, self.membership)


def _group_access(request: HttpRequest, network: str, group_id: int) -> GroupAccess:
    """The group in the viewer's network, or 404 when the viewer may not know it exists."""
    access = network_access(request, network)
    group = selectors.group_get(network=access.network, pk=group_id)
    if group is None:
        raise Http404
    membership = selectors.membership_of(group=group, member=access.member)
    if not policy.can_see_group(access.member, group, membership):
        raise Http404
    return GroupAccess(access=access, group=group, membership=membership)


def _managed(request: HttpRequest, network: str, group_id: int) -> GroupAccess:
    found = _group_access(request, network, group_id)
    if not found.manages:
        raise PermissionDenied
    return found


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def group_list(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    groups = list(selectors.groups_visible(network=access.network, viewer=access.member))
    mine = selectors.memberships_of_viewer(network=access.network, viewer=access.member)
    rows = [
        {
            "group": group,
            "membership": mine.get(group.pk),
            "inside": policy.can_see_group_inside(access.member, group, mine.get(group.pk)),
        }
        for group in groups
    ]
    return render_network_page(
        request,
        access,
        "groups/group_list.html",
        {"rows": rows, "can_create": policy.can_create_group(access.member)},
    )


@login_required
def group_create(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_create_group(access.member):
        raise Http404
    form = GroupForm(
        request.POST or None,
        initial={"joining": "request", "stage_model": "boston", "process_list": "shulman"},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                group = services.group_create(
                    network=access.network, by=access.member, fields=form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Group started. You are its facilitator."))
                return redirect("groups:detail", network=access.network.slug, group_id=group.pk)
        status = 400
    return render_network_page(
        request, access, "groups/group_form.html", {"form": form, "group": None}, status=status
    )


@login_required
def group_detail(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found = _group_access(request, network, group_id)
    group, viewer = found.group, found.access.member
    context: dict[str, object] = {"group": group, "membership": found.membership}
    if found.inside:
        plan = PreGroupPlan.objects.filter(group=group).first()
        context |= {
            "inside": True,
            "members": list(selectors.group_members(group=group)),
            "plan": plan,
            "stages": list(selectors.group_stages(group=group)[:50]),
            "can_join": policy.can_request_to_join(viewer, group, found.membership),
            "can_leave": policy.can_leave_group(viewer, group, found.membership),
            "manages": found.manages,
        }
        if found.manages:
            context["requests"] = list(
                selectors.group_members(group=group, status=GroupMemberStatus.REQUESTED)
            )
            context["add_form"] = AddMemberForm(candidates=selectors.members_to_add(group=group))
    return render_network_page(request, found.access, "groups/group_detail.html", context)


@login_required
def group_edit(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found = _managed(request, network, group_id)
    group = found.group
    initial = {key: getattr(group, key) for key in services.GROUP_FIELDS}
    form = GroupForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.group_update(group=group, fields=form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Group saved."))
                return redirect("groups:detail", network=network, group_id=group.pk)
        status = 400
    return render_network_page(
        request, found.access, "groups/group_form.html", {"form": form, "group": group}, status
    )


@login_required
def plan_edit(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found = _managed(request, network, group_id)
    plan = PreGroupPlan.objects.filter(group=found.group).first() or PreGroupPlan(group=found.group)
    form = PlanForm(request.POST or None, instance=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.plan_update(group=found.group, fields=form.cleaned_data)
            messages.success(request, _("Pre-group plan saved."))
            return redirect("groups:detail", network=network, group_id=found.group.pk)
        status = 400
    return render_network_page(
        request,
        found.access,
        "groups/plan_form.html",
        {"form": form, "group": found.group},
        status=status,
    )


@login_required
def stage_create(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found = _managed(request, network, group_id)
    form = StageForm(request.POST or None, group=found.group)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.stage_record(
                    group=found.group,
                    by=found.access.member,
                    stage=form.cleaned_data["stage"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Stage recorded."))
                return redirect("groups:detail", network=network, group_id=found.group.pk)
        status = 400
    return render_network_page(
        request,
        found.access,
        "groups/stage_form.html",
        {"form": form, "group": found.group},
        status=status,
    )


@login_required
@require_POST
def join(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found = _group_access(request, network, group_id)
    if not policy.can_request_to_join(found.access.member, found.group, found.membership):
        if not found.inside:
            raise Http404
        messages.error(request, _("You cannot ask to join this group."))
        return redirect("groups:detail", network=network, group_id=found.group.pk)
    try:
        services.group_request_to_join(group=found.group, member=found.access.member)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("You asked to join. A facilitator will answer."))
    return redirect("groups:detail", network=network, group_id=found.group.pk)


@login_required
@require_POST
def leave(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found = _group_access(request, network, group_id)
    if found.membership is None or not policy.can_leave_group(
        found.access.member, found.group, found.membership
    ):
        raise Http404
    try:
        services.group_leave(membership=found.membership)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("You are no longer in this group."))
    return redirect("groups:detail", network=network, group_id=found.group.pk)


@login_required
@require_POST
def approve(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found = _managed(request, network, group_id)
    form = MembershipActionForm(request.POST)
    row = None
    if form.is_valid():
        row = (
            selectors.group_members(group=found.group, status=GroupMemberStatus.REQUESTED)
            .filter(pk=form.cleaned_data["membership"])
            .first()
        )
    if row is None:
        messages.error(request, _("There is no such request to approve."))
        return redirect("groups:detail", network=network, group_id=found.group.pk)
    try:
        services.group_member_approve(membership=row)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request, _("%(name)s is now in the group.") % {"name": row.member.display_name}
        )
    return redirect("groups:detail", network=network, group_id=found.group.pk)


@login_required
@require_POST
def member_add(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found = _managed(request, network, group_id)
    form = AddMemberForm(request.POST, candidates=selectors.members_to_add(group=found.group))
    if not form.is_valid():
        messages.error(request, _("Choose a member of this network who is not in the group."))
        return redirect("groups:detail", network=network, group_id=found.group.pk)
    try:
        row = services.group_member_add(group=found.group, member=form.cleaned_data["member"])
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request, _("%(name)s is now in the group.") % {"name": row.member.display_name}
        )
    return redirect("groups:detail", network=network, group_id=found.group.pk)
