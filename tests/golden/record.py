"""Write tests/golden/digests.json from the current code (see golden_runs.py).

    .venv/bin/python tests/golden/record.py

Only when a change is meant to change outputs; say which in CHANGELOG.md.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from golden_runs import DIGESTS, all_digests
from invoke import invoke_cli

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["AUGSYNTH_CACHE_DIR"] = str(Path(tmp) / "cache")
        digests = all_digests(Path(tmp) / "golden", invoke_cli)
    DIGESTS.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    print(f"{len(digests)} digests written to {DIGESTS}")
