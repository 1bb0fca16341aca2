"""Forms of the directory's pages: they parse input; `editing.py` builds and checks HSDS."""

import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from sameboat.core.models import Language as SpokenLanguage
from sameboat.directory import editing, importing
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


# Names of the languages Sameboat lists beyond Django's own (sameboat/core's seeded list), so
# that they are translated with the rest: Django's catalogs name the others.
_MORE_LANGUAGE_NAMES = (
    gettext_noop("Amharic"),
    gettext_noop("Chinese"),
    gettext_noop("Hausa"),
    gettext_noop("Kurdish"),
    gettext_noop("Pashto"),
    gettext_noop("Somali"),
    gettext_noop("Tigrinya"),
    gettext_noop("Tagalog"),
    gettext_noop("Yoruba"),
    gettext_noop("American Sign Language"),
    gettext_noop("British Sign Language"),
)


def bcp47(code: str) -> str:
    """A language tag in BCP 47's usual case: "zh-hans" -> "zh-Hans", "pt-br" -> "pt-BR"."""
    parts = code.strip().split("-")
    tag = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            tag.append(part.title())
        elif len(part) == 2 and part.isalpha():
            tag.append(part.upper())
        else:
            tag.append(part.lower())
    return "-".join(tag)


def _sort_key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def language_choices(kept: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """The languages a service may be given in, by BCP 47 code, named in the reader's
    language, with each language's own name beside it: Django's list of languages (without
    its regional variants: en-gb, es-mx...), Sameboat's list of the languages members speak,
    and those the service already names (`kept`: code and name), whatever they are."""
    entries: dict[str, tuple[str, str, str]] = {}  # lower-case code -> code, name, own name
    for code, info in LANG_INFO.items():
        subtags = code.split("-")
        if "name" not in info or (len(subtags) > 1 and len(subtags[1]) != 4):
            continue
        entries[code] = (bcp47(code), info["name"], info.get("name_local", ""))
    for code, name, native in SpokenLanguage.objects.values_list("code", "name", "native_name"):
        entries.setdefault(code.lower(), (bcp47(code), name, native))
    for code, name in kept:
        if code.strip():
            entries.setdefault(code.strip().lower(), (code.strip(), name or code, ""))
    named = []
    for code, name, native in entries.values():
        label = gettext(name)
        shown = (
            format_html('{} (<span lang="{}">{}</span>)', label, code, native)
            if native and native.casefold() != label.casefold()
            else label
        )
        named.append((_sort_key(label), code, shown))
    return [(code, shown) for _key, code, shown in sorted(named)]


class HoursMixin:
    """The weekly hours editor: one row per day, opens and closes."""

    fields: dict[str, forms.Field]

    def add_hours_fields(self) -> None:
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


class ServiceForm(HoursMixin, forms.Form):
    organization_id = forms.TypedChoiceField(label=_("Organisation"), choices=())
    name = forms.CharField(label=_("Name"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Email"), required=False)
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
    languages = forms.MultipleChoiceField(
        label=_("Languages it is given in"),
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    taxonomy_term_ids = forms.TypedMultipleChoiceField(
        label=_("Categories"), required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        organizations: list[tuple[str, str]],
        terms: list[tuple[str, str]],
        languages: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        organization_field = self.fields["organization_id"]
        assert isinstance(organization_field, forms.TypedChoiceField)
        organization_field.choices = organizations
        terms_field = self.fields["taxonomy_term_ids"]
        assert isinstance(terms_field, forms.TypedMultipleChoiceField)
        terms_field.choices = terms
        languages_field = self.fields["languages"]
        assert isinstance(languages_field, forms.MultipleChoiceField)
        languages_field.choices = languages
        self.add_hours_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age is below the minimum age."))
        for day in DAYS:
            if data.get(f"closes_{day}") and not data.get(f"opens_{day}"):
                self.add_error(f"opens_{day}", _("Say when it opens on that day."))
        return data

    def hours_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(DAY_NAMES[d], self[f"opens_{d}"], self[f"closes_{d}"]) for d in DAYS]

    def main_fields(self) -> list[Any]:
        return [
            f
            for f in self
            if not f.name.startswith(("opens_", "closes_")) and f.name != "languages"
        ]


class RowForm(forms.Form):
    """One row of a list the service page edits (a place, a phone, a cost option). The HSDS
    id of the record it edits rides along hidden, and must be one of the service's: a row
    without one adds a record."""

    id = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, ids: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", ""), *((i, i) for i in ids)]
        field.error_messages["invalid_choice"] = _(
            "This is no longer part of the service: load the page again."
        )

    def record_id(self) -> str | None:
        return self.cleaned_data.get("id") or None

    def main_fields(self) -> list[Any]:
        return [f for f in self.visible_fields() if not f.name.startswith(("opens_", "closes_"))]


class LocationForm(HoursMixin, RowForm):
    name = forms.CharField(label=_("Place name"), required=False, max_length=300)
    address_1 = forms.CharField(label=_("Street address"), required=False, max_length=300)
    address_2 = forms.CharField(label=_("Address, second line"), required=False, max_length=300)
    city = forms.CharField(label=_("City"), required=False, max_length=200)
    state_province = forms.CharField(label=_("State or province"), required=False, max_length=100)
    region = forms.CharField(label=_("Region (if any)"), required=False, max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=20)
    country = forms.RegexField(
        label=_("Country (two letters)"), required=False, regex=r"^[A-Za-z]{2}$"
    )
    accessibility = forms.CharField(
        label=_("Accessibility"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_hours_fields()

    def hours_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(DAY_NAMES[d], self[f"opens_{d}"], self[f"closes_{d}"]) for d in DAYS]

    def has_hours(self) -> bool:
        return any(self[f"opens_{d}"].value() for d in DAYS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in DAYS:
            if data.get(f"closes_{day}") and not data.get(f"opens_{day}"):
                self.add_error(f"opens_{day}", _("Say when it opens on that day."))
        if not data.get("name") and not data.get("address_1"):
            self.add_error("name", _("Give the place a name or an address, or remove it."))
        if data.get("address_1"):
            for name in ("city", "state_province", "postal_code", "country"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("An address needs this."))
        return data

    def fields_for_save(self) -> editing.LocationFields:
        data = self.cleaned_data
        return editing.LocationFields(
            id=self.record_id(),
            **{name: data.get(name) or "" for name in _LOCATION_NAMES},
            hours=[
                editing.Hours(day=day, opens=data[f"opens_{day}"], closes=data.get(f"closes_{day}"))
                for day in DAYS
                if data.get(f"opens_{day}")
            ],
        )


_LOCATION_NAMES = (
    "name",
    "address_1",
    "address_2",
    "city",
    "region",
    "state_province",
    "postal_code",
    "country",
    "accessibility",
)

PHONE_TYPES = (
    ("voice", _("Voice")),
    ("cell", _("Mobile")),
    ("text", _("Text messages")),
    ("fax", _("Fax")),
    ("video", _("Video call")),
    ("textphone", _("Textphone (TTY)")),
    ("pager", _("Pager")),
)


class PhoneForm(RowForm):
    number = forms.CharField(label=_("Number"), max_length=50)
    extension = forms.IntegerField(
        label=_("Extension"), required=False, min_value=0, max_value=999_999_999
    )
    type = forms.ChoiceField(label=_("Kind"), required=False, choices=())
    description = forms.CharField(
        label=_("When to call, who answers"), required=False, max_length=500
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["type"]
        assert isinstance(field, forms.ChoiceField)
        choices: list[tuple[str, Any]] = [("", _("Not said")), *PHONE_TYPES]
        given = str(self.initial.get("type") or "")
        if given and given not in dict(PHONE_TYPES):
            choices.append((given, given))  # a kind of phone from an import: kept
        field.choices = choices

    def fields_for_save(self) -> editing.PhoneFields:
        data = self.cleaned_data
        return editing.PhoneFields(
            id=self.record_id(),
            number=data["number"],
            extension=data.get("extension"),
            type=data.get("type") or "",
            description=data.get("description") or "",
        )


class CostForm(RowForm):
    option = forms.CharField(
        label=_("Who pays what"),
        required=False,
        max_length=300,
        help_text=_("For example: everyone, under 18s, members."),
    )
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    currency = forms.RegexField(
        label=_("Currency (three letters)"), required=False, regex=r"^[A-Za-z]{3}$"
    )
    amount_description = forms.CharField(
        label=_("About the amount"),
        required=False,
        max_length=300,
        help_text=_("For example: per session, free with a referral."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("option") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("option", _("Say who pays what, or give an amount, or remove it."))
        # A new or changed amount says its currency; one imported without is left as it is.
        if (
            data.get("amount")
            and not data.get("currency")
            and "currency" not in self.errors
            and self.has_changed()
        ):
            self.add_error("currency", _("Say in which currency."))
        return data

    def fields_for_save(self) -> editing.CostFields:
        data = self.cleaned_data
        return editing.CostFields(
            id=self.record_id(),
            option=data.get("option") or "",
            amount=data.get("amount"),
            currency=data.get("currency") or "",
            amount_description=data.get("amount_description") or "",
        )


class RowFormSet(forms.BaseFormSet[RowForm]):
    """The rows of one list: each names a record of the service once at most; a row ticked
    "remove" is left out, and so is an extra row left empty."""

    remove_label: Any = _("Remove")

    def add_fields(self, form: RowForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.remove_label

    @staticmethod
    def removed(form: forms.Form) -> bool:
        return bool(getattr(form, "cleaned_data", {}).get("DELETE"))

    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self.removed(form):
                continue
            record = form.cleaned_data.get("id")
            if record and record in seen:
                raise forms.ValidationError(_("The same record is given twice."))
            if record:
                seen.add(record)

    def kept_forms(self) -> list[Any]:
        """The rows to save, in their order: those of records, and extra rows filled in."""
        return [
            form
            for form in self.forms
            if not self.removed(form) and (form.cleaned_data.get("id") or form.has_changed())
        ]


class LocationFormSet(RowFormSet):
    remove_label = _("Remove this place from the service")


class PhoneFormSet(RowFormSet):
    remove_label = _("Remove this phone")


class CostFormSet(RowFormSet):
    remove_label = _("Remove this cost option")


def _factory(form: type[RowForm], formset: type[RowFormSet]) -> type[RowFormSet]:
    made = forms.formset_factory(
        form,
        formset=formset,
        extra=1,
        can_delete=True,
        can_delete_extra=False,
        max_num=ROWS_MAX,
        validate_max=True,
        absolute_max=ROWS_MAX + 10,
    )
    assert issubclass(made, RowFormSet)
    return made


ROWS_MAX = 50
Locations = _factory(LocationForm, LocationFormSet)
Phones = _factory(PhoneForm, PhoneFormSet)
Costs = _factory(CostForm, CostFormSet)


def _number(value: Any) -> Any:
    """An HSDS number as the page shows it: 100.0 -> 100."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _places_initial(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for place in document.get("service_at_locations", []):
        location = place.get("location") or {}
        address = (location.get("addresses") or [{}])[0]
        accessibility = (location.get("accessibility") or [{}])[0]
        hours, _kept = editing.weekly_hours(place)
        rows.append(
            {
                **{f"opens_{item.day}": item.opens for item in hours},
                **{f"closes_{item.day}": item.closes for item in hours},
                "id": place.get("id"),
                "name": location.get("name", ""),
                **{
                    name: address.get(name, "")
                    for name in _LOCATION_NAMES
                    if name not in ("name", "accessibility")
                },
                "accessibility": accessibility.get("description", ""),
            }
        )
    return rows


class ServicePage:
    """The forms of the service page: the service's own fields (with its weekly hours,
    languages and categories), and the rows of its places, phones and cost options."""

    def __init__(
        self,
        data: Any,
        *,
        document: Mapping[str, Any] | None,
        organizations: list[tuple[str, str]],
        terms: list[tuple[str, str]],
    ) -> None:
        document = document or {}
        kept = [
            (str(lang.get("code") or ""), str(lang.get("name") or ""))
            for lang in document.get("languages", [])
        ]
        languages = language_choices(kept)
        self.form = ServiceForm(
            data,
            organizations=organizations,
            terms=terms,
            languages=languages,
            initial=self._initial(document, languages) if document else {"status": "active"},
        )
        places = _places_initial(document)
        phones = [
            {
                "id": phone.get("id"),
                "number": phone.get("number", ""),
                "extension": _number(phone.get("extension")),
                "type": phone.get("type", ""),
                "description": phone.get("description", ""),
            }
            for phone in document.get("phones", [])
        ]
        costs = [
            {
                "id": cost.get("id"),
                "option": cost.get("option", ""),
                "amount": _number(cost.get("amount")),
                "currency": cost.get("currency", ""),
                "amount_description": cost.get("amount_description", ""),
            }
            for cost in document.get("cost_options", [])
        ]
        self.locations = Locations(
            data,
            prefix="locations",
            initial=places,
            form_kwargs={"ids": [row["id"] for row in places]},
        )
        self.phones = Phones(
            data, prefix="phones", initial=phones, form_kwargs={"ids": [r["id"] for r in phones]}
        )
        self.costs = Costs(
            data, prefix="costs", initial=costs, form_kwargs={"ids": [r["id"] for r in costs]}
        )

    @staticmethod
    def _initial(document: Mapping[str, Any], languages: list[tuple[str, str]]) -> dict[str, Any]:
        hours, _kept = editing.weekly_hours(document)
        choices = {code.lower(): code for code, _label in languages}
        initial: dict[str, Any] = {
            name: document.get(name, "")
            for name in (
                "organization_id",
                "name",
                "status",
                "description",
                "url",
                "email",
                "application_process",
                "eligibility_description",
                "minimum_age",
                "maximum_age",
            )
        }
        initial |= {
            "languages": [
                choices.get(str(lang.get("code") or "").lower(), lang.get("code"))
                for lang in document.get("languages", [])
                if lang.get("code")
            ],
            "required_documents": "\n".join(
                d.get("document", "") for d in document.get("required_documents", [])
            ),
            "taxonomy_term_ids": [
                a.get("taxonomy_term_id")
                for a in document.get("attributes", [])
                if a.get("link_type") == "service_category"
            ],
        }
        for item in hours:
            initial[f"opens_{item.day}"] = item.opens
            initial[f"closes_{item.day}"] = item.closes
        return initial

    def formsets(self) -> list[tuple[str, RowFormSet]]:
        return [
            ("locations", self.locations),
            ("phones", self.phones),
            ("cost_options", self.costs),
        ]

    def is_valid(self) -> bool:
        # Every form is checked, so that every mistake is marked at once.
        results = [self.form.is_valid()] + [rows.is_valid() for _part, rows in self.formsets()]
        return all(results)

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors) or any(
            rows.is_bound and (rows.non_form_errors() or any(rows.errors))
            for _part, rows in self.formsets()
        )

    def fields_for_save(self) -> editing.ServiceFields:
        data = self.form.cleaned_data
        hours = [
            editing.Hours(day=day, opens=data[f"opens_{day}"], closes=data.get(f"closes_{day}"))
            for day in DAYS
            if data.get(f"opens_{day}")
        ]
        return editing.ServiceFields(
            organization_id=uuid.UUID(data["organization_id"]),
            name=data["name"],
            status=data["status"],
            description=data["description"],
            url=data["url"],
            email=data["email"],
            application_process=data["application_process"],
            eligibility_description=data["eligibility_description"],
            minimum_age=data["minimum_age"],
            maximum_age=data["maximum_age"],
            languages=list(data["languages"]),
            required_documents=data["required_documents"].splitlines(),
            hours=hours,
            taxonomy_term_ids=[uuid.UUID(t) for t in data["taxonomy_term_ids"]],
            locations=[form.fields_for_save() for form in self.locations.kept_forms()],
            phones=[form.fields_for_save() for form in self.phones.kept_forms()],
            cost_options=[form.fields_for_save() for form in self.costs.kept_forms()],
        )

    def show(self, faults: Sequence[editing.Fault]) -> None:
        """Mark the reasons a save was refused beside the rows and fields they are about."""
        rows = {part: rowset.kept_forms() for part, rowset in self.formsets()}
        for fault in faults[:20]:
            message = _("Not valid HSDS: %(reason)s") % {"reason": fault.reason}
            kept = rows.get(fault.part, [])
            if fault.part and fault.index is not None and fault.index < len(kept):
                form = kept[fault.index]
            else:
                form = self.form
            form.add_error(fault.field if fault.field in form.fields else None, message)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file: JSON (.json) or a tabular data package (.zip)"),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".zip")):
            raise forms.ValidationError(_("Choose a .json or a .zip file."))
        # An import is kept in the database until the worker takes it: a bounded one (ASVS
        # 12.1.1). The web server in front should refuse larger bodies before they arrive.
        most: int = settings.DIRECTORY_IMPORT_MAX_UPLOAD_BYTES
        if upload.size > most:
            raise forms.ValidationError(
                _("This file is %(size)s; an import may be at most %(most)s.")
                % {"size": filesizeformat(upload.size), "most": filesizeformat(most)}
            )
        if upload.name.lower().endswith(".zip"):
            # A zip bomb is refused now, from the zip's directory alone, rather than queued. A
            # file that is no zip at all is left to the import, which says what it found.
            try:
                with zipfile.ZipFile(upload) as archive:
                    refusal = importing.zip_refusal(archive)
            except zipfile.BadZipFile:
                refusal = None
            finally:
                upload.seek(0)
            if refusal:
                raise forms.ValidationError(
                    _("This zip cannot be imported: %(reason)s") % {"reason": refusal}
                )
        return upload
