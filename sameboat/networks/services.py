"""Writes for networks, memberships and invitations."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.accounts.models import User
from sameboat.aid.models import Ask, Offer
from sameboat.audit.services import audit_record
from sameboat.ledger.models import Account
from sameboat.networks.defaults import DEFAULT_CATEGORIES
from sameboat.networks.models import (
    AreaKind,
    Category,
    Invitation,
    Member,
    Network,
    Role,
    ServiceArea,
)
from sameboat.networks.selectors import SESSION_INVITATION, SESSION_JOIN, signup_target


@transaction.atomic
def network_create(
    *, slug: str, name: str, description: str = "", open_signup: bool = False
) -> Network:
    """Create a network with the default category tree."""
    if Network.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("A network with this short name already exists.")})
    network = Network.objects.create(
        slug=slug, name=name, description=description, open_signup=open_signup
    )
    for slug_, label, children in DEFAULT_CATEGORIES:
        parent = Category.objects.create(network=network, slug=slug_, name=_(label))
        Category.objects.bulk_create(
            Category(network=network, parent=parent, slug=child_slug, name=_(child_label))
            for child_slug, child_label in children
        )
    return network


# A parent, when an area has one, is the kind just above it; a city is inside nothing. An
# area may also stand on its own at the top: a tenants' union may serve a single block.
_PARENT_KIND: dict[str, str | None] = {
    AreaKind.CITY: None,
    AreaKind.NEIGHBOURHOOD: AreaKind.CITY,
    AreaKind.BLOCK: AreaKind.NEIGHBOURHOOD,
}
_CHILD_KIND: dict[str, str | None] = {
    AreaKind.CITY: AreaKind.NEIGHBOURHOOD,
    AreaKind.NEIGHBOURHOOD: AreaKind.BLOCK,
    AreaKind.BLOCK: None,
}
# The five decimals the schema keeps for an area's centre (about a metre).
_CENTRE_PLACES = Decimal("0.00001")

# (latitude, longitude); a form may leave either empty, and is told to give both or neither.
Centre = tuple[Decimal | None, Decimal | None]


def _lock_areas(network_id: int) -> None:
    """Serialise changes to one network's area tree. Without it two coordinators could add
    the same city twice (the unique constraint cannot see top-level siblings, whose parent is
    NULL), and a child added just as its parent is deleted would go with it by cascade."""
    Network.objects.select_for_update().filter(pk=network_id).values_list("pk").first()


def _inside(candidate: ServiceArea, area: ServiceArea) -> bool:
    """Whether `candidate` is `area` or lies somewhere inside it: walk up from the candidate
    (a few steps: city, neighbourhood, block), guarding against a loop made outside here."""
    if candidate.pk == area.pk:
        return True
    seen: set[int] = {candidate.pk}
    current = candidate.parent_id
    while current is not None and current not in seen:
        if current == area.pk:
            return True
        seen.add(current)
        current = ServiceArea.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return False


def _centre_checked(centre: Centre | None, errors: dict[str, list[str]]) -> Centre:
    latitude, longitude = centre if centre is not None else (None, None)
    if latitude is not None and (not latitude.is_finite() or not -90 <= latitude <= 90):
        errors["latitude"] = [_("A latitude is between -90 and 90.")]
    if longitude is not None and (not longitude.is_finite() or not -180 <= longitude <= 180):
        errors["longitude"] = [_("A longitude is between -180 and 180.")]
    if (latitude is None) != (longitude is None):
        missing = "latitude" if latitude is None else "longitude"
        errors[missing] = [_("Give both the latitude and the longitude of the centre, or neither.")]
    if latitude is None or longitude is None or "latitude" in errors or "longitude" in errors:
        return None, None
    return latitude.quantize(_CENTRE_PLACES), longitude.quantize(_CENTRE_PLACES)


def _area_checked(
    *,
    network_id: int,
    area: ServiceArea | None,
    name: str,
    kind: str,
    parent: ServiceArea | None,
    centre: Centre | None,
) -> tuple[str, Centre]:
    """The area's name (trimmed) and centre (rounded as stored), or a ValidationError naming
    every field that is wrong. `area` is None for a new area."""
    errors: dict[str, list[str]] = {}
    name = name.strip()
    max_length = ServiceArea._meta.get_field("name").max_length or 120
    if not name:
        errors["name"] = [_("Give the area a name.")]
    elif len(name) > max_length:
        errors["name"] = [_("A name is at most %(count)d characters.") % {"count": max_length}]
    if kind not in AreaKind.values:
        errors["kind"] = [_("Choose a city, a neighbourhood or a block.")]
    if parent is not None:
        if parent.network_id != network_id:
            errors["parent"] = [_("That area belongs to another network.")]
        elif area is not None and _inside(parent, area):
            errors["parent"] = [_("An area cannot be inside itself or inside an area within it.")]
        elif "kind" not in errors and parent.kind != _PARENT_KIND[kind]:
            errors["parent"] = [
                {
                    AreaKind.CITY: _("A city is not inside another area."),
                    AreaKind.NEIGHBOURHOOD: _("A neighbourhood can only be inside a city."),
                    AreaKind.BLOCK: _("A block can only be inside a neighbourhood."),
                }[AreaKind(kind)]
            ]
    if area is not None and "kind" not in errors and kind != area.kind:
        child_kind = _CHILD_KIND[kind]
        children = ServiceArea.objects.filter(parent=area)
        if child_kind is not None:
            children = children.exclude(kind=child_kind)
        if children.exists():
            errors["kind"] = [
                _(
                    "The areas inside it would no longer fit: a city holds neighbourhoods, "
                    "a neighbourhood holds blocks, and a block holds no other area."
                )
            ]
    if "name" not in errors and "parent" not in errors:
        siblings = ServiceArea.objects.filter(
            network_id=network_id, parent=parent, name__iexact=name
        )
        if area is not None:
            siblings = siblings.exclude(pk=area.pk)
        if siblings.exists():
            errors["name"] = [
                _("Another area in the same place is already called %(name)s.") % {"name": name}
            ]
    checked_centre = _centre_checked(centre, errors)
    if errors:
        raise ValidationError(errors)
    return name, checked_centre


@transaction.atomic
def service_area_create(
    *,
    network: Network,
    name: str,
    kind: AreaKind,
    parent: ServiceArea | None = None,
    centre: Centre | None = None,
) -> ServiceArea:
    """An area of the network, optionally with its centre (latitude, longitude), which
    matching uses for asks and people placed only by their area. A name is unique among its
    siblings; a parent is the kind just above (see `_PARENT_KIND`)."""
    _lock_areas(network.pk)
    name, (latitude, longitude) = _area_checked(
        network_id=network.pk, area=None, name=name, kind=kind, parent=parent, centre=centre
    )
    return ServiceArea.objects.create(
        network=network,
        parent=parent,
        name=name,
        kind=kind,
        latitude=latitude,
        longitude=longitude,
    )


@transaction.atomic
def service_area_update(
    *,
    area: ServiceArea,
    name: str,
    kind: AreaKind,
    parent: ServiceArea | None,
    centre: Centre | None,
) -> ServiceArea:
    """Rename an area, move it, change its kind or its centre (None: no centre of its own).
    Refuses a parent that is the area itself or lies inside it, and a kind the areas inside
    it would no longer fit."""
    _lock_areas(area.network_id)
    name, (latitude, longitude) = _area_checked(
        network_id=area.network_id, area=area, name=name, kind=kind, parent=parent, centre=centre
    )
    area.name = name
    area.kind = kind
    area.parent = parent
    area.latitude = latitude
    area.longitude = longitude
    area.save(update_fields=["name", "kind", "parent", "latitude", "longitude"])
    return area


@transaction.atomic
def service_area_delete(*, area: ServiceArea) -> None:
    """Remove an area nothing is placed in. Refuses while areas lie inside it or any ask,
    offer or member (open or closed, active or not) is placed in it: deleting must never
    quietly take away where someone or something is."""
    _lock_areas(area.network_id)
    reasons = []
    if ServiceArea.objects.filter(parent=area).exists():
        reasons.append(
            _("%(name)s still has areas inside it: move or delete them first.")
            % {"name": area.name}
        )
    if Ask.objects.filter(area=area).exists() or Offer.objects.filter(area=area).exists():
        reasons.append(
            _(
                "Asks or offers, open or closed, are placed in %(name)s: edit them to choose "
                "another area first."
            )
            % {"name": area.name}
        )
    if Member.objects.filter(service_area=area).exists():
        reasons.append(
            _("Members have %(name)s as their area: it can go once they have chosen another.")
            % {"name": area.name}
        )
    if reasons:
        raise ValidationError(reasons)
    area.delete()


@transaction.atomic
def member_add(*, network: Network, user: User, role: Role = Role.MEMBER) -> Member:
    """Make a person a member of a network (with a ledger account), or return the membership
    they already have."""
    member, created = Member.objects.get_or_create(
        network=network, user=user, defaults={"role": role}
    )
    if created:
        Account.objects.create(network=network, member=member)
    elif not member.is_active:
        member.is_active = True
        member.save(update_fields=["is_active"])
    return member


def network_join(*, network: Network, user: User) -> Member:
    """Join a network that is open to anyone."""
    if not network.open_signup:
        raise ValidationError(_("This network takes new members by invitation only."))
    return member_add(network=network, user=user)


@transaction.atomic
def invitation_create(
    *, network: Network, by: Member, email: str = "", role: Role = Role.MEMBER
) -> Invitation:
    if by.network_id != network.pk:
        raise ValidationError(_("You can only invite people into your own network."))
    if role == Role.ADMIN and by.role != Role.ADMIN:
        raise ValidationError({"role": _("Only an admin can invite another admin.")})
    invitation = Invitation.objects.create(
        network=network, created_by=by, email=email.strip().lower(), role=role
    )
    audit_record(
        action="network.invite",
        network=network,
        actor=by.user,
        target=f"invitation:{invitation.pk}",
        detail={"role": str(role), "addressed": bool(invitation.email)},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Member:
    """Use an invitation: the person becomes a member with the invited role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation has expired or has already been used."))
    if invitation.email and invitation.email != user.email.lower():
        raise ValidationError(_("This invitation was sent to a different email address."))
    try:
        member = member_add(network=invitation.network, user=user, role=Role(invitation.role))
    except IntegrityError as error:  # a concurrent join; the membership exists
        raise ValidationError(_("You are already a member of this network.")) from error
    invitation.accepted_by = member
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return member


