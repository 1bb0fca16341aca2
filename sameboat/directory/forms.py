"""Forms of the directory's pages: they parse input; `editing.py` builds and checks HSDS."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sameboat.directory.editing import DAYS
from sameboat.directory.models import ServiceStatus

DAY_NAMES = {
    "MO": _("Monday"),
    "TU": _("Tuesday"),
    "WE": _("Wednesday"),
    "TH": _("Thursday"),
    "FR": _("Friday"),
    "SA": _("Saturday"),
    "SU": _("Sunday"),
}


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    email = forms.EmailField(label=_("Email"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class ServiceForm(forms.Form):
    organization_id = forms.TypedChoiceField(label=_("Organisation"), choices=())
    name = forms.CharField(label=_("Name"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=50)
    application_process = forms.CharField(
        label=_("How to apply"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    required_documents = forms.CharField(
        label=_("Documents to bring (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    eligibility_description = forms.CharField(
        label=_("Who it is for"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minimum_age = forms.IntegerField(
        label=_("Minimum age"), required=False, min_value=0, max_value=130
    )
    maximum_age = forms.IntegerField(
        label=_("Maximum age"), required=False, min_value=0, max_value=130
    )
    languages = forms.CharField(
        label=_("Languages (codes, separated by commas: en, es)"), required=False, max_length=200
    )
    cost_option = forms.CharField(label=_("Cost"), required=False, max_length=200)
    cost_amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, decimal_places=2
    )
    cost_currency = forms.RegexField(
        label=_("Currency (three letters)"), required=False, regex=r"^[A-Za-z]{3}$"
    )
    taxonomy_term_ids = forms.TypedMultipleChoiceField(
        label=_("Categories"), required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )
    location_name = forms.CharField(label=_("Place name"), required=False, max_length=300)
    address_1 = forms.CharField(label=_("Street address"), required=False, max_length=300)
    city = forms.CharField(label=_("City"), required=False, max_length=200)
    state_province = forms.CharField(label=_("State or province"), required=False, max_length=100)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=20)
    country = forms.RegexField(
        label=_("Country (two letters)"), required=False, regex=r"^[A-Za-z]{2}$"
    )
    accessibility = forms.CharField(
        label=_("Accessibility"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        organizations: list[tuple[str, str]],
        terms: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        organization_field = self.fields["organization_id"]
        assert isinstance(organization_field, forms.TypedChoiceField)
        organization_field.choices = organizations
        terms_field = self.fields["taxonomy_term_ids"]
        assert isinstance(terms_field, forms.TypedMultipleChoiceField)
        terms_field.choices = terms
        # The weekly hours editor: one row per day, opens and closes.
        for day in DAYS:
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": DAY_NAMES[day]},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": DAY_NAMES[day]},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age is below the minimum age."))
        for day in DAYS:
            if data.get(f"closes_{day}") and not data.get(f"opens_{day}"):
                self.add_error(f"opens_{day}", _("Say when it opens on that day."))
        if data.get("address_1") and not all(
            data.get(k) for k in ("city", "state_province", "postal_code", "country")
        ):
            self.add_error(
                "address_1", _("An address needs its city, province, postal code and country.")
            )
        return data

    def hours_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(DAY_NAMES[d], self[f"opens_{d}"], self[f"closes_{d}"]) for d in DAYS]

    def main_fields(self) -> list[Any]:
        return [f for f in self if not f.name.startswith(("opens_", "closes_"))]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file: JSON (.json) or a tabular data package (.zip)"),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".zip")):
            raise forms.ValidationError(_("Choose a .json or a .zip file."))
        return upload
