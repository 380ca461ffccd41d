"""`augment images`: realistic augmented copies of labelled images, as a new labelled dataset.

Reads class folders, or a labels.csv / metadata.jsonl|csv table, runs the pipeline on each
copy with its own seeded generator and writes an imagefolder through run_generation.
A corrupt input is reported on one line (naming the file) and the run goes on.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from PIL import Image, UnidentifiedImageError

from augment.cli.common import (
    OutOpt,
    PreviewOpt,
    SeedOpt,
    ShardsOpt,
    WorkersOpt,
    fail,
    parse_range,
    user_errors,
)
from augment.cli.copies import run_copies, write_preview
from augment.core.combinators import Sequence
from augment.core.errors import InputError
from augment.core.registry import load_pipeline
from augment.core.sample import ImageSample
from augment.core.transform import Transform
from augment.dataset.example import Example
from augment.dataset.readers import read_labelled_files
from augment.images import Contrast, GridWarp, Rotate, Scale
from augment.images.augment_list import augment_samples
from augment.images.encoding import encode_png
from augment.images.pixels import from_float

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".gif"})
FORMATS = {"png": ("PNG", ".png"), "jpg": ("JPEG", ".jpg")}
JPEG_QUALITY = 95


def read_image(path: str | Path) -> np.ndarray:
    """Decode to uint8 (H, W), (H, W, 3) or (H, W, 4); InputError for unreadable files."""
    try:
        with Image.open(path) as pil:
            pil.load()
            if pil.mode not in ("L", "RGB", "RGBA"):
                pil = pil.convert(_decoded_mode(pil))
            image = np.asarray(pil)
    except UnidentifiedImageError:
        raise InputError(str(path), "cannot decode image (not a known image format)") from None
    except (OSError, ValueError, SyntaxError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(str(path), f"cannot decode image ({reason})") from None
    if image.size == 0:
        raise InputError(str(path), "empty image")
    return np.ascontiguousarray(image)


def _decoded_mode(pil: Image.Image) -> str:
    """Palette, bilevel, 16-bit and other modes become L, RGB or RGBA."""
    if "A" in pil.getbands() or "transparency" in pil.info:
        return "RGBA"
    return "L" if pil.mode in ("1", "I", "I;16", "F", "LA") else "RGB"


def encode_image(image: np.ndarray, file_format: str) -> bytes:
    """PNG (lossless, keeps alpha) or JPEG (alpha dropped) bytes."""
    if file_format == "png":
        return encode_png(image)
    pixels = image if image.dtype == np.uint8 else from_float(image, np.uint8)
    if pixels.ndim == 3 and pixels.shape[2] == 4:
        pixels = pixels[:, :, :3]
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


class ImageExampleMaker:
    """Makes augmented copies of input images (picklable: a pipeline and a format).

    A chunk decodes each source once and augments its small images as stacks (augment's
    batch path); one copy made alone goes the same way, so its bytes never depend on the
    chunk it was made in.
    """

    def __init__(self, pipeline: Transform, file_format: str = "png") -> None:
        self.pipeline = pipeline
        self.file_format = file_format

    def augment(self, task: dict[str, Any], rng: np.random.Generator) -> tuple[ImageSample, dict]:
        sample = _sample(task, read_image(task["source"]))
        return augment_samples(self.pipeline, [sample], [rng])[0]

    def make(self, task: dict[str, Any], rng: np.random.Generator) -> Example:
        return self._example(task, *self.augment(task, rng))

    def make_batch(
        self, tasks: list[dict[str, Any]], rngs: list[np.random.Generator]
    ) -> list[Example | str]:
        """The chunk's copies; an undecodable source gives its error in place of each copy."""
        decoded: dict[str, np.ndarray | str] = {}
        for task in tasks:
            if task["source"] not in decoded:
                try:
                    decoded[task["source"]] = read_image(task["source"])
                except InputError as err:
                    decoded[task["source"]] = str(err)
        results: list[Example | str] = [decoded[task["source"]] for task in tasks]
        good = [k for k, result in enumerate(results) if not isinstance(result, str)]
        samples = [_sample(tasks[k], decoded[tasks[k]["source"]]) for k in good]
        augmented = augment_samples(self.pipeline, samples, [rngs[k] for k in good])
        for k, (out, params) in zip(good, augmented, strict=True):
            results[k] = self._example(tasks[k], out, params)
        return results

    def _example(self, task: dict[str, Any], out: ImageSample, params: dict) -> Example:
        columns = {k: v for k, v in out.extra.items() if isinstance(k, str)}
        columns.update(width=out.width, height=out.height)
        return Example(
            data=encode_image(out.image, self.file_format),
            suffix=FORMATS[self.file_format][1],
            label=out.label,  # a label-aware step (Mirror with a label_map) may change it
            source=task["source"],
            params=params,
            columns=columns,
        )