@transaction.atomic
def member_set_role(*, member: Member, role: Role, by: Member) -> Member:
    if by.network_id != member.network_id or by.role != Role.ADMIN:
        raise ValidationError(_("Only an admin of this network can change roles."))
    if member.pk == by.pk and role != Role.ADMIN:
        remaining = Member.objects.filter(network_id=member.network_id, role=Role.ADMIN).count()
        if remaining <= 1:
            raise ValidationError(_("A network needs at least one admin."))
    previous = member.role
    member.role = role
    member.save(update_fields=["role"])
    audit_record(
        action="roles.change",
        network=by.network,
        actor=by.user,
        target=f"member:{member.pk}",
        detail={"scope": "network", "from": str(previous), "to": str(role)},
    )
    return member


@transaction.atomic
def member_update(
    *,
    member: Member,
    service_area: ServiceArea | None,
    helps_with: list[Category],
) -> Member:
    """Set what is network-specific in a member's profile: where they are, what they help with."""
    if service_area is not None and service_area.network_id != member.network_id:
        raise ValidationError({"service_area": _("That area belongs to another network.")})
    if any(category.network_id != member.network_id for category in helps_with):
        raise ValidationError({"helps_with": _("That category belongs to another network.")})
    member.service_area = service_area
    member.save(update_fields=["service_area"])
    member.helps_with.set(helps_with)
    return member


