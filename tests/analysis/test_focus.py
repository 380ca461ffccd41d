"""Focus allocation and balance: sums, floors, reasons, determinism."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from augment.analysis.focus import (
    FocusWeights,
    apportion,
    balance_counts,
    balance_tasks,
    focus_tasks,
    slice_matches,
)
from augment.analysis.plots import class_histogram_png

FONTS = ("Sans.ttf", "Serif.ttf", "Mono.ttf")
TASKS = [{"char": c, "font": f} for c in "o0Oabc" for f in FONTS]
FOCUS = {
    "version": 1,
    "classes": [{"label": "a", "weight": 0.75}, {"label": "zz", "weight": 0.25}],
    "confusions": [{"label": "o", "prediction": "0", "count": 9, "weight": 1.0}],
    "case_confusions": [],
    "slices": [
        {"attribute": "font", "value": "Mono.ttf", "weight": 0.5},
        {"attribute": "params.angle", "value": "[0, 5)", "low": 0, "high": 5, "weight": 0.5},
        {"attribute": "params.kind", "value": "(missing)", "weight": 0.5},
    ],
}


def test_apportion_sums_and_floors() -> None:
    for total in (0, 1, 7, 100, 1001):
        counts = apportion(total, [0.5, 0.25, 0.125, 0.125, 1e-9])
        assert sum(counts) == total
        exact = [total * w / (1 + 1e-9) for w in (0.5, 0.25, 0.125, 0.125, 1e-9)]
        assert all(c >= int(e) and c <= int(e) + 1 for c, e in zip(counts, exact, strict=True))


def test_focus_sums_floors_and_reasons() -> None:
    weights = FocusWeights(floor=0.3, classes=0.4, confusions=0.4, slices=0.2)
    out = focus_tasks(TASKS, 600, FOCUS, label_key="char", weights=weights, seed=0)
    assert len(out) == 600
    reasons = Counter(t["focus_reason"] for t in out)
    per_class_floor = int(600 * 0.3 / 6)  # 30
    floors = Counter(t["char"] for t in out if t["focus_reason"] == "floor")
    assert set(floors) == set("o0Oabc") and min(floors.values()) >= per_class_floor
    # 'zz' has no candidates and params.angle no task carries: their shares go to the rest
    assert "class zz" not in reasons and not any("params." in r for r in reasons)
    rest = 600 - 180
    assert reasons["class a"] == pytest.approx(rest * 0.4, abs=1)
    assert reasons["confusion o->0"] == pytest.approx(rest * 0.4, abs=1)
    assert reasons["slice font=Mono.ttf"] == pytest.approx(rest * 0.2, abs=1)
    assert {t["char"] for t in out if t["focus_reason"] == "confusion o->0"} == {"o", "0"}
    assert {t["font"] for t in out if t["focus_reason"] == "slice font=Mono.ttf"} == {"Mono.ttf"}
    fonts_of_a = Counter(t["font"] for t in out if t["focus_reason"] == "class a")
    assert max(fonts_of_a.values()) - min(fonts_of_a.values()) <= 1  # cycled evenly


def test_focus_is_deterministic_and_seeded() -> None:
    first = focus_tasks(TASKS, 200, FOCUS, label_key="char", seed=3)
    assert first == focus_tasks(TASKS, 200, FOCUS, label_key="char", seed=3)
    assert first != focus_tasks(TASKS, 200, FOCUS, label_key="char", seed=4)


def test_empty_focus_is_uniform_floor() -> None:
    out = focus_tasks(TASKS, 60, {"version": 1}, label_key="char")
    assert Counter(t["char"] for t in out) == dict.fromkeys("o0Oabc", 10)
    assert {t["focus_reason"] for t in out} == {"floor"}


def test_zero_floor_and_bad_weights() -> None:
    out = focus_tasks(TASKS, 90, FOCUS, label_key="char", weights=FocusWeights(floor=0.0))
    assert "floor" not in {t["focus_reason"] for t in out} and len(out) == 90
    with pytest.raises(ValueError, match="floor"):
        FocusWeights(floor=1.5)


def test_slice_matching() -> None:
    numeric = {"attribute": "angle", "value": "[0, 5)", "low": 0.0, "high": 5.0}
    assert slice_matches(numeric, {"angle": 2.5})
    assert not slice_matches(numeric, {"angle": 7})
    assert not slice_matches(numeric, {})
    assert slice_matches({"attribute": "angle", "value": "(missing)"}, {})
    assert slice_matches({"attribute": "speaker", "value": "jo"}, {"columns.speaker": "jo"})
    assert slice_matches({"attribute": "flag", "value": "True"}, {"flag": True})


def test_balance_counts_and_tasks() -> None:
    assert balance_counts({"a": 5, "b": 2, "c": 0}) == {"a": 0, "b": 3, "c": 5}
    assert balance_counts({"a": 5, "b": 2}, target=3) == {"a": 0, "b": 1}
    inputs = [{"label": "a", "source": f"a{k}"} for k in range(5)]
    inputs += [{"label": "b", "source": "b0"}, {"label": "b", "source": "b1"}]
    inputs += [{"label": None, "source": "x"}]
    out = balance_tasks(inputs, seed=0)
    assert out[: len(inputs)] == [{**t, "focus_reason": "input"} for t in inputs]
    extra = out[len(inputs) :]
    assert [t["focus_reason"] for t in extra] == ["balance b"] * 3
    assert Counter(t["source"] for t in extra) in (Counter(b0=2, b1=1), Counter(b0=1, b1=2))
    labelled = Counter(t["label"] for t in out if t["label"] is not None)
    assert labelled == {"a": 5, "b": 5}
    assert out == balance_tasks(inputs, seed=0)
    assert len(balance_tasks(inputs, target=10)) == len(inputs) + 5 + 8


def test_class_histogram_draws_a_row_per_class() -> None:
    before = {"a": 5, "b": 2}
    after = {"a": 5, "b": 5, "c": 5}
    image = class_histogram_png(before, after)
    assert image.height == 26 + 16 * 3 + 8
    pixels = np.asarray(image)
    blue = (pixels == (70, 110, 220)).all(axis=2)
    grey = (pixels == (150, 150, 150)).all(axis=2)
    y = 26 + 16  # class b: 2 -> 5, bars 72 pixels per example (360 / 5)
    assert blue[y + 2].sum() == pytest.approx(5 * 72, abs=1)
    assert grey[y + 7].sum() == pytest.approx(2 * 72, abs=1)
