"""Forms for groups: they parse input; the rules are in services and the policy."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sameboat.groups.models import (
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
