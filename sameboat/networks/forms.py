from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sameboat.networks.models import AreaKind, Category, Role, ServiceArea


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("If given, only this person can use the link."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceArea) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id and obj.parent else obj.name


class CategoryChoicesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id and obj.parent else obj.name


class MembershipForm(forms.Form):
    """The part of a profile that belongs to one network: where, and what they help with."""

    service_area = AreaChoiceField(
        label=_("Your area"),
        queryset=ServiceArea.objects.none(),
        required=False,
        empty_label=_("No particular area"),
    )
    helps_with = CategoryChoicesField(
        label=_("What you can help with"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, areas: object, categories: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["service_area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["helps_with"].queryset = categories  # type: ignore[attr-defined]


CENTRE_HELP = _(
    "The rough centre; matching uses it for asks and people placed only by their area — "
    "never a home address."
)


class AreaForm(forms.Form):
    """A service area: its name, its kind, the area it lies in and its centre. The rules
    (kinds, cycles, unique names, coordinates on Earth) are the services' to check."""

    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=AreaKind.choices)
    parent = AreaChoiceField(
        label=_("Inside"),
        queryset=ServiceArea.objects.none(),
        required=False,
        empty_label=_("Nothing: a top-level area, such as a city"),
    )
    latitude = forms.DecimalField(label=_("Latitude, from -90 to 90"), required=False)
    longitude = forms.DecimalField(label=_("Longitude, from -180 to 180"), required=False)

    def __init__(self, *args: object, parents: QuerySet[ServiceArea], **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")  # labels without a trailing colon, as elsewhere
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def centre(self) -> tuple[Decimal | None, Decimal | None] | None:
        """(latitude, longitude) as given, or None when both are empty."""
        latitude = self.cleaned_data.get("latitude")
        longitude = self.cleaned_data.get("longitude")
        if latitude is None and longitude is None:
            return None
        return latitude, longitude
