"""Babble: people talking at once in a room, from a few near talkers to a hall.

The talkers' summed dry speech follows the long-term average speech spectrum of Byrne et
al. (1994) whatever their number (one smooth correction for the whole group, see
voices.py), so the spectrum of the scene differs from the LTASS only by what the room and
the distances do to it: reverberation, the level ratio of near and far talkers, and the
air and furnishing absorption that dulls far talkers. The level fluctuates less the more
talkers there are (about 1/sqrt(N) in modulation), which is the cue that tells 3-talker
babble from a hall. In a crowd people raise their voices over each other (the Lombard
effect: about 0.5-0.6 dB of voice per dB of noise above 45-50 dB(A), Pearsons et al. 1977),
and a raised voice is brighter, not only louder: `vocal_effort` tilts the target to the
raised or loud speech spectrum of ANSI S3.5-1997 (measure.speech_spectrum).
"""

from __future__ import annotations

import numpy as np

from augment.audio.scenes.blocks import in_room, level, shaped_noise
from augment.audio.scenes.measure import VOCAL_EFFORTS
from augment.audio.scenes.voices import babble, random_voice


def crowd(
    rng: np.random.Generator,
    n: int,
    talkers: int = 32,
    rt60_s: float = 1.0,
    distance_m: tuple[float, float] = (3.0, 15.0),
    talk_share: tuple[float, float] = (0.45, 0.7),
    level_spread_db: float = 3.0,
    vocal_effort: str = "normal",
) -> np.ndarray:
    """`talkers` people at `distance_m` (uniform range) in a room of reverberation time
    `rt60_s`, each talking a `talk_share` fraction of the time (range), their voices'
    levels spread by `level_spread_db` (s.d.) before distance, all at `vocal_effort`
    (normal, raised, loud: measure.VOCAL_EFFORTS), plus room rumble."""
    if talkers < 1 or rt60_s <= 0 or not 0 < distance_m[0] <= distance_m[1]:
        raise ValueError("crowd: talkers >= 1, rt60_s > 0, 0 < near <= far distance")
    if vocal_effort not in VOCAL_EFFORTS:
        raise ValueError(f"crowd: vocal_effort {vocal_effort!r}, expected one of {VOCAL_EFFORTS}")
    specs = [
        {
            "voice": random_voice(rng),
            "share": rng.uniform(*talk_share),
            "gain_db": rng.normal(0, level_spread_db),  # loud and soft talkers
        }
        for _ in range(talkers)
    ]
    out = np.zeros(n)
    for x in babble(rng, n, specs, passes=3, effort=vocal_effort):
        out += in_room(rng, x, rt60_s * rng.uniform(0.9, 1.1), float(rng.uniform(*distance_m)))
    rumble = shaped_noise(rng, n, [(20, 0), (100, 0), (500, -10), (4000, -30), (8000, -40)])
    return out + level(rumble, 10 * np.log10(np.mean(out**2)) - 25)
