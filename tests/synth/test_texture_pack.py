"""The texture pack: textures extracted from real .deb files (built here with dpkg-deb),
GIMP patterns decoded, per-file licences, bad files and packages, `synth ocr --backgrounds
pack`, and the surface-first draw. No network."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import struct
import subprocess
from collections import Counter
from functools import partial
from pathlib import Path, PurePosixPath

import numpy as np
import pytest
from PIL import Image
from test_font_pack import _same_crops_as_files, fake_download, make_mirror
from typer.testing import CliRunner

from augment.core.errors import AugsynthError, InputError
from synth import SynthCharDataset
from synth.cli import app as synth_app
from synth.fonts.debmirror import mirror_download
from synth.fonts.licences import path_licence
from synth.scene.backgrounds import BackgroundBank
from synth.textures.gimp_pattern import read_pattern
from synth.textures.pack import (
    MIN_SIDE,
    default_texture_dir,
    fetch_textures,
    load_source_table,
    texture_records,
)

pytestmark = pytest.mark.skipif(
    shutil.which("dpkg-deb") is None, reason="dpkg-deb absent: cannot build test packages"
)

GIMP = "usr/share/gimp/2.0/patterns"
MYPAINT = "usr/share/mypaint/backgrounds"
COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

Files: *
Copyright: 2005 Someone
License: GPL-2+

Files: backgrounds/cc0/*
Copyright: 2010 Someone Else
License: CC0-1.0

Files: debian/*
Copyright: 2020 Packager
License: MIT
"""
TABLE = {
    "tex-gimp": {f"{GIMP}/Wood/*.pat": "wood", f"{GIMP}/Stone/brick.pat": "stone"},
    "tex-mypaint": {f"{MYPAINT}/cc0/*.png": "paper", f"{MYPAINT}/paper*.png": "paper"},
    "tex-nolicence": {f"{MYPAINT}/paper*.png": "paper"},
}


def pattern_bytes(pixels: np.ndarray, name: str = "Wood") -> bytes:
    """A GIMP pattern (.pat) of `pixels` (H, W) grey or (H, W, 3) RGB, as GIMP writes it."""
    h, w = pixels.shape[:2]
    depth = 1 if pixels.ndim == 2 else pixels.shape[2]
    title = name.encode() + b"\0"
    header = struct.pack(">5I4s", 24 + len(title), 1, w, h, depth, b"GPAT") + title
    return header + pixels.astype(np.uint8).tobytes()


def gradient(h: int, w: int) -> np.ndarray:
    ys, xs = np.mgrid[0:h, 0:w]
    return np.stack([xs * 4 % 256, ys * 4 % 256, (xs + ys) % 256], axis=-1).astype(np.uint8)


def build_deb(root: Path, package: str, files: dict[str, bytes], copyright_text: str | None):
    tree = root / package
    (tree / "DEBIAN").mkdir(parents=True)
    (tree / "DEBIAN" / "control").write_text(
        f"Package: {package}\nVersion: 2.0-1\nArchitecture: all\n"
        "Maintainer: Test <test@example.org>\nDescription: test textures\n"
    )
    for path, data in files.items():
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        (tree / path).write_bytes(data)
    if copyright_text is not None:
        doc = tree / "usr" / "share" / "doc" / package
        doc.mkdir(parents=True)
        (doc / "copyright").write_text(copyright_text)
    deb = root / f"{package}_2.0-1_all.deb"
    subprocess.run(["dpkg-deb", "--build", str(tree), str(deb)], check=True, capture_output=True)
    return deb


