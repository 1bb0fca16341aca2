"""Sensitive texts are stored encrypted, read back as written, and survive a key rotation:
encrypted under key A, rotated to [B, A], then read with B alone."""

import os
import subprocess
import sys
from datetime import timedelta
from types import SimpleNamespace
from typing import cast

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sameboat import cli
from sameboat.accounts.models import User
from sameboat.audit.models import AuditEvent
from sameboat.core import crypto
from sameboat.goals.models import Goal, GoalCheckIn, GoalKind
from sameboat.groups.models import (
    Group,
    GroupMember,
    GroupMemberStatus,
    GroupType,
    Meeting,
    MeetingCheckIn,
    SessionRecord,
    StageRecord,
)
from sameboat.networks.models import Member

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()

NEEDS = "Wheelchair user; insulin in the fridge"
NOTES = "Sam spoke about relapse after the eviction"
WORDS = "rough week, craving"
GOAL = "Stay sober through the holidays"


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return str(cursor.fetchone()[0])


def sensitive_rows(member: Member) -> dict[str, tuple[str, str, int, str]]:
    """One row of each kind of encrypted text, with its table, column, id and plaintext."""
    user = member.user
    user.accessibility_needs = NEEDS
    user.save(update_fields=["accessibility_needs"])
    group = Group.objects.create(
        network=member.network, name="Tuesday recovery", type=GroupType.RECOVERY
    )
    place = GroupMember.objects.create(group=group, member=member, status=GroupMemberStatus.ACTIVE)
    meeting = Meeting.objects.create(
        group=group, starts_at=timezone.now() - timedelta(days=1), duration_minutes=60
    )
    record = SessionRecord.objects.create(meeting=meeting, notes=NOTES)
    stage = StageRecord.objects.create(
        group=group, model="boston", stage="intimacy", note="Trust is growing"
    )
    check_in = MeetingCheckIn.objects.create(
        meeting=meeting, member=place, wellbeing=2, words=WORDS
    )
    goal = Goal.objects.create(
        group=group,
        kind=GoalKind.PERSONAL,
        owner=member,
        title=GOAL,
        level_minus_2="Drinking daily",
        level_minus_1="Drinking weekly",
        level_0="Sober most days",
        level_plus_1="Sober every day",
        level_plus_2="Sober and sponsoring",
    )
    goal_check_in = GoalCheckIn.objects.create(goal=goal, level=0, note="Held on at the party")
    return {
        "accounts_user.accessibility_needs": (
            "accounts_user",
            "accessibility_needs",
            user.pk,
            NEEDS,
        ),
        "session notes": ("groups_sessionrecord", "notes", record.pk, NOTES),
        "stage note": ("groups_stagerecord", "note", stage.pk, "Trust is growing"),
        "check-in words": ("groups_meetingcheckin", "words", check_in.pk, WORDS),
        "goal title": ("goals_goal", "title", goal.pk, GOAL),
        "goal level": ("goals_goal", "level_plus_2", goal.pk, "Sober and sponsoring"),
        "goal check-in note": (
            "goals_goalcheckin",
            "note",
            goal_check_in.pk,
            "Held on at the party",
        ),
    }


def read_back(rows: dict[str, tuple[str, str, int, str]]) -> dict[str, str]:
    models = {
        "accounts_user": User,
        "groups_sessionrecord": SessionRecord,
        "groups_stagerecord": StageRecord,
        "groups_meetingcheckin": MeetingCheckIn,
        "goals_goal": Goal,
        "goals_goalcheckin": GoalCheckIn,
    }
    return {
        name: str(getattr(models[table].objects.get(pk=pk), column))
        for name, (table, column, pk, _plain) in rows.items()
    }


def test_sensitive_texts_are_stored_encrypted_and_read_back_as_written(member: Member) -> None:
    rows = sensitive_rows(member)
    for name, (table, column, pk, plain) in rows.items():
        stored = raw(table, column, pk)
        assert plain not in stored, name
        assert stored.startswith("gAAAAA"), name
    assert read_back(rows) == {name: plain for name, (*_, plain) in rows.items()}


def test_every_sensitive_column_is_encrypted() -> None:
    columns = {f"{model._meta.label}.{field.name}" for model, field in crypto.encrypted_fields()}
    assert {
        "accounts.User.accessibility_needs",
        "groups.SessionRecord.notes",
        "groups.StageRecord.note",
        "groups.MeetingCheckIn.words",
        "goals.Goal.title",
        "goals.Goal.level_0",
        "goals.GoalCheckIn.note",
        "directory.Referral.note",
        "directory.Referral.reason_note",
        "directory.ReferralEvent.reason_note",
    } <= columns


