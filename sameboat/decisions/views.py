"""Pages for decisions. Thin: parse input, ask the policy, call one service or selector,
render. Every page starts from `network_access` and finds the proposal (or group) inside that
network, so an outsider gets a 404, and so does anyone outside a confidential group for its
proposals, coordinators included."""

from collections.abc import Callable
from dataclasses import dataclass
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
from sameboat.core.access import NetworkAccess, network_access, render_network_page
from sameboat.decisions import selectors, services
from sameboat.decisions.forms import ProposalForm, ResolveForm, StanceForm
from sameboat.decisions.models import PROCESS_HELP, Proposal, ProposalStatus, Stance
from sameboat.decisions.presenting import proposal_view
from sameboat.groups import selectors as group_selectors
from sameboat.groups.models import Group, GroupMember
from sameboat.networks.models import Member


@dataclass(frozen=True, slots=True)
class GroupScope:
    access: NetworkAccess
    group: Group
    membership: GroupMember | None


@dataclass(frozen=True, slots=True)
class ProposalAccess:
    access: NetworkAccess
    proposal: Proposal
    membership: GroupMember | None


def _group_scope(request: HttpRequest, network: str, group_id: int) -> GroupScope:
    """The group in the viewer's network, or 404 unless they may see its proposals."""
    access = network_access(request, network)
    group = group_selectors.group_get(network=access.network, pk=group_id)
    if group is None:
        raise Http404
    membership = group_selectors.membership_of(group=group, member=access.member)
    if not policy.can_see_proposals(access.member, group, membership):
        raise Http404
    return GroupScope(access=access, group=group, membership=membership)


def _proposal_access(request: HttpRequest, network: str, decision_id: int) -> ProposalAccess:
    """The proposal in the viewer's network, or 404 unless they may see it."""
    access = network_access(request, network)
    proposal = selectors.proposal_get(network=access.network, pk=decision_id)
    if proposal is None:
        raise Http404
    membership = selectors.membership_for(proposal=proposal, member=access.member)
    if not policy.can_see_proposal(access.member, proposal, membership):
        raise Http404
    return ProposalAccess(access=access, proposal=proposal, membership=membership)


def _split(proposals: list[Proposal]) -> dict[str, list[Proposal]]:
    return {
        "open": [p for p in proposals if p.status == ProposalStatus.OPEN],
        "closed": [p for p in proposals if p.status != ProposalStatus.OPEN],
    }


# --- lists ----------------------------------------------------------------------------------


@login_required
def proposal_list(request: HttpRequest, network: str) -> HttpResponse:
    """The network's own proposals, and those of the viewer's groups."""
    access = network_access(request, network)
    network_wide = list(
        selectors.proposals_of_network(network=access.network, viewer=access.member)
    )
    in_groups = list(selectors.proposals_in_groups_of(network=access.network, viewer=access.member))
    return render_network_page(
        request,
        access,
        "decisions/proposal_list.html",
        {
            "network_wide": _split(network_wide),
            "in_groups": _split(in_groups),
            "can_propose": policy.can_propose(access.member, None, None),
        },
    )


