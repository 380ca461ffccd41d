"""The licence of one packaged file (a font, a texture): from its package's Debian
copyright file, and for a font its name table.

A Debian copyright file in the machine-readable format (DEP-5) is a list of stanzas, each
naming source files by glob (`Files: *`, `Files: Play-*.ttf`, `Files: debian/*`) and their
`License:`; the last stanza that matches a file wins. The globs name source paths, which an
installed font no longer has, so a glob is matched against the file name, whole or by its
last component (a texture by the trailing parts of its installed path, see path_licence);
`debian/` stanzas cover Debian's packaging, never a font. Older free-form
copyright files give "see copyright file" (the file itself is kept beside the pack).

The font's own name table may state its licence too (name ID 14, a URL, or ID 13, a text):
recorded beside, as the foundry's word.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path, PurePosixPath

from fontTools.ttLib import TTFont

UNKNOWN = "see copyright file"
NAME_TEXT_LIMIT = 120  # characters of a name-table licence text kept in the manifest


def _stanzas(copyright_text: str) -> list[dict[str, str]]:
    """Field -> value of each paragraph: a `Files:` field with its continuation lines, any
    other field by its first line (a License's continuation lines are its full text)."""
    stanzas: list[dict[str, str]] = []
    current: dict[str, str] = {}
    field = ""
    for line in [*copyright_text.splitlines(), ""]:
        if not line.strip():
            if current:
                stanzas.append(current)
            current, field = {}, ""
        elif line[0] in " \t":
            if field == "Files":
                current[field] += " " + line.strip()
        elif ":" in line:
            field, value = line.split(":", 1)
            current[field] = value.strip()
    return stanzas


def _matches(pattern: str, file_name: str) -> bool:
    last = pattern.rsplit("/", 1)[-1]
    return fnmatch.fnmatchcase(file_name, pattern) or (
        last != "*" and fnmatch.fnmatchcase(file_name, last)
    )


def file_licence(copyright_text: str, file_name: str) -> str:
    """The short licence name (first line of `License:`) of the last stanza whose Files
    globs match `file_name`, outside debian/; UNKNOWN for a free-form file."""
    return _last_licence(copyright_text, [file_name])


def path_licence(copyright_text: str, installed: PurePosixPath) -> str:
    """As file_licence, for a file whose source path the globs may name in part: its
    installed path's trailing parts are tried too (`backgrounds/ramon/*` names
    usr/share/mypaint/backgrounds/ramon/HR_Cork.png)."""
    parts = [p for p in installed.parts if p not in ("/", ".")]
    return _last_licence(copyright_text, ["/".join(parts[k:]) for k in range(len(parts))])


def _last_licence(copyright_text: str, names: list[str]) -> str:
    licence = UNKNOWN
    for stanza in _stanzas(copyright_text):
        patterns = [p for p in stanza.get("Files", "").split() if not p.startswith("debian/")]
        if stanza.get("License") and any(_matches(p, n) for p in patterns for n in names):
            licence = stanza["License"]
    return licence


def name_table_licence(path: Path) -> str | None:
    """The licence URL (name ID 14) the font declares, else the start of its licence text
    (ID 13), else None."""
    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        if "name" not in font:
            return None
        for name_id in (14, 13):
            record = font["name"].getDebugName(name_id)
            if record and record.strip():
                text = " ".join(str(record).split())
                return text if len(text) <= NAME_TEXT_LIMIT else text[:NAME_TEXT_LIMIT] + "..."
    return None
