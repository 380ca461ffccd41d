"""Which fonts a run uses: the bundled ones, a folder, or the fetched font pack, optionally
only some of its style groups.

`--fonts pack` names the pack `synth font-pack` fetched into the user cache (so a command
line works on any machine that fetched it); a pack anywhere else is named by its folder.
Style groups come from the pack's manifest (fonts.json), so `--font-groups` needs a pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from augment.core.errors import AugsynthError
from synth.fonts.coverage import CoverageCache, cache_dir
from synth.fonts.fontset import FontSet
from synth.fonts.pack import FETCH_HINT, MANIFEST, STYLE_GROUPS, pack_records

PACK_KEYWORD = "pack"


def default_pack_dir() -> Path:
    """Where `synth font-pack` puts the pack unless told: <cache>/fonts (see coverage)."""
    return cache_dir() / "fonts"


def parse_groups(text: str) -> frozenset[str]:
    """'serif, mono' -> {'serif', 'mono'}; an unknown name raises listing the known ones."""
    groups = frozenset(g.strip() for g in text.split(",") if g.strip())
    unknown = sorted(groups - set(STYLE_GROUPS))
    if unknown or not groups:
        raise AugsynthError(f"--font-groups: unknown {unknown or text!r}; use {STYLE_GROUPS}")
    return groups


@dataclass(frozen=True)
class FontSource:
    """root: a font folder or file (None: the bundled fonts); groups: keep only the pack's
    files in these style groups (None: every file)."""

    root: Path | None = None
    groups: frozenset[str] | None = None

    def files(self) -> frozenset[str] | None:
        """The font ids (paths relative to the pack) in `groups`, or None for all."""
        if self.groups is None:
            return None
        assert self.root is not None  # font_source gives groups only with a pack
        chosen = frozenset(r["file"] for r in pack_records(self.root) if r["group"] in self.groups)
        if not chosen:
            raise AugsynthError(f"{self.root}: no font in style groups {sorted(self.groups)}")
        return chosen

    def load(self, chars: str, cache: CoverageCache | None = None) -> FontSet:
        return FontSet.load(self.root, chars, cache, only=self.files())


def font_source(fonts: str | None, groups: str | None) -> FontSource:
    """The --fonts / --font-groups options: `pack` (or groups alone) means the fetched pack,
    which must exist; groups with a folder need that folder to be a pack."""
    if fonts is None and groups is None:
        return FontSource()
    if fonts is None or fonts == PACK_KEYWORD:
        root = default_pack_dir()
        if not (root / MANIFEST).is_file():
            raise AugsynthError(f"font pack not found in {root}: {FETCH_HINT}")
    else:
        root = Path(fonts).expanduser()
    if groups is None:
        return FontSource(root)
    chosen = parse_groups(groups)
    pack_records(root)  # a plain folder has no groups: say so before any work
    return FontSource(root, chosen)
