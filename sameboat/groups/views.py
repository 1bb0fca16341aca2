"""Pages for groups. Thin: parse input, ask the policy, call one service or selector, render.
Every page starts from `network_access` and finds the group inside that network, so an
outsider gets a 404, and so does a member for a confidential group they are not in."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sameboat import policy
from sameboat.aid.forms import add_service_error
from sameboat.audit.services import audit_record, audit_view
from sameboat.core.access import NetworkAccess, network_access, render_network_page
from sameboat.groups import equity, selectors, services
from sameboat.groups.forms import (
    AddMemberForm,
    AgendaItemForm,
    AttendanceForm,
    CheckInForm,
    GroupForm,
    MeetingForm,
    MembershipActionForm,
    PlanForm,
    RoleSwapForm,
    SessionRecordForm,
    StageForm,
)
from sameboat.groups.models import (
    Group,
    GroupMember,
    GroupMemberStatus,
    Meeting,
    MeetingRole,
    PreGroupPlan,
    Recurrence,
)
from sameboat.privacy.services import not_to_be_named_in_notes


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
        # Inside a confidential group one is not in, nothing is confirmed to exist.
        if found.group.confidential and found.membership is None:
            raise Http404
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
            "meetings": list(selectors.meetings_upcoming(group=group)[:10]),
            "sees_records": policy.can_see_session_record(viewer, group, found.membership),
            "sees_equity": policy.can_see_equity(viewer, group, found.membership),
        }
        if found.manages:
            context["requests"] = list(
                selectors.group_members(group=group, status=GroupMemberStatus.REQUESTED)
            )
            context["add_form"] = AddMemberForm(candidates=selectors.members_to_add(group=group))
        if group.confidential:
            audit_view(
                request=request,
                network=found.access.network,
                target=f"group:{group.pk}",
                what="group",
            )
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
        audit_record(
            action="groups.member_approve",
            network=found.access.network,
            target=f"group:{found.group.pk}",
            detail={"member": row.member_id, "role": row.role},
            request=request,
        )
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
        audit_record(
            action="groups.member_add",
            network=found.access.network,
            target=f"group:{found.group.pk}",
            detail={"member": row.member_id, "role": row.role},
            request=request,
        )
        messages.success(
            request, _("%(name)s is now in the group.") % {"name": row.member.display_name}
        )
    return redirect("groups:detail", network=network, group_id=found.group.pk)


# --- meetings -------------------------------------------------------------------------------


def _inside(request: HttpRequest, network: str, group_id: int) -> GroupAccess:
    """Meetings are inside the group: 404 to whoever may not see inside it."""
    found = _group_access(request, network, group_id)
    if not policy.can_see_meetings(found.access.member, found.group, found.membership):
        raise Http404
    return found


def _meeting(found: GroupAccess, meeting_id: int) -> Meeting:
    meeting = selectors.meeting_get(group=found.group, pk=meeting_id)
    if meeting is None:
        raise Http404
    return meeting


def _to_meeting(network: str, meeting: Meeting) -> HttpResponse:
    return redirect(
        "groups:meeting", network=network, group_id=meeting.group_id, meeting_id=meeting.pk
    )


def _meeting_page(
    request: HttpRequest,
    found: GroupAccess,
    meeting: Meeting,
    *,
    status: int = 200,
    agenda_form: AgendaItemForm | None = None,
    attendance_form: AttendanceForm | None = None,
    swap_form: RoleSwapForm | None = None,
) -> HttpResponse:
    viewer, group, membership = found.access.member, found.group, found.membership
    manages = policy.can_manage_meetings(viewer, group, membership)
    roles = list(meeting.roles.all())
    holders = tuple(row.member_id for row in roles)
    context: dict[str, object] = {
        "group": group,
        "meeting": meeting,
        "agenda": list(meeting.agenda.all()),
        "roles": roles,
        "attendance": list(meeting.attendance.all()),
        "manages": manages,
        "can_propose": policy.can_propose_agenda_item(viewer, group, membership),
        "can_swap": bool(roles) and policy.can_swap_roles(viewer, group, membership, holders),
        "agenda_form": agenda_form or AgendaItemForm(),
        "swap_form": swap_form or RoleSwapForm(),
    }
    if manages:
        members = list(selectors.group_members(group=group))
        present = [str(row.member_id) for row in context["attendance"] if row.present]  # type: ignore[attr-defined]
        context["attendance_form"] = attendance_form or AttendanceForm(
            initial={"present": present}, members=members
        )
    return render_network_page(request, found.access, "groups/meeting_detail.html", context, status)


@login_required
def meeting_create(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found = _inside(request, network, group_id)
    if not policy.can_manage_meetings(found.access.member, found.group, found.membership):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, initial={"recurrence": Recurrence.NONE})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                meetings = services.meeting_create(
                    group=found.group, by=found.access.member, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    ngettext("Meeting planned.", "%(count)d meetings planned.", len(meetings))
                    % {"count": len(meetings)},
                )
                return _to_meeting(network, meetings[0])
        status = 400
    return render_network_page(
        request,
        found.access,
        "groups/meeting_form.html",
        {"form": form, "group": found.group},
        status=status,
    )


@login_required
def meeting_detail(
    request: HttpRequest, network: str, group_id: int, meeting_id: int
) -> HttpResponse:
    found = _inside(request, network, group_id)
    meeting = _meeting(found, meeting_id)
    if found.group.confidential:
        audit_view(
            request=request,
            network=found.access.network,
            target=f"group:{found.group.pk}",
            what="meeting",
            meeting=meeting.pk,
        )
    return _meeting_page(request, found, meeting)


@login_required
@require_POST
def agenda_propose(
    request: HttpRequest, network: str, group_id: int, meeting_id: int
) -> HttpResponse:
    found = _inside(request, network, group_id)
    meeting = _meeting(found, meeting_id)
    if found.membership is None or not policy.can_propose_agenda_item(
        found.access.member, found.group, found.membership
    ):
        raise PermissionDenied
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_propose(
                meeting=meeting, by=found.membership, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Agenda item proposed."))
            return _to_meeting(network, meeting)
    return _meeting_page(request, found, meeting, status=400, agenda_form=form)


@login_required
@require_POST
def attendance(request: HttpRequest, network: str, group_id: int, meeting_id: int) -> HttpResponse:
    found = _inside(request, network, group_id)
    meeting = _meeting(found, meeting_id)
    if not policy.can_manage_meetings(found.access.member, found.group, found.membership):
        raise PermissionDenied
    form = AttendanceForm(request.POST, members=list(selectors.group_members(group=found.group)))
    if form.is_valid():
        try:
            services.attendance_record(
                meeting=meeting, present={int(pk) for pk in form.cleaned_data["present"]}
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Attendance recorded."))
            return _to_meeting(network, meeting)
    return _meeting_page(request, found, meeting, status=400, attendance_form=form)


@login_required
@require_POST
def roles_assign(
    request: HttpRequest, network: str, group_id: int, meeting_id: int
) -> HttpResponse:
    found = _inside(request, network, group_id)
    meeting = _meeting(found, meeting_id)
    if not policy.can_manage_meetings(found.access.member, found.group, found.membership):
        raise PermissionDenied
    try:
        services.meeting_roles_assign(meeting=meeting, by=found.access.member)
    except ValidationError as error:
        _error_message(request, error)
        return _meeting_page(request, found, meeting, status=400)
    messages.success(request, _("Roles assigned."))
    return _to_meeting(network, meeting)


@login_required
@require_POST
def roles_swap(request: HttpRequest, network: str, group_id: int, meeting_id: int) -> HttpResponse:
    found = _inside(request, network, group_id)
    meeting = _meeting(found, meeting_id)
    holders = tuple(row.member_id for row in meeting.roles.all())
    if not policy.can_swap_roles(found.access.member, found.group, found.membership, holders):
        raise PermissionDenied
    form = RoleSwapForm(request.POST)
    if form.is_valid():
        held = {row.role: row.member_id for row in meeting.roles.all()}
        a, b = form.cleaned_data["role_a"], form.cleaned_data["role_b"]
        if not policy.can_manage_meetings(found.access.member, found.group, found.membership) and (
            found.membership is None or found.membership.pk not in (held.get(a), held.get(b))
        ):
            raise PermissionDenied
        try:
            services.meeting_roles_swap(meeting=meeting, by=found.access.member, role_a=a, role_b=b)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Roles swapped."))
            return _to_meeting(network, meeting)
    return _meeting_page(request, found, meeting, status=400, swap_form=form)


# --- session records, check-ins and participation equity ------------------------------------


def _recorded(request: HttpRequest, network: str, group_id: int) -> GroupAccess:
    """Records are for the group's active members: 404 to whoever may not see inside the
    group (so a confidential group stays hidden), 403 to others in an open group."""
    found = _inside(request, network, group_id)
    if not policy.can_see_session_record(found.access.member, found.group, found.membership):
        raise PermissionDenied
    return found


def _note_takers(meeting: Meeting) -> tuple[int, ...]:
    return tuple(row.member_id for row in meeting.roles.all() if row.role == MeetingRole.NOTE_TAKER)


def _writes_record(found: GroupAccess, meeting: Meeting) -> bool:
    return policy.can_write_session_record(
        found.access.member, found.group, found.membership, _note_takers(meeting)
    )


def _record_form(found: GroupAccess, meeting: Meeting, data: object = None) -> SessionRecordForm:
    """The record form, filled from the record as it stands, with a count for each member
    present."""
    record = selectors.session_record_of(meeting=meeting)
    present = selectors.members_present(meeting=meeting)
    initial: dict[str, object] = {}
    if record is not None:
        initial = {
            "notes": record.notes,
            "processes": record.processes,
            "stage": record.stage_record.stage if record.stage_record else "",
        }
        for pk, row in selectors.participation_of(record=record).items():
            initial[f"contributions_{pk}"] = row.contributions
            initial[f"led_{pk}"] = row.led
    return SessionRecordForm(data or None, group=found.group, present=present, initial=initial)


def _record_page(
    request: HttpRequest,
    found: GroupAccess,
    meeting: Meeting,
    *,
    status: int = 200,
    record_form: SessionRecordForm | None = None,
    check_in_form: CheckInForm | None = None,
) -> HttpResponse:
    viewer, group, membership = found.access.member, found.group, found.membership
    record = selectors.session_record_of(meeting=meeting)
    writes = _writes_record(found, meeting)
    started = meeting.starts_at <= timezone.now()
    roles = list(meeting.roles.all())
    context: dict[str, object] = {
        "group": group,
        "meeting": meeting,
        "record": record,
        "roles": roles,
        "started": started,
        "writes": writes,
        "attendance_taken": bool(meeting.attendance.all()),
    }
    if writes and started:
        context["record_form"] = record_form or _record_form(found, meeting)
        # Whoever writes the notes must know whom they may not write about.
        context["not_to_be_named"] = not_to_be_named_in_notes(
            members=selectors.group_members(group=group)
        )
    if record is not None and policy.can_see_participation(
        viewer, group, membership, _note_takers(meeting)
    ):
        held: dict[int, list[str]] = {}
        for row in roles:
            held.setdefault(row.member_id, []).append(str(row.get_role_display()))
        counts = selectors.participation_of(record=record)
        context["participation"] = [
            {"member": row, "counts": counts.get(row.pk), "roles": held.get(row.pk, [])}
            for row in selectors.members_present(meeting=meeting)
        ]
    if policy.can_check_in(viewer, group, membership) and started:
        mine = selectors.check_in_of(meeting=meeting, membership=membership)
        context["my_check_in"] = mine
        context["check_in_form"] = check_in_form or CheckInForm(
            initial={"wellbeing": mine.wellbeing, "words": mine.words} if mine else None
        )
    if policy.can_see_check_ins(viewer, group, membership):
        context["sees_check_ins"] = True
        context["check_ins"] = list(selectors.check_ins_of(meeting=meeting))
    return render_network_page(request, found.access, "groups/record_detail.html", context, status)


@login_required
def meeting_record(
    request: HttpRequest, network: str, group_id: int, meeting_id: int
) -> HttpResponse:
    """A meeting's session record: read by the group's members, written by the meeting's
    note-taker or the group's facilitators; each member's own check-in."""
    found = _recorded(request, network, group_id)
    meeting = _meeting(found, meeting_id)
    if request.method != "POST":
        # A session record (and the check-ins shown with it) is confidential in any group.
        audit_view(
            request=request,
            network=found.access.network,
            target=f"group:{found.group.pk}",
            what="session_record",
            meeting=meeting.pk,
        )
        return _record_page(request, found, meeting)
    if not _writes_record(found, meeting):
        raise PermissionDenied
    form = _record_form(found, meeting, request.POST)
    if form.is_valid():
        counts = form.counts()
        try:
            services.session_record_save(
                meeting=meeting,
                by=found.access.member,
                notes=form.cleaned_data["notes"],
                processes=form.cleaned_data["processes"],
                stage=form.cleaned_data["stage"],
                participation=(
                    {pk: services.Counts(c, led) for pk, (c, led) in counts.items()}
                    if counts
                    else None
                ),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Session record saved."))
            return redirect(
                "groups:meeting_record",
                network=network,
                group_id=found.group.pk,
                meeting_id=meeting.pk,
            )
    return _record_page(request, found, meeting, status=400, record_form=form)


def _to_record(network: str, meeting: Meeting) -> HttpResponse:
    return redirect(
        "groups:meeting_record", network=network, group_id=meeting.group_id, meeting_id=meeting.pk
    )


@login_required
@require_POST
def meeting_check_in(
    request: HttpRequest, network: str, group_id: int, meeting_id: int
) -> HttpResponse:
    found = _recorded(request, network, group_id)
    meeting = _meeting(found, meeting_id)
    membership = found.membership
    if membership is None or not policy.can_check_in(found.access.member, found.group, membership):
        raise PermissionDenied
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.check_in_save(
                meeting=meeting,
                by=membership,
                wellbeing=form.cleaned_data["wellbeing"],
                words=form.cleaned_data["words"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Check-in saved. Only you and the facilitators see it."))
            return _to_record(network, meeting)
    return _record_page(request, found, meeting, status=400, check_in_form=form)


@login_required
@require_POST
def meeting_check_in_withdraw(
    request: HttpRequest, network: str, group_id: int, meeting_id: int
) -> HttpResponse:
    found = _recorded(request, network, group_id)
    meeting = _meeting(found, meeting_id)
    membership = found.membership
    if membership is None or not policy.can_check_in(found.access.member, found.group, membership):
        raise PermissionDenied
    if services.check_in_withdraw(meeting=meeting, by=membership):
        messages.success(request, _("Check-in withdrawn."))
    else:
        messages.error(request, _("You had no check-in for this meeting."))
    return _to_record(network, meeting)


RECORDS_PER_PAGE = 20


@login_required
def group_records(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    """The group's session records, the latest meeting first."""
    found = _recorded(request, network, group_id)
    page = Paginator(selectors.session_records_of(group=found.group), RECORDS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    audit_view(
        request=request,
        network=found.access.network,
        target=f"group:{found.group.pk}",
        what="session_records",
        page=page.number,
    )
    return render_network_page(
        request,
        found.access,
        "groups/record_list.html",
        {
            "group": found.group,
            "page": page,
            "sees_equity": policy.can_see_equity(
                found.access.member, found.group, found.membership
            ),
        },
    )


CHART_WIDTH, CHART_HEIGHT = 560, 160


@login_required
def group_equity(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    """Participation equity over time, for the group's facilitators."""
    found = _inside(request, network, group_id)
    if not policy.can_see_equity(found.access.member, found.group, found.membership):
        raise PermissionDenied
    if found.group.confidential:
        audit_view(
            request=request,
            network=found.access.network,
            target=f"group:{found.group.pk}",
            what="equity",
        )
    data = selectors.group_equity(group=found.group)
    figures = [row.figures for row in data.meetings]
    chart = None
    if len(figures) > 1:
        chart = {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "participation": equity.polyline_points(
                [f.cumulative_participation_gini for f in figures],
                width=CHART_WIDTH,
                height=CHART_HEIGHT,
            ),
            "leadership": equity.polyline_points(
                [f.cumulative_leadership_gini for f in figures],
                width=CHART_WIDTH,
                height=CHART_HEIGHT,
            ),
        }
    return render_network_page(
        request,
        found.access,
        "groups/equity.html",
        {
            "group": found.group,
            "data": data,
            "latest": figures[-1] if figures else None,
            "chart": chart,
        },
    )


# --- meeting-role availability and times away -----------------------------------------------

# Imported here so this section stays together.
from sameboat.groups.forms import AvailabilityForm, TimeAwayForm  # noqa: E402
from sameboat.groups.models import MeetingRole as _Role  # noqa: E402


def _own_availability(
    request: HttpRequest, network: str, group_id: int
) -> tuple[GroupAccess, GroupMember]:
    """The viewer's own row in the group: each member edits their own availability only."""
    found = _inside(request, network, group_id)
    membership = found.membership
    if membership is None or not policy.can_set_own_availability(
        found.access.member, found.group, membership
    ):
        raise PermissionDenied
    return found, membership


def _availability_page(
    request: HttpRequest,
    found: GroupAccess,
    membership: GroupMember,
    *,
    form: AvailabilityForm | None = None,
    away_form: TimeAwayForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    labels = dict(_Role.choices)
    context: dict[str, object] = {
        "group": found.group,
        "form": form
        or AvailabilityForm(
            initial={"willing_roles": membership.willing_roles, "available": membership.available}
        ),
        "away_form": away_form or TimeAwayForm(),
        "times_away": list(selectors.times_away_of(membership=membership, since=today)),
    }
    if policy.can_see_everyones_availability(found.access.member, found.group, membership):
        rows = list(selectors.group_availability(group=found.group, since=today))
        context["everyone"] = [
            {
                "name": row.member.display_name,
                "roles": [labels[role] for role in row.willing_roles or () if role in labels],
                "available": row.available,
                "times_away": row.times_away,  # type: ignore[attr-defined]
            }
            for row in rows
        ]
        # Roles the rotation could give nobody today: a facilitator sees it before assigning.
        context["unheld"] = [
            label
            for value, label in _Role.choices
            if not any(row.available and value in (row.willing_roles or ()) for row in rows)
        ]
    return render_network_page(request, found.access, "groups/availability.html", context, status)


def _to_availability(network: str, group_id: int) -> HttpResponse:
    return redirect("groups:availability", network=network, group_id=group_id)


@login_required
def availability(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found, membership = _own_availability(request, network, group_id)
    if request.method != "POST":
        return _availability_page(request, found, membership)
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        try:
            services.availability_update(
                membership=membership,
                willing_roles=form.cleaned_data["willing_roles"],
                available=form.cleaned_data["available"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your availability for meeting roles is saved."))
            return _to_availability(network, found.group.pk)
    return _availability_page(request, found, membership, form=form, status=400)


@login_required
@require_POST
def time_away_add(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    found, membership = _own_availability(request, network, group_id)
    form = TimeAwayForm(request.POST)
    if form.is_valid():
        try:
            services.time_away_add(
                membership=membership,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Time away added."))
            return _to_availability(network, found.group.pk)
    return _availability_page(request, found, membership, away_form=form, status=400)


@login_required
@require_POST
def time_away_remove(
    request: HttpRequest, network: str, group_id: int, time_away_id: int
) -> HttpResponse:
    found, membership = _own_availability(request, network, group_id)
    row = selectors.time_away_get(membership=membership, pk=time_away_id)
    if row is None:
        raise Http404
    services.time_away_remove(time_away=row)
    messages.success(request, _("Time away removed."))
    return _to_availability(network, found.group.pk)
