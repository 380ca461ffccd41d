"""Reading the text files users hand over: tables, transcripts, charsets.

Editors save text as UTF-8, UTF-8 with a byte-order mark (Excel's "CSV UTF-8"), or UTF-16
(Windows Notepad's "Unicode"): a mark names the encoding, so those are read as what they
are and the mark never ends up in a label or a transcript. Without a mark, text must be
UTF-8: Latin-1 and UTF-8 bytes cannot be told apart reliably, so other encodings are refused
with a line saying how to fix the file rather than guessed into wrong characters.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

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


def csv_rows(
    path: str | Path, reader: Callable[[Iterable[str]], Iterator[Any]] = csv.reader
) -> Iterator[Any]:
    """The rows of a user's CSV file (`read_text`), as `reader` (csv.reader, csv.DictReader)
    parses them; a quoted newline stays in its field. A row the csv module refuses (a field
    over its 128 KiB limit) is an InputError naming the file and line, not a traceback."""
    parsed: Any = reader(io.StringIO(read_text(path), newline=""))
    while True:
        try:
            row = next(parsed)
        except StopIteration:
            return
        except csv.Error as err:
            # the csv reader's count: a DictReader updates its own only after a good row
            line = getattr(parsed, "reader", parsed).line_num
            raise InputError(str(path), f"line {line}: cannot read as CSV ({err})") from None
        yield row
