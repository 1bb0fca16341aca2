"""Forms for the matching pages. They parse and present input; the rules live in services."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from sameboat.aid.forms import PageForm
from sameboat.networks.models import AccessibilityTag, MatchingMode, Member, Network

MAX_ID = 2**63 - 1


class IdListField(forms.Field):
    """Several ids under one name (checkboxes the template draws itself)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("That is not a proposal on this page.")}

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids: list[int] = []
        for item in values:
            text = str(item).strip()
            if not text.isdigit() or not 0 < int(text) <= MAX_ID:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(int(text))
        return ids


class ReviewForm(PageForm):
    """The review queue: a Release or Reject button on one proposal, or either for every
    proposal ticked."""

    proposals = IdListField(required=False)
    release_one = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    reject_one = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    bulk = forms.ChoiceField(
        required=False, choices=[("", ""), ("release", "release"), ("reject", "reject")]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data.get("release_one"):
            data["action"], data["ids"] = "release", [data["release_one"]]
        elif data.get("reject_one"):
            data["action"], data["ids"] = "reject", [data["reject_one"]]
        elif data.get("bulk"):
            if not data.get("proposals"):
                raise ValidationError(_("Tick at least one proposal first."))
            data["action"], data["ids"] = data["bulk"], data["proposals"]
        else:
            raise ValidationError(_("Choose what to do: release or reject."))
        return data


class _HelperChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, Member)
        distance = getattr(obj, "distance_km", None)
        if distance is None:
            return obj.display_name
        return _("%(name)s, %(km)s km away") % {
            "name": obj.display_name,
            "km": f"{distance:.1f}",
        }


class ReassignForm(PageForm):
    helper = _HelperChoiceField(
        label=_("Another helper"),
        queryset=Member.objects.none(),
        empty_label=_("Choose a helper"),
        help_text=_("Only members who could help with this ask are listed."),
        error_messages={
            "required": _("Choose a helper."),
            "invalid_choice": _("Choose one of the members listed."),
        },
    )

    def __init__(self, *args: Any, helpers: QuerySet[Member] | list[Member], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["helper"]
        assert isinstance(field, _HelperChoiceField)
        self._listed = list(helpers)
        ids = [member.pk for member in self._listed]
        field.queryset = Member.objects.filter(pk__in=ids).select_related("user")
        # Show the members in the order given (nearest first), with their distances, without
        # a query per option.
        field.choices = [("", field.empty_label or "")] + [
            (member.pk, field.label_from_instance(member)) for member in self._listed
        ]

    def chosen(self) -> Member:
        helper = self.cleaned_data["helper"]
        assert isinstance(helper, Member)
        return next((m for m in self._listed if m.pk == helper.pk), helper)


class SettingsForm(PageForm):
    mode = forms.ChoiceField(
        label=_("When matching proposes a match"),
        choices=MatchingMode.choices,
        widget=forms.RadioSelect,
    )
    every_minutes = forms.IntegerField(
        label=_("Find matches every (minutes)"),
        min_value=0,
        max_value=7 * 24 * 60,
        help_text=_("0 means only when a coordinator presses “Find matches”."),
        error_messages={"required": _("Give a number of minutes, or 0.")},
    )

    @classmethod
    def for_network(cls, network: Network) -> "SettingsForm":
        return cls(
            initial={
                "mode": network.matching_mode,
                "every_minutes": network.matching_every_minutes,
            }
        )


class PreferencesForm(PageForm):
    """How a member helps: how far they go, how much they take on, what they can offer."""

    travel_km = forms.DecimalField(
        label=_("How far you will go (km)"),
        min_value=Decimal(0),
        max_value=Decimal(500),
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    weekly_capacity = forms.IntegerField(
        label=_("Matches you will take on in a week"),
        min_value=0,
        max_value=50,
        help_text=_("0 pauses new proposals to you."),
    )
    accessibility_offered = forms.MultipleChoiceField(
        label=_("Accessibility you can offer"),
        choices=AccessibilityTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    latitude = forms.DecimalField(
        label=_("Latitude (optional)"),
        required=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        max_digits=12,
        decimal_places=8,
        help_text=_("Rounded to about a kilometre. Leave empty to use your area's centre."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional)"),
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        max_digits=12,
        decimal_places=8,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not self.errors:
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        return data

    @classmethod
    def for_member(cls, member: Member) -> "PreferencesForm":
        return cls(
            initial={
                "travel_km": member.travel_km,
                "weekly_capacity": member.weekly_capacity,
                "accessibility_offered": member.accessibility_offered,
                "latitude": member.latitude,
                "longitude": member.longitude,
            }
        )


class BlockForm(PageForm):
    """ "Don't match me with this person": one of the people the member was matched with."""

    member = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Member.objects.none(),
        error_messages={"invalid_choice": _("Choose someone you have been matched with.")},
    )

    def __init__(self, *args: Any, people: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class UnblockForm(PageForm):
    unblock = forms.IntegerField(min_value=1, max_value=MAX_ID)
