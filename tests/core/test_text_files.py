"""User text files: byte-order marks name the encoding, UTF-8 otherwise, one-line refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from augment.core.errors import InputError
from augment.core.text_files import read_text

TEXT = "file_name,label\nä.png,Ä\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_marked_and_plain_utf_8_files_read_without_the_mark(tmp_path: Path, encoding: str):
    path = tmp_path / "labels.csv"
    path.write_bytes(TEXT.encode(encoding))
    assert read_text(path) == TEXT


def test_latin_1_is_refused_on_one_line_naming_the_file(tmp_path: Path):
    path = tmp_path / "clip.txt"
    path.write_bytes("caf\xe9 au lait".encode("latin-1"))
    with pytest.raises(InputError) as err:
        read_text(path)
    message = str(err.value)
    assert message.startswith(str(path)) and "not UTF-8" in message and "\n" not in message


def test_a_missing_file_and_a_too_large_file_are_input_errors(tmp_path: Path):
    with pytest.raises(InputError, match="cannot read"):
        read_text(tmp_path / "nope.txt")
    big = tmp_path / "big.txt"
    big.write_text("x" * 100)
    with pytest.raises(InputError, match="larger than 10 bytes"):
        read_text(big, max_bytes=10)
