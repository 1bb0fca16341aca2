"""Writes for groups: creating and editing them, joining and leaving, the plan, stages.
Each checks the rule it enforces and raises ValidationError with a message a person can act
on; nothing is written when it does."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.groups.models import (
    PLAN_FIELDS,
    STAGES,
    Group,
    GroupMember,
    GroupMemberStatus,
    GroupRole,
    Joining,
    PreGroupPlan,
    StageRecord,
)
from sameboat.networks.models import Member, Network, Role

GROUP_FIELDS = (
    "name",
    "purpose",
    "type",
    "confidential",
    "joining",
    "stage_model",
    "process_list",
)


def _check_name(*, network: Network, name: str, exclude: int | None = None) -> None:
    taken = Group.objects.filter(network=network, name__iexact=name.strip())
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": _("This network already has a group with this name.")})


@transaction.atomic
def group_create(*, network: Network, by: Member, fields: dict[str, Any]) -> Group:
    """Start a group; its creator is its first facilitator, and it has an empty plan."""
    if by.network_id != network.pk or by.role == Role.MEMBER:
        raise ValidationError(_("Only facilitators and coordinators may start a group."))
    values = {key: fields[key] for key in GROUP_FIELDS if key in fields}
    values["name"] = str(values.get("name", "")).strip()
    _check_name(network=network, name=values["name"])
    group = Group.objects.create(network=network, **values)
    GroupMember.objects.create(
        group=group,
        member=by,
        role=GroupRole.FACILITATOR,
        status=GroupMemberStatus.ACTIVE,
        joined_at=timezone.now(),
    )
    PreGroupPlan.objects.create(group=group)
    return group


@transaction.atomic
def group_update(*, group: Group, fields: dict[str, Any]) -> Group:
    changed = [key for key in GROUP_FIELDS if key in fields]
    if "name" in fields:
        fields = {**fields, "name": str(fields["name"]).strip()}
        _check_name(network=group.network, name=fields["name"], exclude=group.pk)
    # A change of stage model leaves earlier records as they were: each keeps its model.
    for key in changed:
        setattr(group, key, fields[key])
    group.save(update_fields=changed)
    return group


@transaction.atomic
def group_request_to_join(*, group: Group, member: Member) -> GroupMember:
    """Ask to join a group that takes requests; a facilitator approves."""
    if member.network_id != group.network_id:
        raise ValidationError(_("You are not a member of this network."))
    if group.joining != Joining.REQUEST:
        raise ValidationError(_("This group takes members by invitation only."))
    row, created = GroupMember.objects.select_for_update().get_or_create(group=group, member=member)
    if not created:
        if row.status == GroupMemberStatus.ACTIVE:
            raise ValidationError(_("You already belong to this group."))
        if row.status == GroupMemberStatus.REQUESTED:
            raise ValidationError(_("You have already asked to join this group."))
        row.status = GroupMemberStatus.REQUESTED
        row.role = GroupRole.MEMBER
        row.save(update_fields=["status", "role"])
    return row


@transaction.atomic
def group_member_approve(*, membership: GroupMember) -> GroupMember:
    if membership.status != GroupMemberStatus.REQUESTED:
        raise ValidationError(_("There is no request to approve."))
    membership.status = GroupMemberStatus.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["status", "joined_at"])
    return membership


@transaction.atomic
def group_member_add(*, group: Group, member: Member, role: str = GroupRole.MEMBER) -> GroupMember:
    """A facilitator adds a network member (an invitation-only group's way in)."""
    if member.network_id != group.network_id or not member.is_active:
        raise ValidationError({"member": _("Choose a member of this network.")})
    row, _created = GroupMember.objects.select_for_update().get_or_create(
        group=group, member=member
    )
    if row.status == GroupMemberStatus.ACTIVE:
        raise ValidationError({"member": _("They already belong to this group.")})
    row.status = GroupMemberStatus.ACTIVE
    row.role = role
    row.joined_at = timezone.now()
    row.save(update_fields=["status", "role", "joined_at"])
    return row


@transaction.atomic
def group_leave(*, membership: GroupMember) -> GroupMember:
    """Leave a group, or withdraw a request. The last facilitator cannot leave: someone
    must be able to approve and plan."""
    if membership.status == GroupMemberStatus.LEFT:
        raise ValidationError(_("You have already left this group."))
    if membership.facilitates:
        others = (
            GroupMember.objects.select_for_update()
            .filter(
                group_id=membership.group_id,
                role=GroupRole.FACILITATOR,
                status=GroupMemberStatus.ACTIVE,
            )
            .exclude(pk=membership.pk)
        )
        if not others.exists():
            raise ValidationError(
                _("You are the group's only facilitator: add another before you leave.")
            )
    membership.status = GroupMemberStatus.LEFT
    membership.save(update_fields=["status"])
    return membership


@transaction.atomic
def plan_update(*, group: Group, fields: dict[str, Any]) -> PreGroupPlan:
    plan, _created = PreGroupPlan.objects.get_or_create(group=group)
    changed = [key for key in PLAN_FIELDS if key in fields]
    for key in changed:
        setattr(plan, key, fields[key])
    plan.save(update_fields=[*changed, "updated_at"])
    return plan


@transaction.atomic
def stage_record(*, group: Group, by: Member, stage: str, note: str = "") -> StageRecord:
    """Record the group's stage, which must be one of its own model's stages."""
    if stage not in STAGES[group.stage_model]:
        raise ValidationError(
            {
                "stage": _("That is not a stage of the model this group uses (%(model)s).")
                % {"model": group.get_stage_model_display()}
            }
        )
    return StageRecord.objects.create(
        group=group, model=group.stage_model, stage=stage, recorded_by=by, note=note
    )
