"""Speech augmentation speed: our noise mixing and band-pass vs audiomentations, one thread.

Both libraries process the same 5 s, 16 kHz clips in the same run; results are "times real
time" (seconds of audio per second of compute) and our/their ratio. audiomentations draws
from the same bundled noise files (its LRU cache keeps them decoded, as ours does).

    python benchmarks/audio.py [--quick]

Ends with name=value lines, e.g. noise_bandpass_speedup_vs_audiomentations=1.3.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from augment.audio import BackgroundNoise, BadPhone, TelephoneBand  # noqa: E402
from augment.audio.noise_bank import BUNDLED_SCENES, bundled_dir  # noqa: E402
from augment.core.combinators import Sequence  # noqa: E402
from augment.core.sample import AudioSample  # noqa: E402
from augment.core.seeding import example_rng  # noqa: E402

RATE = 16000
SECONDS = 5.0


def clips(count: int) -> list[np.ndarray]:
    """Speech-like test clips: harmonic bursts at syllable rate with pauses."""
    rng = np.random.default_rng(0)
    t = np.arange(int(SECONDS * RATE)) / RATE
    out = []
    for _ in range(count):
        f0 = rng.uniform(90, 220) * (1 + 0.1 * np.sin(2 * np.pi * 0.7 * t))
        phase = 2 * np.pi * np.cumsum(f0) / RATE
        voiced = sum(np.sin(k * phase) / k for k in range(1, 20))
        env = np.clip(np.sin(2 * np.pi * rng.uniform(3, 5) * t), 0, None) ** 2
        env *= np.sin(2 * np.pi * 0.4 * t + rng.uniform(0, 6)) > -0.3
        x = voiced * env
        out.append((0.2 * x / np.max(np.abs(x))).astype(np.float32))
    return out


def ours(pipeline, audio: list[np.ndarray]) -> None:
    for i, x in enumerate(audio):
        pipeline(AudioSample(x, RATE), example_rng(0, i))


def theirs(pipeline, audio: list[np.ndarray]) -> None:
    for x in audio:
        pipeline(samples=x, sample_rate=RATE)


def times_real_time(fn, pipeline, audio, repeats: int) -> float:
    fn(pipeline, audio[:4])  # warm caches (noise files decoded, filters designed)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn(pipeline, audio)
        best = min(best, time.perf_counter() - start)
    return len(audio) * SECONDS / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about a minute")
    args = parser.parse_args()
    count, repeats = (60, 3) if args.quick else (300, 5)
    audio = clips(count)
    import audiomentations as am

    noise_dir = str(bundled_dir())
    their_noise = am.AddBackgroundNoise(
        sounds_path=noise_dir, min_snr_db=0.0, max_snr_db=20.0, p=1.0
    )
    their_band = am.BandPassFilter(
        min_center_freq=1000.0,
        max_center_freq=1100.0,
        min_bandwidth_fraction=1.5,
        max_bandwidth_fraction=1.7,
        p=1.0,
    )  # fmt: skip  (centre ~1 kHz, fraction ~1.6: roughly the 300-3400 Hz band)
    our_noise = BackgroundNoise(list(BUNDLED_SCENES), snr_db=(0.0, 20.0))
    our_band = TelephoneBand()
    cases = {
        "noise": (our_noise, their_noise),
        "bandpass": (our_band, their_band),
        "noise_bandpass": (Sequence([our_noise, our_band]), am.Compose([their_noise, their_band])),
    }
    results: dict[str, float] = {}
    print(f"{count} clips of {SECONDS:g} s at {RATE} Hz, best of {repeats}, one thread")
    print(f"{'case':<16}{'ours (x RT)':>14}{'audiomentations':>18}{'ratio':>8}")
    for name, (mine, other) in cases.items():
        a = times_real_time(ours, mine, audio, repeats)
        b = times_real_time(theirs, other, audio, repeats)
        results[f"{name}_ours_x_realtime"] = a
        results[f"{name}_audiomentations_x_realtime"] = b
        results[f"{name}_speedup_vs_audiomentations"] = a / b
        print(f"{name:<16}{a:>14,.0f}{b:>18,.0f}{a / b:>8.2f}")
    phone = times_real_time(ours, BadPhone(), audio[: max(12, count // 5)], repeats)
    results["bad_phone_ours_x_realtime"] = phone
    print(f"{'bad_phone':<16}{phone:>14,.0f}{'(no equivalent)':>18}")
    for key, value in results.items():
        print(f"{key}={value:.3g}" if "speedup" in key else f"{key}={value:.0f}")


if __name__ == "__main__":
    main()
