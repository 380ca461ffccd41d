"""Seeded generators of the bundled background scenes, and the variants bundled as files.

`render(scene, seconds, seed, **params)` returns a mono float64 clip at `FS` (16 kHz),
scaled to -26 dBFS RMS, a pure function of its arguments. Scenes and their parameters:

- `car`: speed_kmh (30-160), vehicle (small, mid, suv);
- `street`: vehicles_per_minute, distance_m (nearest lane), lanes;
- `crowd`: talkers, rt60_s, distance_m (near, far), talk_share (min, max),
  level_spread_db, vocal_effort (normal, raised, loud);
- `cafe`: no parameters.

car and street need nothing beyond numpy/scipy; crowd and cafe synthesise talkers with
flite and Festival (Debian packages, see voices.py). `VARIANTS` lists the files bundled in
noise_samples/: a scene name in `BackgroundNoise(noise=[...])` draws among its variants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from augment.audio.scenes.blocks import FS, finish

SCENE_NAMES = ("crowd", "car", "street", "cafe")


@dataclass(frozen=True)
class Variant:
    """A bundled file: the scene, its parameters, length and seed."""

    scene: str
    seconds: float
    seed: int
    params: dict[str, Any] = field(default_factory=dict)


VARIANTS = {
    "car_50": Variant("car", 30, 250, {"speed_kmh": 50, "vehicle": "small"}),
    "car_100": Variant("car", 40, 2100, {"speed_kmh": 100, "vehicle": "mid"}),
    "car_130": Variant("car", 30, 2130, {"speed_kmh": 130, "vehicle": "suv"}),
    "crowd_3": Variant(
        "crowd",
        30,
        103,
        {
            "talkers": 3,
            "rt60_s": 0.5,
            "distance_m": (1.5, 2.5),
            "talk_share": (0.85, 0.95),
            "level_spread_db": 1.0,
        },
    ),
    # Lombard effect: a room of 8 talkers (about 60-65 dB(A)) makes them raise their
    # voices by about 6 dB, a hall of 32 (about 70 dB(A)) by about 12 dB: ANSI S3.5's
    # raised and loud voices.
    "crowd_room": Variant(
        "crowd",
        30,
        108,
        {"talkers": 8, "rt60_s": 0.7, "distance_m": (1.5, 6.0), "vocal_effort": "raised"},
    ),
    "crowd_hall": Variant("crowd", 30, 132, {"talkers": 32, "vocal_effort": "loud"}),
    "street_kerb": Variant("street", 40, 301, {"vehicles_per_minute": 12, "distance_m": 3.0}),
    "street_busy": Variant(
        "street", 30, 302, {"vehicles_per_minute": 40, "distance_m": 8.0, "lanes": 4}
    ),
    "street_distant": Variant(
        "street", 30, 303, {"vehicles_per_minute": 60, "distance_m": 40.0, "lanes": 4}
    ),
    "cafe": Variant("cafe", 60, 404),
}


def _generator(scene: str):
    if scene == "car":
        from augment.audio.scenes.car import car

        return car
    if scene == "street":
        from augment.audio.scenes.street import street

        return street
    from augment.audio.scenes import voices

    voices.check_synthesizers()
    if scene == "crowd":
        from augment.audio.scenes.crowd import crowd

        return crowd
    from augment.audio.scenes.cafe import cafe

    return cafe


def render(scene: str, seconds: float, seed: int, **params: Any) -> np.ndarray:
    """A clip of `scene` at FS, -26 dBFS RMS; ValueError naming a bad scene or parameter."""
    if scene not in SCENE_NAMES:
        raise ValueError(f"unknown scene {scene!r}: expected one of {', '.join(SCENE_NAMES)}")
    if not 1.0 <= seconds <= 3600.0:
        raise ValueError(f"seconds {seconds}: expected 1-3600")
    generate = _generator(scene)
    return finish(generate(np.random.default_rng(seed), int(seconds * FS), **params))


def render_variant(name: str) -> np.ndarray:
    """The bundled file `name` (a key of VARIANTS), as the script writes it."""
    v = VARIANTS[name]
    return render(v.scene, v.seconds, v.seed, **v.params)
