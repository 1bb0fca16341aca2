"""The audit log's action codes that Sameboat writes, with their names for people.

Any dotted code may be recorded; a code without a name here is shown as the code itself."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "confidential.view": _("Viewed a confidential record"),
    "roles.change": _("Changed a role"),
    "privacy.export": _("Exported personal data"),
    "privacy.erase": _("Erased an account"),
    "contact.view": _("Viewed someone's contact details"),
    "directory.export": _("Exported the directory"),
    "ledger.export": _("Exported ledger records"),
    "network.settings": _("Changed network settings"),
    "network.invite": _("Created an invitation"),
    "network.remove": _("Removed a member"),
    "admin.add": _("Added a record in the admin"),
    "admin.change": _("Changed a record in the admin"),
    "admin.delete": _("Deleted a record in the admin"),
    "audit.view": _("Read the audit log"),
    "access.denied": _("Was refused access"),
    "security.login": _("Logged in"),
    "security.login_failed": _("Failed to log in"),
    "security.login_locked": _("Was locked out after failed logins"),
    "security.api_token_issued": _("Was given an API token"),
    "security.password_changed": _("Changed their password"),
    "security.sessions_ended": _("Ended their login sessions"),
    "security.mfa_recovery_codes_reset": _("Made new recovery codes"),
    "security.mfa_enabled": _("Turned two-step login on"),
    "security.mfa_disabled": _("Turned two-step login off"),
    "security.mfa_code_reused": _("Was refused a two-step login code already used"),
    "security.alert": _("Security watch raised an alert"),
    "keys.rotate": _("Rotated encryption keys"),
    "backup.create": _("Made a backup"),
    "backup.restore": _("Restored a backup"),
}


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