@login_required
def group_proposal_list(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    scope = _group_scope(request, network, group_id)
    proposals = list(
        selectors.proposals_visible(
            network=scope.access.network, viewer=scope.access.member, group=scope.group
        )
    )
    return render_network_page(
        request,
        scope.access,
        "decisions/group_proposal_list.html",
        {
            "group": scope.group,
            "proposals": _split(proposals),
            "can_propose": policy.can_propose(scope.access.member, scope.group, scope.membership),
        },
    )


# --- putting a proposal ---------------------------------------------------------------------


def _create(request: HttpRequest, access: NetworkAccess, group: Group | None) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal = services.proposal_create(
                    network=access.network, by=access.member, group=group, **form.proposal_fields()
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Proposal open. Those who may take part are told."))
                return redirect(
                    "decisions:detail", network=access.network.slug, decision_id=proposal.pk
                )
        status = 400
    return render_network_page(
        request,
        access,
        "decisions/proposal_form.html",
        {"form": form, "group": group},
        status=status,
    )


@login_required
def proposal_create(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_propose(access.member, None, None):
        raise PermissionDenied
    return _create(request, access, None)


@login_required
def group_proposal_create(request: HttpRequest, network: str, group_id: int) -> HttpResponse:
    scope = _group_scope(request, network, group_id)
    if not policy.can_propose(scope.access.member, scope.group, scope.membership):
        raise PermissionDenied
    return _create(request, scope.access, scope.group)


# --- one proposal ---------------------------------------------------------------------------


def _detail_page(
    request: HttpRequest,
    found: ProposalAccess,
    *,
    status: int = 200,
    stance_form: StanceForm | None = None,
    action_error: str = "",
) -> HttpResponse:
    viewer, proposal, membership = found.access.member, found.proposal, found.membership
    view = proposal_view(proposal=proposal, viewer=viewer, membership=membership)
    context: dict[str, Any] = {
        "proposal": proposal,
        "view": view,
        "process_help": PROCESS_HELP[proposal.process],
        "stance_form": None,
        "action_error": action_error,
    }
    if view.can_take_stance:
        context["stance_form"] = stance_form or StanceForm(proposal=proposal)
    elif stance_form is not None and stance_form.errors and not action_error:
        # The form is no longer offered (a stance already taken, the proposal closed), so
        # its errors say why above the page instead.
        context["action_error"] = " ".join(
            str(message) for messages_ in stance_form.errors.values() for message in messages_
        )
    return render_network_page(
        request, found.access, "decisions/proposal_detail.html", context, status=status
    )


def _to_detail(found: ProposalAccess) -> HttpResponse:
    return redirect(
        "decisions:detail", network=found.access.network.slug, decision_id=found.proposal.pk
    )


@login_required
def proposal_detail(request: HttpRequest, network: str, decision_id: int) -> HttpResponse:
    return _detail_page(request, _proposal_access(request, network, decision_id))


@login_required
@require_POST
def stance(request: HttpRequest, network: str, decision_id: int) -> HttpResponse:
    found = _proposal_access(request, network, decision_id)
    if not policy.can_take_part(found.access.member, found.proposal, found.membership):
        raise PermissionDenied
    form = StanceForm(request.POST, proposal=found.proposal)
    if form.is_valid():
        try:
            services.stance_take(
                proposal=found.proposal, member=found.access.member, **form.stance_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your stance is recorded. Thank you for taking part."))
            return _to_detail(found)
    return _detail_page(request, found, status=400, stance_form=form)


@login_required
@require_POST
def resolve(request: HttpRequest, network: str, decision_id: int) -> HttpResponse:
    found = _proposal_access(request, network, decision_id)
    form = ResolveForm(request.POST)
    objection: Stance | None = None
    if form.is_valid():
        objection = selectors.stance_by_ref(
            proposal=found.proposal, ref=str(form.cleaned_data["stance"])
        )
    if objection is None:
        return _detail_page(
            request, found, status=400, action_error=_("There is no such objection to resolve.")
        )
    if not policy.can_resolve_objection(
        found.access.member, found.proposal, found.membership, objection
    ):
        raise PermissionDenied
    try:
        services.objection_resolve(
            stance=objection, by=found.access.member, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        return _detail_page(request, found, status=400, action_error=" ".join(error.messages))
    messages.success(request, _("The objection is marked resolved."))
    return _to_detail(found)


def _end(
    request: HttpRequest,
    found: ProposalAccess,
    *,
    allowed: Callable[[Member | None, Proposal, GroupMember | None], bool],
    end: Callable[..., Proposal],
    done: str,
) -> HttpResponse:
    """Close or withdraw a proposal: the same check, the same page when the service refuses
    (it is no longer open, say) and the same way back to it."""
    if not allowed(found.access.member, found.proposal, found.membership):
        raise PermissionDenied
    try:
        end(proposal=found.proposal, by=found.access.member)
    except ValidationError as error:
        return _detail_page(request, found, status=400, action_error=" ".join(error.messages))
    messages.success(request, done)
    return _to_detail(found)


@login_required
@require_POST
def close(request: HttpRequest, network: str, decision_id: int) -> HttpResponse:
    return _end(
        request,
        _proposal_access(request, network, decision_id),
        allowed=policy.can_close_proposal,
        end=services.proposal_close,
        done=_("The proposal is closed and its outcome recorded."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, network: str, decision_id: int) -> HttpResponse:
    return _end(
        request,
        _proposal_access(request, network, decision_id),
        allowed=policy.can_withdraw_proposal,
        end=services.proposal_withdraw,
        done=_("The proposal is withdrawn."),
    )
