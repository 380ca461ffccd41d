"""The `synth` command: synthetic photo-OCR character crops into a labelled dataset."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from augment.cli.common import (
    OutOpt,
    PreviewOpt,
    SeedOpt,
    ShardsOpt,
    WorkersOpt,
    fail,
    run_with_progress,
    user_errors,
)
from augment.cli.explore import synth_explore_command
from augment.core.seeding import example_rng
from augment.dataset.preview import contact_sheet
from synth.fonts.fontset import FontSet
from synth.maker import OcrCropMaker
from synth.run.charset import resolve_charset
from synth.run.config import augment_config, read_config
from synth.run.options import RenderOptions
from synth.run.plan import balanced_tasks
from synth.run.presets import preset_names
from synth.scene.backgrounds import BackgroundBank

app = typer.Typer(
    name="synth",
    help=(
        "Make labelled synthetic data from scratch.\n\n"
        "Examples:\n\n"
        "  synth ocr -o crops/ --charset alnum --per-class 1000 --size 32 --workers 2\n\n"
        "  synth ocr --fonts my_fonts/ -o out/ --charset @chars.txt --backgrounds walls/\n\n"
        "  synth fonts fonts/ --charset alnum"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

FontsOpt = Annotated[
    Path | None,
    typer.Option("--fonts", help="Folder (or file) of .ttf/.otf fonts. Default: bundled fonts."),
]
CharsetOpt = Annotated[
    str,
    typer.Option(
        "--charset",
        help="digits, upper, lower, alnum, punctuation (join with +), @FILE of characters, "
        "or the characters themselves.",
    ),
]


def parse_size(text: str) -> tuple[int, int]:
    """'32' -> (32, 32); 'HxW' -> (H, W)."""
    parts = text.lower().split("x")
    try:
        values = [int(p) for p in parts]
    except ValueError:
        fail(f"--size: expected N or HxW, got {text!r}")
    if len(values) == 1:
        values *= 2
    if len(values) != 2 or min(values) < 4 or max(values) > 1024:
        fail(f"--size: expected N or HxW with sides 4..1024, got {text!r}")
    return values[0], values[1]


@app.command("ocr")
def ocr_command(
    out: OutOpt,
    fonts: FontsOpt = None,
    charset: CharsetOpt = "alnum",
    per_class: Annotated[
        int, typer.Option("--per-class", min=1, help="Crops per character.")
    ] = 100,
    size: Annotated[str, typer.Option("--size", help="Crop size: N or HxW pixels.")] = "32",
    config: Annotated[
        Path | None,
        typer.Option("--config", help="synth.yaml with `render:` options and `augment:`."),
    ] = None,
    augment: Annotated[
        str | None,
        typer.Option("--augment", help=f"Augmentation preset ({', '.join(preset_names())})."),
    ] = None,
    backgrounds: Annotated[
        Path | None, typer.Option("--backgrounds", help="Folder of photos to cut backgrounds from.")
    ] = None,
    seed: SeedOpt = 0,
    workers: WorkersOpt = 1,
    preview: PreviewOpt = 0,
    shards: ShardsOpt = None,
) -> None:
    """Render character crops: many fonts, colours, backgrounds, neighbours, photo effects.

    Classes are balanced (--per-class crops each) and each crop comes from a font that
    really has the glyph. Writes OUT/<label>/<index>.png, OUT/manifest.jsonl (render and
    augmentation params, font, bbox of the centre character) and OUT/metadata.jsonl
    (Hugging Face imagefolder). With --shards SIZE it writes WebDataset tar shards
    OUT/shards/NNNNNN.tar of SIZE crops each (KEY.png, KEY.json, KEY.txt) and no
    metadata.jsonl. Same --seed, same bytes, for any --workers; a rerun resumes.

    Examples:

      synth ocr -o crops/ --charset alnum --per-class 1000 --size 32 --workers 2 --preview 64

      synth ocr -o digits/ --charset digits --per-class 500 --augment scan --seed 1

      synth ocr --fonts fonts/ -o out/ --charset @my_chars.txt --config synth.yaml

      synth ocr -o big/ --charset alnum --per-class 100000 --shards 5000 --workers 2
    """
    with user_errors():
        chars = resolve_charset(charset)
        settings = read_config(config) if config else {}
        if augment is not None:
            settings["augment"] = augment
        options = RenderOptions.from_dict(settings.get("render"), size=parse_size(size))
        pipeline_config = augment_config(settings.get("augment"))
        if backgrounds is not None:
            BackgroundBank(backgrounds)  # a missing or empty folder fails here, not per crop
        font_set = FontSet.load(fonts, chars)
        tasks = balanced_tasks(chars, font_set, per_class)
        neighbour_fonts = FontSet.load(fonts, options.neighbours)
        maker = OcrCropMaker(
            fonts_root=str(font_set.root),
            options=options.to_dict(),
            augment=pipeline_config,
            neighbours=neighbour_fonts.coverage,
            backgrounds=str(backgrounds) if backgrounds else None,
        )
        command = {
            "name": "synth ocr",
            "fonts": str(font_set.root.resolve()),
            "charset": chars,
            "per_class": per_class,
            "render": options.to_dict(),
            "augment": pipeline_config,
            "backgrounds": str(backgrounds.resolve()) if backgrounds else None,
        }
        if preview:
            write_preview(out, tasks, maker, seed, preview)
        run_with_progress(
            out,
            tasks,
            maker,
            seed=seed,
            workers=workers,
            command=command,
            description="synth ocr",
            shards=shards,
        )


def write_preview(out: Path, tasks: list[dict], maker: OcrCropMaker, seed: int, count: int) -> Path:
    """OUT/preview.png: the first `count` crops of the run (the same ones the files hold)."""
    import cv2
    import numpy as np

    images = []
    for index, task in enumerate(tasks[:count]):
        data = maker.make(task, example_rng(seed, index)).data
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        images.append(image[:, :, ::-1])
    per_row = 16
    rows = [images[i : i + per_row] for i in range(0, len(images), per_row)]
    out.mkdir(parents=True, exist_ok=True)
    path = out / "preview.png"
    contact_sheet(rows, cell_size=(64, 64)).save(path)
    print(f"preview: {path}")
    return path


app.command("explore")(synth_explore_command)


@app.command("fonts")
def fonts_command(
    directory: Annotated[
        Path | None,
        typer.Argument(help="Folder (or file) of .ttf/.otf fonts. Default: bundled fonts."),
    ] = None,
    charset: CharsetOpt = "alnum",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per font.")] = False,
) -> None:
    """List fonts: family, style, file, and which characters of the charset each draws.

    A character counts only if the font has a real glyph for it (no tofu, blank or
    stand-in), checked on the character map and on the rendered glyph; results are cached.

    Examples:

      synth fonts

      synth fonts fonts/

      synth fonts ~/my_fonts --charset digits+upper --json
    """
    with user_errors():
        chars = resolve_charset(charset)
        font_set = FontSet.load(directory, chars)
        for font_id, face in font_set.faces.items():
            covered = font_set.coverage[font_id]
            missing = "".join(c for c in chars if c not in covered)
            if as_json:
                row = {
                    "file": font_id,
                    "family": face.family,
                    "style": face.style,
                    "covers": covered,
                    "missing": missing,
                }
                print(json.dumps(row, ensure_ascii=False))
                continue
            shown = "all" if not missing else (covered or "none")
            print(
                f"{face.family:<24} {face.style:<16} {font_id:<44} "
                f"{len(covered):>4}/{len(chars)}  {shown}"
            )
        if not as_json:
            unused = "".join(c for c in chars if not font_set.fonts_for(c))
            families = len({f.family for f in font_set.faces.values()})
            note = f"; no font covers {unused!r}" if unused else ""
            print(f"{len(font_set.faces)} fonts, {families} families{note}")
