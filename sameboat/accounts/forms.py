from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sameboat.accounts.models import User
from sameboat.accounts.services import profile_update
from sameboat.core.models import Language
from sameboat.networks.services import signup_join
from sameboat.notifications.services import notification_frequency_set


class SignupExtraForm(forms.Form):
    """What allauth's signup form adds for Sameboat: the name others will see."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("The name others in your network see. A first name or a nickname is fine."),
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])
        signup_join(request=request, user=user)


class ProfileForm(forms.ModelForm):
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Languages you speak"),
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "languages",
            "strengths",
            "accessibility_needs",
            "contact_preference",
            "phone",
            "notification_frequency",
        ]
        help_texts = {
            "display_name": _("A pseudonym is fine."),
            "accessibility_needs": _("Anything helpers should know to make help work for you."),
            "phone": _("Shared only with people you are matched with, once you both accept."),
        }
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
            "contact_preference": forms.RadioSelect,
            "notification_frequency": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A form sent without the choice (an older page, a script) keeps the person's choice.
        self.fields["notification_frequency"].required = False

    def clean_notification_frequency(self) -> str:
        return self.cleaned_data["notification_frequency"] or self.instance.notification_frequency

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("contact_preference") in ("phone", "text") and not cleaned.get("phone"):
            self.add_error("phone", _("Add a phone number to be reached by phone or text."))
        return cleaned

    @transaction.atomic
    def save_profile(self) -> User:
        fields = dict(self.cleaned_data)
        frequency = fields.pop("notification_frequency")
        user = profile_update(user=self.instance, **fields)
        return notification_frequency_set(user=user, frequency=frequency)