def png_bytes(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def debs(tmp_path: Path) -> dict[str, Path]:
    root = tmp_path / "built"
    root.mkdir()
    grey = np.arange(50 * 40, dtype=np.uint8).reshape(50, 40)
    gimp = {
        f"{GIMP}/Wood/wood1.pat": pattern_bytes(gradient(64, 96)),
        f"{GIMP}/Wood/broken.pat": b"GPAT but nothing else",
        f"{GIMP}/Stone/brick.pat": pattern_bytes(grey, "Bricks"),
        f"{GIMP}/Legacy/warning.pat": pattern_bytes(gradient(20, 20)),  # not in the table
    }
    mypaint = {
        f"{MYPAINT}/cc0/HR Cork.png": png_bytes(gradient(300, 400)),
        f"{MYPAINT}/paper1_1.png": png_bytes(gradient(64, 64)),
    }
    return {
        "tex-gimp": build_deb(root, "tex-gimp", gimp, COPYRIGHT),
        "tex-mypaint": build_deb(root, "tex-mypaint", mypaint, COPYRIGHT),
        "tex-nolicence": build_deb(root, "tex-nolicence", mypaint, None),
    }


def test_fetch_converts_tiles_and_records_licences(tmp_path: Path, debs) -> None:
    out, messages = tmp_path / "pack", []
    records = fetch_textures(out, TABLE, fake_download(debs), messages.append)
    by_file = {r["file"]: r for r in records}
    assert sorted(by_file) == [
        "tex-gimp/stone/brick.png",
        "tex-gimp/wood/wood1.png",
        "tex-mypaint/paper/HR_Cork.png",
        "tex-mypaint/paper/paper1_1.png",
    ]
    wood = by_file["tex-gimp/wood/wood1.png"]
    assert wood["source"] == f"{GIMP}/Wood/wood1.pat" and wood["surface"] == "wood"
    assert wood["licence"] == "GPL-2+" and wood["version"] == "2.0-1"
    assert by_file["tex-mypaint/paper/HR_Cork.png"]["licence"] == "CC0-1.0"  # backgrounds/cc0/*
    image = np.asarray(Image.open(out / "tex-gimp/wood/wood1.png"))
    assert image.shape == (MIN_SIDE, 288, 3) == (*wood["size"], 3)  # 4 x 3 tiles of 64 x 96
    assert np.array_equal(image, np.tile(gradient(64, 96), (4, 3, 1)))
    brick = np.asarray(Image.open(out / "tex-gimp/stone/brick.png"))
    assert np.array_equal(brick[:50, :40, 1], np.arange(2000).reshape(50, 40) % 256)
    cork = np.asarray(Image.open(out / "tex-mypaint/paper/HR_Cork.png"))
    assert np.array_equal(cork, gradient(300, 400))  # large enough: untouched
    for record in records:
        assert record["sha256"] == hashlib.sha256((out / record["file"]).read_bytes()).hexdigest()
        assert (out / record["copyright"]).read_text() == COPYRIGHT
    assert "tex-gimp/wood/broken.png: skipped, not a GIMP pattern (too short)" in messages
    assert "tex-nolicence: skipped, no copyright file in the package (licence unknown)" in messages
    assert texture_records(out) == records


def test_a_mirror_gives_the_same_pack_and_a_bad_checksum_is_skipped(tmp_path: Path, debs) -> None:
    mirror = make_mirror(tmp_path / "mirror", debs, corrupt="tex-mypaint")
    messages: list[str] = []
    download = partial(mirror_download, mirror=mirror, suite="bookworm")
    by_mirror = fetch_textures(tmp_path / "m", TABLE, download, messages.append)
    by_apt = fetch_textures(tmp_path / "a", TABLE, fake_download(debs), print)
    assert by_mirror == [r for r in by_apt if r["package"] == "tex-gimp"]
    assert (
        "tex-mypaint: skipped, pool/main/f/tex-mypaint/tex-mypaint_2.0-1_all.deb: "
        "SHA256 differs from the index"
    ) in messages


def test_nothing_fetched_leaves_the_old_pack_and_a_foreign_folder_is_kept(
    tmp_path: Path, debs
) -> None:
    out = tmp_path / "pack"
    fetch_textures(out, TABLE, fake_download(debs), print)
    before = (out / "textures.json").read_bytes()
    with pytest.raises(AugsynthError, match="no texture could be fetched: nothing written"):
        fetch_textures(out, {"tex-absent": {"*": "paper"}}, fake_download(debs), print)
    assert (out / "textures.json").read_bytes() == before
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "wall.jpg").write_bytes(b"mine")
    with pytest.raises(InputError, match=r"not a texture pack \(no textures\.json\)"):
        fetch_textures(photos, TABLE, fake_download(debs), print)
    assert (photos / "wall.jpg").read_bytes() == b"mine"


def test_read_pattern_decodes_grey_and_rgb_and_names_a_damaged_file() -> None:
    rgb = gradient(5, 7)
    assert np.array_equal(np.asarray(read_pattern(pattern_bytes(rgb), "a.pat")), rgb)
    grey = np.asarray(read_pattern(pattern_bytes(rgb[:, :, 0]), "g.pat"))
    assert np.array_equal(grey, np.repeat(rgb[:, :, :1], 3, axis=2))
    with pytest.raises(InputError, match="cut short"):
        read_pattern(pattern_bytes(rgb)[:-1], "short.pat")
    with pytest.raises(InputError, match="no GPAT header"):
        read_pattern(b"GIMP" * 10, "brush.gbr")


