"""A passenger-car cabin at constant speed: engine orders, tyre/road, wind, boom and events.

Each source is a physical mechanism with its own speed law, mixed at A-weighted levels
(dB(A) at the driver's ear) so the balance between them follows the published behaviour
of cabins (noise_samples/README.md lists the sources):
- tyre/road noise: structure-borne below ~500 Hz (the broad low-frequency hump, road roar
  80-300 Hz and the tyre cavity resonance near 200 Hz), airborne above, falling with
  frequency; rises as 32 log10(speed) (tyre/road noise grows 25-40 dB per decade of speed);
- wind noise: turbulent flow on glazing and seals, broadband, rising as ~60 log10(speed)
  (aerodynamic dipole sources, power ~ v^6), its spectrum shifting up with speed (Strouhal);
  it overtakes road noise above about 110 km/h;
- engine: a four-stroke's firing order (cylinders/2 x rev/s) and its harmonics, rpm set by
  top gear (a lower gear keeps it above 2000 rpm in town) and drifting slowly (+-1.5%
  over seconds as the driver holds speed);
- cabin boom: the first longitudinal acoustic mode of the cabin (c / 2L) and the body's
  panel mode near 40 Hz, excited by the road;
- events: expansion joints (thump on the front then the rear axle), the indicator ticking,
  vehicles passing in the next lane, muffled by the glazing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from augment.audio.scenes.blocks import (
    FS,
    add_at,
    decaying_modes,
    engine,
    level,
    lowpass,
    moving_average,
    moving_source,
    resonance,
    shaped_noise,
    slow_process,
)
from augment.audio.scenes.measure import a_weighted_db

SPEED_OF_SOUND = 343.0
MIN_RPM = 2000.0  # below it the driver is in a lower gear


@dataclass(frozen=True)
class Vehicle:
    """Per-class constants: dB(A) of each source at 100 km/h, gearing, cabin length."""

    road_dba: float
    wind_dba: float
    engine_dba: float  # at 2500 rpm
    rpm_per_kmh: float  # top gear
    cylinders: int
    cabin_m: float


VEHICLES = {
    "small": Vehicle(65.0, 62.0, 59.0, 30.0, 4, 2.2),
    "mid": Vehicle(63.0, 61.0, 56.0, 24.0, 4, 2.5),
    "suv": Vehicle(64.0, 63.5, 55.0, 20.0, 6, 2.8),
}


def at_dba(x: np.ndarray, dba: float) -> np.ndarray:
    """Scale a source so that its A-weighted level is `dba` (dB re 1 = 0 dBFS)."""
    return x * 10 ** ((dba - a_weighted_db(x, FS)) / 20)


def road_noise(rng: np.random.Generator, n: int, speed_kmh: float, car: Vehicle) -> np.ndarray:
    """Tyre/road noise with cabin boom and slowly changing road surface."""
    shift = np.log10(speed_kmh / 100)  # tread-impact frequencies scale with speed
    points = [(15, -10), (30, -2), (45, 0), (70, -1), (120, -3), (250, -9), (500, -19),
              (1000, -30), (2000, -41), (4000, -52), (8000, -64)]  # fmt: skip
    road = shaped_noise(rng, n, [(f * 10 ** (0.3 * shift), db) for f, db in points])
    road = resonance(road, rng.uniform(195, 230), 8, 4)  # tyre cavity resonance
    road = resonance(road, rng.uniform(36, 44), 4, 5)  # body panel boom
    road = resonance(road, SPEED_OF_SOUND / (2 * car.cabin_m), 5, 3)  # first cabin mode
    surface_db = np.repeat(rng.normal(0, 1.0, n // (5 * FS) + 2), 5 * FS)[:n]
    surface_db = moving_average(surface_db, FS)  # a second to roll onto the new surface
    road *= 10 ** ((surface_db + 0.6 * slow_process(rng, n, 0.5, 1.0)) / 20)
    return at_dba(road, car.road_dba + 32 * np.log10(speed_kmh / 100))


def wind_noise(rng: np.random.Generator, n: int, speed_kmh: float, car: Vehicle) -> np.ndarray:
    """Turbulent boundary-layer noise through the glazing, with gusts."""
    shift = speed_kmh / 100  # Strouhal: frequencies scale with flow speed
    points = [(20, -30), (100, -14), (300, -3), (600, 0), (1200, -8), (2500, -20), (5000, -32),
              (8000, -42)]  # fmt: skip
    wind = shaped_noise(rng, n, [(f * shift, db) for f, db in points])
    wind *= 10 ** (1.5 * slow_process(rng, n, 1.5, 1.0) / 20)
    return at_dba(wind, car.wind_dba + 60 * np.log10(speed_kmh / 100))


def engine_noise(rng: np.random.Generator, n: int, speed_kmh: float, car: Vehicle) -> np.ndarray:
    """Firing orders at top-gear rpm with slow drift, through the firewall (low-passed)."""
    rpm0 = max(car.rpm_per_kmh * speed_kmh, MIN_RPM)
    rpm = rpm0 * (1 + 0.015 * slow_process(rng, n, 3.0, 1.0) + 0.003 * slow_process(rng, n, 0.3, 1))
    orders = lowpass(engine(rng, rpm, car.cylinders), 500)
    combustion = lowpass(shaped_noise(rng, n, [(50, 0), (300, -3), (1000, -15), (8000, -40)]), 2000)
    x = level(orders, 0) + level(combustion, -10)
    return at_dba(x, car.engine_dba + 30 * np.log10(rpm0 / 2500))


def joints(rng: np.random.Generator, n: int, speed_kmh: float, dba: float) -> np.ndarray:
    """Expansion joints: a thump on the front then the rear axle (2.7 m apart)."""
    out = np.zeros(n)
    t = 0
    while True:
        t += int(rng.uniform(6, 20) * FS)
        if t >= n:
            return out
        thump = decaying_modes(rng, [rng.uniform(25, 60), rng.uniform(80, 140)], [0.08, 0.04], 0.4)
        thump = at_dba(lowpass(thump, 300), dba + rng.uniform(-2, 4))
        add_at(out, thump, t)
        add_at(out, 0.75 * thump, t + int(2.7 / (speed_kmh / 3.6) * FS))


def indicator(rng: np.random.Generator, n: int, dba: float) -> np.ndarray:
    """The indicator relay: ticks at 1.5 Hz for a few seconds, now and then."""
    out = np.zeros(n)
    t = int(rng.uniform(5, 25) * FS)
    while t < n:
        tick = decaying_modes(rng, rng.uniform(1500, 4000, 3), [0.004, 0.006, 0.003], 0.03)
        tick = at_dba(tick, dba)
        for k in range(int(rng.integers(4, 10))):
            add_at(out, tick * (1.0 if k % 2 == 0 else 0.6), t + int(k * FS / 3.0))
        t += int(rng.uniform(20, 50) * FS)
    return out


def passing(rng: np.random.Generator, n: int, dba: float) -> np.ndarray:
    """Vehicles overtaking or passing in the next lane, muffled by the glazing, with Doppler."""
    out = np.zeros(n)
    t = 0
    while True:
        t += int(rng.exponential(12) * FS) + 2 * FS
        if t >= n:
            return out
        src = shaped_noise(rng, 8 * FS, [(30, 0), (200, -6), (800, -8), (2000, -18), (8000, -40)])
        truck = rng.random() < 0.3
        y = moving_source(src, rng.uniform(3, 6), rng.uniform(5, 15) if truck else 8, 4.0)
        add_at(out, at_dba(lowpass(y, 1200), dba + (4 if truck else 0)), t - 4 * FS)


def car(rng: np.random.Generator, n: int, speed_kmh: float = 100.0, vehicle: str = "mid"):
    """A cabin at `speed_kmh` (30-160) in a `vehicle` class (small, mid, suv)."""
    if vehicle not in VEHICLES:
        raise ValueError(f"vehicle {vehicle!r}: expected one of {', '.join(VEHICLES)}")
    if not 30 <= speed_kmh <= 160:
        raise ValueError(f"speed {speed_kmh} km/h: expected 30-160")
    spec = VEHICLES[vehicle]
    out = road_noise(rng, n, speed_kmh, spec)
    out += wind_noise(rng, n, speed_kmh, spec)
    out += engine_noise(rng, n, speed_kmh, spec)
    out += at_dba(shaped_noise(rng, n, [(50, -10), (200, 0), (1000, -8), (8000, -30)]), 45.0)
    overall = a_weighted_db(out, FS)
    out += joints(rng, n, speed_kmh, overall - 4)
    out += indicator(rng, n, overall - 14)
    out += passing(rng, n, overall - 8)
    return out
