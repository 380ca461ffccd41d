"""Spectrograms for audio previews: read like image previews, with the axes to read them.

`spectrogram` is the bare picture (the explore page uses it); `spectrogram_picture` draws
it on a fixed dBFS colour scale with time (s) and frequency (kHz) axes and a colour bar, so
cells compare with each other: added noise lifts the floor, a phone band cuts the top.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

DB_TOP = 0.0  # dBFS at the top of the colour scale (a full-scale sine)
DB_RANGE = 100.0
AXIS_LEFT, AXIS_TOP, AXIS_BOTTOM, BAR_RIGHT = 30, 6, 14, 40  # margins around the plot
TICKS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0)
# an inferno-like ramp, quiet (dark) to loud (bright): (position, red, green, blue)
RAMP = ((0.0, 0, 0, 4), (0.25, 87, 16, 110), (0.5, 188, 55, 84), (0.75, 249, 142, 9),
        (1.0, 252, 255, 164))  # fmt: skip


def spectrogram_db(sample: Any) -> np.ndarray:
    """Short-time magnitudes in dBFS (a full-scale sine peaks at 0), frequency by frame,
    low frequencies first."""
    x = sample.waveform if sample.waveform.ndim == 1 else sample.waveform.mean(axis=0)
    n_fft = 512 if sample.sample_rate >= 16000 else 256
    hop = n_fft // 4
    frames = max(1, 1 + (x.size - n_fft) // hop)
    x = np.pad(x, (0, max(0, n_fft - x.size)))
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    mag = np.abs(np.fft.rfft(x[idx] * np.hanning(n_fft), axis=1)).T
    return 20 * np.log10(mag / (n_fft / 4) + 1e-9)


def spectrogram(sample: Any) -> np.ndarray:
    """A log-magnitude spectrogram image of an AudioSample (uint8, low frequencies at the
    bottom, the loudest 80 dB of this sample), so speech previews are read like images."""
    db = spectrogram_db(sample)
    db = np.clip((db - (db.max() - 80.0)) / 80.0, 0.0, 1.0)
    return (db[::-1] * 255).astype(np.uint8)


def spectrogram_picture(sample: Any, size: tuple[int, int]) -> np.ndarray:
    """An RGB picture `size` (width, height): the spectrogram on the fixed dBFS scale with
    time and frequency axes and a dB colour bar."""
    width, height = size
    plot = (width - AXIS_LEFT - BAR_RIGHT, height - AXIS_TOP - AXIS_BOTTOM)
    levels = np.clip((spectrogram_db(sample)[::-1] - DB_TOP + DB_RANGE) / DB_RANGE, 0.0, 1.0)
    picture = Image.new("RGB", size, "white")
    fitted = Image.fromarray(levels.astype(np.float32), "F").resize(plot, Image.Resampling.BILINEAR)
    picture.paste(Image.fromarray(colour(np.asarray(fitted))), (AXIS_LEFT, AXIS_TOP))
    bar = np.linspace(1.0, 0.0, plot[1])[:, None].repeat(8, axis=1)
    picture.paste(Image.fromarray(colour(bar)), (width - BAR_RIGHT + 4, AXIS_TOP))
    draw = ImageDraw.Draw(picture)
    duration = sample.waveform.shape[-1] / sample.sample_rate
    _axes(draw, plot, duration, sample.sample_rate / 2000.0)
    return np.asarray(picture)


def colour(levels: np.ndarray) -> np.ndarray:
    """Levels in [0, 1] as RGB uint8 along the ramp."""
    positions = [p[0] for p in RAMP]
    channels = [np.interp(levels, positions, [p[k] for p in RAMP]) for k in (1, 2, 3)]
    return np.stack(channels, axis=-1).round().astype(np.uint8)


def _axes(draw: ImageDraw.ImageDraw, plot: tuple[int, int], seconds: float, khz: float) -> None:
    """Tick labels: seconds along the bottom, kHz up the left, dBFS beside the colour bar."""
    font = ImageFont.load_default(9)
    (width, height), black = plot, (0, 0, 0)
    bottom = AXIS_TOP + height
    for t in _ticks(seconds):
        x = AXIS_LEFT + round(t / seconds * (width - 1))
        draw.line([(x, bottom), (x, bottom + 2)], fill=black)
        draw.text((x, bottom + 2), f"{t:g}", fill=black, font=font, anchor="ma")
    draw.text((AXIS_LEFT + width, bottom + 2), "s", fill=black, font=font, anchor="ra")
    for f in _ticks(khz):
        y = bottom - 1 - round(f / khz * (height - 1))
        draw.line([(AXIS_LEFT - 3, y), (AXIS_LEFT - 1, y)], fill=black)
        draw.text((AXIS_LEFT - 4, y), f"{f:g}", fill=black, font=font, anchor="rm")
    draw.text((2, bottom + 2), "kHz", fill=black, font=font)
    bar_x = AXIS_LEFT + width + 14
    for db in np.arange(DB_TOP, DB_TOP - DB_RANGE - 1, -25.0):
        y = AXIS_TOP + round((DB_TOP - db) / DB_RANGE * (height - 1))
        draw.text((bar_x, y), f"{db:g}", fill=black, font=font, anchor="lm")
    draw.text((bar_x - 10, bottom + 2), "dBFS", fill=black, font=font)


def _ticks(top: float) -> np.ndarray:
    """Round tick values from 0 up to `top`, four to six of them."""
    step = next((s for s in TICKS if top / s <= 5), TICKS[-1])
    return np.arange(0.0, top + 1e-9, step)
