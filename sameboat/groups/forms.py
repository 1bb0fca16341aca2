"""Forms for groups: they parse input; the rules are in services and the policy."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sameboat.groups.models import (
    CHECK_IN_WORDS_MAX,
    MAX_CONTRIBUTIONS,
    PROCESSES,
    STAGES,
    Group,
    GroupMember,
    GroupType,
    Joining,
    MeetingRole,
    PreGroupPlan,
    ProcessList,
    Recurrence,
    StageModel,
    Wellbeing,
)
from sameboat.networks.models import Member


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=GroupType.choices)
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=Group._meta.get_field("confidential").help_text,
    )
    joining = forms.ChoiceField(
        label=_("Joining"), choices=Joining.choices, widget=forms.RadioSelect
    )
    stage_model = forms.ChoiceField(
        label=_("Model of group development"),
        choices=StageModel.choices,
        widget=forms.RadioSelect,
    )
    process_list = forms.ChoiceField(
        label=_("Mutual aid processes to record"),
        choices=ProcessList.choices,
        widget=forms.RadioSelect,
    )


class PlanForm(forms.ModelForm[PreGroupPlan]):
    class Meta:
        model = PreGroupPlan
        fields = [
            "need",
            "purpose",
            "composition",
            "structure",
            "content",
            "pre_group_contact",
            "agency_context",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stages = STAGES[group.stage_model]
        self.fields["stage"].choices = [(stage.value, stage.label) for stage in stages]  # type: ignore[attr-defined]


class AddMemberForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())

    def __init__(self, *args: Any, candidates: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["member"].label_from_instance = lambda m: m.display_name  # type: ignore[attr-defined]


class MembershipActionForm(forms.Form):
    """Approve a request: the row is chosen from the group's own requests by the view."""

    membership = forms.IntegerField(widget=forms.HiddenInput)


class MeetingForm(forms.Form):
    """Input for a meeting or a series; the ranges are checked by `services.meeting_create`."""

    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    duration_minutes = forms.IntegerField(label=_("Duration in minutes"), initial=90)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    link = forms.URLField(label=_("Link (for an online meeting)"), max_length=500, required=False)
    recurrence = forms.ChoiceField(
        label=_("Repeats"), choices=Recurrence.choices, widget=forms.RadioSelect
    )
    occurrences = forms.IntegerField(
        label=_("Number of meetings"),
        initial=1,
        help_text=_("From 1 to 52; 1 for a one-off meeting."),
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("What would you like to talk about?"), max_length=200)


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Who was there"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[GroupMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [  # type: ignore[attr-defined]
            (str(row.pk), row.member.display_name) for row in members
        ]


class RoleSwapForm(forms.Form):
    role_a = forms.ChoiceField(label=_("Swap the holder of"), choices=MeetingRole.choices)
    role_b = forms.ChoiceField(label=_("with the holder of"), choices=MeetingRole.choices)


# --- session records and check-ins ----------------------------------------------------------


def contribution_choices() -> list[tuple[int, str]]:
    top = MAX_CONTRIBUTIONS
    return [(n, str(n)) for n in range(top)] + [(top, _("%(n)d or more") % {"n": top})]


class SessionRecordForm(forms.Form):
    """The record of a meeting. The processes and stages offered are the group's own; the
    service checks them again. With `present` members, a count for each."""

    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10_000,
        help_text=_("Themes, decisions and what to follow up: not who said what."),
    )
    processes = forms.MultipleChoiceField(
        label=_("Mutual aid processes observed"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A practice tool for noticing mutual aid, not a validated measure."),
    )
    stage = forms.ChoiceField(label=_("Stage of the group"), required=False)

    def __init__(
        self, *args: Any, group: Group, present: list[GroupMember] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["processes"].choices = [  # type: ignore[attr-defined]
            (process.value, process.label) for process in PROCESSES[group.process_list]
        ]
        self.fields["stage"].choices = [  # type: ignore[attr-defined]
            ("", _("Not recorded this time")),
            *((stage.value, stage.label) for stage in STAGES[group.stage_model]),
        ]
        self.present = present or []
        for row in self.present:
            name = row.member.display_name
            self.fields[f"contributions_{row.pk}"] = forms.TypedChoiceField(
                label=_("Times %(name)s took part") % {"name": name},
                choices=contribution_choices(),
                coerce=int,
                initial=0,
            )
            self.fields[f"led_{row.pk}"] = forms.BooleanField(
                label=_("%(name)s led an agenda item or part of the meeting") % {"name": name},
                required=False,
            )

    def participation_rows(self) -> list[tuple[GroupMember, forms.BoundField, forms.BoundField]]:
        return [
            (row, self[f"contributions_{row.pk}"], self[f"led_{row.pk}"]) for row in self.present
        ]

    def counts(self) -> dict[int, tuple[int, bool]]:
        """The cleaned counts by group-membership id (call after is_valid)."""
        return {
            row.pk: (
                self.cleaned_data[f"contributions_{row.pk}"],
                self.cleaned_data[f"led_{row.pk}"],
            )
            for row in self.present
        }


class CheckInForm(forms.Form):
    wellbeing = forms.TypedChoiceField(
        label=_("How are you doing?"),
        choices=Wellbeing.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    words = forms.CharField(
        label=_("A few words (optional)"),
        max_length=CHECK_IN_WORDS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- meeting-role availability and times away -----------------------------------------------


class AvailabilityForm(forms.Form):
    willing_roles = forms.MultipleChoiceField(
        label=_("Roles you are willing to hold"),
        choices=MeetingRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none if you would rather not hold any role for now."),
    )
    available = forms.BooleanField(
        label=_("I am available for meeting roles"),
        required=False,
        help_text=_("Untick to step back from every role until you tick it again."),
    )


class TimeAwayForm(forms.Form):
    """Days away, both included; the ranges are checked by `services.time_away_add`."""

    starts_on = forms.DateField(
        label=_("First day away"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = forms.DateField(
        label=_("Last day away"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
