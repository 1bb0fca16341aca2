from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sameboat.accounts.models import User
from sameboat.privacy.models import Purpose
from sameboat.privacy.services import networks_left_without_admin


class ConsentForm(forms.Form):
    """One box per purpose: ticked is agreed to."""

    def __init__(self, *args: Any, states: dict[str, bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for purpose in Purpose:
            self.fields[purpose.value] = forms.BooleanField(
                label=purpose.label, required=False, initial=states.get(purpose.value, False)
            )

    def choices(self) -> dict[str, bool]:
        return {purpose: bool(self.cleaned_data.get(purpose)) for purpose in Purpose.values}


class EraseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        networks = networks_left_without_admin(user=self.user)
        if networks:
            raise forms.ValidationError(
                _(
                    "You are the only admin of %(networks)s: make someone else an admin "
                    "there first, so that the network is not left without one."
                )
                % {"networks": ", ".join(networks)}
            )
        return cleaned


class MemberEraseForm(forms.Form):
    requested = forms.BooleanField(
        label=_("This person asked us to erase their account."),
        required=True,
        error_messages={"required": _("Erase an account only when its person asked for it.")},
    )
