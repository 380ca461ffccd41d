"""Aiming a run: the options that go together, distinct candidates, the histogram text."""

from __future__ import annotations

from pathlib import Path

import pytest

from augment.analysis.aim import Aim, aimed, class_counts, histogram_lines, unique_tasks
from augment.core.errors import ConfigError

TASKS = [{"label": "a", "copy": 0}, {"label": "a", "copy": 1}, {"label": "b", "copy": 0}]


def test_options_that_do_not_go_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not both"):
        aimed(Aim(tmp_path / "f.yaml", balance=True), TASKS, TASKS, "label", 0)
    with pytest.raises(ConfigError, match="--target-count"):
        aimed(Aim(target_count=3), TASKS, TASKS, "label", 0)


def test_a_plain_run_keeps_its_tasks_and_its_record() -> None:
    tasks, record = aimed(Aim(), TASKS, TASKS, "label", 0)
    assert tasks == TASKS and record == {}


def test_balance_record_and_counts() -> None:
    tasks, record = aimed(Aim(balance=True, target_count=3), TASKS, TASKS, "label", 0)
    assert record == {"balance": {"target_count": 3}}
    assert class_counts(tasks) == {"a": 3, "b": 3}


def test_unique_tasks_keep_first_seen_order() -> None:
    tasks = [{"char": "a", "font": "x"}, {"char": "b", "font": "x"}, {"font": "x", "char": "a"}]
    assert unique_tasks(tasks) == tasks[:2]


def test_histogram_lines_show_before_and_after() -> None:
    lines = histogram_lines({"a": 4, "b": 1}, {"a": 4, "b": 4})
    assert lines[1].split()[:4] == ["a", "4", "->", "4"]
    assert lines[2].split()[:4] == ["b", "1", "->", "4"]
    assert lines[1].count("#") == lines[2].count("#") == 40
