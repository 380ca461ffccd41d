"""Refactors keep outputs byte-identical: every command's files, digested, equal the record.

The record (digests.json) is rewritten by `python tests/golden/record.py` only when a
change is meant to change outputs (and CHANGELOG.md says so).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from golden_runs import DIGESTS, all_digests
from invoke import invoke_cli


def test_outputs_match_the_recorded_digests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AUGSYNTH_CACHE_DIR", str(tmp_path / "cache"))
    expected = json.loads(DIGESTS.read_text())
    actual = all_digests(tmp_path / "golden", invoke_cli)
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(k for k in set(expected) & set(actual) if expected[k] != actual[k])
    assert not (missing or extra or changed), (
        f"outputs differ from the record: {len(changed)} changed {changed[:10]}, "
        f"{len(missing)} missing {missing[:10]}, {len(extra)} new {extra[:10]}"
    )
