"""`augment audio`: noisy, phone-line and reverberant copies of labelled speech.

The command reads an audiofolder (metadata.csv/jsonl with file_name and transcription, or
class folders, or audio files with same-stem .txt transcripts), runs the pipeline on each
copy with its own seeded generator and writes a new audiofolder through run_generation.
The audio stack (scipy.signal, filters, codecs) is imported inside the functions that use
it, so `augment --help` and `augment images` do not pay for it at start-up.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import soundfile as sf
import typer

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
from augment.core.errors import InputError
from augment.core.registry import load_pipeline
from augment.core.sample import AudioSample
from augment.core.transform import Transform
from augment.dataset.example import Example
from augment.dataset.readers import read_labelled_files

FORMATS = {"flac": ("FLAC", "PCM_16"), "wav": ("WAV", "PCM_16"), "ogg": ("OGG", "VORBIS")}
SILENT_INPUT_DB = -90.0
NOISE_COLUMNS = ("noise_source", "noise_file", "noise_offset_s", "snr_db_achieved")


def read_audio(path: str | Path) -> AudioSample:
    """Decode a file to float32 (n,) or (channels, n); InputError for empty/silent/corrupt."""
    from augment.audio.levels import rms_db

    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (RuntimeError, sf.LibsndfileError, OSError) as err:
        raise InputError(str(path), f"cannot decode audio ({str(err).splitlines()[0]})") from None
    if data.shape[0] == 0:
        raise InputError(str(path), "empty audio (no samples)")
    waveform = data[:, 0] if data.shape[1] == 1 else np.ascontiguousarray(data.T)
    if rms_db(waveform) < SILENT_INPUT_DB:
        raise InputError(str(path), "silent audio (level below -90 dBFS)")
    return AudioSample(np.ascontiguousarray(waveform), int(rate))


def encode_audio(sample: AudioSample, file_format: str) -> bytes:
    container, subtype = FORMATS[file_format]
    buffer = io.BytesIO()
    data = np.clip(sample.waveform, -1.0, 1.0)
    sf.write(buffer, data.T if data.ndim == 2 else data, sample.sample_rate, format=container,
             subtype=subtype)  # fmt: skip
    return buffer.getvalue()


def noise_columns(sample: AudioSample) -> dict[str, Any]:
    """Flat manifest columns from what BackgroundNoise measured (asked vs achieved SNR)."""
    record = sample.extra.get("background_noise")
    if not record:
        return {}
    columns = {key: record.get(key) for key in NOISE_COLUMNS}
    columns["snr_db_asked"] = record.get("snr_db")
    return columns


class AudioExampleMaker:
    """Makes one augmented copy of one input file (picklable: a pipeline and a format)."""

    def __init__(self, pipeline: Transform, file_format: str = "flac") -> None:
        self.pipeline = pipeline
        self.file_format = file_format

    def augment(self, task: dict[str, Any], rng: np.random.Generator) -> tuple[AudioSample, dict]:
        sample = read_audio(task["source"])
        sample = sample.replace(label=task.get("label"), extra=dict(task.get("columns", {})))
        return self.pipeline.run(sample, rng)

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
            source=task["source"],
            params=params,
            columns=columns,
        )


def list_inputs(in_dir: Path) -> list[dict[str, Any]]:
    """One entry per input file: path, class label (folders) and columns (transcription...)."""
    from augment.audio.noise_bank import AUDIO_EXTENSIONS

    files = read_labelled_files(in_dir, AUDIO_EXTENSIONS)
    entries = []
    for f in files:
        columns = dict(f.columns)
        transcript = f.path.with_suffix(".txt")
        if "transcription" not in columns and transcript.is_file():
            columns["transcription"] = transcript.read_text(encoding="utf-8").strip()
        entries.append({"source": str(f.path), "label": f.label, "columns": columns})
    return entries


def build_audio_pipeline(
    noise: str | None, snr: str, phone: bool, noise_dir: Path | None, config: Path | None
) -> Transform:
    from augment.audio.background_noise import BackgroundNoise
    from augment.audio.bad_phone import BadPhone

    if config is not None:
        return load_pipeline(config)
    steps: list[Transform] = []
    if noise:
        names = [n.strip() for n in noise.split(",") if n.strip()]
        steps.append(
            BackgroundNoise(
                names,
                list(parse_range("--snr", snr)),
                None if noise_dir is None else str(noise_dir),
            )
        )
    if phone:
        steps.append(BadPhone())
    if not steps:
        fail("nothing to do: give --noise, --phone or --config")
    from augment.core.combinators import Sequence

    return steps[0] if len(steps) == 1 else Sequence(steps)


def spectrogram(sample: AudioSample) -> np.ndarray:
    """A log-magnitude spectrogram image (uint8, low frequencies at the bottom)."""
    x = sample.waveform if sample.waveform.ndim == 1 else sample.waveform.mean(axis=0)
    n_fft = 512 if sample.sample_rate >= 16000 else 256
    hop = n_fft // 4
    frames = max(1, 1 + (x.size - n_fft) // hop)
    x = np.pad(x, (0, max(0, n_fft - x.size)))
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    mag = np.abs(np.fft.rfft(x[idx] * np.hanning(n_fft), axis=1)).T
    db = 20 * np.log10(mag + 1e-9)
    db = np.clip((db - (db.max() - 80.0)) / 80.0, 0.0, 1.0)
    return (db[::-1] * 255).astype(np.uint8)


def audio_command(
    in_dir: Annotated[Path, typer.Argument(help="Audiofolder or folder of WAV/FLAC/OGG files.")],
    out: OutOpt,
    noise: Annotated[
        str | None,
        typer.Option(
            "--noise",
            help="Background scenes, comma-separated: crowd, car, street, cafe (bundled), "
            "paths, or names under --noise-dir (sub-folder, file stem, ESC-50 category, *).",
        ),
    ] = None,
    snr: Annotated[
        str, typer.Option("--snr", help="SNR range in dB, LO:HI (P.56 speech level).")
    ] = "0:20",
    phone: Annotated[
        bool, typer.Option("--phone", help="Also pass through a bad phone line.")
    ] = False,
    copies: Annotated[
        int, typer.Option("-n", "--copies", min=1, help="Copies per input file.")
    ] = 1,
    config: Annotated[
        Path | None, typer.Option("--config", help="Pipeline YAML/JSON (replaces --noise/--phone).")
    ] = None,
    noise_dir: Annotated[
        Path | None,
        typer.Option("--noise-dir", help="Your noise corpus (MUSAN, DEMAND, ESC-50...)."),
    ] = None,
    file_format: Annotated[str, typer.Option("--format", help="flac, wav or ogg.")] = "flac",
    seed: SeedOpt = 0,
    workers: WorkersOpt = 1,
    preview: PreviewOpt = 0,
    shards: ShardsOpt = None,
) -> None:
    """Write augmented copies of labelled speech; transcripts and extra columns carry over.

    IN_DIR is an audiofolder (metadata.csv or metadata.jsonl with file_name and
    transcription), class folders, or audio files with same-stem .txt transcripts.
    The manifest records, per copy, the noise file, offset, SNR asked and SNR achieved.

    Examples:

      augment audio examples/speech -o noisy/ --noise crowd,car --snr 0:20 -n 3

      augment audio calls/ -o phone/ --noise street --snr 5:15 --phone -n 2 --preview 4

      augment audio speech/ -o out/ --noise noise --noise-dir ~/musan --format wav

      augment audio speech/ -o out/ --config audio.yaml --workers 2
    """
    if file_format not in FORMATS:
        fail(f"--format: expected one of {', '.join(FORMATS)}, got {file_format!r}")
    with user_errors():
        pipeline = build_audio_pipeline(noise, snr, phone, noise_dir, config)
        inputs = list_inputs(in_dir)
        maker = AudioExampleMaker(pipeline, file_format)
        tasks = run_copies(
            name="augment audio", in_dir=in_dir, out=out, inputs=inputs, copies=copies,
            pipeline=pipeline, maker=maker, options={"format": file_format}, seed=seed,
            workers=workers, shards=shards,
        )  # fmt: skip
        if preview:
            path = write_preview(
                out, tasks, copies, preview, seed=seed, cell_size=(256, 128), max_copies=4,
                original=lambda task: spectrogram(read_audio(task["source"])),
                augmented=lambda task, rng: spectrogram(maker.augment(task, rng)[0]),
            )  # fmt: skip
            print(f"preview: {path}")
