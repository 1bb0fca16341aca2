"""What matching keeps: its runs, why asks were left unmatched, and the pairs it must never
propose (people who blocked each other, a helper an ask's pairing was declined or rejected
with). The proposals themselves are `aid.Match` rows with `source=engine`."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sameboat.aid.models import Ask
from sameboat.networks.models import Member, Network


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the task worker")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")


class RunTrigger(models.TextChoices):
    PERSON = "person", _("A coordinator")
    SCHEDULE = "schedule", _("The schedule")
    COMMAND = "command", _("The command line")


class MatchingRun(models.Model):
    """One pass of the matching engine over a network's open asks and its helpers."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(
        _("started by"), max_length=10, choices=RunTrigger.choices, default=RunTrigger.PERSON
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    queued_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Counts (asks, helpers, proposed, kept, withdrawn, unmatched) and the engine's timings.
    stats = models.JSONField(_("figures"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        indexes = [models.Index(fields=["network", "-queued_at", "-id"], name="run_latest")]

    def __str__(self) -> str:
        return f"{self.network}: {self.get_status_display()} ({self.queued_at:%Y-%m-%d %H:%M})"

    @property
    def seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class UnmatchedReason(models.TextChoices):
    """Why the engine left an ask without a helper, in plain words for a coordinator. The
    values are the engine's `Reason` values."""

    NO_LOCATION = "no_location", _("We do not know where it is: give the ask or its author an area")
    NO_HELPER_IN_RANGE = "no_helper_in_range", _("Nobody who helps with this lives near enough")
    NO_HELPER_FOR_CATEGORY = "no_helper_for_category", _("Nobody helps with this category yet")
    NO_SHARED_LANGUAGE = "no_shared_language", _("No helper nearby speaks a language it asks for")
    ACCESSIBILITY_NOT_MET = (
        "accessibility_not_met",
        _("No helper nearby meets its accessibility needs"),
    )
    NO_OVERLAPPING_TIME = "no_overlapping_time", _("No helper is free when it is needed")
    ALL_AT_CAPACITY = "all_at_capacity", _("Everyone who could help is at capacity this week")
    IMPOSSIBLE_WINDOW = (
        "impossible_window",
        _("Its dates are impossible (it ends before it starts)"),
    )
    BLOCKED_OR_DECLINED = (
        "blocked_or_declined",
        _("Everyone who could help was declined, rejected or blocked"),
    )
    BETTER_USED_ELSEWHERE = (
        "better_used_elsewhere",
        _("The helpers who could help are matched with older or more urgent asks"),
    )


class RunUnmatched(models.Model):
    """An ask a run could not match, and why. Only the latest run's rows are kept."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="unmatched")
    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=40, choices=UnmatchedReason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("unmatched ask")
        verbose_name_plural = _("unmatched asks")
        constraints = [models.UniqueConstraint(fields=["run", "ask"], name="unmatched_once")]

    def __str__(self) -> str:
        return f"{self.ask}: {self.reason}"


class Block(models.Model):
    """A member does not want to be matched with another. Matching never proposes the pair,
    whichever of the two is the helper."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["member", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~Q(member=models.F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ⊘ {self.blocked}"


class DeclinedPair(models.Model):
    """An ask and a helper that were proposed and turned down (a member declined, or a
    coordinator rejected the proposal): matching never proposes them together again."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="+")
    helper = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    declined_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("declined pair")
        verbose_name_plural = _("declined pairs")
        constraints = [models.UniqueConstraint(fields=["ask", "helper"], name="declined_once")]

    def __str__(self) -> str:
        return f"{self.ask} × {self.helper}"


class MatchingSchedule(models.Model):
    """When a network's next scheduled run is due. A scheduled task runs only if it carries
    the token this row holds, so changing the schedule, or another run, supersedes any task
    already queued and a network never has two schedules running side by side."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="+")
    next_run_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("matching schedule")
        verbose_name_plural = _("matching schedules")

    def __str__(self) -> str:
        return f"{self.network}: {self.next_run_at}"
