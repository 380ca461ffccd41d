"""A city street heard from the pavement: vehicles passing by, and the distant city.

Each vehicle is a moving source (tyre noise with the roadside traffic spectrum of
EN 1793-3 peaking near 1 kHz, plus engine orders) driving past at 30-50 km/h: the level
at the listener rises and decays as 1/r (r from the closest distance of its lane), with
Doppler from the changing propagation delay and more high-frequency loss when far.
Arrivals are Poisson at `vehicles_per_minute`; a few are trucks and motorbikes. The more
vehicles and the further the lanes, the steadier the level: a quiet kerb swings by 10 dB
and more as each car passes, a busy avenue at 15 m hums. Under it all a distant city
ambience (traffic of other streets: low-passed, slowly varying), the odd horn, footsteps.
"""

from __future__ import annotations

import numpy as np

from augment.audio.scenes.blocks import (
    FS,
    add_at,
    engine,
    in_room,
    level,
    lowpass,
    moving_source,
    shaped_noise,
    slow_process,
)
from augment.audio.scenes.measure import CENTRES_HZ, TRAFFIC_EN1793_3

CITY_DB = -30.0
HORN_GAIN = 3.0
KINDS = ("car", "truck", "motorbike")
KIND_ODDS = (0.8, 0.12, 0.08)


def tyre_points() -> list[tuple[float, float]]:
    """Power-spectrum points (Hz, dB) of tyre/road noise at the kerb: the EN 1793-3
    normalised traffic spectrum (unweighted, 100 Hz - 5 kHz) per Hz of bandwidth, with
    gentle extrapolations below 100 Hz and above 5 kHz."""
    known = ~np.isnan(TRAFFIC_EN1793_3)
    centres, band_db = CENTRES_HZ[known], TRAFFIC_EN1793_3[known]
    psd_db = band_db - 10 * np.log10(centres)
    points = [(30.0, psd_db[0] - 2), *zip(centres, psd_db, strict=True), (8000.0, psd_db[-1] - 12)]
    return [(float(f), float(db)) for f, db in points]


def vehicle_sound(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    """One vehicle at 1 m: tyres plus engine, by kind."""
    tyres = shaped_noise(rng, n, tyre_points())
    base_rpm = {"car": 1800, "truck": 1300, "motorbike": 4500}[kind]
    rpm = base_rpm * (1 + 0.05 * slow_process(rng, n, 1.0, 1.0))
    orders = engine(rng, rpm, {"car": 4, "truck": 6, "motorbike": 2}[kind])
    engine_db = {"car": -8, "truck": 0, "motorbike": 2}[kind]
    gain_db = {"car": 0.0, "truck": 6.0, "motorbike": 4.0}[kind] + rng.normal(0, 2)
    return (level(tyres, 0) + level(orders, engine_db)) * 10 ** (gain_db / 20)


def pass_by(rng: np.random.Generator, distance_m: float) -> np.ndarray:
    """The sound of one vehicle passing at `distance_m` (closest approach), 12 s long."""
    window = 12 * FS
    kind = str(rng.choice(KINDS, p=KIND_ODDS))
    speed = rng.uniform(8.5, 14.0)  # 30-50 km/h
    y = moving_source(vehicle_sound(rng, window, kind), distance_m, speed, 6.0)
    if distance_m > 10:  # air and ground absorption: duller when far
        y = lowpass(y, max(2500.0, 9000.0 - 200 * distance_m))
    return y / distance_m


def ambience(rng: np.random.Generator, n: int, distance_m: float) -> np.ndarray:
    """Traffic of the surrounding streets: a dull, slowly varying roar."""
    cutoff_db = -6 - 0.1 * distance_m
    roar = shaped_noise(
        rng, n, [(20, -6), (60, 0), (150, 0), (500, -4), (1000, -7), (3000, cutoff_db - 12),
                 (8000, cutoff_db - 30)]
    )  # fmt: skip
    return roar * 10 ** (1.5 * slow_process(rng, n, 6.0, 1.0) / 20)


def horns_and_steps(rng: np.random.Generator, n: int) -> np.ndarray:
    """Occasional horns 20-60 m away (street-canyon reverb; +10 dB re a car at 1 m) and
    footsteps on the pavement (about -40 dB re a car at 1 m, when someone walks by)."""
    out = np.zeros(n)
    t = 0
    while True:
        t += int(rng.exponential(30) * FS) + 5 * FS
        if t >= n:
            break
        tt = np.arange(int(rng.uniform(0.2, 0.8) * FS)) / FS
        horn = sum(
            np.sign(np.sin(2 * np.pi * f * k * tt)) / k
            for f in (rng.uniform(380, 420), rng.uniform(470, 520))
            for k in (1, 2, 3)
        )
        horn *= np.minimum(1, np.minimum(tt / 0.01, (tt[-1] - tt) / 0.02 + 1e-3))
        add_at(out, in_room(rng, lowpass(horn, 3500), 0.5, rng.uniform(20, 60)) * HORN_GAIN, t)
    steps = np.zeros(n)
    for s in range(int(rng.uniform(0, 4) * FS), n - 800, int(FS / rng.uniform(1.7, 2.1))):
        steps[s : s + 800] += rng.standard_normal(800) * np.exp(-np.arange(800) / 120)
    walk = np.clip(slow_process(rng, n, 4.0, 1.0), 0, None)  # someone walks by, now and then
    return out + lowpass(steps, 3000) * walk * 0.1


def street(
    rng: np.random.Generator,
    n: int,
    vehicles_per_minute: float = 15.0,
    distance_m: float = 4.0,
    lanes: int = 2,
) -> np.ndarray:
    """Traffic at `vehicles_per_minute` on `lanes` lanes, the nearest `distance_m` away
    (lanes 3.5 m apart), over the ambience of the city."""
    if vehicles_per_minute <= 0 or distance_m < 1 or lanes < 1:
        raise ValueError("street: vehicles_per_minute > 0, distance_m >= 1, lanes >= 1")
    traffic = np.zeros(n)
    t = -6 * FS
    while True:
        t += int(rng.exponential(60.0 / vehicles_per_minute) * FS)
        if t >= n:
            break
        lane = distance_m + 3.5 * int(rng.integers(lanes)) + rng.uniform(-0.5, 0.5)
        add_at(traffic, pass_by(rng, lane), t)
    # Mean power of a Poisson flow past the kerb ~ rate / (speed * distance): about -17 dB
    # (re a car at 1 m) at 15 vehicles/min and 4 m; the city stays ~13 dB under that.
    out = traffic + level(ambience(rng, n, distance_m), CITY_DB)
    return out + horns_and_steps(rng, n)
