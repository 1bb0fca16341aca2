"""The audit log in Django's admin, for staff: read-only. Nobody adds, changes or deletes an
event here (the database would refuse anyway)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sameboat.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["created_at", "network_ref", "actor_ref", "action", "target", "ip"]
    list_filter = ["action"]
    search_fields = ["action", "target", "request_id"]
    date_hierarchy = "created_at"
    list_select_related = False
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
