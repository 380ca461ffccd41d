"""The `synth` command: synthetic photo-OCR character crops into a labelled dataset."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from augment.analysis.aim import Aim, aimed, reasons_line, unique_tasks
from augment.analysis.reasons import ReasonMaker
from augment.cli.common import (
    DEFAULT_WORKERS,
    DryRunOpt,
    ExecutorOpt,
    FocusFloorOpt,
    FocusOpt,
    OutOpt,
    PreviewHtmlOpt,
    PreviewOpt,
    SchedulerOpt,
    SeedOpt,
    ShardOpt,
    ShardsOpt,
    WorkersOpt,
    executor_option,
    fail,
    layout_option,
    part_option,
    run_with_progress,
    shows_preview,
    user_errors,
)
from augment.cli.explore import synth_explore_command
from augment.dataset.writer import Run
from augment.preview import Preview, dry_run, examples_grid, write_outputs
from synth.fonts.fontset import FontSet
from synth.fonts.pack import STYLE_GROUPS
from synth.fonts.pack_cli import fetch_command
from synth.fonts.source import FontSource, font_source
from synth.maker import OcrCropMaker
from synth.run.charset import resolve_charset
from synth.run.config import augment_config, read_config
from synth.run.options import RenderOptions
from synth.run.plan import balanced_tasks
from synth.run.presets import preset_names
from synth.scene.backgrounds import BackgroundBank
from synth.textures.pack import backgrounds_folder
from synth.textures.pack_cli import texture_pack_command

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
    str | None,
    typer.Option(
        "--fonts",
        help="Folder (or file) of .ttf/.otf fonts, or `pack` (the fetched font pack, see "
        "synth font-pack). Default: bundled fonts.",
    ),
]
FontGroupsOpt = Annotated[
    str | None,
    typer.Option(
        "--font-groups",
        help=f"Only these style groups of a font pack (default: the fetched one), comma-"
        f"separated: {', '.join(STYLE_GROUPS)}.",
    ),
]
PREVIEW_ROW = 16  # crops per preview row
PREVIEW_CELL = (64, 64)
DRY_RUN_CROPS = 32  # crops a --dry-run previews when --preview does not say
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
    font_groups: FontGroupsOpt = None,
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
        str | None,
        typer.Option(
            "--backgrounds",
            help="Folder of photos to cut backgrounds from, or `pack` (the fetched texture "
            "pack, see synth texture-pack).",
        ),
    ] = None,
    seed: SeedOpt = 0,
    workers: WorkersOpt = DEFAULT_WORKERS,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
    preview: PreviewOpt = 0,
    preview_html: PreviewHtmlOpt = False,
    dry_run_only: DryRunOpt = False,
    shards: ShardsOpt = None,
    shard: ShardOpt = None,
    focus: FocusOpt = None,
    focus_floor: FocusFloorOpt = 0.25,
) -> None:
    """Render character crops: many fonts, colours, backgrounds, neighbours, photo effects.

    Classes are balanced (--per-class crops each) and each crop comes from a font that
    really has the glyph. Writes OUT/<label>/<index>.png, OUT/manifest.jsonl (render and
    augmentation params, font, bbox of the centre character) and OUT/metadata.parquet
    (Hugging Face imagefolder). With --shards SIZE it writes WebDataset tar shards
    OUT/shards/NNNNNN.tar of SIZE crops each (KEY.png, KEY.json, KEY.txt) and no
    metadata.parquet. Same --seed, same bytes, for any --workers; a rerun resumes.

    Examples:

      synth ocr -o crops/ --charset alnum --per-class 1000 --size 32 --workers 2 --preview 64

      synth ocr -o digits/ --charset digits --per-class 500 --augment scan --seed 1

      synth ocr --fonts fonts/ -o out/ --charset @my_chars.txt --config synth.yaml

      synth ocr -o signs/ --fonts pack --font-groups sans,signage,condensed,dotmatrix

      synth ocr -o walls/ --backgrounds pack

      synth ocr -o big/ --charset alnum --per-class 100000 --shards 5000 --workers 2

      synth ocr -o aimed/ --charset alnum --per-class 100 --focus report/focus.yaml

      synth ocr -o big/ --per-class 100000 --dry-run --preview 32 --preview-html

    With --focus (the focus.yaml `augment errors` writes) the same number of crops goes
    preferentially to the classes, confusions and font slices the errors point at;
    --focus-floor of them is spread evenly over every class, and each manifest row's
    focus_reason says why it was made.
    """
    with user_errors():
        source = font_source(fonts, font_groups)
        photos = backgrounds_folder(backgrounds)
        plan = plan_ocr(source, charset, per_class, size, config, augment, photos)
        tasks, maker, command = aim_ocr(plan, Aim(focus, focus_floor), seed)

        count = preview or DRY_RUN_CROPS
        show = partial(write_ocr_preview, out, tasks, maker, seed, count, preview_html)
        if dry_run_only:
            print(dry_run(out, tasks, Run(command, seed, workers), layout_option(shards), show))
            return

        def preview_first() -> None:  # to look at while a long run goes on
            show()

        engine = executor_option(executor, scheduler, shared=(out, source.root, photos))
        run = Run(command, seed, workers, part_option(shard), engine)
        run_with_progress(
            out, tasks, maker, run=run, layout=layout_option(shards), description="synth ocr",
            on_claimed=preview_first if preview and shows_preview(run) else lambda: None,
        )  # fmt: skip


def write_ocr_preview(
    out: Path, tasks: Sequence[dict[str, Any]], maker: Any, seed: int, count: int, html: bool
) -> Preview:
    """The run's first `count` crops, labelled, as OUT/preview.png (and .html)."""
    preview = examples_grid(tasks, maker, seed, count, PREVIEW_ROW)
    preview.cell_size = PREVIEW_CELL
    for path in write_outputs(out, preview, html):
        print(f"preview: {path}")
    return preview