def _sample(task: dict[str, Any], image: np.ndarray) -> ImageSample:
    return ImageSample(image, label=task.get("label"), extra=dict(task["columns"]))


def list_inputs(in_dir: Path) -> list[dict[str, Any]]:
    """One entry per input image: path, label and any metadata columns."""
    files = read_labelled_files(in_dir, IMAGE_EXTENSIONS)
    return [{"source": str(f.path), "label": f.label, "columns": dict(f.columns)} for f in files]


def build_image_pipeline(
    warp: bool,
    rotate: float | None,
    scale: str | None,
    contrast: str | None,
    config: Path | None,
) -> Transform:
    """The --config pipeline, or the steps the flags ask for (geometry first, fused)."""
    if config is not None:
        if warp or rotate is not None or scale or contrast:
            fail("--config replaces --warp/--rotate/--scale/--contrast; give one or the other")
        return load_pipeline(config)
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
        return default_pipeline()
    return steps[0] if len(steps) == 1 else Sequence(steps)


def default_pipeline() -> Transform:
    """What a run without transform options applies: mild, realistic OCR-crop distortions."""
    return Sequence(
        [
            Rotate(degrees=5.0),
            Scale(factor=(0.9, 1.1)),
            GridWarp(magnitude=(0.0, 0.2)),
            Contrast(factor=(0.7, 1.4)),
        ]
    )


def images_command(
    in_dir: Annotated[
        Path, typer.Argument(help="Class folders, or a folder with labels.csv/metadata.jsonl.")
    ],
    out: OutOpt,
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
    copies: Annotated[
        int, typer.Option("-n", "--copies", min=1, help="Augmented copies per input image.")
    ] = 1,
    file_format: Annotated[str, typer.Option("--format", help="png or jpg.")] = "png",
    seed: SeedOpt = 0,
    workers: WorkersOpt = 1,
    preview: PreviewOpt = 0,
    shards: ShardsOpt = None,
) -> None:
    """Write augmented copies of labelled images; labels and extra columns carry over.

    IN_DIR holds class folders (the folder name is the label), or a labels.csv /
    metadata.jsonl / metadata.csv with a file_name column. Geometric steps are fused and
    resampled once. The manifest records every copy's parameters, so it can be replayed.
    Without --warp/--rotate/--scale/--contrast/--config a mild OCR pipeline is used:
    rotate +-5 degrees, scale 0.9-1.1, grid warp up to 0.2 cell, contrast 0.7-1.4.

    Examples:

      augment images crops/ -o out/ --warp --rotate 10 -n 5

      augment images crops/ -o out/ --rotate 8 --scale 0.9:1.1 --contrast 0.6:1.4 -n 20 --preview 8

      augment images letters/ -o out/ --config ocr.yaml -n 50 --workers 2 --format jpg

    A config is a list of steps, e.g. ocr.yaml:

      - Rotate: {degrees: 10}
      - GridWarp: {cells: 4, magnitude: [0.0, 0.25]}
      - Maybe: {transform: {Mirror: {label_map: {b: d, d: b}}}, p: 0.5}
      - Contrast: {factor: [0.6, 1.4]}
    """
    if file_format not in FORMATS:
        fail(f"--format: expected one of {', '.join(FORMATS)}, got {file_format!r}")
    with user_errors():
        pipeline = build_image_pipeline(warp, rotate, scale, contrast, config)
        inputs = list_inputs(in_dir)
        maker = ImageExampleMaker(pipeline, file_format)
        tasks = run_copies(
            name="augment images", in_dir=in_dir, out=out, inputs=inputs, copies=copies,
            pipeline=pipeline, maker=maker, options={"format": file_format}, seed=seed,
            workers=workers, shards=shards,
        )  # fmt: skip
        if preview:
            path = write_preview(
                out, tasks, copies, preview, seed=seed,
                original=lambda task: read_image(task["source"]),
                augmented=lambda task, rng: maker.augment(task, rng)[0].image,
            )  # fmt: skip
            print(f"preview: {path}")
