"""Labels to folder names that are safe and never collide.

Lower-case ASCII letters, digits and '-' stay as they are; an upper-case letter X becomes
'_x'; every other character (including '_', '.', '/', NUL, spaces and non-ASCII) becomes
'%XX' per UTF-8 byte, with upper-case hex. The mapping is injective, and two labels never
map to names that differ only in case, so 'a' and 'A' stay apart on case-insensitive
file systems. Names reserved on Windows (con, nul, com1, ...) get their last character
escaped.
"""

from __future__ import annotations

import hashlib
import string

from augment.core.errors import AugsynthError

_KEEP = frozenset(string.ascii_lowercase + string.digits + "-")
_UPPER = frozenset(string.ascii_uppercase)
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)
MAX_NAME_BYTES = 120


class UnsafeLabelError(AugsynthError):
    """A label that cannot be used at all (empty, or not a string)."""


def _escape(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


def label_to_dirname(label: str) -> str:
    """The folder name for a label; see the module docstring for the rules."""
    if not isinstance(label, str) or label == "":
        raise UnsafeLabelError(f"label {label!r}: must be a non-empty string")
    parts = []
    for char in label:
        if char in _KEEP:
            parts.append(char)
        elif char in _UPPER:
            parts.append("_" + char.lower())
        else:
            parts.append(_escape(char))
    name = "".join(parts)
    if name in _RESERVED:
        name = name[:-1] + _escape(name[-1])
    if len(name.encode("ascii")) > MAX_NAME_BYTES:
        digest = hashlib.sha256(label.encode("utf-8")).hexdigest()[:16]
        name = f"{name[: MAX_NAME_BYTES - 18]}~{digest}"
    return name


def dirname_to_label(name: str) -> str:
    """Invert `label_to_dirname` (not for names shortened with a hash)."""
    out = bytearray()
    i = 0
    while i < len(name):
        char = name[i]
        if char == "_":
            out += name[i + 1].upper().encode("ascii")
            i += 2
        elif char == "%":
            out.append(int(name[i + 1 : i + 3], 16))
            i += 3
        else:
            out += char.encode("ascii")
            i += 1
    return out.decode("utf-8")
