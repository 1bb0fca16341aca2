"""Pages for networks: choosing one, its dashboard, joining, invitations, members, roles,
service areas."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sameboat import policy
from sameboat.accounts.models import User
from sameboat.aid.models import PostStatus
from sameboat.aid.selectors import PostFilters, asks_visible, matches_waiting_on
from sameboat.core.access import NetworkAccess, network_access
from sameboat.ledger.selectors import member_reciprocity
from sameboat.networks.forms import CENTRE_HELP, AreaForm, InvitationForm, MembershipForm, RoleForm
from sameboat.networks.models import AreaKind, Invitation, Member, Network, Role, ServiceArea
from sameboat.networks.selectors import (
    SESSION_INVITATION,
    SESSION_JOIN,
    areas_of,
    categories_of,
    members_of,
    networks_of,
    networks_open_to_join,
)
from sameboat.networks.services import (
    invitation_accept,
    invitation_create,
    member_set_role,
    member_update,
    network_join,
    service_area_create,
    service_area_delete,
    service_area_update,
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "networks/network_list.html",
        {
            "networks": networks_of(user=user),
            "open_networks": networks_open_to_join(user=user),
        },
    )


@login_required
def dashboard(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    viewer = access.member
    recent_asks = asks_visible(
        network=access.network, viewer=viewer, filters=PostFilters(status=PostStatus.OPEN)
    ).exclude(member=viewer)[:6]
    return render(
        request,
        "networks/dashboard.html",
        {
            "network": access.network,
            "viewer": viewer,
            "reciprocity": member_reciprocity(member=viewer),
            "waiting": list(matches_waiting_on(member=viewer)[:10]),
            "recent_asks": recent_asks,
        },
    )


def join(request: HttpRequest, network: str) -> HttpResponse:
    """Join a network open to anyone. Visitors without an account sign up first."""
    target = Network.objects.filter(slug=network, open_signup=True).first()
    if target is None:
        raise Http404
    if not request.user.is_authenticated:
        if request.method == "POST":
            request.session[SESSION_JOIN] = target.slug
            return redirect("account_signup")
        return render(request, "networks/join.html", {"target": target})
    if request.method == "POST":
        try:
            network_join(network=target, user=_user(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("networks:list")
        messages.success(request, _("Welcome to %(network)s.") % {"network": target.name})
        return redirect("networks:dashboard", network=target.slug)
    return render(request, "networks/join.html", {"target": target})


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: sign up (or log in) and join the network it is for."""
    found = Invitation.objects.select_related("network").filter(token=token).first()
    if found is None:
        raise Http404
    if not found.is_usable:
        return render(request, "networks/invitation_used.html", {"invitation": found}, status=410)
    if not request.user.is_authenticated:
        request.session[SESSION_INVITATION] = found.token
        return render(request, "networks/invitation.html", {"invitation": found})
    if request.method == "POST":
        try:
            member = invitation_accept(invitation=found, user=_user(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return render(request, "networks/invitation.html", {"invitation": found}, status=400)
        messages.success(request, _("Welcome to %(network)s.") % {"network": member.network.name})
        return redirect("networks:dashboard", network=found.network.slug)
    return render(request, "networks/invitation.html", {"invitation": found})


@login_required
def invitations(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_invite(access.member):
        raise Http404
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = invitation_create(
                    network=access.network,
                    by=access.member,
                    email=form.cleaned_data["email"],
                    role=Role(form.cleaned_data["role"]),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                link = request.build_absolute_uri(
                    reverse("networks:invitation", kwargs={"token": created.token})
                )
                messages.success(request, _("Invitation link: %(link)s") % {"link": link})
                return redirect("networks:invitations", network=access.network.slug)
        status = 400
    recent = Invitation.objects.filter(network=access.network).select_related(
        "accepted_by__user", "created_by__user"
    )[:50]
    return render(
        request,
        "networks/invitations.html",
        {"network": access.network, "viewer": access.member, "form": form, "invitations": recent},
        status=status,
    )


@login_required
def member_list(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_list_members(access.member):
        raise Http404
    return render(
        request,
        "networks/member_list.html",
        {
            "network": access.network,
            "viewer": access.member,
            "members": members_of(network=access.network),
            "roles": Role.choices,
            "can_manage_roles": policy.can_manage_roles(access.member),
        },
    )


@login_required
@require_POST
def member_role(request: HttpRequest, network: str, member_id: int) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_manage_roles(access.member):
        raise Http404
    subject = get_object_or_404(Member, network=access.network, pk=member_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("networks:members", network=access.network.slug)
    try:
        member_set_role(member=subject, role=Role(form.cleaned_data["role"]), by=access.member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": subject.display_name, "role": subject.get_role_display()},
        )
    return redirect("networks:members", network=access.network.slug)


@login_required
def membership(request: HttpRequest, network: str) -> HttpResponse:
    """Where the member is and what they can help with, in this network."""
    access = network_access(request, network)
    member = access.member
    form = MembershipForm(
        request.POST or None,
        areas=areas_of(network=access.network),
        categories=categories_of(network=access.network),
        initial={"service_area": member.service_area, "helps_with": list(member.helps_with.all())},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                member_update(
                    member=member,
                    service_area=form.cleaned_data["service_area"],
                    helps_with=list(form.cleaned_data["helps_with"]),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("networks:dashboard", network=access.network.slug)
        status = 400
    else:
        status = 200
    return render(
        request,
        "networks/membership.html",
        {"network": access.network, "viewer": member, "form": form},
        status=status,
    )


# Service areas


@dataclass(frozen=True, slots=True)
class AreaNode:
    area: ServiceArea
    children: list["AreaNode"]


def _area_tree(areas: list[ServiceArea]) -> list[AreaNode]:
    """The areas as a tree (city > neighbourhoods > blocks), built from one list so the page
    costs the same few queries however many areas there are."""
    by_parent: dict[int | None, list[ServiceArea]] = defaultdict(list)
    for area in areas:
        by_parent[area.parent_id].append(area)

    def nodes(parent_id: int | None) -> list[AreaNode]:
        return [AreaNode(area, nodes(area.pk)) for area in by_parent.get(parent_id, [])]

    return nodes(None)


def _parent_choices(network: Network, area: ServiceArea | None = None) -> QuerySet[ServiceArea]:
    """Areas another can lie in: cities and neighbourhoods, not the area itself. Its current
    parent stays listed whatever it is, so saving never moves an area by accident."""
    fits = Q(kind__in=[AreaKind.CITY, AreaKind.NEIGHBOURHOOD])
    if area is not None and area.parent_id is not None:
        fits |= Q(pk=area.parent_id)
    choices = areas_of(network=network).filter(fits)
    if area is not None:
        choices = choices.exclude(pk=area.pk)
    # In the tree's order: each city, then the neighbourhoods inside it.
    return choices.order_by(
        Coalesce("parent__name", "name"), F("parent_id").asc(nulls_first=True), "name", "pk"
    )


def _area_access(request: HttpRequest, network: str) -> NetworkAccess:
    access = network_access(request, network)
    if not policy.can_manage_areas(access.member):
        raise Http404
    return access


@login_required
def areas(request: HttpRequest, network: str) -> HttpResponse:
    """The network's areas as a tree, and a form to add one."""
    access = _area_access(request, network)
    form = AreaForm(
        request.POST if request.method == "POST" else None,
        parents=_parent_choices(access.network),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = service_area_create(
                    network=access.network,
                    name=form.cleaned_data["name"],
                    kind=AreaKind(form.cleaned_data["kind"]),
                    parent=form.cleaned_data["parent"],
                    centre=form.centre(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s added.") % {"name": created.name})
                return redirect("networks:areas", network=access.network.slug)
        status = 400
    return render(
        request,
        "networks/areas.html",
        {
            "network": access.network,
            "viewer": access.member,
            "tree": _area_tree(list(areas_of(network=access.network))),
            "form": form,
            "centre_help": CENTRE_HELP,
        },
        status=status,
    )


@login_required
def area_edit(request: HttpRequest, network: str, area_id: int) -> HttpResponse:
    """Rename an area, move it, change its kind or centre; and the way to delete it."""
    access = _area_access(request, network)
    area = get_object_or_404(areas_of(network=access.network), pk=area_id)
    form = AreaForm(
        request.POST if request.method == "POST" else None,
        parents=_parent_choices(access.network, area),
        initial={
            "name": area.name,
            "kind": area.kind,
            "parent": area.parent_id,
            "latitude": area.latitude,
            "longitude": area.longitude,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                service_area_update(
                    area=area,
                    name=form.cleaned_data["name"],
                    kind=AreaKind(form.cleaned_data["kind"]),
                    parent=form.cleaned_data["parent"],
                    centre=form.centre(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s saved.") % {"name": area.name})
                return redirect("networks:areas", network=access.network.slug)
        status = 400
    return render(
        request,
        "networks/area_edit.html",
        {
            "network": access.network,
            "viewer": access.member,
            "area": area,
            "form": form,
            "centre_help": CENTRE_HELP,
        },
        status=status,
    )


@login_required
@require_POST
def area_delete(request: HttpRequest, network: str, area_id: int) -> HttpResponse:
    access = _area_access(request, network)
    area = get_object_or_404(ServiceArea, network=access.network, pk=area_id)
    try:
        service_area_delete(area=area)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("networks:area_edit", network=access.network.slug, area_id=area.pk)
    messages.success(request, _("%(name)s deleted.") % {"name": area.name})
    return redirect("networks:areas", network=access.network.slug)
