from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def erasure_journal(tmp_path: Path, settings: Any) -> Path:
    """Each test writes its erasure journal in its own temporary folder."""
    path = tmp_path / "erasures.jsonl"
    settings.ERASURE_JOURNAL = path
    return path
