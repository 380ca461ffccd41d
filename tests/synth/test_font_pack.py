"""The font pack: extraction from real .deb files (built here with dpkg-deb), licence
records, style filtering, bad packages, and the family weighting. No network."""

from __future__ import annotations

import hashlib
import json
import lzma
import os
import shutil
import subprocess
from collections import Counter
from functools import partial
from pathlib import Path

import numpy as np
import pytest
import typer
from PIL import Image
from synth_paths import DSEG7, FONTS
from typer.testing import CliRunner

from augment.core.errors import AugsynthError, InputError
from synth import SynthCharDataset
from synth.cli import app as synth_app
from synth.fonts.coverage import CoverageCache
from synth.fonts.debfetch import apt_download
from synth.fonts.debfile import extract_deb
from synth.fonts.debmirror import mirror_download
from synth.fonts.licences import file_licence
from synth.fonts.pack import (
    STYLE_GROUPS,
    PackRequest,
    StyleTable,
    fetch_pack,
    load_style_table,
    pack_records,
)
from synth.fonts.pack_cli import fetch_command
from synth.fonts.source import FontSource, default_pack_dir, font_source
from synth.run.plan import balanced_tasks

pytestmark = pytest.mark.skipif(
    shutil.which("dpkg-deb") is None, reason="dpkg-deb absent: cannot build test packages"
)

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
DEJAVU_COPYRIGHT = FONTS / "DejaVu" / "copyright.fonts-dejavu-core"
TABLE = StyleTable(
    packages={
        "fonts-test-dejavu": "sans",
        "fonts-test-dseg": "dotmatrix",
        "fonts-nolicence": "sans",
    },
    families={"fonts-test-dejavu": {"DejaVu Sans Mono": "mono"}},
    allow={"DSEG7*": "0123456789"},
)


def build_deb(
    root: Path, package: str, fonts: list[Path], copyright_file: Path | None, compression="xz"
) -> Path:
    """A minimal binary package: fonts under /usr/share/fonts, copyright under /usr/share/doc,
    plus a symlinked font (a duplicate the pack must not copy twice) and a damaged font."""
    tree = root / package
    (tree / "DEBIAN").mkdir(parents=True)
    (tree / "DEBIAN" / "control").write_text(
        f"Package: {package}\nVersion: 1.2-3\nArchitecture: all\n"
        "Maintainer: Test <test@example.org>\nDescription: test fonts\n"
    )
    font_dir = tree / "usr" / "share" / "fonts" / "truetype" / package
    font_dir.mkdir(parents=True)
    for font in fonts:
        shutil.copyfile(font, font_dir / font.name)
    (font_dir / f"link-{fonts[0].name}").symlink_to(fonts[0].name)
    (font_dir / "Broken.ttf").write_bytes(b"not a font at all")
    if copyright_file is not None:
        doc = tree / "usr" / "share" / "doc" / package
        doc.mkdir(parents=True)
        shutil.copyfile(copyright_file, doc / "copyright")
    deb = root / f"{package}_1.2-3_all.deb"
    build = ["dpkg-deb", f"-Z{compression}", "--build", str(tree), str(deb)]
    subprocess.run(build, check=True, capture_output=True)
    return deb


@pytest.fixture
def debs(tmp_path: Path) -> dict[str, Path]:
    root = tmp_path / "built"
    root.mkdir()
    dejavu = [FONTS / "DejaVu" / "DejaVuSans.ttf", FONTS / "DejaVu" / "DejaVuSansMono.ttf"]
    return {
        "fonts-test-dejavu": build_deb(root, "fonts-test-dejavu", dejavu, DEJAVU_COPYRIGHT),
        "fonts-test-dseg": build_deb(
            root, "fonts-test-dseg", [DSEG7], FONTS / "DSEG" / "copyright.fonts-dseg"
        ),
        "fonts-nolicence": build_deb(root, "fonts-nolicence", dejavu[:1], None),
    }


def fake_download(debs: dict[str, Path]):
    """Like apt_download: a .deb copied into `dest` per known package, else the reason."""

    def download(packages: list[str], dest: Path) -> dict[str, Path | str]:
        return {
            p: Path(shutil.copy(debs[p], dest)) if p in debs else f"E: Unable to locate {p}"
            for p in packages
        }

    return download


