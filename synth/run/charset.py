"""Which characters to make: named charsets, a literal string, or a file of characters.

A charset is an ordered string of distinct characters; order fixes the class order of a
run. Whitespace and control characters are dropped from files (they have no glyph to show).
"""

from __future__ import annotations

import difflib
import string
import unicodedata
from pathlib import Path

from augment.core.errors import ConfigError, InputError
from augment.core.text_files import read_text

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
    """A charset name (join several with '+': 'digits+upper', or with characters:
    'digits+XYZ'), '@path' of a file, or the characters themselves.

    A file holds UTF-8 (or UTF-16 with a byte-order mark) characters; line breaks and
    spaces are ignored. A misspelt name is refused rather than taken as characters.
    """
    if spec.startswith("@"):
        return read_charset_file(spec[1:])
    parts = spec.split("+")
    _refuse_near_names(parts)
    if any(p in NAMED_CHARSETS for p in parts):  # names expand, other parts are characters
        chars = composed("".join(NAMED_CHARSETS.get(p, p) for p in parts), "charset")
    else:
        chars = composed(spec, "charset")
    if not chars:
        raise ConfigError("charset", f"no visible characters in {spec!r}")
    return chars


def _refuse_near_names(parts: list[str]) -> None:
    """'alnm' or 'digts+upper' are typos of names, not the characters a, l, n, m."""
    for part in parts:
        if part in NAMED_CHARSETS:
            continue
        if len(part) >= 4 and part.isascii() and part.isalpha() and part.islower():
            close = difflib.get_close_matches(part, list(NAMED_CHARSETS), n=1, cutoff=0.75)
            if close:
                raise ConfigError(
                    "charset",
                    f"{part!r} is not a charset name; did you mean {close[0]!r}? (to make "
                    "those letters themselves, list them in a file: --charset @chars.txt)",
                )


def composed(text: str, where: str) -> str:
    """Distinct characters after Unicode composition (NFC), so 'e' + U+0301 is the one class
    'é' a reader sees; a combining mark left over (no precomposed character) is refused."""
    chars = dedupe(unicodedata.normalize("NFC", text))
    marks = [c for c in chars if unicodedata.category(c).startswith("M")]
    if marks:
        raise ConfigError(
            where,
            f"combining mark U+{ord(marks[0]):04X} has no precomposed character with the "
            "letter before it; a class must be one character",
        )
    return chars


def read_charset_file(path: str | Path) -> str:
    """Characters listed in a UTF-8 text file (any layout: one per line or all on a line)."""
    path = Path(path)
    try:
        chars = composed(read_text(path), str(path))
    except ConfigError as err:
        raise InputError(str(path), err.message) from None
    if not chars:
        raise InputError(str(path), "charset file holds no visible characters")
    return chars
