"""A person's say over their data: consent, a copy of everything held about them, erasure, and
the retention purge.

Erasure, model by model (what goes, what stays and why):

- the person (User row): kept as an empty shell, so that the ledger's foreign keys hold:
  email `erased-<id>@erased.invalid`, display name stored empty and shown as "Erased member"
  in the reader's language (sameboat.core.erasable), every profile field
  emptied, password unusable, inactive;
- email addresses, API tokens, second factors, sessions, invitations to their address:
  deleted, so nobody can log in as them again;
- memberships (Member rows): kept, inactive, with location, area, skills and accessibility
  offered emptied: the ledger's accounts hang on them;
- ledger accounts, exchanges and entries: kept; balances and the zero sum hold, and they
  now show "Erased member"; the memos of their exchanges (a copy of the ask's or offer's
  title) are emptied, the one change the ledger's trigger allows;
- asks and offers they posted: deleted, unless an exchange was posted from one of their
  matches; those are closed, their title replaced and their details emptied;
- matches they were a side of: the message and both feedbacks emptied (deleted with their
  ask or offer when no exchange hangs on them);
- group places, with the check-ins, attendance, participation counts, meeting roles and
  times away that hang on them: deleted;
- personal goals and their check-ins, referrals of them with their history, calendar feed,
  notifications, consent records, matching blocks and declined pairs: deleted;
- stances in decisions: kept (a decided count must not change afterwards) with the reason
  and resolution note emptied;
- session records, stage records, proposals: kept: they are their group's record;
- audit events: kept: they hold ids and codes only, never personal data.

The erasure journal gets one line per erasure, `{"user_id": 12, "erased_at": "..."}`, written
before the transaction commits, so that a restore from a backup older than an erasure can
apply it again (an erasure may be applied twice; it can never be lost).
"""

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat import policy
from sameboat.accounts.models import (
    ERASED_EMAIL_DOMAIN,
    ContactPreference,
    NotificationFrequency,
    User,
)
from sameboat.accounts.user_sessions import outlived_sessions_purge
from sameboat.aid.models import Ask, Match, MatchStatus, Offer, PostStatus
from sameboat.audit.services import audit_record
from sameboat.calendars.models import CalendarFeed
from sameboat.core.erasable import ERASED_MEMBER
from sameboat.decisions.models import Stance
from sameboat.directory.models import OPEN_STATUSES, Referral, ReferralEvent
from sameboat.directory.tasks import runs_purge
from sameboat.goals.models import Goal, GoalCheckIn, GoalKind
from sameboat.groups.models import (
    Attendance,
    GroupMember,
    MeetingCheckIn,
    Participation,
    SessionRecord,
)
from sameboat.ledger.models import HUNDREDTHS, Account, Exchange
from sameboat.matching.models import Block, DeclinedPair
from sameboat.networks.models import Invitation, Member, Role
from sameboat.notifications.models import Notification, NotificationStatus
from sameboat.privacy.models import TEXT_VERSION, Consent, ConsentSource, Purpose

LOGIN_MODELS = (
    ("allauth.account", "account", "EmailAddress"),
    ("rest_framework.authtoken", "authtoken", "Token"),
    ("allauth.mfa", "mfa", "Authenticator"),
    ("allauth.usersessions", "usersessions", "UserSession"),
)
EXPORT_FORMAT = "sameboat-member-export/1"


def erasure_journal_path() -> Path:
    return Path(settings.ERASURE_JOURNAL)


def is_erased(user: User) -> bool:
    return user.email.endswith("@" + ERASED_EMAIL_DOMAIN)


# --- consent --------------------------------------------------------------------------------


