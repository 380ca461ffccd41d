"""`synth texture-pack`: build the optional texture pack from Debian packages
(see synth.textures.pack)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from augment.core.errors import AugsynthError
from synth.fonts.debfetch import downloader
from synth.fonts.pack_cli import MirrorOpt, SuiteOpt
from synth.textures.pack import default_texture_dir, fetch_textures, load_source_table


def texture_pack_command(
    out: Annotated[
        Path | None,
        typer.Option(
            "-o", "--out", help="Pack folder to create or replace. Default: the user cache."
        ),
    ] = None,
    mirror: MirrorOpt = None,
    suite: SuiteOpt = "bookworm",
) -> None:
    """Fetch open-licensed photo textures (wood, stone, paper, fabric, leather) from Debian
    packages into a texture pack for backgrounds.

    Needs a Debian or Ubuntu system with `apt-get` (after `apt-get update`), or elsewhere
    `--mirror URL` (a Debian mirror; each file is checked against the suite's index); and
    network. Nothing is installed. Each package's copyright file (its licence) is kept in
    OUT/LICENSES/, and OUT/textures.json records package, version, source path, surface
    and licence per file. Without -o the pack goes to the user cache
    (~/.cache/augsynth/textures, or $AUGSYNTH_CACHE_DIR/textures) for `synth ocr
    --backgrounds pack`; elsewhere use `--backgrounds OUT`.

    Examples:

      synth texture-pack

      synth texture-pack --mirror https://your.debian.mirror/debian --suite bookworm
    """
    out = out if out is not None else default_texture_dir()
    try:
        records = fetch_textures(out, load_source_table(), downloader(mirror, suite), _report)
    except AugsynthError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    surfaces = Counter(r["surface"] for r in records)
    counts = ", ".join(f"{surface} {n}" for surface, n in sorted(surfaces.items()))
    typer.echo(f"{len(records)} textures ({counts}) -> {out}")


def _report(line: str) -> None:
    typer.echo(line, err=True)
