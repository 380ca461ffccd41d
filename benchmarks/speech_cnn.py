"""Which training noise makes a small speech CNN robust to real noise? A benchmark that can tell.

utility_speech.py's SVM scores 0.56 on clean speech of an unseen speaker, too low to
separate noise recipes. Here a small CNN (about 40k weights) on log-mel features, trained on
three FSDD speakers (../shared/data/fsdd-dev) and tested on the held-out fourth (folds
rotate). Speaker independence comes from the features (silence trimmed, per-band mean
removed) and from warping every training batch (mel-axis stretch like a vocal-tract
length change, tempo stretch, SpecAugment masks), the same in every condition: clean
training scores about 0.72 on the two quick folds (george, jackson; 0.48-0.67 without
them). Training conditions, each the original clips plus K augmented copies (copy k
of clip i uses example_rng(seed, i, k)):
- clean; white, pink, brown: ColoredNoise(exponent 0, 1, 2) at 0-20 dB SNR;
- scenes: BackgroundNoise over the bundled crowd, car, street, cafe at 0-20 dB;
- issue_cli: `augment audio --noise crowd,car --snr 0:20 --phone` (BackgroundNoise + BadPhone);
- preset: augment/audio/presets/robust-speech.yaml.
Test (never seen in training, never used to make the scenes): the held-out speaker clean;
mixed at 0, 5, 10 dB SNR (P.56) with the real recordings of benchmarks/real_noise.py (six
Debian sources, each weighing the same) and ../shared/data/noise-dev/cafe.wav; and the same
real-noise mixes at 10 dB through a phone channel made here, independent of BadPhone
(4th-order Chebyshev 300-3400 Hz band-pass, 8-bit mu-law).

    python benchmarks/speech_cnn.py [--quick] [--seed N] [--seeds N] [--conditions a,b,...]

--quick: two held-out speakers, K=1, one seed per fold, 8 epochs (a few minutes on 2 cores);
default: four folds, K=2, three seeds, 12 epochs. Reports accuracy per condition (mean and
the spread over folds x seeds), and the gain of each condition over pink noise with its
standard error over held-out speakers. Ends with name=value lines.
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
from scipy.signal import cheby1, sosfilt  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from utility_speech import (  # noqa: E402
    HOP,
    MEL,
    N_FFT,
    RATE,
    TEST_SNRS_DB,
    WINDOW,
    load_real_noise,
    load_speech,
    load_test_noise,
    mix_test_noise,
)

from augment.audio.levels import rms_db  # noqa: E402
from augment.audio.presets import preset_path  # noqa: E402
from augment.core.registry import build_pipeline, load_pipeline  # noqa: E402
from augment.core.sample import AudioSample  # noqa: E402
from augment.core.seeding import example_rng  # noqa: E402

SEED = 2024
TEST_SEED = 7
FRAMES = 96  # 0.96 s of 10 ms frames; clips are cropped or padded to it
PHONE_SNR_DB = 10.0
SCENES = ["crowd", "car", "street", "cafe"]


def colored(exponent: float) -> list:
    return [{"ColoredNoise": {"snr_db": [0.0, 20.0], "exponent": [exponent, exponent]}}]


CONDITIONS: dict[str, object] = {
    "clean": None,
    "white": colored(0.0),
    "pink": colored(1.0),
    "brown": colored(2.0),
    "scenes": [{"BackgroundNoise": {"noise": SCENES, "snr_db": [0.0, 20.0]}}],
    "issue_cli": [
        {"BackgroundNoise": {"noise": ["crowd", "car"], "snr_db": [0.0, 20.0]}},
        {"BadPhone": {}},
    ],
    "preset": "robust-speech",
}


def pipeline_of(config):
    if config is None:
        return None
    if isinstance(config, str):
        return load_pipeline(preset_path(config))
    return build_pipeline(config)


def log_mel(x: np.ndarray) -> np.ndarray:
    """(N_MELS, FRAMES) log-mel energies (dB) of a clip: trimmed to the frames within 35 dB
    of its loudest, each band's mean over them removed (so the microphone and the speaker's
    long-term spectrum count less), scaled by their std, centred and cropped or zero-padded
    to FRAMES."""
    x = x.astype(np.float32) * np.float32(10 ** ((-26.0 - rms_db(x)) / 20.0))
    x = np.pad(x, N_FFT // 2)
    frames = np.lib.stride_tricks.sliding_window_view(x, N_FFT)[::HOP]
    power = np.abs(np.fft.rfft(frames * WINDOW, axis=1)) ** 2
    mel = 10.0 * np.log10(np.maximum(power @ MEL.T, 1e-10)).T
    energy = 10.0 * np.log10(np.maximum(power.sum(axis=1), 1e-10))
    active = np.flatnonzero(energy > energy.max() - 35.0)
    mel = mel[:, active[0] : active[-1] + 1]
    mel = np.maximum(mel, mel.max() - 80.0)
    mel = (mel - mel.mean(axis=1, keepdims=True)) / (mel.std() + 1e-6)
    if mel.shape[1] >= FRAMES:
        start = (mel.shape[1] - FRAMES) // 2
        return mel[:, start : start + FRAMES].astype(np.float32)
    left = (FRAMES - mel.shape[1]) // 2
    return np.pad(mel, ((0, 0), (left, FRAMES - mel.shape[1] - left))).astype(np.float32)


def phone_channel(x: np.ndarray) -> np.ndarray:
    """A narrowband line made here (not BadPhone): 300-3400 Hz band-pass, 8-bit mu-law."""
    y = sosfilt(cheby1(4, 1.0, [300, 3400], "bandpass", fs=RATE, output="sos"), x)
    peak = np.max(np.abs(y)) + 1e-9
    y = y / peak
    mu = 255.0
    coded = np.sign(y) * np.log1p(mu * np.abs(y)) / np.log1p(mu)
    coded = np.round(coded * 127) / 127
    return (np.sign(coded) * np.expm1(np.abs(coded) * np.log1p(mu)) / mu * peak).astype(np.float32)


def augmented_features(config, seed: int, waves: list[np.ndarray], copies: int) -> np.ndarray:
    """(clips, copies, N_MELS, FRAMES): copy k of clip i through the pipeline with
    example_rng(seed, i, k); the clips themselves when config is None."""
    pipeline = pipeline_of(config)
    out = []
    for i, x in enumerate(waves):
        row = []
        for k in range(copies):
            y = x if pipeline is None else pipeline(AudioSample(x, RATE), example_rng(seed, i, k))
            row.append(log_mel(np.asarray(y.waveform if pipeline else y)))
        out.append(row)
    return np.array(out, dtype=np.float16)  # half the memory; models see float32


def test_features(waves: list[np.ndarray], indices: list[int], noise_sets: list) -> np.ndarray:
    """(len(indices), columns, N_MELS, FRAMES): clean; each noise set at each SNR; each set
    at PHONE_SNR_DB through the phone channel. Offsets from example_rng(TEST_SEED, i, s, j)."""
    out = []
    for i in indices:
        x = waves[i]
        row = [log_mel(x)]
        for s, files in enumerate(noise_sets):
            for j, snr in enumerate((*TEST_SNRS_DB, PHONE_SNR_DB)):
                rng = example_rng(TEST_SEED, i, s, j)
                noise = files[int(rng.integers(len(files)))]
                mix = mix_test_noise(x, noise, snr, rng)
                row.append(log_mel(phone_channel(mix) if j == len(TEST_SNRS_DB) else mix))
        out.append(row)
    return np.array(out, dtype=np.float16)


def make_model():
    """About 40k weights; the strided first layer keeps it fast on a shared CPU."""
    import torch.nn as nn

    def block(c_in: int, c_out: int, stride: int = 1) -> list:
        conv = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1)
        return [conv, nn.BatchNorm2d(c_out), nn.ReLU()]

    return nn.Sequential(
        *block(1, 16, stride=2),
        *block(16, 32), nn.MaxPool2d(2),
        *block(32, 48), nn.MaxPool2d(2),
        *block(48, 48),
        nn.AdaptiveAvgPool2d((5, 1)), nn.Flatten(), nn.Dropout(0.3), nn.Linear(240, 10),
    )  # fmt: skip


def warp(batch, gen):
    """Speaker-independence augmentation of log-mel batches (N, 1, mels, frames), the same
    for every condition: a vocal-tract-length-like stretch of the mel axis (x0.8-1.25 from
    the bottom band), a tempo stretch (x0.8-1.25) and shift of the time axis, and one
    frequency and one time mask (SpecAugment)."""
    import torch
    import torch.nn.functional as F

    n = batch.shape[0]
    u = torch.rand(n, 5, generator=gen)
    freq, tempo = 0.8 + 0.45 * u[:, 0], 0.8 + 0.45 * u[:, 1]
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0], theta[:, 0, 2] = 1 / tempo, 0.3 * (u[:, 2] - 0.5)
    theta[:, 1, 1], theta[:, 1, 2] = 1 / freq, 1 / freq - 1  # grid y in [-1, 1], bottom fixed
    grid = F.affine_grid(theta, list(batch.shape), align_corners=False)
    out = F.grid_sample(batch, grid, padding_mode="border", align_corners=False)
    mels, frames = batch.shape[2], batch.shape[3]
    f0 = (u[:, 3] * (mels - 6)).long()
    t0 = (u[:, 4] * (frames - 10)).long()
    for i in range(n):
        out[i, :, f0[i] : f0[i] + int(torch.randint(0, 7, (1,), generator=gen)), :] = 0
        out[i, :, :, t0[i] : t0[i] + int(torch.randint(0, 11, (1,), generator=gen))] = 0
    return out


def train(x: np.ndarray, y: np.ndarray, seed: int, epochs: int):
    """A fitted CNN (eval mode): AdamW, one-cycle learning rate, batches of 64, every batch
    warped (the same augmentation for every condition)."""
    import torch

    torch.manual_seed(seed)
    model = make_model()
    xt = torch.from_numpy(x[:, None].astype(np.float32))
    yt = torch.from_numpy(y.astype(np.int64))
    steps = epochs * int(np.ceil(len(x) / 64))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(epochs):
        for batch in torch.randperm(len(x), generator=gen).split(64):
            loss = torch.nn.functional.cross_entropy(model(warp(xt[batch], gen)), yt[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    return model.eval()


def accuracy(model, x: np.ndarray, y: np.ndarray) -> float:
    import torch

    with torch.no_grad():
        batches = np.array_split(x.astype(np.float32), 8)
        logits = torch.cat([model(torch.from_numpy(b[:, None])) for b in batches])
    return float(np.mean(logits.argmax(1).numpy() == y))


def summarise(acc: np.ndarray, n_sets: int) -> dict[str, np.ndarray]:
    """(seeds, folds) arrays of the reported means from accuracies (seeds, folds, columns):
    clean; cafe.wav over its SNRs; the real Debian sources over their SNRs (each source
    equal); those sources through the phone line; and all noisy columns together."""
    per_set = acc[..., 1:].reshape(*acc.shape[:2], n_sets, len(TEST_SNRS_DB) + 1)
    snr = per_set[..., : len(TEST_SNRS_DB)].mean(axis=3)
    phone = per_set[..., -1]
    return {
        "clean": acc[..., 0],
        "cafe": snr[..., 0],
        "real": snr[..., 1:].mean(axis=2),
        "phone": phone[..., 1:].mean(axis=2),
        "noisy": per_set.mean(axis=(2, 3)),
    }


def report(results: dict[str, dict[str, np.ndarray]], held_out: list[str]) -> None:
    columns = list(next(iter(results.values())))
    print(f"\naccuracy: mean (std over held-out speakers x seeds); folds {', '.join(held_out)}")
    print(f"{'training':<11}" + "".join(f"{c:>15}" for c in columns))
    for name, r in results.items():
        print(f"{name:<11}" + "".join(f"{r[c].mean():>8.3f} ({r[c].std():.3f})" for c in columns))
    if "pink" in results:
        print("\ngain over pink noise on all noisy tests (mean, SE over held-out speakers):")
        for name, r in results.items():
            fold_gain = (r["noisy"] - results["pink"]["noisy"]).mean(axis=0)
            se = fold_gain.std(ddof=1) / np.sqrt(fold_gain.size) if fold_gain.size > 1 else np.nan
            print(f"  {name:<11}{fold_gain.mean():+.3f} (SE {se:.3f}) per fold "
                  + ", ".join(f"{g:+.3f}" for g in fold_gain))  # fmt: skip
    for name, r in results.items():
        for column in columns:
            print(f"speech_cnn_{name}_{column}={r[column].mean():.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 folds, K=1, 1 seed, 8 epochs")
    parser.add_argument("--seed", type=int, default=SEED, help="first training seed")
    parser.add_argument("--seeds", type=int, help="training seeds (default 3, --quick 1)")
    parser.add_argument("--epochs", type=int, help="default 12, --quick 8")
    parser.add_argument("--conditions", default=",".join(CONDITIONS), help="comma-separated")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)  # faster than 2 on a shared machine
    names = args.conditions.split(",")
    if any(n not in CONDITIONS for n in names):
        sys.exit(f"conditions: expected among {', '.join(CONDITIONS)}")
    folds, copies = (2, 1) if args.quick else (4, 2)
    seeds = [args.seed + s for s in range(args.seeds or (1 if args.quick else 3))]
    epochs = args.epochs or (8 if args.quick else 12)
    start = time.perf_counter()
    waves, digits, speakers = load_speech()
    real = load_real_noise()
    if not real:
        sys.exit("speech_cnn: needs the real Debian recordings (benchmarks/real_noise.py)")
    sets = [[load_test_noise()], *real.values()]
    held_out = sorted(set(speakers))[:folds]
    test_idx = [i for i in range(len(waves)) if speakers[i] in held_out]
    test = np.zeros((len(waves), 1 + len(sets) * (len(TEST_SNRS_DB) + 1), 40, FRAMES), np.float16)
    test[test_idx] = test_features(waves, test_idx, sets)
    clean = augmented_features(None, SEED, waves, 1)[:, 0]
    print(f"test and clean features in {time.perf_counter() - start:.0f} s", flush=True)
    results = {}
    for name in names:
        acc = np.zeros((len(seeds), folds, test.shape[1]))
        for r, seed in enumerate(seeds):
            aug = None if name == "clean" else augmented_features(
                CONDITIONS[name], seed, waves, copies
            )  # fmt: skip
            for f, speaker in enumerate(held_out):
                train_idx = np.flatnonzero(speakers != speaker)
                x = [clean[train_idx]] + (
                    [] if aug is None else list(aug[train_idx].swapaxes(0, 1))
                )
                model = train(np.concatenate(x), np.tile(digits[train_idx], len(x)), seed, epochs)
                held = np.flatnonzero(speakers == speaker)
                acc[r, f] = [
                    accuracy(model, test[held, j], digits[held]) for j in range(test.shape[1])
                ]
            noisy, clean_acc = acc[r, :, 1:].mean(), acc[r, :, 0].mean()
            elapsed = time.perf_counter() - start
            print(f"{name} seed {seed}: noisy {noisy:.3f} clean {clean_acc:.3f} ({elapsed:.0f} s)")
        results[name] = summarise(acc, len(sets))
    report(results, held_out)
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
