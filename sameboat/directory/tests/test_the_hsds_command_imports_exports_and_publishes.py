"""`sameboat hsds import|export|publish` (the same code as `manage.py hsds`): a readable
report, exit 0 when every record was valid, 1 when some were not (the valid ones written),
2 when the path or the network cannot be used."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sameboat.cli import main
from sameboat.directory import sample as dataset
from sameboat.directory import validation
from sameboat.directory.importing import ImportReport
from sameboat.directory.models import Directory, Service
from sameboat.networks.models import Network


def test_import_then_export_json_and_tabular(
    network: Network, other_network: Network, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "organizations.json"
    source.write_text(json.dumps(dataset.organizations()))
    assert main(["hsds", "import", str(source), "--network", "riverside", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "read 3, invalid 0" in out and "created: 81" in out

    assert (
        main(
            [
                "hsds",
                "export",
                str(tmp_path / "services.json"),
                "--network",
                "riverside",
                "--objects",
                "services",
            ]
        )
        == 0
    )
    services = json.loads((tmp_path / "services.json").read_text())
    assert len(services) == 7
    checker = validation.document_validator("service")
    assert all(validation.errors(checker, document) == [] for document in services)

    assert (
        main(
            [
                "hsds",
                "export",
                str(tmp_path / "list.json"),
                "--network",
                "riverside",
                "--objects",
                "services",
                "--list",
            ]
        )
        == 0
    )
    page = json.loads((tmp_path / "list.json").read_text())
    assert page["total_items"] == 7
    assert validation.errors(validation.page_validator("service_list"), page) == []

    assert main(["hsds", "export", str(tmp_path / "package.zip"), "--network", "riverside"]) == 0
    assert (
        main(
            [
                "hsds",
                "import",
                str(tmp_path / "package.zip"),
                "--network",
                "hilltop",
                "--no-progress",
            ]
        )
        == 0
    )
    assert Service.objects.filter(network=other_network).count() == 7


def test_invalid_records_are_listed_and_exit_1(
    network: Network, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = dataset.services()
    services[1]["status"] = "open"
    source = tmp_path / "services.json"
    source.write_text(json.dumps(services))
    assert main(["hsds", "import", str(source), "--network", "riverside", "--no-progress"]) == 1
    captured = capsys.readouterr()
    where = f"invalid: services.json, item 2: service {services[1]['id']}"
    assert f"{where}: $.status: 'open' is not one of" in captured.err
    assert "1 of 7 records were invalid and were not written; the valid ones were." in captured.err
    assert Service.objects.filter(network=network).count() == 6


def test_an_unknown_network_or_path_exits_2(
    network: Network, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["hsds", "import", str(tmp_path / "none.json"), "--network", "nowhere"]) == 2
    assert "no network with the short name 'nowhere'" in capsys.readouterr().err
    assert main(["hsds", "import", str(tmp_path / "none.json"), "--network", "riverside"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_publish_and_take_back(
    network: Network, imported: ImportReport, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not Directory.objects.get(network=network).published
    assert main(["hsds", "publish", "--network", "riverside"]) == 0
    assert Directory.objects.get(network=network).published
    assert "is published" in capsys.readouterr().out
    assert main(["hsds", "publish", "--network", "riverside", "--off"]) == 0
    assert not Directory.objects.get(network=network).published


def test_the_console_script_knows_the_hsds_command() -> None:
    script = Path(sys.executable).parent / "sameboat"
    # Our own script with fixed arguments: nothing untrusted reaches the command line.
    result = subprocess.run(  # noqa: S603
        [str(script), "hsds", "export", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "sameboat.settings"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: sameboat hsds export" in result.stdout and "--list" in result.stdout


def test_a_long_import_shows_its_progress(
    network: Network, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "services.json"
    source.write_text(json.dumps(dataset.copies(120)))
    assert main(["hsds", "import", str(source), "--network", "riverside"]) == 0
    err = capsys.readouterr().err
    assert "validating: 100%" in err and "120/120" in err
    assert main(["hsds", "import", str(source), "--network", "riverside", "--no-progress"]) == 0
    assert "validating" not in capsys.readouterr().err
