"""An optional font pack: hundreds of open-licensed fonts fetched from Debian packages.

Bundling hundreds of font files would bloat the repository, so `fetch_pack` downloads the
Debian packages named in the committed style table (`pack_styles.json`: package ->
style group, with per-family overrides) with `apt-get download` or from a mirror URL
(synth.fonts.debfetch, shared with the texture pack), extracts each package's .ttf/.otf
files and its copyright file (which carries the font licence; synth.fonts.debfile reads
the .deb), keeps the fonts that pass the tofu guard (synth.coverage) for the charset, and
writes `fonts.json`: one record per file (package, version, family, style group, licence
(synth.fonts.licences), copyright file, sha256, characters covered). A package that cannot
be fetched or read is reported and skipped.

A pack holds fonts shipped in many weights (one family, twenty files) and foundries of
hundreds of one-file families: a run rotates over style groups, then families, then files
(synth.run.plan). Runs pick the pack and its style groups through synth.fonts.source.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from augment.core.errors import AugsynthError, InputError
from synth.fonts.coverage import CoverageCache, usable_chars
from synth.fonts.debfetch import (
    Download,
    PackKind,
    add_licensed_package,
    apt_download,
    fetch_packages,
    manifest_records,
)
from synth.fonts.files import FONT_SUFFIXES, read_face
from synth.fonts.licences import file_licence, name_table_licence

STYLE_GROUPS = (
    "serif",
    "sans",
    "slab",
    "mono",
    "condensed",
    "rounded",
    "display",
    "stencil",
    "signage",
    "handwriting",
    "dotmatrix",
)
MANIFEST = "fonts.json"
STYLE_TABLE = Path(__file__).with_name("pack_styles.json")
FETCH_HINT = "fetch it with `synth font-pack` (needs apt-get and network)"


@dataclass(frozen=True)
class StyleTable:
    """packages: Debian package -> style group of its fonts; families: package -> {font
    family name -> style group} where a package mixes styles; allow: file-name glob -> the
    characters those fonts may be used for (a `.chars` allow-list beside them, as in
    synth.coverage: a 7-segment 'M' is no longer an M to a reader)."""

    packages: dict[str, str]
    families: dict[str, dict[str, str]]
    allow: dict[str, str]

    def group(self, package: str, family: str) -> str:
        return self.families.get(package, {}).get(family, self.packages[package])

    def packages_in(self, styles: Iterable[str] | None) -> list[str]:
        """Packages with at least one font in `styles` (every package if None)."""
        if styles is None:
            return sorted(self.packages)
        wanted = set(styles)
        unknown = wanted - set(STYLE_GROUPS)
        if unknown:
            raise AugsynthError(f"unknown style group(s) {sorted(unknown)}: use {STYLE_GROUPS}")
        return sorted(
            package
            for package, group in self.packages.items()
            if group in wanted or wanted & set(self.families.get(package, {}).values())
        )

    def allow_list(self, file_name: str) -> str | None:
        for pattern, chars in self.allow.items():
            if fnmatch.fnmatchcase(file_name, pattern):
                return chars
        return None


def load_style_table(path: Path = STYLE_TABLE) -> StyleTable:
    """The committed table; a group outside STYLE_GROUPS is an error naming the entry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        packages, families = data["packages"], data.get("families", {})
    except (OSError, ValueError, KeyError) as err:
        raise InputError(str(path), f"cannot read the style table ({err!r})") from None
    entries = list(packages.items()) + [
        (f"{package}/{family}", group)
        for package, overrides in families.items()
        for family, group in overrides.items()
    ]
    for name, group in entries:
        if group not in STYLE_GROUPS:
            raise InputError(str(path), f"{name}: unknown style group {group!r}")
    return StyleTable(packages, families, data.get("allow", {}))


# --- fetching and extracting ---------------------------------------------------------------


def _is_font(path: PurePosixPath) -> bool:
    """The members of a package the pack needs beside its copyright file: font files."""
    return path.suffix.lower() in FONT_SUFFIXES


def _font_files(tree: Path) -> list[Path]:
    """The .ttf/.otf files of an extracted package (regular files only: see extract_deb)."""
    return sorted(p for p in tree.rglob("*") if p.is_file() and p.suffix.lower() in FONT_SUFFIXES)


@dataclass(frozen=True)
class PackRequest:
    """What a fetch keeps: fonts in `styles` (None: all) that draw some of `charset`."""

    charset: str
    styles: frozenset[str] | None
    table: StyleTable
    cache: CoverageCache


def add_package(deb: Path, pack: Path, request: PackRequest, report: Callable[[str], None]):
    """Extract one .deb into `pack`: its fonts under `<package>/`, its copyright file as
    `LICENSES/<package>.copyright`; returns the records of the fonts kept."""

    def add_fonts(tree: Path, package: str, copyright_text: str) -> list[dict]:
        records = []
        for source in _font_files(tree):
            record = _add_font(source, pack / package, request, report)
            if record is not None:
                record["licence"] = file_licence(copyright_text, source.name)
                records.append(record)
        return records

    return add_licensed_package(deb, pack, _is_font, add_fonts, report)


def _add_font(source: Path, folder: Path, request: PackRequest, report) -> dict | None:
    """Copy one font if it is readable, in the wanted styles and draws part of the charset."""
    name = f"{folder.name}/{source.name}"
    target, copied = folder / source.name, False
    try:
        face = read_face(source)
        group = request.table.group(folder.name, face.family)
        if request.styles is not None and group not in request.styles:
            return None
        if target.exists():
            raise InputError(name, "a second file of that name in the package")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied = True
        allowed = request.table.allow_list(source.name)
        if allowed is not None:
            target.with_suffix(".chars").write_text(allowed, encoding="utf-8")
        covered = usable_chars(target, request.charset, request.cache)
        if not covered:
            raise InputError(name, "draws none of the charset")
    except InputError as err:  # its path may be the temporary extraction: name the file
        report(f"{name}: skipped, {err.message}")
        if copied:
            target.unlink()
            target.with_suffix(".chars").unlink(missing_ok=True)
        return None
    return {
        "file": name,
        "family": face.family,
        "style": face.style,
        "group": group,
        "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "covers": covered,
        "licence_in_font": name_table_licence(target),
    }


def fetch_pack(
    out: Path,
    request: PackRequest,
    download: Download = apt_download,
    report: Callable[[str], None] = print,
) -> list[dict]:
    """Fetch every package of the table with fonts in the requested styles into `out`
    (synth.fonts.debfetch: built beside and moved into place, never half-written; a package
    that fails is reported and skipped). `out` must be absent, empty or an earlier pack."""
    kind = PackKind(
        manifest=MANIFEST,
        noun="font",
        add=lambda deb, pack: add_package(deb, pack, request, report),
        header={"charset": request.charset, "source": "Debian packages"},
    )
    return fetch_packages(out, request.table.packages_in(request.styles), kind, download, report)


def pack_records(pack: Path) -> list[dict]:
    """The per-file records of a font pack's manifest; a folder without one raises naming it."""
    return manifest_records(pack, MANIFEST, "font", FETCH_HINT)
