"""Forms for goals: they parse input; the rules are in the services and the policy."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sameboat.goals.models import (
    DESCRIPTION_MAX,
    LEVEL_FIELDS,
    Goal,
    GoalKind,
    GoalStatus,
    GoalVisibility,
    Level,
)
from sameboat.goals.services import NOTE_MAX, TITLE_MAX

LEVEL_REQUIRED = _("Describe this level too: every goal needs all five, from −2 to +2.")

LEVEL_HELP = {
    -2: _("What would it look like if things went much worse than expected?"),
    -1: _("Somewhat worse than expected: often where things stand now."),
    0: _("The outcome you expect, realistically, by the time you look back."),
    1: _("Somewhat better than expected."),
    2: _("Much better than expected: the best you can reasonably imagine."),
}


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _level_field(level: Level) -> forms.CharField:
    return forms.CharField(
        label=level.label,
        max_length=DESCRIPTION_MAX,
        help_text=LEVEL_HELP[level.value],
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": LEVEL_REQUIRED},
    )


class GoalForm(forms.Form):
    """A goal and its scale. Which fields appear depends on the kind of goal and on whether it
    is being set or edited; the levels, baseline and weight are locked once it is scored."""

    title = forms.CharField(
        label=_("The goal"),
        max_length=TITLE_MAX,
        help_text=_("In a few words, what you want to work towards."),
        error_messages={"required": _("Say in a few words what the goal is.")},
    )
    level_minus_2 = _level_field(Level.MUCH_LESS)
    level_minus_1 = _level_field(Level.LESS)
    level_0 = _level_field(Level.EXPECTED)
    level_plus_1 = _level_field(Level.MORE)
    level_plus_2 = _level_field(Level.MUCH_MORE)
    baseline = forms.TypedChoiceField(
        label=_("Where do things stand now?"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("The baseline: the level that describes today."),
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        max_digits=5,
        decimal_places=2,
        help_text=_(
            "How much this goal counts beside the others, above 0; 1 unless some goals "
            "matter more than others."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see this goal?"),
        choices=GoalVisibility.choices,
        widget=forms.RadioSelect,
        help_text=_("Nobody else ever sees it: not the network's coordinators, not anyone else."),
    )
    set_on = forms.DateField(
        label=_("Set on"),
        widget=_date_input(),
        help_text=_("The day the goal was agreed; check-ins come from that day on."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=GoalStatus.choices,
        widget=forms.RadioSelect,
        help_text=_("A dropped goal no longer counts in the T-score."),
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        goal: Goal | None = None,
        scale_locked: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if kind == GoalKind.GROUP:
            del self.fields["visibility"]
        if goal is None:
            del self.fields["status"]
        else:
            del self.fields["set_on"]
        if scale_locked:
            # Shown, but not sent: the services refuse a change to a scored goal's scale.
            for name in ("baseline", "weight", *LEVEL_FIELDS.values()):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Fixed: the goal has check-ins, which were scored on this scale."
                )

    @classmethod
    def initial_for(cls, goal: Goal | None, kind: str) -> dict[str, Any]:
        if goal is None:
            return {
                "baseline": Level.LESS,
                "weight": 1,
                "set_on": timezone.localdate(),
                "visibility": GoalVisibility.ONLY_ME,
            }
        fields = ["title", "baseline", "weight", "visibility", "status", *LEVEL_FIELDS.values()]
        return {name: getattr(goal, name) for name in fields}

    def levels(self) -> dict[int, str]:
        return {level: self.cleaned_data[name] for level, name in LEVEL_FIELDS.items()}

    def level_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in LEVEL_FIELDS.values()]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in LEVEL_FIELDS.values()]


class CheckInForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level reached"), coerce=int, widget=forms.RadioSelect, choices=Level.choices
    )
    on = forms.DateField(label=_("Date"), widget=_date_input())
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        # Each level with this goal's own words for it, so nobody scores from the number alone.
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            (level, f"{name} — {description}") for level, name, description in goal.levels()
        ]
