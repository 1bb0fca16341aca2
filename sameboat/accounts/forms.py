from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sameboat.accounts.models import NotificationFrequency, User
from sameboat.accounts.services import profile_update
from sameboat.core.models import Language
from sameboat.networks.services import signup_join
from sameboat.notifications.services import notification_frequency_set
from sameboat.privacy.models import ConsentSource, Purpose
from sameboat.privacy.services import consent_set, consents_record_signup


class SignupExtraForm(forms.Form):
    """What allauth's signup form adds for Sameboat: the name others will see, and what the
    person agrees to (each recorded as a consent, each changeable on the privacy page)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_(
            "The name others in your network see. It can be a pseudonym: a first name, a "
            "nickname, any name you choose. Nobody sees your email address."
        ),
    )
    contact_after_match = forms.BooleanField(
        label=Purpose.CONTACT_AFTER_MATCH.label, required=False, initial=True
    )
    email_notifications = forms.BooleanField(
        label=Purpose.EMAIL_NOTIFICATIONS.label, required=False, initial=True
    )
    location_matching = forms.BooleanField(
        label=Purpose.LOCATION_MATCHING.label, required=False, initial=False
    )
    session_notes = forms.BooleanField(
        label=Purpose.SESSION_NOTES.label, required=False, initial=False
    )

    @transaction.atomic
    def signup(self, request: HttpRequest, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])
        consents_record_signup(
            user=user, choices={p: bool(self.cleaned_data.get(p)) for p in Purpose.values}
        )
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
            "display_name": _(
                "What others see. A pseudonym is fine; your email address is never shown."
            ),
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
        never = NotificationFrequency.NEVER
        was_emailed = (
            User.objects.filter(pk=self.instance.pk).exclude(notification_frequency=never).exists()
        )
        user = profile_update(user=self.instance, **fields)
        user = notification_frequency_set(user=user, frequency=frequency)
        if was_emailed != (frequency != never):
            # Choosing "never" (or leaving it) is giving or withdrawing consent to email.
            consent_set(
                user=user,
                purpose=Purpose.EMAIL_NOTIFICATIONS,
                given=frequency != never,
                source=ConsentSource.SETTINGS,
            )
        return user
