"""Matching's rows in Django's admin, for staff: read what runs did, and fix a stray block."""

from django.contrib import admin

from sameboat.matching.models import Block, DeclinedPair, MatchingRun, RunUnmatched


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin[MatchingRun]):
    list_display = ["id", "network", "status", "trigger", "queued_at", "finished_at"]
    list_filter = ["status", "trigger", "network"]
    readonly_fields = [
        "network",
        "started_by",
        "trigger",
        "status",
        "queued_at",
        "started_at",
        "finished_at",
        "stats",
        "error",
    ]


@admin.register(RunUnmatched)
class RunUnmatchedAdmin(admin.ModelAdmin[RunUnmatched]):
    list_display = ["run", "ask", "reason"]
    list_filter = ["reason"]
    raw_id_fields = ["run", "ask"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin[Block]):
    list_display = ["network", "member", "blocked", "created_at"]
    raw_id_fields = ["member", "blocked"]


@admin.register(DeclinedPair)
class DeclinedPairAdmin(admin.ModelAdmin[DeclinedPair]):
    list_display = ["network", "ask", "helper", "declined_by", "created_at"]
    raw_id_fields = ["ask", "helper", "declined_by"]
