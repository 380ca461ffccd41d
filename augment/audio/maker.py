"""The ExampleMaker behind `augment audio`: augmented copies of input speech files."""

from __future__ import annotations

from typing import Any

import numpy as np

from augment.audio.io import decode_audio, encode_audio, noise_columns, read_audio
from augment.core.sample import AudioSample
from augment.core.transform import Transform
from augment.dataset.example import Example
from augment.dataset.hf_inputs import stored_media
from augment.dataset.readers import raise_problem


class AudioExampleMaker:
    """Makes one augmented copy of one input file (picklable: a pipeline and a format)."""

    def __init__(self, pipeline: Transform, file_format: str = "flac") -> None:
        self.pipeline = pipeline
        self.file_format = file_format

    def source(self, task: dict[str, Any]) -> AudioSample:
        """The task's input as read, with its label and columns, before augmentation."""
        raise_problem(task)
        stored = stored_media(task)  # a dataset row's audio, when no file holds it
        name = task["source"]
        sample = read_audio(name) if stored is None else decode_audio(stored, name)
        return sample.replace(label=task.get("label"), extra=dict(task.get("columns", {})))

    def augment(self, task: dict[str, Any], rng: np.random.Generator) -> tuple[AudioSample, dict]:
        """The augmented copy and its params, as `make` encodes them."""
        return self.pipeline.run(self.source(task), rng)

    def make(self, task: dict[str, Any], rng: np.random.Generator) -> Example:
        out, params = self.augment(task, rng)
        peak = float(np.max(np.abs(out.waveform), initial=0.0))
        columns = {k: v for k, v in out.extra.items() if k != "background_noise"}
        columns.update(noise_columns(out))
        columns.update(
            sample_rate=out.sample_rate,
            duration_s=round(out.duration, 4),
            clipped=peak > 1.0,
        )
        return Example(
            data=encode_audio(out, self.file_format),
            suffix=f".{self.file_format}",
            label=task.get("label"),
            source=task.get("source_file", task["source"]),
            params=params,
            columns=columns,
        )
