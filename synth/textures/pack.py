"""An optional texture pack: photo textures of real surfaces for `synth ocr` backgrounds.

Real character crops sit on walls, wood, stone, paper and cloth; the procedural
backgrounds (flat, gradient, noise) have none of their structure. `fetch_textures`
downloads the Debian packages named in the committed table (`pack_sources.json`: package
-> {installed-path glob -> surface}) through the font pack's fetch code
(synth.fonts.debfetch: apt-get or a mirror, SHA256-checked), converts each chosen file to
PNG (GIMP patterns through synth.textures.gimp_pattern), tiles a small seamless tile to at
least MIN_SIDE pixels a side so that a background box is not a blow-up of a few pixels,
and writes `textures.json`: one record per file (package, version, source path, surface,
licence from the package's copyright file, sha256, size). A package that cannot be
fetched or read is reported and skipped. `synth ocr --backgrounds pack` cuts backgrounds
from it (synth.scene.backgrounds.BackgroundBank).
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image

from augment.core.errors import AugsynthError, InputError
from synth.fonts.coverage import cache_dir
from synth.fonts.debfetch import (
    Download,
    PackKind,
    add_licensed_package,
    apt_download,
    fetch_packages,
    manifest_records,
)
from synth.fonts.licences import path_licence
from synth.scene.backgrounds import TEXTURE_MANIFEST as MANIFEST
from synth.textures.gimp_pattern import read_pattern

SOURCE_TABLE = Path(__file__).with_name("pack_sources.json")
MIN_SIDE = 256
FETCH_HINT = "fetch it with `synth texture-pack` (needs apt-get and network, or --mirror URL)"
PACK_KEYWORD = "pack"

SourceTable = dict[str, dict[str, str]]  # package -> {installed-path glob -> surface}


def load_source_table(path: Path = SOURCE_TABLE) -> SourceTable:
    """The committed table; a malformed entry is an error naming the file."""
    try:
        packages = json.loads(path.read_text(encoding="utf-8"))["packages"]
        if not all(isinstance(g, dict) and g for g in packages.values()):
            raise ValueError("each package needs {glob: surface}")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise InputError(str(path), f"cannot read the texture table ({err!r})") from None
    return packages


def default_texture_dir() -> Path:
    """Where `synth texture-pack` puts the pack unless told: <cache>/textures."""
    return cache_dir() / "textures"


def backgrounds_folder(value: str | Path | None) -> Path | None:
    """The --backgrounds option: `pack` is the fetched texture pack, which must exist;
    anything else is a folder of the user's photos (checked by BackgroundBank)."""
    if value is None:
        return None
    if str(value) != PACK_KEYWORD:
        return Path(value).expanduser()
    root = default_texture_dir()
    if not (root / MANIFEST).is_file():
        raise AugsynthError(f"texture pack not found in {root}: {FETCH_HINT}")
    return root


def _surface(globs: dict[str, str], path: PurePosixPath) -> str | None:
    for pattern, surface in globs.items():
        if fnmatch.fnmatchcase(str(path), pattern):
            return surface
    return None


def _as_png(source: Path) -> tuple[bytes, list[int]]:
    """The texture as PNG bytes, tiled to at least MIN_SIDE a side, and its [h, w]."""
    name = str(source)
    try:
        if source.suffix == ".pat":
            image = read_pattern(source.read_bytes(), name)
        else:
            with Image.open(source) as opened:
                image = opened.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as err:
        raise InputError(name, f"cannot read the texture ({err})") from None
    array = np.asarray(image)
    h, w = array.shape[:2]
    array = np.tile(array, (-(-MIN_SIDE // h), -(-MIN_SIDE // w), 1))
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), list(array.shape[:2])


def add_package(
    deb: Path, pack: Path, table: SourceTable, report: Callable[[str], None]
) -> list[dict]:
    """Extract one .deb's chosen textures into `pack/<package>/<surface>/` as PNG and its
    copyright file as `LICENSES/<package>.copyright`; returns the records of the files."""
    every = {glob: s for globs in table.values() for glob, s in globs.items()}

    def add_textures(tree: Path, package: str, copyright_text: str) -> list[dict]:
        records = []
        for source in sorted(p for p in tree.rglob("*") if p.is_file()):
            installed = PurePosixPath(source.relative_to(tree).as_posix())
            surface = _surface(table.get(package, {}), installed)
            if surface is None:
                continue
            record = _add_texture(source, pack / package / surface, report)
            if record is not None:
                record |= {"source": str(installed), "surface": surface}
                records.append(record | {"licence": path_licence(copyright_text, installed)})
        return records

    def chosen(path: PurePosixPath) -> bool:
        return _surface(every, _installed(path)) is not None

    return add_licensed_package(deb, pack, chosen, add_textures, report)


def _installed(path: PurePosixPath) -> PurePosixPath:
    """A tar member's path as installed, relative: ./usr/share/x -> usr/share/x."""
    return PurePosixPath(*[p for p in path.parts if p not in ("/", ".")])


def _add_texture(source: Path, folder: Path, report: Callable[[str], None]) -> dict | None:
    """Write one texture as PNG; a damaged file or a second file of that name is reported."""
    target = folder / (source.stem.replace(" ", "_") + ".png")
    name = f"{folder.parent.name}/{folder.name}/{target.name}"
    try:
        if target.exists():
            raise InputError(name, "a second texture of that name in the package")
        png, size = _as_png(source)
    except InputError as err:
        report(f"{name}: skipped, {err.message}")
        return None
    folder.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png)
    return {"file": name, "sha256": hashlib.sha256(png).hexdigest(), "size": size}


def fetch_textures(
    out: Path,
    table: SourceTable,
    download: Download = apt_download,
    report: Callable[[str], None] = print,
) -> list[dict]:
    """Fetch every package of the table into the texture pack `out` (built beside and moved
    into place, never half-written); `out` must be absent, empty or an earlier pack."""
    kind = PackKind(
        manifest=MANIFEST,
        noun="texture",
        add=lambda deb, pack: add_package(deb, pack, table, report),
        header={"source": "Debian packages"},
    )
    return fetch_packages(out, sorted(table), kind, download, report)


def texture_records(pack: Path) -> list[dict]:
    """The per-file records of a texture pack's manifest; a folder without one raises
    naming it."""
    return manifest_records(pack, MANIFEST, "texture", FETCH_HINT)
