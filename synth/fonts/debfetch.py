"""Fetch Debian packages into a pack folder: shared by the font pack and the texture pack.

A pack (fonts, photo textures) is built from .deb files fetched with `apt-get download` or
from a mirror URL (synth.fonts.debmirror, each file checked against the suite's SHA256),
one package at a time through the pack's own `add` step (extract, check, record licences).
The pack is built in a sibling folder and moved into place at the end, so the folder is
either the old pack or the new one, never half-written; a package that fails is reported
and skipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from augment.core.errors import AugsynthError, InputError
from augment.dataset.atomic import write_atomic
from synth.fonts.debfile import extract_deb
from synth.fonts.debmirror import mirror_download

Download = Callable[[list[str], Path], dict[str, Path | str]]
LICENCE_DIR = "LICENSES"  # a pack keeps each package's copyright file here
# (extracted tree, package name, copyright text) -> records of the files added to the pack
AddFiles = Callable[[Path, str, str], list[dict]]


def _run(args: list[str], cwd: Path | None = None) -> str:
    """Run a packaging tool; a missing tool or a failure raises AugsynthError naming it."""
    try:
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise AugsynthError(f"{args[0]}: not found (without apt, pass --mirror URL)") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise AugsynthError(f"{' '.join(args[:3])}: {last}")
    return done.stdout


def apt_download(packages: list[str], dest: Path) -> dict[str, Path | str]:
    """Each package's .deb from the configured Debian mirror (`apt-get download`), or the
    reason it could not be fetched. One apt-get call for all (a call per package costs
    seconds); if that fails, one call per package so one bad name costs only itself."""
    try:
        _run(["apt-get", "download", *packages], cwd=dest)
    except AugsynthError as err:
        if len(packages) == 1:
            return {packages[0]: str(err)}
        fetched: dict[str, Path | str] = {}
        for package in packages:
            fetched |= apt_download([package], dest)
        return fetched
    found = {p: sorted(dest.glob(f"{p}_*.deb")) for p in packages}
    return {p: debs[-1] if debs else "apt-get wrote no .deb" for p, debs in found.items()}


def downloader(mirror: str | None, suite: str) -> Download:
    """apt-get download, or the mirror when one is given; neither is a one-line error."""
    if mirror is not None:
        return partial(mirror_download, mirror=mirror, suite=suite)
    if shutil.which("apt-get") is None:
        raise AugsynthError("apt-get: not found; on a system without apt pass --mirror URL")
    return apt_download


@dataclass(frozen=True)
class PackKind:
    """What kind of pack a fetch builds. manifest: the file that marks a finished pack;
    noun: what it holds, for messages ("font"); add: (deb, pack folder) -> the records of
    the files kept from that package; header: manifest fields written before the records,
    which go under `<noun>s`."""

    manifest: str
    noun: str
    add: Callable[[Path, Path], list[dict]]
    header: dict[str, Any]


def fetch_packages(
    out: Path, packages: list[str], kind: PackKind, download: Download, report: Callable
) -> list[dict]:
    """Fetch `packages` into the pack folder `out` and write its manifest; returns the
    records. `out` must be absent, empty or an earlier pack of this kind."""
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / kind.manifest).is_file():
        message = f"exists and is not a {kind.noun} pack (no {kind.manifest}): not replaced"
        raise InputError(str(out), message)
    out.parent.mkdir(parents=True, exist_ok=True)
    records: list[dict] = []
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as tmp:
        pack, debs = Path(tmp) / "pack", Path(tmp) / "debs"
        pack.mkdir()
        debs.mkdir()
        for package, deb in download(packages, debs).items():
            try:
                if isinstance(deb, str):
                    raise AugsynthError(deb)
                records += kind.add(deb, pack)
            except AugsynthError as err:
                report(f"{package}: skipped, {err}")
        if not records:
            raise AugsynthError(f"no {kind.noun} could be fetched: nothing written")
        manifest = kind.header | {f"{kind.noun}s": records}
        write_atomic(
            pack / kind.manifest, json.dumps(manifest, indent=1, ensure_ascii=False).encode()
        )
        if out.exists():
            shutil.rmtree(out)
        pack.rename(out)
    return records


def manifest_records(pack: Path, manifest: str, kind: str, hint: str) -> list[dict]:
    """The per-file records (key `kind + "s"`) of a pack's manifest: a folder without one
    raises saying how to fetch the pack (`hint`), a damaged one naming the file."""
    path = pack / manifest
    if not path.is_file():
        raise AugsynthError(f"{pack}: no {kind} pack here (no {manifest}); {hint}")
    try:
        return list(json.loads(path.read_text(encoding="utf-8"))[f"{kind}s"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise InputError(str(path), f"not a {kind} pack manifest ({err!r})") from None


def add_licensed_package(
    deb: Path,
    pack: Path,
    wanted: Callable[[PurePosixPath], bool],
    add_files: AddFiles,
    report: Callable[[str], None],
) -> list[dict]:
    """Extract the members of `deb` that `wanted` chooses, with its copyright file, into a
    temporary tree; `add_files` adds the pack's files from it. Each record gains the
    package, its version and where its copyright file is kept (LICENCE_DIR), which is
    written only when a file was added. A package without a copyright file is skipped:
    its licence is unknown."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        fields = extract_deb(deb, tree, lambda path: wanted(path) or _is_copyright(path))
        package, version = fields.get("Package", deb.name), fields.get("Version", "")
        copyright_file = tree / "usr" / "share" / "doc" / package / "copyright"
        if not copyright_file.is_file():
            report(f"{package}: skipped, no copyright file in the package (licence unknown)")
            return []
        text = copyright_file.read_text(encoding="utf-8", errors="replace")
        origin = {
            "package": package,
            "version": version,
            "copyright": f"{LICENCE_DIR}/{package}.copyright",
        }
        records = [origin | record for record in add_files(tree, package, text)]
        if records:
            write_atomic(pack / origin["copyright"], text.encode("utf-8"))
    return records


def _is_copyright(path: PurePosixPath) -> bool:
    return path.name == "copyright" and "doc" in path.parts
