"""Charsets: named charsets, custom strings and files, with errors that name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from augment.core.errors import ConfigError, InputError
from synth.run.charset import resolve_charset


def test_named_charsets_and_combinations() -> None:
    assert resolve_charset("digits") == "0123456789"
    assert len(resolve_charset("alnum")) == 62
    assert resolve_charset("digits+upper") == "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert "!" in resolve_charset("punctuation")


def test_literal_string_keeps_case_and_order_without_duplicates() -> None:
    assert resolve_charset("aAbBa é") == "aAbBé"
    assert resolve_charset("+") == "+"


def test_file_of_characters(tmp_path: Path) -> None:
    path = tmp_path / "chars.txt"
    path.write_text("\ufeffä\nÖ\n ß\r\nä\n", encoding="utf-8")
    assert resolve_charset(f"@{path}") == "äÖß"


def test_bad_charset_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("äöü".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1.txt"):
        resolve_charset(f"@{path}")
    with pytest.raises(InputError, match=r"missing.txt"):
        resolve_charset(f"@{tmp_path / 'missing.txt'}")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n")
    with pytest.raises(InputError, match=r"blank.txt"):
        resolve_charset(f"@{blank}")
    with pytest.raises(ConfigError):
        resolve_charset("   ")


def test_named_charsets_are_public_and_the_old_name_points_to_them() -> None:
    import synth

    assert synth.NAMED_CHARSETS["digits"] == "0123456789"
    with pytest.raises(AttributeError, match="NAMED_CHARSETS"):
        synth.CHARSET_PRESETS  # noqa: B018


def test_names_mix_with_characters_and_near_names_are_refused():
    from augment.core.errors import ConfigError
    from synth.run.charset import resolve_charset

    assert resolve_charset("digits+K+b") == "0123456789Kb"
    assert resolve_charset("a+b") == "a+b"  # no name: the characters themselves
    assert resolve_charset("e\u0301") == "\u00e9"
    for typo, name in (("alnm", "alnum"), ("digts+upper", "digits")):
        with pytest.raises(ConfigError, match=f"did you mean '{name}'"):
            resolve_charset(typo)
