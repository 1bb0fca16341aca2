from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sameboat.accounts.models import ContactPreference, User
from sameboat.core.models import Language


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    languages: Iterable[Language],
    strengths: str = "",
    accessibility_needs: str = "",
    contact_preference: str = ContactPreference.EMAIL,
    phone: str = "",
) -> User:
    """Update what a person tells their networks about themselves."""
    if not display_name.strip():
        raise ValidationError({"display_name": _("Choose a name others will see.")})
    if contact_preference not in ContactPreference.values:
        raise ValidationError({"contact_preference": _("Choose how you like to be contacted.")})
    if contact_preference in (ContactPreference.PHONE, ContactPreference.TEXT) and not phone:
        raise ValidationError({"phone": _("Add a phone number to be reached by phone or text.")})
    user.display_name = display_name.strip()
    user.strengths = strengths.strip()
    user.accessibility_needs = accessibility_needs.strip()
    user.contact_preference = contact_preference
    user.phone = phone.strip()
    user.save(
        update_fields=[
            "display_name",
            "strengths",
            "accessibility_needs",
            "contact_preference",
            "phone",
        ]
    )
    user.languages.set(languages)
    return user
