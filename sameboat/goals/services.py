"""Writes for goals: setting a goal with its five levels, editing it, checking it in.

Each checks its rules and raises ValidationError with a message a person can act on, or
PermissionDenied when the policy does not let `by` do it; nothing is written when it does.
The views and the API ask the policy first; the services ask again, so that no caller can
write a goal the policy would refuse."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat import policy
from sameboat.goals import gas
from sameboat.goals.models import (
    DESCRIPTION_MAX,
    LEVEL_FIELDS,
    Goal,
    GoalCheckIn,
    GoalKind,
    GoalStatus,
    GoalVisibility,
)
from sameboat.groups.models import Group
from sameboat.groups.selectors import membership_of
from sameboat.networks.models import Member

TITLE_MAX = 200
NOTE_MAX = 1000
WEIGHT_MAX = Decimal("100")
# What may not change once a goal has a check-in: the scale it was scored on.
SCALE_FIELDS = ("baseline", "weight", *LEVEL_FIELDS.values())
EDITABLE_FIELDS = ("title", "visibility", "status", *SCALE_FIELDS)


def _level_error(value: object) -> str | None:
    try:
        gas.check_level(value)  # type: ignore[arg-type]
    except ValueError:
        return _("Choose one of the five levels: −2, −1, 0, +1 or +2.")
    return None


def _clean_weight(value: object) -> Decimal:
    """The weight as a Decimal of two places, or ValidationError on `weight`."""
    message = _("The weight must be a number above 0 and at most 100 (1 is usual).")
    if isinstance(value, bool):
        raise ValidationError({"weight": message})
    try:
        weight = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({"weight": message}) from error
    if not weight.is_finite() or not 0 < weight <= WEIGHT_MAX:
        raise ValidationError({"weight": message})
    rounded = weight.quantize(Decimal("0.01"))
    if rounded != weight or rounded <= 0:
        raise ValidationError({"weight": _("Give the weight with at most two decimals.")})
    # The same rule as the T-score's, so a weight stored is always one it accepts.
    gas.check_weight(float(rounded))
    return rounded


def _clean_scale(values: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The five descriptions, the baseline and the weight among `values`, checked."""
    clean: dict[str, Any] = {}
    for field in LEVEL_FIELDS.values():
        if field not in values:
            continue
        text = str(values[field] or "").strip()
        if not text:
            errors[field] = _("Describe this level too: every goal needs all five, from −2 to +2.")
        elif len(text) > DESCRIPTION_MAX:
            errors[field] = _("Keep each level to %(max)d characters.") % {"max": DESCRIPTION_MAX}
        clean[field] = text
    if "baseline" in values:
        if message := _level_error(values["baseline"]):
            errors["baseline"] = message
        clean["baseline"] = values["baseline"]
    if "weight" in values:
        try:
            clean["weight"] = _clean_weight(values["weight"])
        except ValidationError as error:
            errors.update({key: " ".join(msgs) for key, msgs in error.message_dict.items()})
    return clean


def _clean_title(value: object, errors: dict[str, str]) -> str:
    title = str(value or "").strip()
    if not title:
        errors["title"] = _("Say in a few words what the goal is.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Keep the goal to %(max)d characters.") % {"max": TITLE_MAX}
    return title


@transaction.atomic
def goal_create(
    *,
    group: Group,
    by: Member,
    kind: str,
    title: str,
    levels: Mapping[int, str],
    baseline: int = -1,
    weight: Decimal | float | int | str = 1,
    visibility: str = GoalVisibility.ONLY_ME,
    set_on: date | None = None,
) -> Goal:
    """Set a goal in `group` with five described levels (`levels` maps each of -2..+2 to its
    description). A personal goal is `by`'s own, seen by whom `visibility` names; a group goal
    is set by one of the group's facilitators and seen by the whole group."""
    membership = membership_of(group=group, member=by)
    if kind == GoalKind.GROUP:
        allowed = policy.can_set_group_goal(by, group, membership)
    elif kind == GoalKind.PERSONAL:
        allowed = policy.can_set_personal_goal(by, group, membership)
    else:
        raise ValidationError({"kind": _("A goal is either a group goal or a personal goal.")})
    if not allowed:
        raise PermissionDenied(_("You cannot set this kind of goal in this group."))
    errors: dict[str, str] = {}
    if set(levels) != set(gas.LEVELS) or len(levels) != len(gas.LEVELS):
        errors["levels"] = _("A goal needs exactly five levels, one each for −2, −1, 0, +1 and +2.")
    values: dict[str, Any] = {field: levels.get(level, "") for level, field in LEVEL_FIELDS.items()}
    values |= {"baseline": baseline, "weight": weight}
    clean = _clean_scale(values, errors)
    if "levels" in errors:
        # One message for the set of levels, not five for descriptions that were never sent.
        for field in LEVEL_FIELDS.values():
            errors.pop(field, None)
    clean_title = _clean_title(title, errors)
    if kind == GoalKind.GROUP:
        visibility = GoalVisibility.GROUP
    elif visibility not in GoalVisibility.values:
        errors["visibility"] = _(
            "Choose who may see it: only you, you and the group's facilitators, or the group."
        )
    today = timezone.localdate()
    set_on = set_on or today
    if set_on > today:
        errors["set_on"] = _("A goal cannot be set on a day still to come.")
    if errors:
        raise ValidationError(errors)
    return Goal.objects.create(
        group=group,
        kind=kind,
        owner=by if kind == GoalKind.PERSONAL else None,
        title=clean_title,
        visibility=visibility,
        set_on=set_on,
        created_by=by,
        **clean,
    )


