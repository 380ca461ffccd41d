"""The explorer's state and rendering: the inputs of IN, and augmented copies of them that are
exactly the ones `augment images|audio IN -o OUT --config exported.yaml --seed S -n C` writes.

Copy k of input j is task j * copies + k, made with the generator example_rng(seed, task)
(here drawn for a whole grid at once by example_rngs, bit-for-bit the same), and images go
through the batch path (`augment_samples`) as the image command's chunks do. The page sends
the whole pipeline with every request, so the server keeps no pipeline state of its own.
"""

from __future__ import annotations

import base64
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from augment.core.errors import ConfigError, InputError
from augment.core.registry import build_pipeline, dump_pipeline
from augment.core.sample import AudioSample, ImageSample
from augment.core.seeding import example_rngs
from augment.core.transform import Transform
from augment.images.encoding import encode_png

MAX_COPIES = 16
MAX_SEED = 2**63 - 1


@dataclass
class ExploreSession:
    """IN, what kind of data it holds, the inputs shown (their indices in IN's full input list,
    which fixes their task numbers) and the decoded inputs, cached."""

    in_dir: Path
    kind: str
    inputs: list[dict[str, Any]]
    shown: list[int]
    pipeline: Any
    _decoded: dict[int, Any] = field(default_factory=dict, repr=False)

    def info(self) -> dict[str, Any]:
        """What the page starts from: the data, the pipeline and the command that replays it."""
        command = "images" if self.kind == "image" else "audio"
        return {
            "kind": self.kind,
            "in_dir": str(self.in_dir),
            "inputs": self.input_info(),
            "pipeline": self.pipeline,
            "command": f"augment {command} {self.in_dir} -o OUT --config pipeline.yaml "
            "--seed {seed} -n {copies}",
        }

    def input_info(self) -> list[dict[str, Any]]:
        """What the page lists per shown input: its index, name, label and file URL."""
        root = self.in_dir.resolve()
        return [
            {
                "index": j,
                "name": Path(self.inputs[j]["source"]).name,
                "label": self.inputs[j].get("label"),
                "path": Path(self.inputs[j]["source"]).resolve().relative_to(root).as_posix(),
            }
            for j in self.shown
        ]

    def original(self, j: int) -> Any:
        """Input j decoded (an image array or an AudioSample), cached."""
        if j not in self._decoded:
            self._decoded[j] = _read(self.kind, self.inputs[j]["source"])
        return self._decoded[j]

    def render(self, request: dict[str, Any]) -> list[dict[str, Any]]:
        """Copies 0..copies-1 of every shown input, with their drawn params and task numbers.

        ConfigError (naming the field) for a bad pipeline, seed or copy count.
        """
        pipeline = build_pipeline(request.get("pipeline"))
        seed, copies = check_seed_and_copies(request.get("seed"), request.get("copies"))
        tasks = [(j, k, j * copies + k) for j in self.shown for k in range(copies)]
        rngs = example_rngs(seed, [task for _, _, task in tasks])
        samples = [self._sample(j) for j, _, _ in tasks]
        if self.kind == "image":
            from augment.images.augment_list import augment_samples

            results = augment_samples(pipeline, samples, rngs)
        else:
            results = [pipeline.run(s, rng) for s, rng in zip(samples, rngs, strict=True)]
        return [
            {"input": j, "copy": k, "task": task, "params": params, **self._media(out)}
            for (j, k, task), (out, params) in zip(tasks, results, strict=True)
        ]

    def export(self, request: dict[str, Any]) -> dict[str, str]:
        return {"yaml": export_yaml(request.get("pipeline"))}

    def load(self, text: str) -> dict[str, Any]:
        return {"pipeline": import_yaml(text)}

    def _sample(self, j: int) -> ImageSample | AudioSample:
        entry = self.inputs[j]
        extra = dict(entry.get("columns", {}))
        if self.kind == "image":
            return ImageSample(self.original(j), label=entry.get("label"), extra=extra)
        return self.original(j).replace(label=entry.get("label"), extra=extra)

    def _media(self, out: ImageSample | AudioSample) -> dict[str, str]:
        if isinstance(out, ImageSample):
            return {"image": _data_url("image/png", encode_png(out.image))}
        from augment.audio.io import encode_audio

        return {
            "audio": _data_url("audio/wav", encode_audio(out, "wav")),
            "image": _data_url("image/png", spectrogram_png(out)),
        }


def spectrogram_png(sample: AudioSample) -> bytes:
    """The CLI's preview spectrogram, as PNG bytes."""
    from augment.preview import spectrogram

    return encode_png(spectrogram(sample))


