"""Label folder names: safe, injective, and distinct on case-insensitive file systems."""

from __future__ import annotations

import string

import pytest

from augment.dataset.labels import UnsafeLabelError, dirname_to_label, label_to_dirname

TRICKY = [
    "a",
    "A",
    "b",
    "B",
    "_a",
    "_A",
    "/",
    "..",
    ".",
    "a/b",
    "\x00",
    "con",
    "CON",
    "Con",
    "nul",
    "é",
    "É",
    "ß",
    "ẞ",
    "%",
    "%41",
    "-",
    " ",
    "a b",
    "日本",
    "\\",
    ":",
    "*",
    "?",
    "<>",
    "|",
]
LABELS = TRICKY + list(string.printable)


def test_names_are_safe_path_components() -> None:
    for label in LABELS:
        name = label_to_dirname(label)
        assert name not in ("", ".", "..")
        assert all(c not in name for c in '/\\\x00:*?"<>| ')
        assert name.isascii()


def test_no_two_labels_collide_even_ignoring_case() -> None:
    labels = sorted(set(LABELS))
    names = [label_to_dirname(label).casefold() for label in labels]
    assert len(set(names)) == len(labels)


@pytest.mark.parametrize("label", LABELS)
def test_names_decode_back_to_the_label(label: str) -> None:
    assert dirname_to_label(label_to_dirname(label)) == label


def test_readable_names_for_letters_and_digits() -> None:
    assert [label_to_dirname(x) for x in ("a", "A", "7", "cat")] == ["a", "_a", "7", "cat"]


def test_windows_reserved_names_are_escaped() -> None:
    assert label_to_dirname("con").casefold() not in {"con", "nul", "prn", "aux"}


@pytest.mark.parametrize("label", ["", None, 3])
def test_unusable_labels_are_refused(label) -> None:
    with pytest.raises(UnsafeLabelError):
        label_to_dirname(label)


def test_long_labels_are_shortened_without_colliding() -> None:
    a, b = "x" * 300 + "1", "x" * 300 + "2"
    assert label_to_dirname(a) != label_to_dirname(b)
    assert len(label_to_dirname(a)) <= 120
