from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sameboat.audit.selectors import AuditFilters, day_range


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: Any,
        actions: list[tuple[str, str]],
        actors: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        action_field = self.fields["action"]
        actor_field = self.fields["actor"]
        assert isinstance(action_field, forms.ChoiceField)
        assert isinstance(actor_field, forms.ChoiceField)
        action_field.choices = [("", _("Any action")), *actions]
        actor_field.choices = [("", _("Anyone")), *actors]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date comes before the start date."))
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        since, before = day_range(data.get("since"), data.get("until"))
        return AuditFilters(
            action=data.get("action") or "",
            actor_ref=data.get("actor"),
            since=since,
            before=before,
        )
