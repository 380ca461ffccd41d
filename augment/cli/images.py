"""`augment images`: realistic augmented copies of labelled images, as a new labelled dataset.

Reads class folders, or a labels.csv / metadata.jsonl|csv table, runs the pipeline on each
copy with its own seeded generator and writes an imagefolder (the shared body is in
`copies`). A corrupt input is reported on one line (naming the file) and the run goes on.
"""

from __future__ import annotations

from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Annotated

import typer

from augment.analysis.aim import Aim
from augment.cli.box_options import (
    BboxFormatOpt,
    BoxOptions,
    CocoJsonOpt,
    InputFormatOpt,
    LayoutOpt,
    MinAreaOpt,
    MinVisibilityOpt,
    box_run,
    with_min_visibility,
)
from augment.cli.common import (
    DEFAULT_WORKERS,
    BalanceOpt,
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
    TargetCountOpt,
    WorkersOpt,
    fail,
    parse_range,
    user_errors,
)
from augment.cli.copies import CopiesOptions, HfDatasetOpt, InOpt, Medium, run_copies
from augment.core.combinators import Sequence
from augment.core.registry import load_pipeline
from augment.core.transform import Transform
from augment.images import Contrast, GridWarp, Rotate, Scale
from augment.images.defaults import default_image_pipeline
from augment.images.io import FORMATS, IMAGE_EXTENSIONS
from augment.images.maker import ImageExampleMaker
from augment.images.presets import load_preset

IMAGES = Medium(
    command="augment images",
    extensions=IMAGE_EXTENSIONS,
    formats=tuple(FORMATS),
    maker=ImageExampleMaker,
    picture=attrgetter("image"),
    cell_size=(96, 96),
    max_copies=6,
)


def build_image_pipeline(
    warp: bool,
    rotate: float | None,
    scale: str | None,
    contrast: str | None,
    config: Path | None,
    preset: str | None = None,
) -> Transform:
    """The --config or --preset pipeline, or the steps the flags ask for (geometry first,
    fused). A preset is used whole: flags beside it are refused rather than mixed in, so a
    copy's recipe is always one file (copy the preset's YAML to change it)."""
    if config is not None or preset is not None:
        if warp or rotate is not None or scale or contrast or (config and preset):
            fail(
                "--config or --preset replaces --warp/--rotate/--scale/--contrast; "
                "give one of them (to change a preset, copy its YAML and pass --config)"
            )
        return load_pipeline(config, kind="image") if config else load_preset(str(preset))
    steps: list[Transform] = []
    if rotate is not None:
        steps.append(Rotate(degrees=abs(rotate)))
    if scale:
        steps.append(Scale(factor=parse_range("--scale", scale)))
    if warp:
        steps.append(GridWarp())
    if contrast:
        steps.append(Contrast(factor=parse_range("--contrast", contrast)))
    if not steps:
        return default_image_pipeline()
    return steps[0] if len(steps) == 1 else Sequence(steps)


