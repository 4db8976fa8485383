"""The frozen test split (tests/data/test_split) is valid corpus data: the corpus validator accepts
every meeting, and there are at least 20 of them."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SPLIT = Path(__file__).parent / "data" / "test_split"
VALIDATE = Path(__file__).parents[1] / ".." / "shared" / "eval" / "validate.py"


def test_every_meeting_of_the_split_is_valid():
    if not VALIDATE.is_file():
        pytest.skip(f"corpus validator not found at {VALIDATE} (needs the shared folder next to the repo)")
    files = sorted(SPLIT.glob("*.json"))
    assert len(files) >= 20
    proc = subprocess.run([sys.executable, str(VALIDATE), str(SPLIT), "--quiet"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
