"""The security watch: abnormal activity in the audit log, told to someone (ASVS 8.1.4,
11.1.7-11.1.8).

`security_watch(now=...)` reads the last settings.SECURITY_WATCH_WINDOW_MINUTES of the log and
finds:

- `denials`: one person refused more than SECURITY_WATCH_DENIALS pages or endpoints (someone
  walking ids they may not see); told to the admins of each network the refusals were in;
- `failed_logins`: more than SECURITY_WATCH_FAILED_LOGINS failed logins from one address
  network (the stored /24 or /48), password guessing across accounts;
- `lockouts` and `codes_reused`: more than SECURITY_WATCH_LOCKOUTS lockouts, or more than
  SECURITY_WATCH_CODES_REUSED used two-step codes offered again, across the whole site.

Logins belong to no network, so the last three go to settings.ADMINS. Each finding is written
to the log as `security.alert` (kind, count and key: ids and codes only) and mailed, once per
window: a finding whose key has a `security.alert` in the window is not told again, so a
burst that goes on is told again once the window has passed over the first alert. An alert
whose email could not be sent is not recorded, so the next run tries again.

The email says only how many events of which kind, by which account number or from which
address network, and links to the audit log: an inbox is not always private, and the log has
the rest for whoever signs in.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Count, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sameboat.audit.models import AuditEvent
from sameboat.audit.services import audit_record
from sameboat.networks.models import Member, Network, Role
from sameboat.notifications.emails import HEADERS, site_link

logger = logging.getLogger(__name__)

ALERT_ACTION = "security.alert"
DENIED = "access.denied"
LOGIN_FAILED = "security.login_failed"
LOGIN_LOCKED = "security.login_locked"
CODE_REUSED = "security.mfa_code_reused"
# Site-wide bursts: the action, its kind code and the setting holding its threshold.
BURSTS = {
    LOGIN_LOCKED: ("lockouts", "SECURITY_WATCH_LOCKOUTS", 5),
    CODE_REUSED: ("codes_reused", "SECURITY_WATCH_CODES_REUSED", 3),
}
SUBJECT = _("Sameboat: unusual activity noticed")


@dataclass(frozen=True, slots=True)
class Alert:
    """One finding told: its kind code, how many events, and whom or where they came from."""

    kind: str
    count: int
    key: str
    network_ref: int | None = None
    actor_ref: int | None = None
    ip: str = ""
    network_slug: str = ""
    emails: int = 0

    def detail(self) -> dict[str, object]:
        detail: dict[str, object] = {"kind": self.kind, "count": self.count, "key": self.key}
        if self.actor_ref is not None:
            detail["actor"] = self.actor_ref
        if self.kind == "failed_logins":
            detail["ip"] = self.ip
        return detail


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def window() -> timedelta:
    return timedelta(minutes=_setting("SECURITY_WATCH_WINDOW_MINUTES", 15))


def security_watch(*, now: datetime) -> list[Alert]:
    """Find what is abnormal in the window ending at `now`, record and mail each finding not
    alerted in the window yet, and return those. A fixed number of queries however many
    events the window holds (four, and two more plus one INSERT an alert when there is news)."""
    since = now - window()
    events = AuditEvent.objects.filter(created_at__gt=since, created_at__lte=now)
    findings = _denials(events) + _failed_logins(events) + _bursts(events)
    if not findings:
        return []
    # Alerts are stamped with the clock when written, which may be past `now`: any since the
    # window began counts.
    told = set(
        AuditEvent.objects.filter(action=ALERT_ACTION, created_at__gt=since).values_list(
            "detail__key", flat=True
        )
    )
    findings = [finding for finding in findings if finding.key not in told]
    if not findings:
        return []
    network_ids = {f.network_ref for f in findings if f.network_ref is not None}
    networks = Network.objects.in_bulk(network_ids)
    admins: dict[int, list[str]] = defaultdict(list)
    for network_id, email in (
        Member.objects.filter(
            network_id__in=network_ids, role=Role.ADMIN, is_active=True, user__is_active=True
        )
        .order_by("pk")
        .values_list("network_id", "user__email")
    ):
        admins[network_id].append(email)
    alerts = []
    for finding in findings:
        network = networks.get(finding.network_ref) if finding.network_ref is not None else None
        if finding.network_ref is not None and network is None:
            continue  # deleted since: nobody left to tell
        recipients = admins.get(network.pk, []) if network is not None else _site_admins()
        finding = replace(
            finding,
            network_slug=network.slug if network is not None else "",
            emails=len(recipients),
        )
        try:
            for recipient in recipients:
                alert_email(finding, to=recipient).send()
        except Exception:
            # Not recorded, so the next run (five minutes on) tries again.
            logger.exception("security alert %s could not be mailed", finding.key)
            continue
        audit_record(action=ALERT_ACTION, network=network, detail=finding.detail())
        alerts.append(finding)
    return alerts


def _denials(events: QuerySet[AuditEvent]) -> list[Alert]:
    """People refused more than the threshold in all; one alert per network they were
    refused in (the events' network, or none), each told that person's total."""
    per_network: dict[int, dict[int | None, int]] = defaultdict(dict)
    for row in (
        events.filter(action=DENIED, actor_ref__isnull=False)
        .values("actor_ref", "network_ref")
        .annotate(n=Count("id"))
        .order_by("actor_ref", "network_ref")
    ):
        actor_ref = row["actor_ref"]
        if actor_ref is not None:  # (filtered out above; said again for the type checker)
            per_network[actor_ref][row["network_ref"]] = row["n"]
    threshold = _setting("SECURITY_WATCH_DENIALS", 20)
    found = []
    for actor_ref, counts in per_network.items():
        total = sum(counts.values())
        if total <= threshold:
            continue
        for network_ref in counts:
            found.append(
                Alert(
                    kind="denials",
                    count=total,
                    key=f"denials:actor:{actor_ref}:network:{network_ref or 0}",
                    network_ref=network_ref,
                    actor_ref=actor_ref,
                )
            )
    return found


def _failed_logins(events: QuerySet[AuditEvent]) -> list[Alert]:
    threshold = _setting("SECURITY_WATCH_FAILED_LOGINS", 30)
    rows = (
        events.filter(action=LOGIN_FAILED)
        .values("ip")
        .annotate(n=Count("id"))
        .filter(n__gt=threshold)
        .order_by("ip")
    )
    return [
        Alert(
            kind="failed_logins", count=row["n"], key=f"failed_logins:ip:{row['ip']}", ip=row["ip"]
        )
        for row in rows
    ]


def _bursts(events: QuerySet[AuditEvent]) -> list[Alert]:
    counts = dict(
        events.filter(action__in=list(BURSTS))
        .values("action")
        .annotate(n=Count("id"))
        .order_by("action")
        .values_list("action", "n")
    )
    found = []
    for action, (kind, setting, default) in BURSTS.items():
        count = counts.get(action, 0)
        if count > _setting(setting, default):
            found.append(Alert(kind=kind, count=count, key=kind))
    return found


def _site_admins() -> list[str]:
    # Django 6 takes plain addresses; the older (name, address) pairs are still read.
    return [entry if isinstance(entry, str) else entry[1] for entry in settings.ADMINS]


def alert_email(alert: Alert, *, to: str) -> EmailMessage:
    """The email for one alert: what happened, in numbers, and where to read more."""
    minutes = _setting("SECURITY_WATCH_WINDOW_MINUTES", 15)
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "audit/email/security_alert.txt",
            {"finding": finding_text(alert, minutes=minutes), "link": alert_link(alert)},
        )
        subject = str(SUBJECT)
    return EmailMessage(subject=subject, body=body, to=[to], headers=HEADERS)


def finding_text(alert: Alert, *, minutes: int) -> str:
    values = {"count": alert.count, "minutes": minutes, "id": alert.actor_ref, "ip": alert.ip}
    if alert.kind == "denials":
        text = ngettext(
            "%(count)d refused access by member #%(id)s in %(minutes)d minutes",
            "%(count)d refused accesses by member #%(id)s in %(minutes)d minutes",
            alert.count,
        )
    elif alert.kind == "failed_logins":
        text = ngettext(
            "%(count)d failed login from the address network %(ip)s in %(minutes)d minutes",
            "%(count)d failed logins from the address network %(ip)s in %(minutes)d minutes",
            alert.count,
        )
    elif alert.kind == "lockouts":
        text = ngettext(
            "%(count)d lockout after failed logins in %(minutes)d minutes",
            "%(count)d lockouts after failed logins in %(minutes)d minutes",
            alert.count,
        )
    else:
        text = ngettext(
            "%(count)d used two-step login code offered again in %(minutes)d minutes",
            "%(count)d used two-step login codes offered again in %(minutes)d minutes",
            alert.count,
        )
    return text % values


def alert_link(alert: Alert) -> str:
    """The network's audit log; for a finding of no network, the whole log in the admin."""
    if alert.network_slug:
        return site_link(reverse("audit:log", kwargs={"network": alert.network_slug}))
    return site_link(reverse("admin:audit_auditevent_changelist"))