def export_yaml(config: Any) -> str:
    """The YAML `--config` takes, for this pipeline (validated: ConfigError if it is bad)."""
    pipeline = dump_pipeline(build_pipeline(config))
    return yaml.safe_dump(pipeline, sort_keys=False, default_flow_style=None)


def import_yaml(text: str) -> Any:
    """A YAML pipeline as the page's list of steps (validated, normalised)."""
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError("yaml", f"not valid YAML: {str(err).splitlines()[0]}") from None
    return as_step_list(build_pipeline(config))


def as_step_list(pipeline: Transform) -> list[Any]:
    """Always a list of steps, so the page edits one shape (a Sequence dumps as a list)."""
    dumped = dump_pipeline(pipeline)
    return dumped if isinstance(dumped, list) else [dumped]


def check_seed_and_copies(seed: Any, copies: Any) -> tuple[int, int]:
    """The page's seed and copy count, checked like the CLI's --seed and -n."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ConfigError("seed", f"expected a whole number from 0 to {MAX_SEED}, got {seed!r}")
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise ConfigError("copies", f"expected a whole number from 1 to {MAX_COPIES}")
    return seed, copies


def _read(kind: str, source: str) -> np.ndarray | AudioSample:
    if kind == "image":
        from augment.images.io import read_image

        return read_image(source)
    from augment.audio.io import read_audio

    return read_audio(source)


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def open_session(in_dir: Path, config: Path | None, max_inputs: int) -> ExploreSession:
    """The session for IN: images if it holds any, else audio; InputError if it holds neither.

    Every input keeps its place in the command's list (its task numbers), but inputs that
    resolve outside IN (symlinks out) or do not decode are not shown: the page serves only IN.
    """
    kind, found, eligible = _find_inputs(in_dir)
    if config is not None:
        from augment.core.registry import load_pipeline

        pipeline = as_step_list(load_pipeline(config, kind=kind))
    else:
        pipeline = as_step_list(_default_pipeline(kind))
    session = ExploreSession(in_dir, kind, found, [], pipeline)
    picked = [eligible[i] for i in spread(len(eligible), max_inputs)]
    session.shown = [j for j in picked if _decodes(session, j)]
    return session


def _decodes(session: ExploreSession, j: int) -> bool:
    """Decode input j into the cache; a bad file is reported on one line and not shown."""
    try:
        session.original(j)
    except InputError as err:
        print(f"skipped {err}", file=sys.stderr)
        return False
    return True


def _find_inputs(in_dir: Path) -> tuple[str, list[dict[str, Any]], list[int]]:
    """The kind of data in IN, its inputs in the order the command numbers them, and the
    indices of those the page may show (files of that kind inside IN)."""
    from augment.audio.noise_bank import AUDIO_EXTENSIONS
    from augment.dataset.readers import list_inputs
    from augment.images.io import IMAGE_EXTENSIONS

    root = in_dir.resolve()
    first_error = None
    kinds = (("image", IMAGE_EXTENSIONS), ("audio", AUDIO_EXTENSIONS))
    for kind, extensions in kinds:
        try:
            found = list_inputs(in_dir, extensions, transcripts=kind == "audio")
        except InputError as err:
            first_error = first_error or err
            continue
        eligible = [
            j
            for j, entry in enumerate(found)
            if Path(entry["source"]).suffix.lower() in extensions and _inside(root, entry["source"])
        ]
        if eligible:
            return kind, found, eligible
    raise first_error or InputError(str(in_dir), "no images or audio files found")


def _default_pipeline(kind: str) -> Transform:
    if kind == "image":
        from augment.images.defaults import default_image_pipeline

        return default_image_pipeline()
    return build_pipeline([{"BackgroundNoise": {"snr_db": [5.0, 20.0]}}, "BadPhone"])


def spread(total: int, count: int) -> list[int]:
    """`count` input indices spread evenly over `total` (so several classes show)."""
    if total <= count or count <= 1:
        return list(range(min(total, max(count, 1))))
    return sorted({round(i * (total - 1) / (count - 1)) for i in range(count)})


def _inside(root: Path, path: str | Path) -> bool:
    return Path(path).resolve().is_relative_to(root)


def file_under(root: Path, relative: str) -> Path | None:
    """The regular file `relative` names under `root`, or None if it is outside (.., an
    absolute path, a symlink leading out) or not a file."""
    root = root.resolve()
    if not relative or relative.startswith(("/", "\\")) or "\x00" in relative:
        return None
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path