def plan_ocr(
    fonts: FontSource | Path | None,
    charset: str,
    per_class: int,
    size: str,
    config: Path | None,
    augment: str | None,
    backgrounds: Path | None,
) -> tuple[Sequence[dict[str, str]], OcrCropMaker, dict[str, Any]]:
    """The tasks, maker and command record of a `synth ocr` run; bad settings fail here,
    before anything is written."""
    chars = resolve_charset(charset)
    settings = read_config(config) if config else {}
    if augment is not None:
        settings["augment"] = augment
    options = RenderOptions.from_dict(settings.get("render"), size=parse_size(size))
    pipeline_config = augment_config(settings.get("augment"))
    skipped = []
    if backgrounds is not None:  # a missing or unreadable folder fails here, not per crop
        skipped += BackgroundBank(backgrounds).skipped
    source = fonts if isinstance(fonts, FontSource) else FontSource(fonts)
    font_set = source.load(chars)
    for message in skipped + font_set.skipped:  # left out of the run, which goes on
        print(f"skipped {message}", file=sys.stderr)
    maker = OcrCropMaker(
        fonts_root=str(font_set.root),
        options=options.to_dict(),
        augment=pipeline_config,
        neighbours=source.load(options.neighbours).coverage,
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
    if source.groups is not None:  # recorded only when used: default records keep their bytes
        command["font_groups"] = sorted(source.groups)
    return balanced_tasks(chars, font_set, per_class), maker, command


def aim_ocr(
    plan: tuple[Sequence[dict[str, str]], OcrCropMaker, dict[str, Any]], aim: Aim, seed: int
) -> tuple[Sequence[dict[str, Any]], Any, dict[str, Any]]:
    """The plan as --focus aims it: the same count of crops drawn from the distinct
    (char, font) tasks, reasons recorded; the plain plan without --focus."""
    tasks, maker, command = plan
    if not aim.active:
        return tasks, maker, command
    aimed_tasks, record = aimed(aim, tasks, unique_tasks(tasks), "char", seed)
    print(reasons_line(aimed_tasks))
    return aimed_tasks, ReasonMaker(maker), command | record


app.command("explore")(synth_explore_command)
app.command("font-pack")(fetch_command)
app.command("texture-pack")(texture_pack_command)


@app.command("fonts")
def fonts_command(
    directory: Annotated[
        str | None,
        typer.Argument(
            help="Folder (or file) of .ttf/.otf fonts, or `pack` (the fetched font pack). "
            "Default: bundled fonts."
        ),
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

      synth fonts pack --json
    """
    with user_errors():
        chars = resolve_charset(charset)
        font_set = font_source(directory, None).load(chars)
        for message in font_set.skipped:
            print(f"skipped {message}", file=sys.stderr)
        print("\n".join(font_lines(font_set, chars, as_json)))


def font_lines(font_set: FontSet, chars: str, as_json: bool) -> list[str]:
    """One line per font (a JSON object, or a table row), then a summary line for people."""
    lines = []
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
            if font_set.groups:  # a font pack's style group
                row["group"] = font_set.groups[font_id]
            lines.append(json.dumps(row, ensure_ascii=False))
            continue
        shown = "all" if not missing else (covered or "none")
        lines.append(
            f"{face.family:<24} {face.style:<16} {font_id:<44} "
            f"{len(covered):>4}/{len(chars)}  {shown}"
        )
    if not as_json:
        unused = "".join(c for c in chars if not font_set.fonts_for(c))
        families = len({f.family for f in font_set.faces.values()})
        note = f"; no font covers {unused!r}" if unused else ""
        lines.append(f"{len(font_set.faces)} fonts, {families} families{note}")
    return lines
