"""Referrals and partnerships: the writes.

A referral moves made -> contacted -> got help / did not get help (with a reason). It may
skip "contacted", and an outcome may be corrected (got help after all), but it never goes
back to "made". Each change is kept as an event (who, when), pushes the follow-up date on
(for an open referral) and withdraws the follow-up reminder of the stage it leaves.

Follow-up reminders: when an open referral's follow-up date comes (the setting
REFERRAL_FOLLOW_UP_DAYS after it was made or last changed, unless someone chose another
date), the member referred
and whoever referred them are asked how it went, once per stage: the topic names the
referral and its stage ("referral:12:1"), and the notifications app writes each piece of
news once per topic, kind and person.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat import policy
from sameboat.directory.models import (
    OPEN_STATUSES,
    Organization,
    Partnership,
    Referral,
    ReferralEvent,
    ReferralReason,
    ReferralStatus,
    Service,
)
from sameboat.networks.models import Member, Network
from sameboat.notifications.models import NotificationKind
from sameboat.notifications.services import notifications_withdraw, notify_members

NOTE_MAX = 1000
REASON_NOTE_MAX = 500
TEXT_MAX = 2000


def referral_topic(referral: Referral) -> str:
    """The notification topic of a referral's current stage."""
    return f"referral:{referral.pk}:{referral.stage}"


def referral_path(referral: Referral, network: Network) -> str:
    return reverse(
        "directory:referral", kwargs={"network": network.slug, "referral_id": referral.pk}
    )


def _follow_up_default(today: date) -> date:
    return today + timedelta(days=settings.REFERRAL_FOLLOW_UP_DAYS)


@transaction.atomic
def referral_create(
    *,
    network: Network,
    by: Member,
    member: Member,
    service: Service,
    note: str = "",
    follow_up_on: date | None = None,
) -> Referral:
    """Refer a member to a service of the network's directory."""
    if by.network_id != network.pk or not by.is_active:
        raise PermissionDenied
    if member.network_id != network.pk or not member.is_active:
        raise ValidationError({"member": _("Choose an active member of this network.")})
    if not policy.can_refer(by, member):
        raise PermissionDenied(_("You may refer only yourself."))
    if service.network_id != network.pk:
        raise ValidationError({"service": _("Choose a service of this network's directory.")})
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note under %(max)d characters.") % {"max": NOTE_MAX}}
        )
    now = timezone.now()
    today = timezone.localdate(now)
    if follow_up_on is not None and follow_up_on < today:
        raise ValidationError({"follow_up_on": _("Choose a follow-up date from today on.")})
    referral = Referral.objects.create(
        network=network,
        member=member,
        service=service,
        service_name=service.name,
        referred_by=by,
        note=note,
        status=ReferralStatus.MADE,
        status_changed_at=now,
        follow_up_on=follow_up_on or _follow_up_default(today),
    )
    ReferralEvent.objects.create(referral=referral, status=ReferralStatus.MADE, by=by, at=now)
    return referral


@transaction.atomic
def referral_status_set(
    *,
    referral: Referral,
    by: Member,
    status: str,
    reason: str = "",
    reason_note: str = "",
) -> Referral:
    """Record how a referral went. "Did not get help" needs a reason."""
    if not policy.can_update_referral(by, referral):
        raise PermissionDenied
    reason_note = reason_note.strip()
    if status not in ReferralStatus.values or status == ReferralStatus.MADE:
        raise ValidationError({"status": _("Choose how it went.")})
    if status == referral.status and status != ReferralStatus.DID_NOT_GET_HELP:
        raise ValidationError({"status": _("The referral is already at this step.")})
    if status == ReferralStatus.DID_NOT_GET_HELP:
        if reason not in ReferralReason.values:
            raise ValidationError({"reason": _("Say why they did not get help.")})
    elif reason or reason_note:
        raise ValidationError({"reason": _("A reason goes only with “did not get help”.")})
    if len(reason_note) > REASON_NOTE_MAX:
        raise ValidationError(
            {"reason_note": _("Keep it under %(max)d characters.") % {"max": REASON_NOTE_MAX}}
        )
    if (
        status == referral.status
        and reason == referral.reason
        and reason_note == referral.reason_note
    ):
        raise ValidationError({"status": _("The referral is already at this step.")})
    # The reminder of the stage being left is stale: withdraw it before it goes out.
    notifications_withdraw(
        topic=referral_topic(referral), kinds=[NotificationKind.REFERRAL_FOLLOW_UP]
    )
    now = timezone.now()
    referral.status = status
    referral.reason = reason
    referral.reason_note = reason_note
    referral.stage += 1
    referral.status_changed_at = now
    referral.follow_up_on = (
        _follow_up_default(timezone.localdate(now)) if status in OPEN_STATUSES else None
    )
    referral.save(
        update_fields=[
            "status",
            "reason",
            "reason_note",
            "stage",
            "status_changed_at",
            "follow_up_on",
        ]
    )
    ReferralEvent.objects.create(
        referral=referral, status=status, reason=reason, reason_note=reason_note, by=by, at=now
    )
    return referral


