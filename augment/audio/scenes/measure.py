"""How close a scene is to a real one: 1/3-octave spectrum distance and level fluctuation.

The two measures of issue 19, used by the tests, scripts/make_noise_samples.py and
benchmarks/real_noise.py (one implementation):
- spectrum distance: RMS difference, in dB, of 1/3-octave band levels from 100 Hz to
  6.3 kHz (upper band edge 7.1 kHz) after equalising the overall level (the total power of
  those bands), so only the spectral shape counts;
- level fluctuation: standard deviation, in dB, of the levels of consecutive 50 ms frames.

Published reference spectra (1/3-octave band levels, dB, shape only) sit beside them, each
with its source; NaN marks a band the source does not give.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import welch

CENTRES_HZ = np.array(
    [100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500,
     3150, 4000, 5000, 6300],
    dtype=float,
)  # fmt: skip
FRAME_S = 0.05

# Byrne et al. (1994), "An international comparison of long-term average speech spectra",
# JASA 96(4): the combined male+female LTASS, 1/3-octave levels (dB SPL at 20 cm, 70 dB
# overall), rounded to 0.5 dB.
LTASS_BYRNE_1994 = np.array(
    [54.0, 57.5, 57.0, 58.0, 59.5, 60.0, 62.0, 62.5, 60.5, 56.0, 53.5, 53.5, 52.0, 49.0,
     48.0, 47.0, 45.5, 45.0, 44.0]
)  # fmt: skip

# EN 1793-3 (1997), normalised road-traffic noise spectrum: A-weighted 1/3-octave levels
# (dB) 100 Hz - 5 kHz, the standard spectrum of traffic noise at a roadside receiver.
_EN1793_3_A = np.array(
    [-20, -20, -18, -16, -15, -14, -13, -12, -11, -9, -8, -9, -10, -11, -13, -15, -16, -18,
     np.nan]
)  # fmt: skip


def a_weighting_db(f: np.ndarray) -> np.ndarray:
    """IEC 61672 A-weighting in dB at frequencies f (Hz)."""
    f2 = np.asarray(f, dtype=float) ** 2
    ra = (12194.0**2 * f2**2) / (
        (f2 + 20.6**2) * np.sqrt((f2 + 107.7**2) * (f2 + 737.9**2)) * (f2 + 12194.0**2)
    )
    return 20 * np.log10(ra) + 2.0


TRAFFIC_EN1793_3 = _EN1793_3_A - a_weighting_db(CENTRES_HZ)  # unweighted shape

# ANSI S3.5-1997, "Methods for calculation of the speech intelligibility index", Table 3:
# standard speech spectrum levels (dB) at normal, raised and loud vocal effort, 1/3-octave
# bands 160 Hz - 8 kHz (overall 62.4, 68.3 and 74.9 dB SPL). Raising the voice lifts the
# bands above 1 kHz far more than those below (Pearsons, Bennett and Fidell 1977).
_EFFORT_CENTRES_HZ = np.array(
    [160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000,
     6300, 8000],
    dtype=float,
)  # fmt: skip
VOCAL_EFFORTS = ("normal", "raised", "loud")
_SPEECH_EFFORT_ANSI_S3_5 = np.array([
    [32.41, 34.48, 34.75, 33.98, 34.59, 34.27, 32.06, 28.30, 25.01, 23.00, 20.15, 17.32, 13.18,
     11.55, 9.33, 5.31, 2.59, 1.13],
    [33.81, 33.92, 38.98, 38.57, 39.11, 40.15, 38.78, 36.37, 33.86, 31.89, 28.58, 25.32, 22.35,
     20.15, 16.78, 11.47, 7.67, 5.07],
    [35.29, 37.76, 41.55, 43.78, 43.30, 44.85, 45.55, 44.05, 42.16, 40.53, 37.70, 34.39, 30.98,
     28.21, 25.41, 18.35, 13.87, 11.39],
])  # fmt: skip


def effort_tilt_db(effort: str, centres_hz: np.ndarray) -> np.ndarray:
    """How a voice raised to `effort` changes the spectrum at `centres_hz` (dB, relative to
    normal effort; ANSI S3.5 Table 3, held flat below 160 Hz)."""
    if effort not in VOCAL_EFFORTS:
        raise ValueError(f"vocal effort {effort!r}: expected one of {', '.join(VOCAL_EFFORTS)}")
    tilt = _SPEECH_EFFORT_ANSI_S3_5[VOCAL_EFFORTS.index(effort)] - _SPEECH_EFFORT_ANSI_S3_5[0]
    return np.interp(np.log10(centres_hz), np.log10(_EFFORT_CENTRES_HZ), tilt)


def speech_spectrum(effort: str = "normal") -> np.ndarray:
    """The LTASS of Byrne et al. (1994) at CENTRES_HZ, tilted to `effort`: the long-term
    spectrum of many talkers speaking at that effort."""
    return LTASS_BYRNE_1994 + effort_tilt_db(effort, CENTRES_HZ)


def third_octave_levels(x: np.ndarray, rate: int) -> np.ndarray:
    """Band levels (dB, arbitrary reference) at CENTRES_HZ from a Welch power spectrum."""
    x = np.asarray(x, dtype=np.float64)
    f, p = welch(x, rate, nperseg=min(8192, x.size))
    out = np.full(CENTRES_HZ.size, np.nan)
    for i, centre in enumerate(CENTRES_HZ):
        band = (f >= centre * 2 ** (-1 / 6)) & (f < centre * 2 ** (1 / 6))
        if centre * 2 ** (1 / 6) <= rate / 2 and band.any():
            out[i] = 10 * np.log10(np.sum(p[band]) + 1e-30)
    return out


def spectrum_distance(levels: np.ndarray, reference: np.ndarray) -> float:
    """RMS dB difference of two band-level vectors after equalising their total power
    (over the bands both define)."""
    both = ~(np.isnan(levels) | np.isnan(reference))
    a, b = levels[both], reference[both]
    a = a - 10 * np.log10(np.sum(10 ** (a / 10)))
    b = b - 10 * np.log10(np.sum(10 ** (b / 10)))
    return float(np.sqrt(np.mean((a - b) ** 2)))


def level_fluctuation_db(x: np.ndarray, rate: int) -> float:
    """Standard deviation (dB) of the RMS levels of consecutive 50 ms frames."""
    frame = int(FRAME_S * rate)
    x = np.asarray(x, dtype=np.float64)
    frames = x[: x.size // frame * frame].reshape(-1, frame)
    levels = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-20)
    return float(np.std(levels))


def coloured_noise(exponent: float, seconds: float, rate: int, seed: int = 0) -> np.ndarray:
    """Gaussian noise with power spectrum 1/f**exponent (0 white, 1 pink, 2 brown), for
    the baselines of the tables."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    f = np.fft.rfftfreq(n, 1 / rate)
    shape = np.maximum(f, 10.0) ** (-exponent / 2)
    y = np.fft.irfft(np.fft.rfft(rng.standard_normal(n)) * shape, n)
    return y / np.sqrt(np.mean(y**2))


def a_weighted_db(x: np.ndarray, rate: int) -> float:
    """A-weighted RMS level in dB (re 1), from the spectrum, as a sound level meter reads."""
    spectrum = np.abs(np.fft.rfft(np.asarray(x, dtype=np.float64))) ** 2
    f = np.fft.rfftfreq(x.size, 1 / rate)
    weight = 10 ** (a_weighting_db(np.maximum(f, 1.0)) / 10)
    power = 2 * np.sum(spectrum * weight) / x.size**2
    return float(10 * np.log10(power + 1e-30))