def test_an_empty_text_stays_empty(member: Member) -> None:
    assert raw("accounts_user", "accessibility_needs", member.user.pk) == ""
    assert User.objects.get(pk=member.user.pk).accessibility_needs == ""


def test_the_same_text_encrypts_differently_each_time() -> None:
    assert crypto.encrypt(NOTES) != crypto.encrypt(NOTES)


def test_the_database_is_not_asked_to_search_an_encrypted_column(db: None) -> None:
    with pytest.raises(NotImplementedError):
        list(SessionRecord.objects.filter(notes__icontains="relapse"))
    with pytest.raises(NotImplementedError):
        list(SessionRecord.objects.filter(notes=NOTES))
    assert list(SessionRecord.objects.filter(notes="")) == []


def test_rotation_reencrypts_everything_so_the_old_key_can_go(member: Member) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        rows = sensitive_rows(member)
        under_a = {name: raw(t, c, pk) for name, (t, c, pk, _p) in rows.items()}
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        call_command("sameboat_keys", "rotate")
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        assert read_back(rows) == {name: plain for name, (*_, plain) in rows.items()}
        for name, (table, column, pk, plain) in rows.items():
            stored = raw(table, column, pk)
            assert stored != under_a[name], name
            assert plain not in stored, name
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]), pytest.raises(crypto.DecryptionError):
        read_back(rows)
    event = AuditEvent.objects.get(action="keys.rotate")
    assert event.detail["values"] >= len(rows)


def test_rotation_names_the_column_when_a_key_was_dropped_too_soon(member: Member) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        sensitive_rows(member)
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]),
        pytest.raises(CommandError, match=r"accounts\.User\.accessibility_needs"),
    ):
        call_command("sameboat_keys", "rotate")


def test_the_data_migration_encrypts_rows_written_in_plaintext(member: Member) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET accessibility_needs = %s WHERE id = %s",
            [NEEDS, member.user.pk],
        )
    # The step as the migration runs it; it uses only the schema editor's connection (a
    # real schema editor cannot open inside the test's transaction on SQLite).
    editor = cast(BaseDatabaseSchemaEditor, SimpleNamespace(connection=connection))
    crypto.encrypt_existing({"accounts.User": ["accessibility_needs"]})(apps, editor)
    assert raw("accounts_user", "accessibility_needs", member.user.pk).startswith("gAAAAA")
    assert User.objects.get(pk=member.user.pk).accessibility_needs == NEEDS
    crypto.decrypt_existing({"accounts.User": ["accessibility_needs"]})(apps, editor)
    assert raw("accounts_user", "accessibility_needs", member.user.pk) == NEEDS


def test_keys_generate_prints_a_usable_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["keys", "generate"]) == 0
    key = capsys.readouterr().out.strip()
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"


def test_keys_rotate_from_the_command_line(
    member: Member, capsys: pytest.CaptureFixture[str]
) -> None:
    sensitive_rows(member)
    assert cli.main(["keys", "rotate"]) == 0
    assert "keys rotated" in capsys.readouterr().out


def test_production_refuses_to_start_without_keys() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SAMEBOAT_FIELD_KEYS", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DEBUG="false", SECRET_KEY="x" * 50)
    result = subprocess.run(
        [sys.executable, "-c", "import sameboat.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SAMEBOAT_FIELD_KEYS must be set" in result.stderr
    env["SAMEBOAT_FIELD_KEYS"] = KEY_A
    # The password pepper is required too (sameboat.accounts.hashers); not this test's subject.
    env["SAMEBOAT_PASSWORD_PEPPERS"] = "a-pepper-of-this-test-only"
    ok = subprocess.run(
        [sys.executable, "-c", "import sameboat.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=2000))
def test_any_text_comes_back_as_written(text: str) -> None:
    assert crypto.decrypt(crypto.encrypt(text)) == text


@given(st.text(max_size=50))
def test_hostile_text_never_breaks_encryption(text: str) -> None:
    """Control characters, other alphabets, lone surrogates: stored, never an error."""
    assert isinstance(crypto.decrypt(crypto.encrypt(text)), str)