def signup_join(*, request: HttpRequest, user: User) -> Member | None:
    """After signup, join the network the person signed up toward (see `signup_target`)."""
    target = signup_target(request)
    request.session.pop(SESSION_INVITATION, None)
    request.session.pop(SESSION_JOIN, None)
    if isinstance(target, Invitation):
        return invitation_accept(invitation=target, user=user)
    if isinstance(target, Network):
        return network_join(network=target, user=user)
    return None


@transaction.atomic
def network_set_mfa_requirement(*, network: Network, required: bool, by: Member) -> Network:
    """Require (or stop requiring) two-factor authentication of the network's coordinators and
    admins. The admin who turns it on must use it already, so the rule never locks out the
    very person who set it."""
    from sameboat.accounts.mfa import mfa_enabled
    from sameboat.audit.services import audit_record

    if by.network_id != network.pk or by.role != Role.ADMIN:
        raise ValidationError(_("Only an admin of this network changes its security settings."))
    if required and not mfa_enabled(by.user):
        raise ValidationError(
            _("Turn on two-factor authentication for yourself first: the rule applies to you too."),
            code="mfa_first",
        )
    if network.mfa_required_for_leaders == required:
        return network
    network.mfa_required_for_leaders = required
    network.save(update_fields=["mfa_required_for_leaders"])
    audit_record(
        action="security.mfa_requirement_changed",
        network=network,
        actor=by.user,
        target=f"network:{network.pk}",
        detail={"required": required},
    )
    return network
