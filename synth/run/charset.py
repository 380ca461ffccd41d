"""Which characters to make: named charsets, a literal string, or a file of characters.

A charset is an ordered string of distinct characters; order fixes the class order of a
run. Whitespace and control characters are dropped from files (they have no glyph to show).
"""

from __future__ import annotations

import string
import unicodedata
from pathlib import Path

from augment.core.errors import ConfigError, InputError

NAMED_CHARSETS: dict[str, str] = {
    "digits": string.digits,
    "upper": string.ascii_uppercase,
    "lower": string.ascii_lowercase,
    "alnum": string.digits + string.ascii_uppercase + string.ascii_lowercase,
    "punctuation": string.punctuation,
}


def _visible(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char)[0] not in ("C", "Z")


def dedupe(chars: str) -> str:
    """Distinct visible characters in first-seen order."""
    return "".join(dict.fromkeys(c for c in chars if _visible(c)))


def resolve_charset(spec: str) -> str:
    """A charset name (join several with '+': 'digits+upper'), '@path' of a file, or characters.

    A file holds UTF-8 characters; line breaks and spaces are ignored.
    """
    if spec.startswith("@"):
        return read_charset_file(spec[1:])
    parts = spec.split("+")
    if all(p in NAMED_CHARSETS for p in parts):
        chars = dedupe("".join(NAMED_CHARSETS[p] for p in parts))
    else:
        chars = dedupe(spec)
    if not chars:
        raise ConfigError("charset", f"no visible characters in {spec!r}")
    return chars


def read_charset_file(path: str | Path) -> str:
    """Characters listed in a UTF-8 text file (any layout: one per line or all on a line)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as err:
        raise InputError(str(path), f"cannot read charset file: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise InputError(str(path), f"charset file is not UTF-8 (byte {err.start})") from None
    chars = dedupe(text.lstrip("\ufeff"))
    if not chars:
        raise InputError(str(path), "charset file holds no visible characters")
    return chars
