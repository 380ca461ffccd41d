"""Convolve with impulse responses measured in real rooms, from the user's own folder."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf

from augment.audio._common import as_float32, check_audio
from augment.audio.resampling import resample
from augment.audio.room_ir import convolve_keeping_level
from augment.core.errors import ConfigError, InputError
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform

IR_EXTENSIONS = frozenset({".wav", ".flac"})
CACHED_IRS = 32  # decoded responses kept per process (a few seconds each at most)


@register
class ImpulseResponse(Transform):
    """Make audio sound as if played in a measured room: convolve with an impulse response
    drawn from `ir_dir`, a folder of WAV or FLAC room impulse responses.

    Realistic for far-field speech (smart speakers, meetings, phones on a table) when the
    responses were measured in rooms like the target's; more faithful than Reverb's
    statistical model (real early reflections, coloration, microphone). The folder is
    searched at any depth, so public sets work as unpacked: OpenSLR 28 RIRS_NOISES
    (`simulated_rirs/*/Room*/*.wav`, `real_rirs_isotropic_noises/*.wav`), the MIT IR
    survey (one flat folder), BUT ReverbDB (`*/RIR/*.wav`). A multichannel response gives a
    drawn channel; responses at another rate are resampled. Each is cut to start at its
    direct-path peak, so speech keeps its timing; the output keeps the input length and
    RMS level. Files are listed once and read when first drawn.

    ir_dir: the folder of impulse responses; params record the file (relative to it).
    """

    kind = "audio"

    def __init__(self, ir_dir: str) -> None:
        if not isinstance(ir_dir, str | Path):
            raise ConfigError("ir_dir", f"expected a folder path, got {ir_dir!r}")
        self.ir_dir = str(ir_dir)
        ir_files(self.ir_dir)  # a missing or empty folder fails at build time

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        files = ir_files(self.ir_dir)
        name = files[int(rng.integers(len(files)))]
        channels = ir_channels(self.ir_dir, name)
        return {"file": name, "channel": int(rng.integers(channels))}

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "ImpulseResponse")
        x = np.asarray(sample.waveform, dtype=np.float32)
        n = x.shape[-1]
        if n == 0:
            return sample
        ir = load_ir(self.ir_dir, params["file"], params["channel"], sample.sample_rate)
        return sample.replace(waveform=as_float32(convolve_keeping_level(x, ir)))


@lru_cache(maxsize=16)
def ir_files(ir_dir: str) -> tuple[str, ...]:
    """The WAV/FLAC files under `ir_dir` (any depth, hidden ones skipped), as sorted POSIX
    paths relative to it, so a draw names the same file on every machine."""
    root = Path(ir_dir)
    if not root.is_dir():
        raise ConfigError("ir_dir", f"{ir_dir}: not a folder")
    files = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.suffix.lower() in IR_EXTENSIONS
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    if not files:
        raise ConfigError(
            "ir_dir", f"{ir_dir}: no .wav or .flac files found (searched at any depth)"
        )
    return tuple(files)


@lru_cache(maxsize=1024)
def ir_channels(ir_dir: str, name: str) -> int:
    path = Path(ir_dir) / name
    try:
        return int(sf.info(str(path)).channels)
    except (sf.LibsndfileError, RuntimeError, OSError) as err:
        raise InputError(str(path), f"cannot read the impulse response: {err}") from None


@lru_cache(maxsize=CACHED_IRS)
def load_ir(ir_dir: str, name: str, channel: int, sample_rate: int) -> np.ndarray:
    """One channel of a response at `sample_rate`, from its direct-path peak, scaled to
    unit peak (read-only: it is shared between calls)."""
    path = Path(ir_dir) / name
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError) as err:
        raise InputError(str(path), f"cannot read the impulse response: {err}") from None
    if channel >= data.shape[1]:
        raise InputError(str(path), f"has {data.shape[1]} channels, no channel {channel}")
    ir = resample(data[:, channel], rate, sample_rate)
    peak = int(np.argmax(np.abs(ir))) if ir.size else 0
    if ir.size == 0 or ir[peak] == 0 or not np.all(np.isfinite(ir)):
        raise InputError(str(path), "the impulse response is empty, silent or not finite")
    ir = ir[peak:] / ir[peak]
    ir.flags.writeable = False
    return ir