def consent_states(*, user: User) -> dict[str, bool]:
    """Whether each purpose is agreed to now. Contact sharing and email are read from the
    settings they govern; location from the consent records (or, for a person from before
    consent was recorded, from having given a location at all)."""
    location = Consent.objects.filter(
        user=user, purpose=Purpose.LOCATION_MATCHING, withdrawn_at__isnull=True
    ).exists()
    if (
        not location
        and not Consent.objects.filter(user=user, purpose=Purpose.LOCATION_MATCHING).exists()
    ):
        location = Member.objects.filter(user=user, latitude__isnull=False).exists()
    return {
        Purpose.CONTACT_AFTER_MATCH: user.shares_contact,
        Purpose.EMAIL_NOTIFICATIONS: user.notification_frequency != NotificationFrequency.NEVER,
        Purpose.LOCATION_MATCHING: location,
        # Notes about someone's recovery or health need their explicit yes: no record, no.
        Purpose.SESSION_NOTES: Consent.objects.filter(
            user=user, purpose=Purpose.SESSION_NOTES, withdrawn_at__isnull=True
        ).exists(),
    }


def not_to_be_named_in_notes(*, members: Iterable[GroupMember]) -> list[GroupMember]:
    """The group members who have not agreed that session notes say anything about them, in
    the order given: shown to whoever writes a session record (one query)."""
    rows = list(members)
    agreed = set(
        Consent.objects.filter(
            user_id__in=[row.member.user_id for row in rows],
            purpose=Purpose.SESSION_NOTES,
            withdrawn_at__isnull=True,
        ).values_list("user_id", flat=True)
    )
    return [row for row in rows if row.member.user_id not in agreed]


@transaction.atomic
def consent_set(
    *, user: User, purpose: str, given: bool, source: str, now: datetime | None = None
) -> Consent:
    """Give or withdraw consent to one purpose: the record is written and the use it covers
    starts or stops in the same transaction. Giving what is already given, or withdrawing
    what is already withdrawn, writes nothing new."""
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Choose one of the listed purposes.")})
    if source not in ConsentSource.values:
        raise ValidationError({"source": _("Unknown source of consent.")})
    now = now or timezone.now()
    User.objects.select_for_update().filter(pk=user.pk).first()
    active = Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).first()
    if given:
        record = active or Consent.objects.create(
            user=user, purpose=purpose, given_at=now, text_version=TEXT_VERSION, source=source
        )
    elif active is not None:
        active.withdrawn_at = now
        active.save(update_fields=["withdrawn_at"])
        record = active
    else:
        # Withdrawn without a recorded grant (the setting was on by default before consent
        # was recorded): the record says so, with no time of giving.
        record = Consent.objects.create(
            user=user,
            purpose=purpose,
            given_at=None,
            withdrawn_at=now,
            text_version=TEXT_VERSION,
            source=source,
        )
    _apply(user=user, purpose=purpose, given=given)
    audit_record(
        action="privacy.consent",
        actor=user,
        target=f"user:{user.pk}",
        detail={"purpose": purpose, "given": given},
    )
    return record


def _apply(*, user: User, purpose: str, given: bool) -> None:
    """Start or stop the use a purpose covers."""
    if purpose == Purpose.CONTACT_AFTER_MATCH:
        if user.shares_contact != given:
            user.shares_contact = given
            user.save(update_fields=["shares_contact"])
    elif purpose == Purpose.EMAIL_NOTIFICATIONS:
        never = NotificationFrequency.NEVER
        if not given and user.notification_frequency != never:
            user.notification_frequency = never
            user.save(update_fields=["notification_frequency"])
            # News already written waits for the sender, which reads the choice when it
            # sends; the rows are marked at once as well, so nothing slips out.
            Notification.objects.filter(user=user, status=NotificationStatus.PENDING).update(
                status=NotificationStatus.SKIPPED
            )
        elif given and user.notification_frequency == never:
            user.notification_frequency = NotificationFrequency.DAILY
            user.save(update_fields=["notification_frequency"])
    elif purpose == Purpose.LOCATION_MATCHING and not given:
        # Matching falls back on the member's service area, which they chose to give.
        Member.objects.filter(user=user).update(latitude=None, longitude=None)


@transaction.atomic
def consents_update(*, user: User, choices: dict[str, bool], source: str) -> list[str]:
    """Set every purpose named in `choices` at once; returns the purposes that changed."""
    states = consent_states(user=user)
    changed = [p for p, given in choices.items() if p in states and states[p] != given]
    for purpose in changed:
        consent_set(user=user, purpose=purpose, given=choices[purpose], source=source)
    return changed


