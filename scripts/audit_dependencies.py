"""Known vulnerabilities in the installed dependencies, by pip-audit, when it can ask.

`make lint` runs this. pip-audit asks PyPI's JSON API which advisories touch each installed
version (https://pypi.org/pypi/NAME/VERSION/json). Where that service cannot be reached (an
offline machine, a mirror without it) this says so plainly and skips, rather than failing
every build for a reason outside the code; with PIP_AUDIT_REQUIRED=true an unreachable
service fails instead, for a pipeline that must not pass without the check. When the
service answers, any finding (or any installed package it cannot audit) fails the build:
fix it by pinning a patched version.
"""

import importlib.metadata
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

SERVICE = "https://pypi.org/pypi/{name}/{version}/json"
TIMEOUT_SECONDS = 15


def service_reachable() -> tuple[bool, str]:
    """Ask the service about one package we surely install (Django, at its pinned version)."""
    url = SERVICE.format(name="django", version=importlib.metadata.version("django"))
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (a fixed https URL)
            answer = json.loads(response.read())
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        return False, f"{url}: {error}"
    if not isinstance(answer, dict) or "vulnerabilities" not in answer:
        return False, f"{url}: the answer holds no advisories"
    return True, url


def main() -> int:
    reachable, why = service_reachable()
    if not reachable:
        print(f"pip-audit SKIPPED: PyPI's vulnerability service cannot be reached ({why}).")
        if os.environ.get("PIP_AUDIT_REQUIRED", "").lower() in {"1", "true", "yes"}:
            print("PIP_AUDIT_REQUIRED is set: a dependency audit that cannot run is a failure.")
            return 1
        print("Run `make lint` where https://pypi.org answers to check the dependencies.")
        return 0
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit), "--strict", "--skip-editable", "--progress-spinner", "off"]
    return subprocess.run(command, check=False).returncode  # noqa: S603 (fixed argument list)


if __name__ == "__main__":
    sys.exit(main())
