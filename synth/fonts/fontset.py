"""A folder of fonts with what each covers, so every request goes to a font that draws it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from augment.core.errors import AugsynthError, InputError
from synth.fonts.coverage import CoverageCache, usable_chars
from synth.fonts.files import FontFace, default_fonts_dir, find_font_files, read_face
from synth.fonts.pack import MANIFEST, pack_records


@dataclass
class FontSet:
    """Fonts under `root`, named by their path relative to it (portable across machines).

    coverage: font id -> the characters of the requested set it covers (allow-list applied).
    groups: font id -> style group, for a font pack (its fonts.json); empty for a plain
    folder. A font of a pack missing from its manifest is in group "".
    """

    root: Path
    faces: dict[str, FontFace]
    coverage: dict[str, str]
    skipped: list[str] = field(default_factory=list)  # damaged files, one line each
    groups: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        root: str | Path | None,
        chars: str,
        cache: CoverageCache | None = None,
        only: Collection[str] | None = None,
    ) -> FontSet:
        """Read every font under `root` (default: bundled), or only the font ids in `only`,
        and check it against `chars`.

        A damaged font file is left out and named in `skipped` (one bad file in a folder of
        hundreds should not stop a run); a folder with no readable font raises InputError.
        """
        root = Path(root) if root is not None else default_fonts_dir()
        cache = cache or CoverageCache()
        base = root if root.is_dir() else root.parent
        faces, coverage, skipped = {}, {}, []
        for path in find_font_files(root):
            font_id = path.relative_to(base).as_posix()
            if only is not None and font_id not in only:
                continue
            try:
                faces[font_id] = read_face(path)
                coverage[font_id] = usable_chars(path, chars, cache)
            except InputError as err:
                faces.pop(font_id, None)
                skipped.append(str(err))
        if not faces:
            raise InputError(str(root), f"no readable font ({len(skipped)} damaged)")
        return cls(base, faces, coverage, skipped, _pack_groups(base, faces))

    def path(self, font_id: str) -> Path:
        return self.root / font_id

    def fonts_for(self, char: str) -> list[str]:
        return [font_id for font_id, chars in self.coverage.items() if char in chars]

    def families_for(self, char: str) -> list[list[str]]:
        """The fonts covering `char` grouped by declared family, families in order of their
        first file: what a family-weighted draw rotates over."""
        families: dict[str, list[str]] = {}
        for font_id in self.fonts_for(char):
            families.setdefault(self.faces[font_id].family, []).append(font_id)
        return list(families.values())

    def choices_for(self, char: str) -> list[list[str]] | list[list[list[str]]]:
        """What a draw for `char` rotates over: its families (families_for), or in a pack
        its style groups, each a list of its families, so that one group of hundreds of
        one-file families (a foundry's display faces) gets one group's share."""
        families = self.families_for(char)
        if not self.groups:
            return families
        grouped: dict[str, list[list[str]]] = {}
        for files in families:
            grouped.setdefault(self.groups[files[0]], []).append(files)
        return list(grouped.values())

    def require(self, chars: str) -> None:
        """Raise naming the first character that no font covers."""
        for char in chars:
            if not self.fonts_for(char):
                raise AugsynthError(
                    f"character {char!r} (U+{ord(char):04X}): no font in {self.root} "
                    "has a glyph for it"
                )


def _pack_groups(base: Path, faces: dict[str, FontFace]) -> dict[str, str]:
    """Font id -> style group from a pack's manifest; empty where `base` holds none."""
    if not (base / MANIFEST).is_file():
        return {}
    group_of = {record["file"]: record["group"] for record in pack_records(base)}
    return {font_id: group_of.get(font_id, "") for font_id in faces}