@transaction.atomic
def consents_record_signup(*, user: User, choices: dict[str, bool]) -> None:
    """What a person chose when signing up, one record per purpose they agreed to; a purpose
    left unticked is off from the start."""
    for purpose in Purpose.values:
        given = bool(choices.get(purpose))
        if given:
            consent_set(user=user, purpose=purpose, given=True, source=ConsentSource.SIGNUP)
        else:
            _apply(user=user, purpose=purpose, given=False)


# --- export ---------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _amount(hundredths: int) -> str:
    return str(Decimal(hundredths) / HUNDREDTHS)


def _post(post: Ask | Offer) -> dict[str, Any]:
    return {
        "id": post.pk,
        "network": post.network.slug,
        "category": post.category.name,
        "title": post.title,
        "details": post.details,
        "area": post.area.name if post.area else None,
        "starts_on": post.starts_on.isoformat() if post.starts_on else None,
        "ends_on": post.ends_on.isoformat() if post.ends_on else None,
        "visibility": post.visibility,
        "status": post.status,
        "created_at": _iso(post.created_at),
        "updated_at": _iso(post.updated_at),
    }


def _match(match: Match, me: Member) -> dict[str, Any]:
    side = match.side_of(me)
    other = match.other_side(me)
    contact: dict[str, str] | None = None
    # The other person's contact details only where the product shows them to this person:
    # both accepted, and the other person shares them.
    if policy.can_see_contact_details(me, match):
        contact = {
            "email": other.user.email,
            "phone": other.user.phone,
            "contact_preference": other.user.contact_preference,
        }
    return {
        "id": match.pk,
        "network": match.network.slug,
        "about": "ask" if match.ask_id else "offer",
        "subject_title": match.subject.title,
        "my_side": side,
        "other_side": {"display_name": other.user.display_name, "contact": contact},
        "status": match.status,
        "message": match.message,
        "hours": str(match.hours) if match.hours is not None else None,
        "my_feedback": match.helper_feedback if side == "helper" else match.receiver_feedback,
        "created_at": _iso(match.created_at),
        "ended_at": _iso(match.ended_at),
    }


