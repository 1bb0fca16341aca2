"""Django admin actions reach the audit log through admin's own LogEntry: every add, change
and delete made in /admin/ writes one, and this receiver copies it as an audit event
("admin.add", "admin.change", "admin.delete") naming the model and the object's id only."""

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from sameboat.audit.services import audit_record

FLAGS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


@receiver(post_save, sender=LogEntry, dispatch_uid="sameboat_audit_admin_log_entry")
def record_admin_action(
    sender: type[LogEntry], instance: LogEntry, created: bool, **_: Any
) -> None:
    if not created:
        return
    from sameboat.networks.models import Network

    content_type = instance.content_type
    model = f"{content_type.app_label}.{content_type.model}" if content_type else "unknown"
    object_id = str(instance.object_id or "")
    network = None
    if content_type is not None and object_id.isdigit():
        model_class = content_type.model_class()
        if model_class is Network:
            network = Network.objects.filter(pk=int(object_id)).first()
        elif model_class is not None and any(
            field.name == "network" and field.is_relation
            for field in model_class._meta.get_fields()
        ):
            network_id = (
                model_class._default_manager.filter(pk=int(object_id))
                .values_list("network_id", flat=True)
                .first()
            )
            if network_id is not None:
                network = Network.objects.filter(pk=network_id).first()
    audit_record(
        action=f"admin.{FLAGS.get(instance.action_flag, 'other')}",
        network=network,
        actor=instance.user,
        target=f"{model}:{object_id}" if object_id.isdigit() else model + ":-",
        detail={"model": model, "object_id": int(object_id) if object_id.isdigit() else None},
    )
