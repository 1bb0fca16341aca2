"""Proposals a group (or a whole network) decides, and the stances its members take.

A proposal is decided by one process (consent, consensus, majority, score or ranked choice,
as `sameboat.decisions.tally` counts them), open until its closing time, when the task worker
closes it and records its outcome. Each eligible member takes one stance, once: a database
constraint says so too. Under consent, an objection blocks until it is resolved; resolving
it is recorded on the stance (who, when, a note) and is not a second stance.

Anonymous proposals still store who took each stance (that is how "once" is enforced), but
no page or API ever shows it: see `sameboat.policy` and the selectors.
"""

import uuid
from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sameboat.decisions import tally
from sameboat.groups.models import Group
from sameboat.networks.models import Member, Network


class Process(models.TextChoices):
    CONSENT = tally.Process.CONSENT.value, _("Consent")
    CONSENSUS = tally.Process.CONSENSUS.value, _("Consensus")
    MAJORITY = tally.Process.MAJORITY.value, _("Majority")
    SCORE = tally.Process.SCORE.value, _("Score")
    RANKED_CHOICE = tally.Process.RANKED_CHOICE.value, _("Ranked choice")


# Each process in plain words, for the form that asks which one to use and for the page.
PROCESS_HELP: dict[str, str | Promise] = {
    Process.CONSENT: _(
        "Consent: it passes unless someone objects. Anyone may agree, stand aside or object; "
        "an objection blocks until the objector or a facilitator marks it resolved."
    ),
    Process.CONSENSUS: _(
        "Consensus: everyone is asked to agree. Anyone may agree, stand aside or block, and a "
        "single block stops the proposal."
    ),
    Process.MAJORITY: _(
        "Majority: yes, no or abstain. It passes with more yes than no; a tie fails."
    ),
    Process.SCORE: _(
        "Score: choose between options. Everyone gives each option a score from 0 to the "
        "maximum; the highest total wins."
    ),
    Process.RANKED_CHOICE: _(
        "Ranked choice: choose between options. Everyone ranks the options in order of "
        "preference; the option with least support drops out round by round until one has "
        "more than half."
    ),
}

# Processes that choose between options, and those that ask for a stance on one proposal.
OPTION_PROCESSES = (Process.SCORE, Process.RANKED_CHOICE)
STANCE_PROCESSES = (Process.CONSENT, Process.CONSENSUS, Process.MAJORITY)


class StanceKind(models.TextChoices):
    AGREE = tally.StanceKind.AGREE.value, _("Agree")
    STAND_ASIDE = tally.StanceKind.STAND_ASIDE.value, _("Stand aside")
    OBJECT = tally.StanceKind.OBJECT.value, _("Object")
    BLOCK = tally.StanceKind.BLOCK.value, pgettext_lazy("a stance under consensus", "Block")
    YES = tally.StanceKind.YES.value, _("Yes")
    NO = tally.StanceKind.NO.value, _("No")
    ABSTAIN = tally.StanceKind.ABSTAIN.value, _("Abstain")


# The stances each stance-based process offers, in the order the form lists them.
STANCE_KINDS: dict[str, tuple[StanceKind, ...]] = {
    Process.CONSENT: (StanceKind.AGREE, StanceKind.STAND_ASIDE, StanceKind.OBJECT),
    Process.CONSENSUS: (StanceKind.AGREE, StanceKind.STAND_ASIDE, StanceKind.BLOCK),
    Process.MAJORITY: (StanceKind.YES, StanceKind.NO, StanceKind.ABSTAIN),
}


class ProposalStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("a proposal's status", "Open")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# "Closes soon" goes out this long before closing, or halfway through a shorter proposal.
CLOSING_NOTICE_BEFORE = timedelta(hours=24)


def closing_notice_time(opens_at: datetime, closes_at: datetime) -> datetime:
    """When to tell those who have not taken part that the proposal closes soon."""
    return max(opens_at + (closes_at - opens_at) / 2, closes_at - CLOSING_NOTICE_BEFORE)


class Proposal(models.Model):
    """Something a group (or, with no group, the whole network) is asked to decide."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="proposals")
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("proposal"), blank=True)
    process = models.CharField(_("how it is decided"), max_length=20, choices=Process.choices)
    # The options, in the order given (tie-breaks follow it), for score and ranked choice.
    options = models.JSONField(_("options"), default=list, blank=True)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    # Quorum as tally.Quorum takes it: a count, a share of the eligible (as a percentage, so
    # it is exact), both, or neither.
    quorum_count = models.PositiveIntegerField(_("quorum: at least this many"), null=True)
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum: at least this share (%)"), null=True
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Nobody, facilitators and coordinators included, sees who took which stance."),
    )
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"))
    closing_notice_at = models.DateTimeField(_("closes-soon notice due"))
    closing_notified_at = models.DateTimeField(_("closes-soon notice sent"), null=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    created_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Closing: when, and who closed it before its time (None: it closed at its time).
    decided_at = models.DateTimeField(_("decided"), null=True)
    closed_early_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True)
    # The outcome, structured (see services._stored): pages render its statement in the
    # reader's language from it. `outcome_statement` is the statement as recorded at closing,
    # in the site's default language (settings.LANGUAGE_CODE), kept as the record.
    outcome = models.JSONField(_("outcome"), null=True)
    outcome_passed = models.BooleanField(_("passed"), null=True)
    outcome_winner = models.CharField(_("chosen option"), max_length=200, blank=True)
    outcome_statement = models.TextField(_("outcome statement"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(
                fields=["closes_at"], condition=Q(status="open"), name="proposal_open_closes"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="proposal_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__isnull=True) | Q(quorum_percent__lte=100),
                name="proposal_quorum_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def topic(self) -> str:
        """How notifications name this proposal."""
        return f"proposal:{self.pk}"

    @property
    def uses_options(self) -> bool:
        return self.process in OPTION_PROCESSES

    def accepts_stances(self, now: datetime | None = None) -> bool:
        """Open and not past its closing time (a proposal past its time but not yet closed by
        the worker takes no more stances)."""
        return self.status == ProposalStatus.OPEN and (now or timezone.now()) < self.closes_at

    def quorum(self) -> tally.Quorum:
        return tally.Quorum(
            min_count=self.quorum_count,
            min_fraction=None if self.quorum_percent is None else self.quorum_percent / 100,
        )


class Stance(models.Model):
    """One member's stance on a proposal (or their scores, or their ranking), taken once."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stances")
    # Kept even when the proposal is anonymous: it is how a second stance is refused.
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    # An opaque handle for pages and the API: a row id would tell the order people voted in.
    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("stance"), max_length=20, choices=StanceKind.choices, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    ranking = models.JSONField(_("ranking"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("taken"), auto_now_add=True)
    # An objection under consent, resolved: by the objector or by a facilitator.
    resolved_at = models.DateTimeField(_("resolved"), null=True)
    resolved_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_by_facilitator = models.BooleanField(_("resolved by a facilitator"), default=False)
    resolution_note = models.TextField(_("how it was resolved"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("stance")
        verbose_name_plural = _("stances")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="stance_once_per_member"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(kind="object"),
                name="stance_only_objections_resolve",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.kind or 'ballot'}"

    @property
    def is_objection(self) -> bool:
        return self.kind == StanceKind.OBJECT

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
