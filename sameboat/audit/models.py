"""The audit log: who did what to which record, when, from where. Append-only.

The database refuses UPDATE and DELETE on this table (migration 0002), so no code path
(admin, shell, a future bug) can rewrite or hide history. The only change it lets through
is the one Django makes when a person or a network is deleted: their foreign key turns to
NULL. `actor_ref` and `network_ref` keep the numbers, so the log still says which account
acted even after it is gone.

Nothing here holds personal data: `target` and `detail` hold ids and codes, and the IP
address is cut to its network part (/24 for IPv4, /48 for IPv6) before it is stored.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    network_ref = models.BigIntegerField(_("network number"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_ref = models.BigIntegerField(_("actor number"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=64)
    target = models.CharField(_("target"), max_length=80, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.CharField(_("network address"), max_length=45, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["network", "-created_at", "-id"], name="audit_network_time"),
            models.Index(fields=["network", "action"], name="audit_network_action"),
            models.Index(fields=["actor_ref"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.target}"