@transaction.atomic
def referral_reminders_send(*, now: datetime | None = None) -> int:
    """Ask the member and the referrer of each open referral whose follow-up date has come
    how it went: once per referral and stage. Returns how many reminders were written.
    A constant number of queries per referral due (the notifications' three)."""
    from sameboat.directory.referral_selectors import referrals_due_for_follow_up

    today = timezone.localdate(now or timezone.now())
    written = 0
    for referral in referrals_due_for_follow_up(today=today):
        people = [referral.member]
        if referral.referred_by is not None and referral.referred_by_id != referral.member_id:
            people.append(referral.referred_by)
        written += len(
            notify_members(
                network_id=referral.network_id,
                members=people,
                kind=NotificationKind.REFERRAL_FOLLOW_UP,
                topic=referral_topic(referral),
                path=referral_path(referral, referral.network),
            )
        )
    return written


# --- partnerships ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartnershipFields:
    organization: Organization
    starts_on: date
    ends_on: date | None = None
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    network_brings: str = ""
    partner_brings: str = ""
    notes: str = ""


def _partnership_values(*, network: Network, fields: PartnershipFields) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if fields.organization.network_id != network.pk:
        errors["organization"] = _("Choose an organisation of this network's directory.")
    if fields.ends_on is not None and fields.ends_on < fields.starts_on:
        errors["ends_on"] = _("The agreement cannot end before it starts.")
    texts = {
        "contact_name": 200,
        "contact_phone": 50,
        "network_brings": TEXT_MAX,
        "partner_brings": TEXT_MAX,
        "notes": TEXT_MAX,
    }
    for name, limit in texts.items():
        if len(getattr(fields, name).strip()) > limit:
            errors[name] = _("Keep it under %(max)d characters.") % {"max": limit}
    if errors:
        raise ValidationError(errors)
    return {
        "organization": fields.organization,
        "organization_name": fields.organization.name,
        "starts_on": fields.starts_on,
        "ends_on": fields.ends_on,
        "contact_name": fields.contact_name.strip(),
        "contact_email": fields.contact_email.strip(),
        "contact_phone": fields.contact_phone.strip(),
        "network_brings": fields.network_brings.strip(),
        "partner_brings": fields.partner_brings.strip(),
        "notes": fields.notes.strip(),
    }


@transaction.atomic
def partnership_create(*, network: Network, by: Member, fields: PartnershipFields) -> Partnership:
    if by.network_id != network.pk or not policy.can_manage_partnerships(by):
        raise PermissionDenied
    return Partnership.objects.create(
        network=network, **_partnership_values(network=network, fields=fields)
    )


@transaction.atomic
def partnership_update(
    *, partnership: Partnership, by: Member, fields: PartnershipFields
) -> Partnership:
    if by.network_id != partnership.network_id or not policy.can_manage_partnerships(by):
        raise PermissionDenied
    values = _partnership_values(network=partnership.network, fields=fields)
    for name, value in values.items():
        setattr(partnership, name, value)
    partnership.save(update_fields=[*values, "updated_at"])
    return partnership