def member_data_export(*, user: User) -> dict[str, Any]:
    """Everything Sameboat holds about a person, as plain JSON-ready data, in words and
    values they can read. Others appear by display name only; another person's contact
    details only where both accepted a match and that person shares them. Session records'
    notes are the group's, about everyone present, and are left out; the person's own
    check-ins, attendance and participation counts are in."""
    members = list(
        Member.objects.filter(user=user)
        .select_related("network", "service_area")
        .prefetch_related("helps_with")
        .order_by("joined_at", "id")
    )
    member_ids = [m.pk for m in members]
    by_id = {m.pk: m for m in members}
    posts = {
        "asks": [
            _post(p)
            for p in Ask.objects.filter(member_id__in=member_ids).select_related(
                "network", "category", "area"
            )
        ],
        "offers": [
            _post(p)
            for p in Offer.objects.filter(member_id__in=member_ids).select_related(
                "network", "category", "area"
            )
        ],
    }
    matches = [
        _match(match, by_id[match.helper_id if match.helper_id in by_id else match.receiver_id])
        for match in Match.objects.filter(
            Q(helper_id__in=member_ids) | Q(receiver_id__in=member_ids)
        )
        .exclude(review_state="pending")
        .select_related("network", "ask", "offer", "helper__user", "receiver__user")
        .order_by("created_at", "id")
    ]
    accounts = Account.objects.filter(member_id__in=member_ids).select_related("network")
    exchanges = [
        {
            "id": exchange.pk,
            "network": exchange.network.slug,
            "at": _iso(exchange.created_at),
            "direction": "given" if exchange.provider_id in by_id else "received",
            "other_side": (
                exchange.receiver if exchange.provider_id in by_id else exchange.provider
            ).user.display_name,
            "amount": _amount(exchange.amount),
            "unit": str(exchange.network.unit_name),
            "memo": exchange.memo,
            "reverses": exchange.reverses_id,
        }
        for exchange in Exchange.objects.filter(
            Q(provider_id__in=member_ids) | Q(receiver_id__in=member_ids)
        )
        .select_related("network", "provider__user", "receiver__user")
        .order_by("created_at", "id")
    ]
    places = list(
        GroupMember.objects.filter(member_id__in=member_ids)
        .select_related("group__network")
        .order_by("id")
    )
    place_ids = [p.pk for p in places]
    goals = (
        Goal.objects.filter(owner_id__in=member_ids, kind=GoalKind.PERSONAL)
        .select_related("group")
        .prefetch_related("check_ins")
    )
    referrals = (
        Referral.objects.filter(member_id__in=member_ids)
        .select_related("network", "referred_by__user")
        .prefetch_related("events")
        .order_by("created_at", "id")
    )
    return {
        "format": EXPORT_FORMAT,
        "generated_at": _iso(timezone.now()),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "languages": sorted(language.name for language in user.languages.all()),
            "strengths": user.strengths,
            "accessibility_needs": user.accessibility_needs,
            "contact_preference": user.contact_preference,
            "phone": user.phone,
            "notification_frequency": user.notification_frequency,
            "shares_contact_after_match": user.shares_contact,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "memberships": [
            {
                "network": m.network.slug,
                "network_name": m.network.name,
                "role": m.role,
                "active": m.is_active,
                "joined_at": _iso(m.joined_at),
                "service_area": m.service_area.name if m.service_area else None,
                "can_help_with": sorted(c.name for c in m.helps_with.all()),
                "latitude": str(m.latitude) if m.latitude is not None else None,
                "longitude": str(m.longitude) if m.longitude is not None else None,
                "travel_km": str(m.travel_km),
                "weekly_capacity": m.weekly_capacity,
                "accessibility_offered": m.accessibility_offered,
            }
            for m in members
        ],
        **posts,
        "matches": matches,
        "ledger": {
            "accounts": [
                {
                    "network": a.network.slug,
                    "balance": _amount(a.balance),
                    "unit": str(a.network.unit_name),
                }
                for a in accounts
            ],
            "exchanges": exchanges,
        },
        "groups": [
            {
                "group": p.group.name,
                "network": p.group.network.slug,
                "role": p.role,
                "status": p.status,
                "joined_at": _iso(p.joined_at),
                "willing_roles": p.willing_roles,
                "available": p.available,
            }
            for p in places
        ],
        "check_ins": [
            {
                "meeting_at": _iso(c.meeting.starts_at),
                "group": c.meeting.group.name,
                "wellbeing": c.wellbeing,
                "words": c.words,
            }
            for c in MeetingCheckIn.objects.filter(member_id__in=place_ids)
            .select_related("meeting__group")
            .order_by("meeting__starts_at", "id")
        ],
        "attendance": [
            {
                "meeting_at": _iso(a.meeting.starts_at),
                "group": a.meeting.group.name,
                "present": a.present,
            }
            for a in Attendance.objects.filter(member_id__in=place_ids)
            .select_related("meeting__group")
            .order_by("meeting__starts_at", "id")
        ],
        "participation": [
            {
                "meeting_at": _iso(p.record.meeting.starts_at),
                "group": p.record.meeting.group.name,
                "times_took_part": p.contributions,
                "led": p.led,
            }
            for p in Participation.objects.filter(member_id__in=place_ids)
            .select_related("record__meeting__group")
            .order_by("record__meeting__starts_at", "id")
        ],
        "goals": [
            {
                "group": g.group.name,
                "title": g.title,
                "levels": {str(level): text for level, _name, text in g.levels()},
                "baseline": g.baseline,
                "weight": str(g.weight),
                "visibility": g.visibility,
                "status": g.status,
                "set_on": g.set_on.isoformat(),
                "check_ins": [
                    {"on": c.on.isoformat(), "level": c.level, "note": c.note}
                    for c in g.check_ins.all()
                ],
            }
            for g in goals
        ],
        "stances": [
            {
                "proposal": s.proposal.title,
                "stance": s.kind,
                "scores": s.scores,
                "ranking": s.ranking,
                "reason": s.reason,
                "taken_at": _iso(s.created_at),
            }
            for s in Stance.objects.filter(member_id__in=member_ids)
            .select_related("proposal")
            .order_by("created_at", "id")
        ],
        "referrals": [
            {
                "network": r.network.slug,
                "service": r.service_name,
                "referred_by": r.referred_by.user.display_name if r.referred_by else None,
                "note": r.note,
                "status": r.status,
                "reason": r.reason,
                "reason_note": r.reason_note,
                "created_at": _iso(r.created_at),
                "history": [
                    {
                        "status": e.status,
                        "reason": e.reason,
                        "note": e.reason_note,
                        "at": _iso(e.at),
                    }
                    for e in r.events.all()
                ],
            }
            for r in referrals
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "given_at": _iso(c.given_at),
                "withdrawn_at": _iso(c.withdrawn_at),
                "wording_version": c.text_version,
                "source": c.source,
            }
            for c in Consent.objects.filter(user=user).order_by("id")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "network": n.network.slug,
                "created_at": _iso(n.created_at),
                "status": n.status,
                "sent_at": _iso(n.sent_at),
            }
            for n in Notification.objects.filter(user=user).select_related("network")
        ],
        "calendar_feeds": [
            {"network": f.member.network.slug, "created_at": _iso(f.created_at)}
            for f in CalendarFeed.objects.filter(member_id__in=member_ids).select_related(
                "member__network"
            )
        ],
    }