def images_command(
    out: OutOpt,
    in_dir: InOpt = None,
    warp: Annotated[
        bool, typer.Option("--warp", help="Grid warp: move the vertices of a 4x4 grid.")
    ] = False,
    rotate: Annotated[
        float | None, typer.Option("--rotate", help="Rotate by up to +-DEG degrees.")
    ] = None,
    scale: Annotated[
        str | None, typer.Option("--scale", help="Scale factor range LO:HI, e.g. 0.9:1.1.")
    ] = None,
    contrast: Annotated[
        str | None, typer.Option("--contrast", help="Contrast factor range LO:HI, e.g. 0.6:1.4.")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Pipeline YAML/JSON (see `augment list --kind image`)."),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            help="A recommended pipeline: photo-chars (real photographed character crops: "
            "framing, camera pose, light, blur, low resolution, JPEG, each with a "
            "probability; never mirrors; the place to start).",
        ),
    ] = None,
    copies: Annotated[
        int, typer.Option("-n", "--copies", min=1, help="Augmented copies per input image.")
    ] = 1,
    file_format: Annotated[
        str, typer.Option("--format", help="png, webp (both lossless), jpg or jpeg.")
    ] = "png",
    seed: SeedOpt = 0,
    workers: WorkersOpt = DEFAULT_WORKERS,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
    preview: PreviewOpt = 0,
    preview_html: PreviewHtmlOpt = False,
    dry_run: DryRunOpt = False,
    shards: ShardsOpt = None,
    shard: ShardOpt = None,
    focus: FocusOpt = None,
    focus_floor: FocusFloorOpt = 0.25,
    balance: BalanceOpt = False,
    target_count: TargetCountOpt = None,
    bbox_format: BboxFormatOpt = None,
    input_format: InputFormatOpt = "folder",
    coco_json: CocoJsonOpt = None,
    layout: LayoutOpt = "files",
    min_visibility: MinVisibilityOpt = 0.0,
    min_area: MinAreaOpt = 0.0,
    hf_dataset: HfDatasetOpt = None,
) -> None:
    """Write augmented copies of labelled images; labels and extra columns carry over.

    IN_DIR holds class folders (the folder name is the label), or a labels.csv /
    metadata.jsonl / metadata.csv with a file_name column. It may also be one image, a
    CSV of paths anywhere (path[,label,...]) or a TXT of paths, or a Hugging Face dataset
    saved with save_to_disk (or --hf-dataset NAME[:split] from the Hub). Geometric steps
    are fused and resampled once. The manifest records every copy's parameters, so it can
    be replayed.
    Without --warp/--rotate/--scale/--contrast/--config/--preset, a mild OCR pipeline:
    rotate +-5 degrees, scale 0.9-1.1, grid warp up to 0.2 cell, contrast 0.7-1.4.
    For real photographed character crops start with --preset photo-chars.

    Examples:

      augment images real_crops/ -o more/ --preset photo-chars -n 5

      augment images crops/ -o out/ --warp --rotate 10 -n 5

      augment images crops/ -o out/ --rotate 8 --scale 0.9:1.1 --contrast 0.6:1.4 -n 20 --preview 8

      augment images letters/ -o out/ --config ocr.yaml -n 50 --workers 2 --format jpg

      augment images crops/ -o aimed/ -n 5 --focus report/focus.yaml --focus-floor 0.25

      augment images crops/ -o even/ --balance --target-count 200

      augment images crops/ -o out/ --rotate 8 -n 50 --dry-run --preview 4 --preview-html

      augment images photos.csv -o out/ -n 3

    Boxes, keypoints and masks move with the pixels (see the README):

      augment images coco/ -o out/ --input-format coco --layout coco --rotate 10 -n 2

      augment images rows/ -o out/ --bbox-format yolo --layout yolo --min-visibility 0.5

    A config is a list of steps, e.g. ocr.yaml:

      - Rotate: {degrees: 10}
      - GridWarp: {cells: 4, magnitude: [0.0, 0.25]}
      - Maybe: {transform: {Mirror: {label_map: {b: d, d: b}}}, p: 0.5}
      - Contrast: {factor: [0.6, 1.4]}
    """
    aim = Aim(focus, focus_floor, balance, target_count)
    options = CopiesOptions(
        in_dir,
        out,
        copies,
        file_format,
        seed,
        workers,
        preview,
        shards,
        aim,
        preview_html,
        dry_run,
        hf_dataset=hf_dataset,
        executor=executor,
        scheduler=scheduler,
        shard=shard,
    )
    built = partial(build_image_pipeline, warp, rotate, scale, contrast, config, preset)
    boxes = BoxOptions(bbox_format, input_format, coco_json, layout, min_visibility, min_area)
    medium = IMAGES
    if boxes.active:
        with user_errors():
            medium, options = box_run(boxes, medium, options)
    run_copies(medium, options, partial(with_min_visibility, built, min_visibility))