@transaction.atomic
def goal_update(*, goal: Goal, by: Member, fields: Mapping[str, Any]) -> Goal:
    """Change a goal's title, who may see it (a personal goal's), its status, and, until its
    first check-in, its levels, baseline and weight. A goal's scale is fixed once it has been
    scored against: otherwise its check-ins would no longer mean what they said."""
    goal = Goal.objects.select_for_update(of=("self",)).select_related("group").get(pk=goal.pk)
    if not policy.can_change_goal(by, goal.group, membership_of(group=goal.group, member=by), goal):
        raise PermissionDenied(_("Only whoever looks after this goal may change it."))
    errors: dict[str, str] = {}
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        errors["non_field_errors"] = _("These cannot be changed: %(fields)s.") % {
            "fields": ", ".join(sorted(unknown))
        }
    changes: dict[str, Any] = {}
    if "title" in fields:
        changes["title"] = _clean_title(fields["title"], errors)
    if "visibility" in fields:
        if goal.kind == GoalKind.GROUP:
            if fields["visibility"] != GoalVisibility.GROUP:
                errors["visibility"] = _("A group goal is always seen by the whole group.")
        elif fields["visibility"] not in GoalVisibility.values:
            errors["visibility"] = _(
                "Choose who may see it: only you, you and the group's facilitators, or the group."
            )
        else:
            changes["visibility"] = fields["visibility"]
    if "status" in fields:
        if fields["status"] not in GoalStatus.values:
            errors["status"] = _("Choose active, achieved or dropped.")
        else:
            changes["status"] = fields["status"]
    scale = _clean_scale({key: fields[key] for key in SCALE_FIELDS if key in fields}, errors)
    changed_scale = {key: value for key, value in scale.items() if getattr(goal, key) != value}
    if changed_scale and goal.check_ins.exists():
        for key in changed_scale:
            errors.setdefault(
                key,
                _(
                    "The levels, baseline and weight cannot change once the goal has a "
                    "check-in. Drop this goal and set a new one instead."
                ),
            )
    changes |= changed_scale
    if errors:
        raise ValidationError(errors)
    for key, value in changes.items():
        setattr(goal, key, value)
    if changes:
        goal.save(update_fields=[*changes, "updated_at"])
    return goal


@transaction.atomic
def goal_check_in(
    *, goal: Goal, by: Member, level: int, on: date | None = None, note: str = ""
) -> GoalCheckIn:
    """Record the level `goal` has reached on `on` (today if not given): from the day it was
    set to today, and only while it is active."""
    goal = Goal.objects.select_for_update(of=("self",)).select_related("group").get(pk=goal.pk)
    if not policy.can_change_goal(by, goal.group, membership_of(group=goal.group, member=by), goal):
        raise PermissionDenied(_("Only whoever looks after this goal may check it in."))
    errors: dict[str, str] = {}
    if message := _level_error(level):
        errors["level"] = message
    today = timezone.localdate()
    on = on or today
    if on > today:
        errors["on"] = _("A check-in cannot be dated in the future.")
    elif on < goal.set_on:
        errors["on"] = _("A check-in cannot come before the goal was set (%(day)s).") % {
            "day": goal.set_on.isoformat()
        }
    note = str(note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("Keep the note to %(max)d characters.") % {"max": NOTE_MAX}
    if goal.status != GoalStatus.ACTIVE:
        errors["non_field_errors"] = _(
            "This goal is %(status)s: only an active goal takes check-ins. Make it active "
            "again first."
        ) % {"status": goal.get_status_display().lower()}
    if errors:
        raise ValidationError(errors)
    return GoalCheckIn.objects.create(goal=goal, level=level, on=on, note=note, by=by)
