"""Locate the bundled assets (fonts, noise samples, example inputs).

In a wheel they are packaged under `augment/_assets/`; in a source checkout or an
editable install they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

from augment.core.errors import AugsynthError

ASSET_NAMES = ("fonts", "noise_samples", "examples")


def asset_dir(name: str) -> Path:
    """The folder of a bundled asset, wherever the package was installed from."""
    if name not in ASSET_NAMES:
        raise ValueError(f"unknown asset {name!r}; expected one of {ASSET_NAMES}")
    package = Path(__file__).resolve().parent
    for candidate in (package / "_assets" / name, package.parent / name):
        if candidate.is_dir():
            return candidate
    raise AugsynthError(f"bundled {name}/ not found next to {package}; reinstall augsynth")