def test_path_licence_tries_the_trailing_parts_of_the_installed_path() -> None:
    assert path_licence(COPYRIGHT, PurePosixPath(f"{MYPAINT}/cc0/x.png")) == "CC0-1.0"
    assert path_licence(COPYRIGHT, PurePosixPath(f"{MYPAINT}/x.png")) == "GPL-2+"
    assert path_licence(COPYRIGHT, PurePosixPath("usr/share/doc/debian/x")) == "GPL-2+"


def test_committed_table_reads_and_names_surfaces() -> None:
    table = load_source_table()
    assert {"gimp-data", "mypaint-data-extras"} <= set(table)
    surfaces = {s for globs in table.values() for s in globs.values()}
    assert {"wood", "stone", "paper", "fabric"} <= surfaces


def test_texture_pack_command_fetches_the_committed_table_from_a_mirror(
    tmp_path: Path, monkeypatch
) -> None:
    """The real command and table, offline: a mirror holding gimp-data with one pattern."""
    monkeypatch.setenv("AUGSYNTH_CACHE_DIR", str(tmp_path / "cache"))
    files = {f"{GIMP}/Wood/wood1.pat": pattern_bytes(gradient(64, 64))}
    deb = build_deb(tmp_path, "gimp-data", files, COPYRIGHT)
    mirror = make_mirror(tmp_path / "mirror", {"gimp-data": deb})
    result = CliRunner().invoke(synth_app, ["texture-pack", "--mirror", mirror])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        f"1 textures (wood 1) -> {default_texture_dir()}"
    )
    assert "mypaint-data: skipped, not in bookworm/main (binary-all) of " in result.output


def _ocr(tmp_path: Path, *args: str):
    out = tmp_path / "out"
    base = ["ocr", "-o", str(out), "--charset", "A7", "--per-class", "12", "--workers", "1"]
    return out, CliRunner().invoke(synth_app, base + list(args))


def test_ocr_cuts_backgrounds_from_the_fetched_pack(tmp_path: Path, debs, monkeypatch) -> None:
    monkeypatch.setenv("AUGSYNTH_CACHE_DIR", str(tmp_path / "cache"))
    fetch_textures(default_texture_dir(), TABLE, fake_download(debs), print)
    config = tmp_path / "synth.yaml"
    config_render = {"backgrounds": {"image": 1.0}}
    config.write_text(f"render: {json.dumps(config_render)}\n")
    out, result = _ocr(tmp_path, "--backgrounds", "pack", "--config", str(config))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    used = {row["params"]["render"]["background"]["file"] for row in rows}
    packed = {r["file"] for r in texture_records(default_texture_dir())}
    assert used and used <= packed
    run = json.loads((out / "run.json").read_text())
    assert run["command"]["backgrounds"] == str(default_texture_dir().resolve())
    data = SynthCharDataset("A7", per_class=12, backgrounds="pack", render=config_render)
    _same_crops_as_files(out, data)


def test_a_missing_texture_pack_says_how_to_fetch_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AUGSYNTH_CACHE_DIR", str(tmp_path / "empty-cache"))
    out, result = _ocr(tmp_path, "--backgrounds", "pack")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: texture pack not found in {tmp_path / 'empty-cache' / 'textures'}: "
        "fetch it with `synth texture-pack` (needs apt-get and network, or --mirror URL)"
    ]
    assert not out.exists()
    with pytest.raises(AugsynthError, match=r"texture pack not found in .*synth texture-pack"):
        SynthCharDataset("A7", per_class=2, backgrounds="pack")


def test_a_pack_draws_surfaces_evenly_then_files(tmp_path: Path, debs) -> None:
    """3 paper files and 1 stone, 1 wood: counted over an even grid of draws, each surface
    gets a third, each paper file a ninth; a plain folder draws files evenly."""
    out = tmp_path / "pack"
    fetch_textures(out, TABLE, fake_download(debs), print)
    extra = out / "tex-mypaint" / "paper" / "extra.png"
    shutil.copyfile(out / "tex-mypaint" / "paper" / "paper1_1.png", extra)
    manifest = json.loads((out / "textures.json").read_text())
    manifest["textures"].append({"file": "tex-mypaint/paper/extra.png", "surface": "paper"})
    (out / "textures.json").write_text(json.dumps(manifest))
    points = (np.arange(9000) + 0.5) / 9000
    picks = Counter(BackgroundBank(out).pick(p) for p in points)
    surfaces = Counter(name.split("/")[1] for name in picks.elements())
    assert surfaces == {"paper": 3000, "stone": 3000, "wood": 3000}
    assert picks["tex-mypaint/paper/extra.png"] == 1000
    (out / "textures.json").unlink()
    plain = Counter(BackgroundBank(out).pick(p) for p in points)
    assert set(plain.values()) == {1800}
