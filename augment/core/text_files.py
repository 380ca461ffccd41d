"""Reading the text files users hand over: tables, transcripts, charsets.

Editors save text as UTF-8, UTF-8 with a byte-order mark (Excel's "CSV UTF-8"), or UTF-16
(Windows Notepad's "Unicode"): a mark names the encoding, so those are read as what they
are and the mark never ends up in a label or a transcript. Without a mark, text must be
UTF-8: Latin-1 and UTF-8 bytes cannot be told apart reliably, so other encodings are refused
with a line saying how to fix the file rather than guessed into wrong characters.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from augment.core.errors import InputError

# longest first: the UTF-32 LE mark begins with the UTF-16 LE one
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_text(path: str | Path, max_bytes: int | None = None) -> str:
    """The text of `path`, decoded by its byte-order mark or as UTF-8; InputError otherwise."""
    path = Path(path)
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise InputError(str(path), f"larger than {max_bytes} bytes")
        data = path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot read ({err.strerror or type(err).__name__})") from None
    return decode_text(data, str(path))


def decode_text(data: bytes, where: str) -> str:
    """Bytes of a user's text file as str (see the module docstring)."""
    encoding, start = "utf-8", 0
    for mark, name in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            encoding, start = name, len(mark)
            break
    try:
        return data[start:].decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(
            where,
            f"not {encoding.upper()} text (byte {err.start + start} cannot be decoded); "
            "save the file as UTF-8",
        ) from None
