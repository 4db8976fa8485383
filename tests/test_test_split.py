"""The frozen test split (tests/data/test_split) and the labeled real-speech set
(tests/data/real_speech/{test,dev}) are valid corpus data: the corpus validator accepts every file."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SPLIT = Path(__file__).parent / "data" / "test_split"
REAL = Path(__file__).parent / "data" / "real_speech"
VALIDATE = Path(__file__).parents[1] / ".." / "shared" / "eval" / "validate.py"


@pytest.mark.parametrize("folder, at_least", [(SPLIT, 20), (REAL / "test", 20), (REAL / "dev", 15)],
                         ids=["test_split", "real_speech_test", "real_speech_dev"])
def test_every_meeting_is_valid_corpus_data(folder: Path, at_least: int):
    if not VALIDATE.is_file():
        pytest.skip(f"corpus validator not found at {VALIDATE} (needs the shared folder next to the repo)")
    files = sorted(folder.glob("*.json"))
    assert len(files) >= at_least
    proc = subprocess.run([sys.executable, str(VALIDATE), str(folder), "--quiet"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