def request(styles=None, table=TABLE, tmp: Path | None = None) -> PackRequest:
    return PackRequest(ALNUM, styles, table, CoverageCache(tmp))


def test_fetch_extracts_fonts_with_licence_records(tmp_path: Path, debs) -> None:
    out, messages = tmp_path / "pack", []
    records = fetch_pack(out, request(), fake_download(debs), messages.append)
    by_file = {r["file"]: r for r in records}
    assert sorted(by_file) == [
        "fonts-test-dejavu/DejaVuSans.ttf",
        "fonts-test-dejavu/DejaVuSansMono.ttf",
        "fonts-test-dseg/DSEG7Classic-Regular.ttf",
    ]
    sans = by_file["fonts-test-dejavu/DejaVuSans.ttf"]
    assert sans["package"] == "fonts-test-dejavu" and sans["version"] == "1.2-3"
    assert sans["licence"] == "bitstream-vera"  # the fonts' stanza, not debian/*'s GPL-2+
    assert sans["licence_in_font"] == "http://dejavu.sourceforge.net/wiki/index.php/License"
    assert (out / sans["copyright"]).read_bytes() == DEJAVU_COPYRIGHT.read_bytes()
    assert sans["sha256"] == hashlib.sha256((out / sans["file"]).read_bytes()).hexdigest()
    assert sans["group"] == "sans" and sans["covers"] == ALNUM
    assert by_file["fonts-test-dejavu/DejaVuSansMono.ttf"]["group"] == "mono"
    dseg = by_file["fonts-test-dseg/DSEG7Classic-Regular.ttf"]
    assert dseg["covers"] == "0123456789"  # the allow-list written beside it applies
    assert (out / "fonts-test-dseg" / "DSEG7Classic-Regular.chars").read_text() == "0123456789"
    assert not list(out.rglob("link-*")) and not list(out.rglob("Broken.ttf"))
    assert any(
        m.startswith("fonts-test-dejavu/Broken.ttf: skipped, not a readable font") for m in messages
    )
    manifest = json.loads((out / "fonts.json").read_text())
    assert manifest["fonts"] == records and manifest["charset"] == ALNUM
    assert any("fonts-nolicence: skipped, no copyright file" in m for m in messages)
    assert not (out / "fonts-nolicence").exists()


def test_fetch_keeps_only_requested_styles(tmp_path: Path, debs) -> None:
    records = fetch_pack(tmp_path / "p", request({"mono"}), fake_download(debs), print)
    assert [r["file"] for r in records] == ["fonts-test-dejavu/DejaVuSansMono.ttf"]


def test_failed_package_is_reported_and_the_rest_fetched(tmp_path: Path, debs) -> None:
    table = StyleTable({**TABLE.packages, "fonts-missing": "serif"}, TABLE.families, {})
    messages = []
    records = fetch_pack(tmp_path / "p", request(table=table), fake_download(debs), messages.append)
    assert len(records) == 3
    assert "fonts-missing: skipped, E: Unable to locate fonts-missing" in messages


