"""Forms for decisions: they parse input; the rules are in services and the policy."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sameboat.decisions.models import PROCESS_HELP, STANCE_KINDS, Process, Proposal


def _default_closing() -> str:
    return (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A few words: what is to be decided."),
    )
    text = forms.CharField(
        label=_("The proposal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you propose, and why. Everyone who takes part reads this."),
    )
    process = forms.ChoiceField(
        label=_("How it is decided"),
        choices=[(process.value, PROCESS_HELP[process]) for process in Process],
        widget=forms.RadioSelect,
        initial=Process.CONSENT,
    )
    options = forms.CharField(
        label=_("Options (score and ranked choice only)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One option a line, from 2 to 20. Leave empty for the other processes."),
    )
    max_score = forms.IntegerField(
        label=_("Highest score (score only)"),
        initial=5,
        min_value=1,
        max_value=10,
        help_text=_("Each option is scored from 0 to this."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("It closes itself then, and the outcome is recorded."),
    )
    quorum_count = forms.IntegerField(
        label=_("Quorum: at least this many people take part"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for no minimum number."),
    )
    quorum_percent = forms.IntegerField(
        label=_("Quorum: at least this percentage of those who may take part"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Leave empty for no minimum share. With both set, both apply."),
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        help_text=Proposal._meta.get_field("anonymous").help_text,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("closes_at", _default_closing())
        super().__init__(*args, **kwargs)

    def clean_options(self) -> list[str]:
        text = self.cleaned_data.get("options") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def proposal_fields(self) -> dict[str, Any]:
        """The cleaned data as `services.proposal_create` takes it."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "text": data["text"],
            "process": data["process"],
            "options": data["options"],
            "max_score": data["max_score"],
            "closes_at": data["closes_at"],
            "quorum_count": data["quorum_count"],
            "quorum_percent": data["quorum_percent"],
            "anonymous": data["anonymous"],
        }


def _ordinal(number: int) -> str:
    return str(_("Choice %(number)d") % {"number": number})


class StanceForm(forms.Form):
    """The stance fitting the proposal's process: a stance, a score per option, or a ranking.
    `stance_fields()` gives what `services.stance_take` takes."""

    reason = forms.CharField(
        label=_("Your reason (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        fields: dict[str, forms.Field] = {}
        if proposal.process in STANCE_KINDS:
            fields["kind"] = forms.ChoiceField(
                label=_("Your stance"),
                choices=[(kind.value, kind.label) for kind in STANCE_KINDS[proposal.process]],
                widget=forms.RadioSelect,
            )
        elif proposal.process == Process.SCORE:
            for index, option in enumerate(proposal.options):
                fields[f"score_{index}"] = forms.IntegerField(
                    label=option,
                    required=False,
                    min_value=0,
                    max_value=proposal.max_score,
                )
        else:
            choices = [("", _("—"))] + [
                (str(index), option) for index, option in enumerate(proposal.options)
            ]
            for position in range(len(proposal.options)):
                fields[f"choice_{position}"] = forms.ChoiceField(
                    label=_ordinal(position + 1), choices=choices, required=False
                )
        # The stance fields first, the reason last.
        self.fields = {**fields, "reason": self.fields["reason"]}

    def option_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != "reason"]

    def stance_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        result: dict[str, Any] = {"reason": data.get("reason", "")}
        if self.proposal.process in STANCE_KINDS:
            result["kind"] = data["kind"]
        elif self.proposal.process == Process.SCORE:
            result["scores"] = {
                option: data[f"score_{index}"]
                for index, option in enumerate(self.proposal.options)
                if data.get(f"score_{index}") is not None
            }
        else:
            result["ranking"] = [
                self.proposal.options[int(data[f"choice_{position}"])]
                for position in range(len(self.proposal.options))
                if data.get(f"choice_{position}")
            ]
        return result


class ResolveForm(forms.Form):
    stance = forms.UUIDField(widget=forms.HiddenInput)
    # Checked by the service, which says what is missing.
    note = forms.CharField(label=_("How was it resolved?"), required=False)
