"""Sound-source building blocks shared by the scene generators, all at the scenes' rate FS.

Every block takes the scene's numpy Generator, so a scene is a pure function of its seed.
Levels are relative (dB re an arbitrary unit); `finish` sets the file level at the end.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, lfilter, oaconvolve, sosfilt

from augment.audio.room_ir import room_impulse_response

FS = 16000
TARGET_RMS_DB = -26.0


def shaped_noise(rng: np.random.Generator, n: int, points: list[tuple[float, float]]) -> np.ndarray:
    """Gaussian noise whose power spectrum follows (frequency Hz, dB) points (log-interpolated)."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / FS)
    fx = np.log10(np.array([p[0] for p in points]))
    gain_db = np.interp(np.log10(np.maximum(f, points[0][0])), fx, [p[1] for p in points])
    y = np.fft.irfft(spectrum * 10 ** (gain_db / 20), n)
    return y / np.sqrt(np.mean(y**2))


def slow_process(rng: np.random.Generator, n: int, tau_s: float, sigma: float) -> np.ndarray:
    """Ornstein-Uhlenbeck process (mean 0, std sigma, correlation time tau) at FS."""
    step = 100  # compute at 160 Hz and interpolate
    m = n // step + 2
    a = np.exp(-step / (tau_s * FS))
    w = rng.standard_normal(m) * sigma * np.sqrt(1 - a * a)
    z = lfilter([1.0], [1.0, -a], w, zi=[a * rng.normal(0, sigma)])[0]
    return np.interp(np.arange(n), np.arange(m) * step, z)


def moving_average(x: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average over `width` samples (edges average what there is), O(n)."""
    c = np.concatenate([[0.0], np.cumsum(x)])
    i = np.arange(x.size)
    lo = np.maximum(i - width // 2, 0)
    hi = np.minimum(i + (width + 1) // 2, x.size)
    return (c[hi] - c[lo]) / (hi - lo)


def resonance(x: np.ndarray, f0: float, q: float, gain_db: float) -> np.ndarray:
    """Add a band-pass copy (a resonance at f0 with quality q) at a relative gain."""
    bw = f0 / q
    sos = butter(1, [max(f0 - bw / 2, 5.0), f0 + bw / 2], "bandpass", fs=FS, output="sos")
    return x + 10 ** (gain_db / 20) * sosfilt(sos, x)


def decaying_modes(rng: np.random.Generator, freqs, decays_s, length_s: float) -> np.ndarray:
    """An impact: damped sinusoidal modes plus a short click."""
    t = np.arange(int(length_s * FS)) / FS
    out = np.zeros(t.size)
    for f, d in zip(freqs, decays_s, strict=True):
        out += (
            rng.uniform(0.3, 1.0)
            * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
            * (np.exp(-t / d))
        )
    click = rng.standard_normal(t.size) * np.exp(-t / 0.002)
    return out + 0.5 * click


def add_at(out: np.ndarray, x: np.ndarray, start: int) -> None:
    """Add x into out from sample `start` (either may overhang the other's ends)."""
    if start >= out.size:
        return
    end = min(out.size, start + x.size)
    out[max(start, 0) : end] += x[max(0, -start) : end - start]


def level(x: np.ndarray, db: float) -> np.ndarray:
    """Scale to an RMS level in dB (relative units, set before the final normalisation)."""
    return x / (np.sqrt(np.mean(x**2)) + 1e-12) * 10 ** (db / 20)


def lowpass(x: np.ndarray, cutoff_hz: float, order: int = 2) -> np.ndarray:
    return sosfilt(butter(order, cutoff_hz, "lowpass", fs=FS, output="sos"), x)


def engine(rng: np.random.Generator, rpm: np.ndarray, cylinders: int = 4) -> np.ndarray:
    """Harmonics of a four-stroke engine: firing order cylinders/2 dominant, half orders weak."""
    rev_hz = rpm / 60.0
    phase = 2 * np.pi * np.cumsum(rev_hz) / FS
    out = np.zeros(rpm.size)
    firing = cylinders / 2
    for k in range(1, 41):
        order = k * 0.5
        if order * rev_hz.max() > FS / 2 * 0.9:
            break
        strength = 1.0 if order % firing == 0 else 0.25 if order % 1 == 0 else 0.08
        strength *= (order / firing) ** -1.2 if order >= firing else 0.6
        wobble = 1 + 0.15 * slow_process(rng, rpm.size, 0.7, 1.0)
        out += strength * wobble * np.sin(order * phase + rng.uniform(0, 2 * np.pi))
    return out


def in_room(rng: np.random.Generator, x: np.ndarray, rt60: float, distance_m: float) -> np.ndarray:
    """Place a source at a distance in a room: 1/r level, DRR falling with distance,
    high frequencies absorbed a little more for far sources."""
    critical = 0.057 * np.sqrt(200.0 / rt60)  # critical distance of a ~200 m^3 room
    drr = 20 * np.log10(critical / distance_m)
    ir = room_impulse_response(rt60, drr, FS, int(rng.integers(2**31)))
    y = oaconvolve(x, ir)[: x.size]
    if distance_m > 4:
        y = lowpass(y, max(3000.0, 7500.0 - 300 * distance_m))
    return y / max(distance_m, 0.5)


def moving_source(src: np.ndarray, d0: float, speed: float, t0: float, c: float = 343.0):
    """Received signal of a source passing at closest distance d0 (m), speed (m/s), time t0 (s):
    1/r spreading and Doppler by a time-varying propagation delay."""
    n = src.size
    t = np.arange(n) / FS
    r = np.sqrt(d0**2 + (speed * (t - t0)) ** 2)
    emitted = t - r / c
    y = np.interp(emitted * FS, np.arange(n), src, left=0.0, right=0.0)
    return y * (d0 / r)


def finish(x: np.ndarray) -> np.ndarray:
    """What every file gets: no DC or subsonic rumble, -26 dBFS RMS, peak <= 0.98, 50 ms fades."""
    x = sosfilt(butter(2, 20, "highpass", fs=FS, output="sos"), x)
    x = x * 10 ** (TARGET_RMS_DB / 20) / np.sqrt(np.mean(x**2))
    peak = np.max(np.abs(x))
    if peak > 0.98:
        x *= 0.98 / peak
    fade = int(0.05 * FS)
    x[:fade] *= np.linspace(0, 1, fade)
    x[-fade:] *= np.linspace(1, 0, fade)
    return x
