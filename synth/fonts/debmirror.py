"""Fetch .deb files straight from a Debian mirror, for machines without apt-get.

Font packages are architecture-independent, so a suite's `main/binary-all/Packages.xz`
index lists them with each file's pool path and SHA256; every download is checked against
it. The index itself is taken as the mirror serves it (apt would also check its signature):
use an https mirror you trust, e.g. the one in a Debian machine's apt sources.
"""

from __future__ import annotations

import hashlib
import lzma
import urllib.error
import urllib.request
from pathlib import Path

from augment.core.errors import AugsynthError
from synth.fonts.debfile import control_fields

TIMEOUT_S = 120


def _get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            return response.read()
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise AugsynthError(f"{url}: cannot fetch ({err})") from None


def read_index(mirror: str, suite: str) -> dict[str, dict[str, str]]:
    """Package -> its fields (Version, Filename, SHA256...) in the suite's binary-all index."""
    url = f"{mirror.rstrip('/')}/dists/{suite}/main/binary-all/Packages.xz"
    try:
        text = lzma.decompress(_get(url)).decode("utf-8", "replace")
    except lzma.LZMAError as err:
        raise AugsynthError(f"{url}: not an xz package index ({err})") from None
    index = {}
    for stanza in text.split("\n\n"):
        fields = control_fields(stanza)
        if "Package" in fields and "Filename" in fields:
            index[fields["Package"]] = fields
    return index


def mirror_download(
    packages: list[str], dest: Path, mirror: str, suite: str
) -> dict[str, Path | str]:
    """Each package's .deb from `mirror` (checked against the index's SHA256), or the reason
    it could not be fetched; an unreadable index fails the whole fetch."""
    index = read_index(mirror, suite)
    fetched: dict[str, Path | str] = {}
    for package in packages:
        fields = index.get(package)
        if fields is None:
            fetched[package] = f"not in {suite}/main (binary-all) of {mirror}"
            continue
        try:
            blob = _get(f"{mirror.rstrip('/')}/{fields['Filename']}")
        except AugsynthError as err:
            fetched[package] = str(err)
            continue
        if hashlib.sha256(blob).hexdigest() != fields.get("SHA256"):
            fetched[package] = f"{fields['Filename']}: SHA256 differs from the index"
            continue
        target = dest / Path(fields["Filename"]).name
        target.write_bytes(blob)
        fetched[package] = target
    return fetched
