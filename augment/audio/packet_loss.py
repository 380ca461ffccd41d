"""Lose 10/20 ms frames in bursts (Gilbert-Elliott) and conceal them as a VoIP receiver does."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from augment.audio._common import as_float32, check_audio
from augment.core.draws import uniform
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import AudioSample
from augment.core.transform import Params, Transform
from augment.core.validation import as_range

FADE_FRAMES = 3  # a concealed burst fades to silence over this many frames
EDGE_S = 0.002  # short ramps at each concealment edge to avoid clicks


def gilbert_elliott_losses(
    rng: np.random.Generator, frames: int, loss_rate: float, burst_frames: float
) -> list[int]:
    """Indices of lost frames from a two-state (good/bad) Markov chain.

    Gilbert model as in ITU-T G.191: every frame in the bad state is lost, none in the good
    state. Mean burst length b gives P(bad->good) = 1/b; the stationary loss rate L gives
    P(good->bad) = L / (b (1 - L)).
    """
    if frames <= 0 or loss_rate <= 0:
        return []
    r = 1.0 / max(burst_frames, 1.0)
    p = min(1.0, loss_rate * r / max(1.0 - loss_rate, 1e-9))
    u = rng.random(frames)
    lost = []
    bad = rng.random() < loss_rate  # start in the stationary distribution
    for i in range(frames):
        if bad:
            lost.append(i)
            bad = u[i] >= r
        else:
            bad = u[i] < p
    return lost


def conceal(x: np.ndarray, frame: int, lost: list[int]) -> np.ndarray:
    """Replace lost frames by the last received frame repeated with a fade (never zeros first).

    The k-th consecutive lost frame is the last good frame at gain falling linearly from
    1 - k/FADE_FRAMES to 1 - (k+1)/FADE_FRAMES, so long bursts go quiet as real packet-loss
    concealment does (e.g. G.711 Appendix I mutes after 60 ms). Short ramps smooth the seams.
    """
    y = np.array(x, dtype=np.float32, copy=True)
    n = y.shape[-1]
    lost_set = set(lost)
    edge = max(1, min(frame // 4, int(EDGE_S * 8000 * frame / 160)))
    ramp = np.linspace(0.0, 1.0, edge, dtype=np.float32)
    run = 0
    last_good: np.ndarray | None = None
    for i in range((n + frame - 1) // frame):
        a, b = i * frame, min(n, (i + 1) * frame)
        if i not in lost_set:
            if run and last_good is not None:  # fade the received signal back in
                y[..., a : a + min(edge, b - a)] *= ramp[: b - a]
            run = 0
            last_good = np.array(x[..., a:b], dtype=np.float32) if b - a == frame else last_good
            continue
        g0 = max(0.0, 1.0 - run / FADE_FRAMES)
        g1 = max(0.0, 1.0 - (run + 1) / FADE_FRAMES)
        if last_good is None:
            y[..., a:b] = 0.0
        else:
            fade = np.linspace(g0, g1, frame, dtype=np.float32)[: b - a]
            piece = last_good[..., : b - a] * fade
            if run == 0:  # enter the repetition smoothly
                piece[..., : min(edge, b - a)] *= ramp[: b - a]
            y[..., a:b] = piece
        run += 1
    return y


@register
class PacketLoss(Transform):
    """Drop 10 or 20 ms frames in bursts and conceal them by repeating the last frame, fading.

    Realistic for VoIP and mobile calls over congested or weak links: losses are bursty
    (a Gilbert-Elliott chain, mean burst length drawn), and the receiver hides them by
    repeating audio rather than inserting silence. audiomentations' TimeMask and
    speechbrain's DropChunk insert zeros, which no phone does. The lost frame indices are in
    the params, so a copy can be reproduced exactly.
    """

    kind = "audio"

    def __init__(
        self,
        loss_rate: float | Sequence[float] = (0.01, 0.1),
        burst_frames: float | Sequence[float] = (1.0, 3.0),
        frame_ms: int | Sequence[int] = (10, 20),
    ) -> None:
        self.loss_rate = as_range("loss_rate", loss_rate, 0.0, 0.9)
        self.burst_frames = as_range("burst_frames", burst_frames, 1.0, 50.0)
        choices = [frame_ms] if isinstance(frame_ms, int) else list(frame_ms)
        if not choices or any(c not in (10, 20) for c in choices):
            raise ConfigError("frame_ms", f"expected 10, 20 or a list of them, got {frame_ms!r}")
        self.frame_ms = choices

    def draw_params(self, rng: np.random.Generator, sample: AudioSample) -> Params:
        sample = check_audio(sample, "PacketLoss")
        frame_ms = self.frame_ms[int(rng.integers(len(self.frame_ms)))]
        loss = uniform(rng, self.loss_rate)
        burst = uniform(rng, self.burst_frames)
        frames = int(np.ceil(sample.duration * 1000.0 / frame_ms))
        return {
            "frame_ms": frame_ms,
            "loss_rate": round(loss, 5),
            "burst_frames": round(burst, 4),
            "lost_frames": gilbert_elliott_losses(rng, frames, loss, burst),
        }

    def apply(self, sample: AudioSample, params: Params) -> AudioSample:
        sample = check_audio(sample, "PacketLoss")
        frame = max(1, round(sample.sample_rate * params["frame_ms"] / 1000.0))
        y = conceal(sample.waveform, frame, params["lost_frames"])
        return sample.replace(waveform=as_float32(y))
