from django import forms
from django.utils.translation import gettext_lazy as _

from sameboat.networks.models import Category, Role, ServiceArea


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
