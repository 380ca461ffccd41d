"""`synth font-pack`: build the optional font pack from Debian packages (see synth.fonts.pack)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from augment.core.errors import AugsynthError
from synth.fonts.coverage import CoverageCache
from synth.fonts.debfetch import downloader
from synth.fonts.pack import (
    STYLE_GROUPS,
    PackRequest,
    fetch_pack,
    load_style_table,
)
from synth.fonts.source import default_pack_dir
from synth.run.charset import resolve_charset

MirrorOpt = Annotated[
    str | None, typer.Option("--mirror", help="Debian mirror URL to fetch from, not apt-get.")
]
SuiteOpt = Annotated[str, typer.Option("--suite", help="Debian suite, with --mirror.")]


def fetch_command(
    out: Annotated[
        Path | None,
        typer.Option(
            "-o", "--out", help="Pack folder to create or replace. Default: the user cache."
        ),
    ] = None,
    styles: Annotated[
        str | None,
        typer.Option("--styles", help=f"Comma-separated style groups ({', '.join(STYLE_GROUPS)})."),
    ] = None,
    charset: Annotated[
        str, typer.Option("--charset", help="Keep fonts that draw some of these characters.")
    ] = "alnum",
    mirror: MirrorOpt = None,
    suite: SuiteOpt = "bookworm",
) -> None:
    """Fetch several hundred open-licensed fonts from Debian packages into a font pack.

    Needs a Debian or Ubuntu system with `apt-get` (after `apt-get update`), or elsewhere
    `--mirror URL` (a Debian mirror; each file is checked against the suite's index); and
    network. Nothing is installed. Each package's copyright file (its licence) is kept in
    OUT/LICENSES/, and OUT/fonts.json records package, version, licence, family, style
    group and covered characters per file. Without -o the pack goes to the user cache
    (~/.cache/augsynth/fonts, or $AUGSYNTH_CACHE_DIR/fonts) for `synth ocr --fonts pack
    [--font-groups serif,mono,...]`; elsewhere use `--fonts OUT`.

    Examples:

      synth font-pack

      synth font-pack --mirror https://your.debian.mirror/debian --suite bookworm

      synth font-pack -o ~/fontpack-mono --styles mono,dotmatrix --charset digits
    """
    out = out if out is not None else default_pack_dir()
    try:
        wanted = None if styles is None else frozenset(s.strip() for s in styles.split(","))
        request = PackRequest(resolve_charset(charset), wanted, load_style_table(), CoverageCache())
        records = fetch_pack(out, request, downloader(mirror, suite), _report)
    except AugsynthError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    families = {(r["package"], r["family"]) for r in records}
    typer.echo(f"{len(records)} fonts, {len(families)} families -> {out}")


def _report(line: str) -> None:
    typer.echo(line, err=True)
