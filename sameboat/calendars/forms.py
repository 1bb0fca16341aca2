"""Forms for the calendar page: they parse input; the rules are in services and the policy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sameboat.calendars.models import GroupNames


class GroupNamesForm(forms.Form):
    group_names = forms.ChoiceField(
        label=_("What your calendar calls your groups' meetings"),
        choices=GroupNames.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Calendars show on phones' lock screens and in calendars shared with family. "
            "A meeting called “Group meeting” says nothing about the group."
        ),
    )
