"""The `sameboat` console script, run for real in a subprocess, as an admin would run it."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# The script pip installed beside this Python (the project is installed in editable mode).
SCRIPT = Path(sys.executable).parent / "sameboat"


def sameboat(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if data_dir is not None:
        # A database of its own: SQLite in a temporary folder, never the developer's or CI's.
        env.pop("DATABASE_URL", None)
        env["SAMEBOAT_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "sameboat.settings"
    # Our own script with fixed arguments: nothing untrusted reaches the command line.
    return subprocess.run(  # noqa: S603
        [str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def test_the_console_script_is_installed() -> None:
    assert SCRIPT.exists(), "run `pip install -e '.[dev]'` (make install) first"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--help"], ["usage: sameboat", "demo", "ledger", "migrate", "manage"]),
        (["demo", "--help"], ["usage: sameboat demo", "--size {normal,large}", "--scale"]),
        (["ledger", "--help"], ["usage: sameboat ledger", "verify"]),
        (["ledger", "verify", "--help"], ["usage: sameboat ledger verify", "--network SLUG"]),
        (["migrate", "--help"], ["usage: sameboat migrate", "--plan"]),
    ],
)
def test_help_at_every_level_exits_0_with_usage(
    args: list[str], expected: list[str], tmp_path: Path
) -> None:
    result = sameboat(*args, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout


def test_a_missing_command_is_a_usage_error() -> None:
    result = sameboat()
    assert result.returncode == 2
    assert "usage: sameboat" in result.stderr


def test_ledger_without_an_action_is_a_usage_error() -> None:
    result = sameboat("ledger")
    assert result.returncode == 2
    assert "usage: sameboat ledger" in result.stderr


def test_sameboat_migrates_builds_and_verifies_a_fresh_database(tmp_path: Path) -> None:
    assert sameboat("migrate", "--no-input", "-v", "0", data_dir=tmp_path).returncode == 0

    empty = sameboat("ledger", "verify", data_dir=tmp_path)
    assert (empty.returncode, empty.stdout) == (
        0,
        "ledger ok: 0 exchanges, 0 entries, 0 accounts\n",
    )

    built = sameboat("demo", "--size", "large", "--scale", "0.001", data_dir=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "Built Riverside Mutual Aid (benchmark)" in built.stdout

    ok = sameboat("ledger", "verify", "--network", "riverside-large", data_dir=tmp_path)
    assert (ok.returncode, ok.stdout) == (
        0,
        "ledger ok: 500 exchanges, 1000 entries, 10 accounts\n",
    )

    again = sameboat("demo", "--size", "large", "--scale", "0.001", data_dir=tmp_path)
    assert again.returncode == 0 and "Already built" in again.stdout

    # A hand in the database changes a cached balance: verify fails, naming the invariant.
    with sqlite3.connect(tmp_path / "sameboat.sqlite3") as db:
        account = db.execute("SELECT min(id) FROM ledger_account").fetchone()[0]
        db.execute("UPDATE ledger_account SET balance = balance + 1 WHERE id = ?", (account,))
    db.close()
    broken = sameboat("ledger", "verify", data_dir=tmp_path)
    assert broken.returncode == 1
    assert broken.stdout == ""
    assert broken.stderr.startswith(
        "ledger broken: each cached balance equals the sum of its entries: "
        f"account {account} caches "
    )

    unknown = sameboat("ledger", "verify", "--network", "nowhere", data_dir=tmp_path)
    assert unknown.returncode == 2
    assert "no network with the short name 'nowhere'" in unknown.stderr


def test_manage_passes_any_django_command_through(tmp_path: Path) -> None:
    result = sameboat("manage", "check", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