def test_nothing_fetched_leaves_the_old_pack(tmp_path: Path, debs) -> None:
    out = tmp_path / "pack"
    fetch_pack(out, request({"mono"}), fake_download(debs), print)
    before = (out / "fonts.json").read_bytes()
    with pytest.raises(AugsynthError, match="nothing written"):
        fetch_pack(out, request({"mono"}), fake_download({}), print)
    assert (out / "fonts.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["built", "pack"]  # no temporary left


def test_refuses_to_replace_a_folder_that_is_not_a_pack(tmp_path: Path, debs) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(InputError, match="not a font pack"):
        fetch_pack(out, request(), fake_download(debs), print)
    assert (out / "notes.txt").read_text() == "keep me"


def test_cli_rejects_an_unknown_style_in_one_line(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(fetch_command)
    result = CliRunner().invoke(app, ["-o", str(tmp_path / "p"), "--styles", "gothic"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: unknown style group(s) ['gothic']: use {STYLE_GROUPS}"
    ]
    assert not (tmp_path / "p").exists()


def test_file_licence_is_the_last_matching_stanza_outside_debian() -> None:
    text = (
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
        "Files: *\nCopyright: 2020 A\nLicense: OFL-1.1\n full text\n .\n more\n\n"
        "Files: Play-*.ttf\n  src/Mono*.otf\nLicense: Apache-2.0\n\n"
        "Files: hinted/*\nLicense: MIT\n\n"
        "Files: debian/*\nLicense: GPL-2+\n"
    )
    assert file_licence(text, "Other-Regular.ttf") == "OFL-1.1"
    assert file_licence(text, "Play-Bold.ttf") == "Apache-2.0"
    assert file_licence(text, "MonoSpace.otf") == "Apache-2.0"  # a continuation line's glob
    assert file_licence("This font is in the public domain.\n", "x.ttf") == "see copyright file"


def test_committed_style_table_is_valid_and_spans_the_groups() -> None:
    table = load_style_table()
    groups = set(table.packages.values()) | {
        g for overrides in table.families.values() for g in overrides.values()
    }
    assert groups <= set(STYLE_GROUPS)
    assert set(STYLE_GROUPS) - groups <= {"stencil"}  # Debian ships no open stencil font
    assert table.packages_in({"mono"}) == sorted(
        p
        for p, g in table.packages.items()
        if g == "mono" or "mono" in table.families.get(p, {}).values()
    )


def test_style_table_errors_name_the_entry(tmp_path: Path) -> None:
    bad = tmp_path / "styles.json"
    bad.write_text(json.dumps({"packages": {"fonts-x": "gothic"}}))
    with pytest.raises(InputError, match="fonts-x: unknown style group 'gothic'"):
        load_style_table(bad)


def test_apt_download_falls_back_to_one_call_per_package(tmp_path: Path, monkeypatch) -> None:
    """A stand-in apt-get on PATH: one unknown name fails the whole call, as apt-get does."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "apt-get"
    script.write_text(
        '#!/bin/sh\nshift\nfor p in "$@"; do case $p in fonts-*) ;; *) '
        'echo "E: Unable to locate package $p" >&2; exit 100;; esac; done\n'
        'for p in "$@"; do touch "${p}_1.0_all.deb"; done\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    dest = tmp_path / "debs"
    dest.mkdir()
    fetched = apt_download(["fonts-a", "nonsense", "fonts-b"], dest)
    assert fetched["fonts-a"] == dest / "fonts-a_1.0_all.deb"
    assert fetched["fonts-b"] == dest / "fonts-b_1.0_all.deb"
    assert fetched["nonsense"] == "apt-get download nonsense: E: Unable to locate package nonsense"


# --- using a pack: `synth ocr --fonts pack --font-groups ...` -----------------------------


@pytest.fixture
def fetched(tmp_path: Path, debs, monkeypatch) -> Path:
    """The test packages fetched into the default pack folder of a fresh user cache, plus a
    package holding two files of one family (Roboto) beside a one-file family."""
    monkeypatch.setenv("AUGSYNTH_CACHE_DIR", str(tmp_path / "cache"))
    roboto = [FONTS / "Roboto" / "Roboto-Regular.ttf", FONTS / "Roboto" / "Roboto-Thin.ttf"]
    copyright_file = FONTS / "Roboto" / "copyright.fonts-roboto-unhinted"
    debs = debs | {
        "fonts-test-roboto": build_deb(tmp_path, "fonts-test-roboto", roboto, copyright_file)
    }
    table = StyleTable({**TABLE.packages, "fonts-test-roboto": "sans"}, TABLE.families, TABLE.allow)
    fetch_pack(default_pack_dir(), request(table=table), fake_download(debs), print)
    return default_pack_dir()


def _ocr(tmp_path: Path, *args: str):
    out = tmp_path / "out"
    base = ["ocr", "-o", str(out), "--charset", "A7", "--per-class", "8", "--workers", "1"]
    return out, CliRunner().invoke(synth_app, base + list(args))


def _fonts_used(out: Path) -> Counter:
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    return Counter(row["font"] for row in rows)


def test_ocr_uses_the_fetched_pack_by_keyword_and_keeps_only_the_groups(
    tmp_path: Path, fetched: Path
) -> None:
    out, result = _ocr(tmp_path, "--fonts", "pack", "--font-groups", "mono,dotmatrix")
    assert result.exit_code == 0, result.output
    used = _fonts_used(out)
    assert set(used) == {
        "fonts-test-dejavu/DejaVuSansMono.ttf",
        "fonts-test-dseg/DSEG7Classic-Regular.ttf",
    }
    assert used["fonts-test-dseg/DSEG7Classic-Regular.ttf"] == 4  # half of the 7s, no A
    run = json.loads((out / "run.json").read_text())
    assert run["command"]["font_groups"] == ["dotmatrix", "mono"]
    assert run["command"]["fonts"] == str(fetched.resolve())


def test_groups_alone_mean_the_fetched_pack(tmp_path: Path, fetched: Path) -> None:
    out, result = _ocr(tmp_path, "--font-groups", "mono")
    assert result.exit_code == 0, result.output
    assert set(_fonts_used(out)) == {"fonts-test-dejavu/DejaVuSansMono.ttf"}


def test_pack_families_share_a_class_by_family_not_by_file(tmp_path: Path, fetched: Path) -> None:
    """Roboto comes in two files, DejaVu Sans in one: each family gets half of the A's."""
    out, result = _ocr(tmp_path, "--fonts", str(fetched), "--font-groups", "sans")
    assert result.exit_code == 0, result.output
    used = _fonts_used(out)
    assert used["fonts-test-dejavu/DejaVuSans.ttf"] == 8  # 4 A's and 4 7's
    assert used["fonts-test-roboto/Roboto-Regular.ttf"] == 4
    assert used["fonts-test-roboto/Roboto-Thin.ttf"] == 4


def test_a_missing_pack_says_how_to_fetch_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AUGSYNTH_CACHE_DIR", str(tmp_path / "empty-cache"))
    for args in (["--fonts", "pack"], ["--font-groups", "serif"]):
        out, result = _ocr(tmp_path, *args)
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [
            f"error: font pack not found in {tmp_path / 'empty-cache' / 'fonts'}: "
            "fetch it with `synth font-pack` (needs apt-get and network)"
        ]
        assert not out.exists()


def test_font_groups_need_a_pack_and_known_names(tmp_path: Path, fetched: Path) -> None:
    _, plain = _ocr(tmp_path, "--fonts", str(FONTS), "--font-groups", "serif")
    assert plain.exit_code == 1 and len(plain.output.strip().splitlines()) == 1
    assert f"{FONTS}: no font pack here (no fonts.json)" in plain.output
    _, unknown = _ocr(tmp_path, "--fonts", "pack", "--font-groups", "serif,gothic")
    assert unknown.exit_code == 1
    assert unknown.output.strip() == f"error: --font-groups: unknown ['gothic']; use {STYLE_GROUPS}"
    _, empty = _ocr(tmp_path, "--fonts", "pack", "--font-groups", "stencil")
    assert empty.exit_code == 1
    assert empty.output.strip() == f"error: {fetched}: no font in style groups ['stencil']"


def test_font_source_loads_only_the_group_files(fetched: Path) -> None:
    fonts = font_source("pack", "dotmatrix").load(ALNUM)
    assert list(fonts.faces) == ["fonts-test-dseg/DSEG7Classic-Regular.ttf"]
    assert fonts.coverage["fonts-test-dseg/DSEG7Classic-Regular.ttf"] == "0123456789"
    assert FontSource().load("A").root == FONTS  # no options: the bundled fonts


def test_a_fetched_pack_rotates_over_style_groups_then_families(fetched: Path) -> None:
    fonts = font_source("pack", None).load("A7")
    tasks = list(balanced_tasks("A7", fonts, 12))
    groups = {c: Counter(fonts.groups[t["font"]] for t in tasks if t["char"] == c) for c in "A7"}
    assert groups["A"] == {"sans": 6, "mono": 6}
    assert groups["7"] == {"sans": 4, "mono": 4, "dotmatrix": 4}
    sans_a = Counter(
        fonts.faces[t["font"]].family
        for t in tasks
        if t["char"] == "A" and fonts.groups[t["font"]] == "sans"
    )
    assert sans_a == {"DejaVu Sans": 3, "Roboto": 3}


def test_fonts_lists_the_pack_with_its_groups(fetched: Path) -> None:
    result = CliRunner().invoke(synth_app, ["fonts", "pack", "--json", "--charset", "digits"])
    assert result.exit_code == 0, result.output
    rows = {row["file"]: row for row in map(json.loads, result.output.splitlines())}
    assert rows["fonts-test-dseg/DSEG7Classic-Regular.ttf"]["group"] == "dotmatrix"
    assert rows["fonts-test-roboto/Roboto-Thin.ttf"]["group"] == "sans"
    assert rows["fonts-test-dejavu/DejaVuSansMono.ttf"]["group"] == "mono"


# --- without apt: a mirror URL, and the .deb read in Python --------------------------------


def make_mirror(root: Path, debs: dict[str, Path], corrupt: str | None = None) -> str:
    """A Debian mirror on disk (file:// URL): pool files and the suite's binary-all index,
    with `corrupt`'s SHA256 wrong."""
    stanzas = []
    for package, deb in debs.items():
        pool = root / "pool" / "main" / "f" / package
        pool.mkdir(parents=True)
        shutil.copyfile(deb, pool / deb.name)
        digest = hashlib.sha256(deb.read_bytes()).hexdigest()
        digest = "0" * 64 if package == corrupt else digest
        stanzas.append(
            f"Package: {package}\nVersion: 1.2-3\nArchitecture: all\n"
            f"Filename: pool/main/f/{package}/{deb.name}\nSHA256: {digest}\n"
        )
    index = root / "dists" / "bookworm" / "main" / "binary-all"
    index.mkdir(parents=True)
    (index / "Packages.xz").write_bytes(lzma.compress("\n".join(stanzas).encode()))
    return root.as_uri()


def test_a_mirror_gives_the_same_pack_as_apt(tmp_path: Path, debs) -> None:
    mirror = make_mirror(tmp_path / "mirror", debs, corrupt="fonts-nolicence")
    messages: list[str] = []
    download = partial(mirror_download, mirror=mirror, suite="bookworm")
    table = StyleTable({**TABLE.packages, "fonts-absent": "serif"}, TABLE.families, TABLE.allow)
    by_mirror = fetch_pack(tmp_path / "m", request(table=table), download, messages.append)
    by_apt = fetch_pack(tmp_path / "a", request(), fake_download(debs), print)
    assert by_mirror == by_apt
    assert "fonts-absent: skipped, not in bookworm/main (binary-all) of " + mirror in messages
    assert (
        "fonts-nolicence: skipped, pool/main/f/fonts-nolicence/fonts-nolicence_1.2-3_all.deb: "
        "SHA256 differs from the index"
    ) in messages


def test_font_pack_command_fetches_from_a_mirror(tmp_path: Path, monkeypatch) -> None:
    """The real command and style table, offline: a mirror holding one table package,
    first without its copyright file (refused: licence unknown), then with it."""
    monkeypatch.setenv("AUGSYNTH_CACHE_DIR", str(tmp_path / "cache"))
    hack = [FONTS / "Hack" / "Hack-Regular.ttf"]
    outputs = []
    for run, licence in (("bare", None), ("licensed", FONTS / "Hack" / "copyright.fonts-hack")):
        (tmp_path / run).mkdir()
        deb = build_deb(tmp_path / run, "fonts-hack", hack, licence)
        mirror = make_mirror(tmp_path / run / "mirror", {"fonts-hack": deb})
        args = ["font-pack", "--styles", "mono", "--mirror", mirror, "--charset", "digits"]
        outputs.append(CliRunner().invoke(synth_app, args))
    bare, licensed = outputs
    assert bare.exit_code == 1 and "fonts-hack: skipped, no copyright file" in bare.output
    assert bare.output.strip().splitlines()[-1] == (
        "error: no font could be fetched: nothing written"
    )
    assert licensed.exit_code == 0, licensed.output
    last = licensed.output.strip().splitlines()[-1]
    assert last == f"1 fonts, 1 families -> {default_pack_dir()}"
    (record,) = pack_records(default_pack_dir())
    assert record["file"] == "fonts-hack/Hack-Regular.ttf" and record["group"] == "mono"


def test_without_apt_or_a_mirror_the_fetch_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no apt-get anywhere
    result = CliRunner().invoke(synth_app, ["font-pack", "-o", str(tmp_path / "p")])
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == "error: apt-get: not found; on a system without apt pass --mirror URL"
    )
    assert not (tmp_path / "p").exists()


def test_a_damaged_package_is_skipped_by_name(tmp_path: Path, debs) -> None:
    broken = tmp_path / "fonts-test-dseg_1.2-3_all.deb"
    broken.write_bytes(debs["fonts-test-dseg"].read_bytes()[:3000])  # cut short
    messages: list[str] = []
    records = fetch_pack(
        tmp_path / "p",
        request(),
        fake_download(debs | {"fonts-test-dseg": broken}),
        messages.append,
    )
    assert {r["package"] for r in records} == {"fonts-test-dejavu"}
    assert any(
        m.startswith("fonts-test-dseg: skipped, ") and "cannot read the package" in m
        for m in messages
    ), messages
    not_deb = tmp_path / "x.deb"
    not_deb.write_bytes(b"hello")
    with pytest.raises(InputError, match="not a Debian package"):
        extract_deb(not_deb, tmp_path / "x", lambda _: True)


def test_extract_deb_reads_what_dpkg_deb_wrote(tmp_path: Path, debs) -> None:
    out = tmp_path / "tree"
    fields = extract_deb(debs["fonts-test-dejavu"], out, lambda p: p.suffix == ".ttf")
    assert fields["Package"] == "fonts-test-dejavu" and fields["Version"] == "1.2-3"
    font_dir = out / "usr" / "share" / "fonts" / "truetype" / "fonts-test-dejavu"
    assert sorted(p.name for p in font_dir.iterdir()) == [
        "Broken.ttf",
        "DejaVuSans.ttf",
        "DejaVuSansMono.ttf",
    ]  # fmt: skip  (the symlinked copy is left out)
    assert (font_dir / "DejaVuSans.ttf").read_bytes() == (
        FONTS / "DejaVu" / "DejaVuSans.ttf"
    ).read_bytes()
    assert not (out / "usr" / "share" / "doc").exists()


@pytest.mark.parametrize("compression", ["gzip", "zstd", "none"])
def test_extract_deb_reads_every_compression(tmp_path: Path, compression: str) -> None:
    font = FONTS / "Hack" / "Hack-Regular.ttf"
    deb = build_deb(tmp_path, "fonts-z", [font], None, compression)
    fields = extract_deb(deb, tmp_path / "tree", lambda p: p.name == font.name)
    assert fields["Package"] == "fonts-z"
    (found,) = (tmp_path / "tree").rglob(font.name)
    assert found.read_bytes() == font.read_bytes()


def _same_crops_as_files(out: Path, data: SynthCharDataset) -> None:
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(rows) == len(data)
    for row in rows:
        written = np.asarray(Image.open(out / row["file"]).convert("RGB"))
        sample = data.sample(row["index"])
        assert sample.extra["font"] == row["font"]
        assert sample.image.tobytes() == written.tobytes()


def test_the_training_dataset_takes_the_pack_and_its_groups_as_synth_ocr_does(
    tmp_path: Path, fetched: Path
) -> None:
    out, result = _ocr(tmp_path, "--fonts", "pack", "--font-groups", "mono,dotmatrix")
    assert result.exit_code == 0, result.output
    data = SynthCharDataset("A7", per_class=8, fonts="pack", font_groups="mono,dotmatrix")
    assert set(data.fonts.faces) == set(_fonts_used(out))
    _same_crops_as_files(out, data)
    only_groups = SynthCharDataset("A7", per_class=8, font_groups="mono")
    assert list(only_groups.fonts.faces) == ["fonts-test-dejavu/DejaVuSansMono.ttf"]


def test_the_training_dataset_says_how_to_fetch_a_missing_pack(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AUGSYNTH_CACHE_DIR", str(tmp_path / "empty-cache"))
    with pytest.raises(AugsynthError, match=r"font pack not found in .*synth font-pack"):
        SynthCharDataset("A7", per_class=2, fonts="pack")
