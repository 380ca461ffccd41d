"""Mix a background recording (crowd, car, street, ...) into speech at an exact SNR."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from augment.audio._common import as_float32, check_audio, db_to_gain
from augment.audio.levels import SILENT_DB, rms_db, speech_level
from augment.audio.noise_bank import noise_info, read_segment, resolve_source
from augment.audio.resampling import resample
from augment.core.draws import uniform
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range, check_choice, check_number

CROSSFADE_S = 0.05
FULL_SCALE = 1.0
SILENCE_DB = -90.0  # below this a signal counts as silent for SNR purposes


@register
class BackgroundNoise(Transform):
    """Add a background noise recording to speech at a signal-to-noise ratio drawn in dB.

    Realistic when the noise is a recording (or a faithful synthesis) of the place the test
    audio comes from: the bundled crowd, car, street and cafe scenes, or MUSAN, DEMAND,
    ESC-50 folders via `noise_dir`. SNR is measured as the speech level minus the RMS level
    of the noise segment actually added; the speech level is the ITU-T P.56 active speech
    level (`level_method="p56"`, default: pauses do not count) or plain RMS (`"rms"`, as
    audiomentations does, where a clip with long pauses gets relatively more noise).

    Details that matter in a long run:
    - a source is chosen uniformly, then a file in it uniformly, then a random offset;
    - noise shorter than the speech is looped with a 50 ms equal-power crossfade, no click;
    - noise at another sample rate is resampled to the speech rate;
    - clipping: with `prevent_clipping` (default) a mix whose peak would exceed full scale is
      scaled down as a whole (SNR unchanged, `output_gain_db` records it); `peak_normalize`
      scales every mix to -1 dBFS peak; params `clipped` says if the output exceeds full scale;
    - silent speech (level below -90 dBFS or no P.56 activity) has no SNR: the noise is
      added at `silent_speech_noise_db` dBFS RMS so the copy still carries the scene;
      a silent noise segment leaves the speech unchanged. Both are recorded in `skipped`
      and `snr_db_achieved` is None; no NaN anywhere.
    Multichannel speech (channels, n) gets the same mono noise on every channel.
    """

    kind = "audio"

    def __init__(
        self,
        noise: Sequence[str] | str = ("crowd", "car", "street", "cafe"),
        snr_db: float | Sequence[float] = (0.0, 20.0),
        noise_dir: str | None = None,
        level_method: str = "p56",
        prevent_clipping: bool = True,
        peak_normalize: bool = False,
        silent_speech_noise_db: float = -50.0,
    ) -> None:
        names = [noise] if isinstance(noise, str) else list(noise)
        if not names or not all(isinstance(n, str) and n for n in names):
            raise ConfigError("noise", "expected a non-empty list of scene names or paths")
        self.noise = names
        self.snr_db = as_range("snr_db", snr_db, -30.0, 100.0)
        self.noise_dir = None if noise_dir is None else str(noise_dir)
        self.level_method = check_choice("level_method", level_method, ("p56", "rms"))
        self.prevent_clipping = bool(prevent_clipping)
        self.peak_normalize = bool(peak_normalize)
        self.silent_speech_noise_db = check_number(
            "silent_speech_noise_db", silent_speech_noise_db, -120.0, 0.0
        )
        for name in self.noise:  # fail at build time, naming the source
            resolve_source(name, self.noise_dir)

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        sample = check_audio(sample, "BackgroundNoise")
        source = self.noise[int(rng.integers(len(self.noise)))]
        root, files = resolve_source(source, self.noise_dir)
        rel = files[int(rng.integers(len(files)))]
        info = noise_info(str(Path(root) / rel))
        needed = sample.duration
        spare = max(0.0, info.duration - needed)
        offset = (
            float(rng.uniform(0.0, spare)) if spare > 0 else float(rng.uniform(0.0, info.duration))
        )
        return {
            "noise_source": source,
            "noise_file": rel,
            "noise_offset_s": round(offset, 6),
            "snr_db": round(uniform(rng, self.snr_db), 4),
        }

    def _noise(self, params: Params, n: int, sample_rate: int) -> np.ndarray:
        root, _ = resolve_source(params["noise_source"], self.noise_dir)
        path = str(Path(root) / params["noise_file"])
        info = noise_info(path)
        start = round(params["noise_offset_s"] * info.sample_rate)
        needed = int(np.ceil(n * info.sample_rate / sample_rate)) + 1
        segment = read_segment(path, start, needed)
        if segment.size < needed:
            segment = loop_with_crossfade(
                segment, read_segment(path, 0, info.frames), needed, info.sample_rate
            )
        noise = resample(segment, info.sample_rate, sample_rate)
        if noise.size < n:
            noise = np.pad(noise, (0, n - noise.size))
        return noise[:n]

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "BackgroundNoise")
        speech = np.asarray(sample.waveform, dtype=np.float32)
        n = speech.shape[-1]
        noise = self._noise(params, n, sample.sample_rate)
        s_db = speech_level(speech, sample.sample_rate, self.level_method)
        n_db = rms_db(noise)
        record: dict[str, Any] = {
            "speech_level_db": _round(s_db),
            "snr_db_achieved": None,
            "skipped": None,
        }
        if n_db <= SILENCE_DB:
            record.update(skipped="silent noise", noise_gain_db=None, output_gain_db=0.0)
            record["clipped"] = bool(np.max(np.abs(speech), initial=0.0) > FULL_SCALE)
            return _with(sample, speech, params | record)
        if s_db <= SILENCE_DB:
            target_db = self.silent_speech_noise_db
            record["skipped"] = "silent speech"
        else:
            target_db = s_db - params["snr_db"]
        noise_gain = db_to_gain(target_db - n_db)
        mix = speech.astype(np.float64) + noise_gain * noise.astype(np.float64)
        peak = float(np.max(np.abs(mix), initial=0.0))
        out_gain = 1.0
        if peak > 0 and (self.peak_normalize or (self.prevent_clipping and peak > FULL_SCALE)):
            out_gain = db_to_gain(-1.0) / peak
        mix *= out_gain
        if record["skipped"] is None:
            achieved = s_db - rms_db(noise_gain * noise.astype(np.float64))
            record["snr_db_achieved"] = _round(achieved)
        record.update(
            noise_level_db=_round(20.0 * np.log10(noise_gain) + n_db),
            noise_gain_db=_round(20.0 * np.log10(noise_gain)),
            output_gain_db=_round(20.0 * np.log10(out_gain)),
            clipped=bool(np.max(np.abs(mix), initial=0.0) > FULL_SCALE),
        )
        return _with(sample, mix, params | record)


def _round(x: float) -> float | None:
    return None if x <= SILENT_DB else round(float(x), 4)


def _with(sample: AudioSample, waveform: np.ndarray, record: Params) -> AudioSample:
    """The output sample; `apply` returns the measured facts only through its params.

    Measurements are attached to `extra["background_noise"]` so the dataset maker can copy
    them into the manifest (SNR asked vs achieved, file, offset).
    """
    extra = dict(sample.extra)
    extra["background_noise"] = record
    return sample.replace(waveform=as_float32(waveform), extra=extra)


def loop_with_crossfade(
    head: np.ndarray, whole: np.ndarray, needed: int, sample_rate: int
) -> np.ndarray:
    """Continue `head` by repeating `whole` until `needed` samples, crossfading each seam.

    Equal-power (sine/cosine) fades keep the level of uncorrelated noise constant.
    """
    fade = min(int(CROSSFADE_S * sample_rate), whole.size // 4)
    if head.size < fade:  # too little left to fade out of: start from the top of the file
        head = whole
    out = [head.astype(np.float32)]
    total = head.size
    ramp = np.sin(0.5 * np.pi * (np.arange(fade) + 0.5) / max(fade, 1)).astype(np.float32)
    while total < needed:
        if whole.size == 0:
            out.append(np.zeros(needed - total, np.float32))
            break
        piece = whole.astype(np.float32, copy=True)
        if fade > 0:
            tail = out[-1]
            seam = tail[-fade:] * ramp[::-1] + piece[:fade] * ramp
            out[-1] = tail[:-fade]
            piece[:fade] = seam
            total -= fade
        out.append(piece)
        total += piece.size
    return np.concatenate(out)[:needed]