@transaction.atomic
def member_data_export_for(*, user: User) -> dict[str, Any]:
    """The export, recorded in the audit log (who asked, never what it held)."""
    data = member_data_export(user=user)
    audit_record(action="privacy.export", actor=user, target=f"user:{user.pk}")
    return data


# --- erasure --------------------------------------------------------------------------------


def _journal_append(user_id: int, at: datetime) -> None:
    path = erasure_journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"user_id": user_id, "erased_at": at.isoformat()}) + "\n"
    with path.open("a", encoding="utf-8") as journal:
        journal.write(line)
        journal.flush()
        os.fsync(journal.fileno())


def erasure_journal_entries() -> list[dict[str, Any]]:
    path = erasure_journal_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _delete_sessions(user: User) -> None:
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return  # The password made unusable ends any other kind of session.
    key = str(user.pk)
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == key
    ]
    Session.objects.filter(pk__in=doomed).delete()


def _posts_erase(model: type[Ask] | type[Offer], member_ids: list[int]) -> None:
    posts = model.objects.filter(member_id__in=member_ids)
    kept = Exchange.objects.filter(match__isnull=False).values("match")
    with_exchanges = posts.filter(matches__in=kept).values_list("pk", flat=True)
    posts.exclude(pk__in=with_exchanges).delete()
    # Stored empty, shown as "Erased with its author" in the reader's language.
    posts.update(title="", details="", status=PostStatus.CLOSED, area=None)


