"""Read a Debian binary package (.deb) in Python, so the font pack needs no dpkg-deb.

A .deb is an `ar` archive of `debian-binary`, `control.tar.*` (the control fields) and
`data.tar.*` (the installed files), each tar compressed with gzip, xz or bzip2, or not at
all, read by Python's tarfile; zstd (Ubuntu's packages since 21.10) through dpkg-deb.
Only regular files are extracted (a symlinked font is a duplicate), each under `dest`
whatever its path says.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from augment.core.errors import InputError

AR_MAGIC = b"!<arch>\n"
AR_HEADER = 60


def ar_members(data: bytes, name: str) -> dict[str, bytes]:
    """Member name -> bytes of an ar archive (`name` only labels errors)."""
    if not data.startswith(AR_MAGIC):
        raise InputError(name, "not a Debian package (no ar header)")
    members, at = {}, len(AR_MAGIC)
    while at + AR_HEADER <= len(data):
        header = data[at : at + AR_HEADER]
        if header[58:60] != b"`\n":
            raise InputError(name, f"damaged ar member header at byte {at}")
        member = header[:16].decode("ascii", "replace").strip().rstrip("/")
        size = int(header[48:58].decode("ascii").strip() or 0)
        members[member] = data[at + AR_HEADER : at + AR_HEADER + size]
        at += AR_HEADER + size + (size % 2)
    return members


def _tar(members: dict[str, bytes], stem: str, deb: Path) -> tarfile.TarFile:
    for member, blob in members.items():
        if member.startswith(stem):
            if member.endswith(".zst"):
                blob = _dpkg_deb_tar(deb, stem)
            return tarfile.open(fileobj=io.BytesIO(blob), mode="r:*")
    raise InputError(str(deb), f"no {stem}.* member")


def _dpkg_deb_tar(deb: Path, stem: str) -> bytes:
    """A zstd member (Ubuntu's packages), which Python's tarfile cannot read, uncompressed
    by dpkg-deb: an Ubuntu system that fetched it with apt-get has dpkg-deb."""
    option = "--ctrl-tarfile" if stem == "control.tar" else "--fsys-tarfile"
    try:
        done = subprocess.run(["dpkg-deb", option, str(deb)], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as err:
        raise InputError(str(deb), f"{stem}.zst: zstd needs dpkg-deb ({err})") from None
    return done.stdout


def control_fields(control_text: str) -> dict[str, str]:
    """The first line of each field of a control file (Package, Version, ...)."""
    fields = {}
    for line in control_text.splitlines():
        if line and not line[0].isspace() and ":" in line:
            key, value = line.split(":", 1)
            fields[key] = value.strip()
    return fields


def extract_deb(deb: Path, dest: Path, wanted: Callable[[PurePosixPath], bool]) -> dict[str, str]:
    """Extract the regular files of `deb` whose path `wanted` accepts into `dest` (same
    relative paths); returns the package's control fields. A damaged package raises
    InputError naming it."""
    try:
        members = ar_members(deb.read_bytes(), str(deb))
        with _tar(members, "control.tar", deb) as control:
            names = {m.name.removeprefix("./"): m for m in control.getmembers()}
            found = control.extractfile(names["control"])  # KeyError: no control file
            assert found is not None  # extractfile gives None only for a non-file member
            fields = control_fields(found.read().decode("utf-8", "replace"))
        with _tar(members, "data.tar", deb) as data:
            for member in data:
                path = PurePosixPath(member.name)
                if not member.isfile() or ".." in path.parts or not wanted(path):
                    continue
                target = dest.joinpath(*[p for p in path.parts if p not in ("/", ".")])
                target.parent.mkdir(parents=True, exist_ok=True)
                source = data.extractfile(member)
                assert source is not None
                target.write_bytes(source.read())
    except (OSError, tarfile.TarError, KeyError, ValueError, EOFError) as err:
        raise InputError(
            str(deb), f"cannot read the package ({type(err).__name__}: {err})"
        ) from None
    return fields