@transaction.atomic
def account_erase(*, user: User, erased_by: User | None) -> None:
    """Erase a person: their personal data goes, the ledger stays whole, attributed to an
    erased member (see the table at the top of this module). Idempotent."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    _journal_append(locked.pk, now)
    members = list(Member.objects.filter(user=locked))
    member_ids = [m.pk for m in members]

    _posts_erase(Ask, member_ids)
    _posts_erase(Offer, member_ids)
    Match.objects.filter(Q(helper_id__in=member_ids) | Q(receiver_id__in=member_ids)).update(
        message="", helper_feedback="", receiver_feedback=""
    )
    # A memo copies the settled ask's or offer's title; emptying it is the one change the
    # ledger's trigger allows (ledger migration 0003).
    Exchange.objects.filter(Q(provider_id__in=member_ids) | Q(receiver_id__in=member_ids)).exclude(
        memo=""
    ).update(memo="")
    GroupMember.objects.filter(member_id__in=member_ids).delete()
    Goal.objects.filter(owner_id__in=member_ids).delete()
    Referral.objects.filter(member_id__in=member_ids).delete()
    Stance.objects.filter(member_id__in=member_ids).update(reason="", resolution_note="")
    CalendarFeed.objects.filter(member_id__in=member_ids).delete()
    Block.objects.filter(Q(member_id__in=member_ids) | Q(blocked_id__in=member_ids)).delete()
    DeclinedPair.objects.filter(helper_id__in=member_ids).delete()
    Notification.objects.filter(user=locked).delete()
    Consent.objects.filter(user=locked).delete()
    for member in members:
        member.helps_with.clear()
    Member.objects.filter(pk__in=member_ids).update(
        is_active=False,
        role=Role.MEMBER,
        service_area=None,
        latitude=None,
        longitude=None,
        weekly_capacity=0,
        accessibility_offered=[],
    )

    # Invitations name the person's email address: gone with it.
    Invitation.objects.filter(
        Q(accepted_by_id__in=member_ids) | Q(email__iexact=locked.email)
    ).delete()
    # Every way back into the account: addresses, API tokens, second factors, sessions.
    for app, label, model_name in LOGIN_MODELS:
        if apps.is_installed(app):
            apps.get_model(label, model_name).objects.filter(user=locked).delete()
    _delete_sessions(locked)

    locked.email = f"erased-{locked.pk}@{ERASED_EMAIL_DOMAIN}"
    # Stored empty, read back as the label (sameboat.core.erasable); the stubs type it str.
    locked.display_name = ERASED_MEMBER  # type: ignore[assignment]
    locked.strengths = ""
    locked.accessibility_needs = ""
    locked.phone = ""
    locked.contact_preference = ContactPreference.EMAIL
    locked.notification_frequency = NotificationFrequency.NEVER
    locked.shares_contact = False
    locked.is_active = False
    locked.is_staff = False
    locked.is_superuser = False
    locked.last_login = None
    locked.set_unusable_password()
    locked.save()
    locked.languages.clear()
    locked.groups.clear()
    locked.user_permissions.clear()

    audit_record(
        action="privacy.erase",
        actor=erased_by if erased_by is not None and erased_by.pk != locked.pk else None,
        target=f"user:{locked.pk}",
        detail={"by_self": erased_by is not None and erased_by.pk == locked.pk},
    )


def networks_left_without_admin(*, user: User) -> list[str]:
    """The names of the networks whose only active admin this person is: erasing them would
    leave nobody to manage roles and security there, so they hand over first."""
    mine = Member.objects.filter(user=user, role=Role.ADMIN, is_active=True)
    return [
        m.network.name
        for m in mine.select_related("network")
        if not Member.objects.filter(network_id=m.network_id, role=Role.ADMIN, is_active=True)
        .exclude(user=user)
        .exists()
    ]


@dataclass(frozen=True)
class ErasureCheck:
    allowed: bool
    reason: str = ""


def erasure_by_coordinator_allowed(*, actor: Member, subject: Member) -> ErasureCheck:
    """A coordinator or admin erases a member's account on the member's request, within the
    policy (`policy.can_erase_member`), and only when the person belongs to no other network:
    the other networks' records are not this network's to erase."""
    if not policy.can_erase_member(actor, subject):
        return ErasureCheck(False, _("You may not erase this member's account."))
    if (
        Member.objects.filter(user_id=subject.user_id)
        .exclude(network_id=subject.network_id)
        .exists()
    ):
        return ErasureCheck(
            False,
            _(
                "This person belongs to other networks too: they can erase their account "
                "themselves, from their privacy page."
            ),
        )
    return ErasureCheck(True)


# --- retention ------------------------------------------------------------------------------


def retention_days() -> dict[str, int]:
    return dict(settings.RETENTION_DAYS)


def _purge_sensitive_texts(*, now: datetime, days: dict[str, int]) -> dict[str, int]:
    """The most sensitive free texts past their periods (ASVS 8.3.8): members' check-ins go
    whole; session notes, goal check-in notes and closed referrals' notes are emptied, and
    what the reports count (processes, stage, participation, levels, outcomes) stays. Each
    kind is one bulk statement (two for referrals), however many rows it touches; a row
    already emptied is not counted again."""
    counts: dict[str, int] = {}

    cutoff = now - timedelta(days=days["meeting_check_ins"])
    _total, by_model = MeetingCheckIn.objects.filter(meeting__starts_at__lt=cutoff).delete()
    counts["meeting_check_ins"] = by_model.get(MeetingCheckIn._meta.label, 0)

    cutoff = now - timedelta(days=days["session_notes"])
    counts["session_notes"] = (
        SessionRecord.objects.filter(meeting__starts_at__lt=cutoff)
        .exclude(notes="")
        .update(notes="")
    )

    cutoff = now - timedelta(days=days["goal_check_in_notes"])
    counts["goal_check_in_notes"] = (
        GoalCheckIn.objects.filter(created_at__lt=cutoff).exclude(note="").update(note="")
    )

    # Closed: got help or did not; its status and reason code are the report's, its words
    # (the member's needs, why it failed) are not. A reopened referral is open again, and
    # its clock restarts at that change.
    cutoff = now - timedelta(days=days["closed_referral_notes"])
    closed = Referral.objects.exclude(status__in=OPEN_STATUSES).filter(status_changed_at__lt=cutoff)
    counts["closed_referral_history_notes"] = (
        ReferralEvent.objects.filter(referral__in=closed.values("pk"))
        .exclude(reason_note="")
        .update(reason_note="")
    )
    counts["closed_referral_notes"] = closed.exclude(note="", reason_note="").update(
        note="", reason_note=""
    )
    return counts


@transaction.atomic
def retention_purge(*, now: datetime) -> dict[str, int]:
    """Remove what has outlived its retention period (settings.RETENTION_DAYS). The ledger is
    never purged, nor is the audit log. Returns how many rows of each kind went or had their
    texts emptied."""
    days = retention_days()
    counts: dict[str, int] = {}

    cutoff = now - timedelta(days=days["closed_posts"])
    finished = (PostStatus.CLOSED, PostStatus.FULFILLED)
    kept_matches = Exchange.objects.filter(match__isnull=False).values("match")
    removed = 0
    redacted = 0
    for model in (Ask, Offer):
        old = model.objects.filter(status__in=finished, updated_at__lt=cutoff)
        with_exchanges = old.filter(matches__in=kept_matches).values_list("pk", flat=True)
        removed += old.exclude(pk__in=with_exchanges).delete()[1].get(model._meta.label, 0)
        # An exchange's post stays (the ledger points at its match) with its texts gone.
        redacted += (
            model.objects.filter(pk__in=with_exchanges).exclude(details="").update(details="")
        )
    counts["closed_posts"] = removed
    counts["closed_posts_redacted"] = redacted

    cutoff = now - timedelta(days=days["sent_notifications"])
    counts["sent_notifications"] = Notification.objects.filter(
        status__in=(NotificationStatus.SENT, NotificationStatus.SKIPPED), created_at__lt=cutoff
    ).delete()[0]

    cutoff = now - timedelta(days=days["finished_match_texts"])
    counts["finished_match_texts"] = (
        Match.objects.filter(
            status__in=(MatchStatus.COMPLETED, MatchStatus.DECLINED, MatchStatus.CANCELLED),
            updated_at__lt=cutoff,
        )
        .exclude(message="", helper_feedback="", receiver_feedback="")
        .update(message="", helper_feedback="", receiver_feedback="")
    )

    # Directory import runs keep their own period (directory.tasks.KEEP_DAYS); swept daily here
    # too, not only when a new import starts.
    counts["import_runs"] = runs_purge(now=now)
    # Lines of the session list (an address and a browser each) of sessions no longer let in.
    counts["outlived_sessions"] = outlived_sessions_purge(now=now)

    cutoff = now - timedelta(days=days["withdrawn_consents"])
    counts["withdrawn_consents"] = Consent.objects.filter(withdrawn_at__lt=cutoff).delete()[0]

    counts.update(_purge_sensitive_texts(now=now, days=days))

    audit_record(action="privacy.retention_purge", detail=counts)
    return counts
