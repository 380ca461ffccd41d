"""Does training on bundled-noise speech make a digit classifier robust to real noise recordings?

Free Spoken Digit clips (../shared/data/fsdd-dev, 8 kHz, four speakers): train on three
speakers, test on the held-out one (folds rotate over the speakers). Test clips are mixed at
0, 5 and 10 dB SNR (P.56 active speech level against the RMS of the added noise segment, as
BackgroundNoise measures it), and also scored clean, with real recordings used for testing
only:
- ../shared/data/noise-dev/cafe.wav (4.5 s of one café; resampled to 8 kHz, random offsets);
- six real crowd, market and city recordings from Debian packages (benchmarks/real_noise.py,
  fetched with apt-get on first use; --cafe-only skips them). Each test clip draws one file
  of a source and an offset; the sources were fixed by a written rule before any result.

Three training conditions, same classifier and hyper-parameters in every one:
- clean: the original training clips;
- white_noise: originals + K copies with ColoredNoise(exponent 0, i.e. white) at 0-20 dB;
- bundled_noise: originals + K copies with BackgroundNoise over the four bundled synthetic
  scenes (crowd, car, street, cafe) at 0-20 dB.
Both augmentations were fixed before looking at any test result (same SNR range, same level
method, same K); copy k of clip i uses example_rng(seed, i, k), so runs are reproducible.

Classifier, fixed for every condition: clip scaled to one RMS, 20 MFCCs (25 ms / 10 ms, 40 mel
bands); MFCC and delta means over 6 equal time segments plus MFCC standard deviations (260
numbers), standardised, RBF SVM (C=10). Chosen on clean cross-speaker accuracy only (pooled
statistics with logistic regression: 0.50; this: 0.56; a small CNN on log-mels: lower and slower).

    python benchmarks/utility_speech.py [--quick] [--seed N] [--seeds N] [--workers N] [--cafe-only]

--quick: two folds, K=2, one training seed (about a minute on 2 cores); default: four folds,
K=4, three training seeds (--seed, --seed+1, --seed+2; about 7 minutes). The training copies
(and so the result) move with the seed, so the full run repeats the whole augmented
training for every seed; test features and clean training do not depend on it.
Reports, for bundled minus white-noise accuracy on cafe.wav and on the mean of the Debian
sources, every fold-and-seed value, their mean, and a standard error: the standard deviation
over folds of the seed-averaged gain divided by sqrt(folds) (held-out speakers are the units
that vary most; the fold-and-seed values are not independent, so their own spread would
understate the error). The spread over seeds of the fold-averaged gain is printed too.
Ends with name=value lines: accuracies (fractions) averaged over the noisy test SNRs, folds and
seeds, bundled minus white-noise accuracy (0.026 = 2.6 points) and its standard error; the
utility_speech_real_noise_* lines are the same over the Debian sources (each source weighs
the same).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402
from scipy.fft import dct  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from augment.audio.levels import rms_db, speech_level  # noqa: E402
from augment.core.registry import build_pipeline  # noqa: E402
from augment.core.sample import AudioSample  # noqa: E402
from augment.core.seeding import example_rng  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import real_noise  # noqa: E402

# ../shared/data beside the checkout (a git worktree one level deeper finds it too)
DATA = next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()),
    ROOT.parent / "shared" / "data",
)
SPEECH_DIR = DATA / "fsdd-dev"
TEST_NOISE = DATA / "noise-dev" / "cafe.wav"
RATE = 8000
SEED = 2024
TEST_SEED = 7  # offsets into the test recording; independent of the training copies
TEST_SNRS_DB = (0.0, 5.0, 10.0)
FEATURE_LEVEL_DB = -26.0
N_FFT, WIN, HOP, N_MELS, N_MFCC, SEGMENTS = 256, 200, 80, 40, 20, 6  # 25 ms / 10 ms at 8 kHz
N_FEATURES = N_MFCC * (2 * SEGMENTS + 1)

PIPELINES: dict[str, list | None] = {
    "clean": None,
    "white_noise": [{"ColoredNoise": {"snr_db": [0.0, 20.0], "exponent": [0.0, 0.0]}}],
    "bundled_noise": [
        {"BackgroundNoise": {"noise": ["crowd", "car", "street", "cafe"], "snr_db": [0.0, 20.0]}}
    ],
}


def load_speech() -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Waveforms, digit labels and speakers, in sorted file order (the index i of each clip)."""
    files = sorted(SPEECH_DIR.glob("*.wav"))
    if not files:
        sys.exit(f"no WAV files in {SPEECH_DIR}")
    waves, digits, speakers = [], [], []
    for path in files:
        x, rate = sf.read(path, dtype="float32", always_2d=False)
        if rate != RATE or x.ndim != 1:
            sys.exit(f"{path}: expected {RATE} Hz mono")
        digit, speaker, _ = path.stem.split("_")
        waves.append(x)
        digits.append(int(digit))
        speakers.append(speaker)
    return waves, np.array(digits), np.array(speakers)


def load_test_noise() -> np.ndarray:
    return real_noise.read_mono(TEST_NOISE, RATE)


def load_real_noise() -> dict[str, list[np.ndarray]]:
    """The Debian recordings of real_noise.py, each source's files mono at RATE; fetched on
    first use. Empty (with a note) when they cannot be had, e.g. off Debian."""
    try:
        real_noise.fetch()
    except RuntimeError as error:
        print(f"real Debian recordings unavailable, testing on cafe.wav only: {error}")
        return {}
    return {
        source.name: [real_noise.read_mono(path, RATE) for path in real_noise.source_files(source)]
        for source in real_noise.SOURCES
    }


def _mel_basis() -> np.ndarray:
    import librosa

    return librosa.filters.mel(sr=RATE, n_fft=N_FFT, n_mels=N_MELS).astype(np.float32)


MEL = _mel_basis()
WINDOW = np.zeros(N_FFT, np.float32)
WINDOW[(N_FFT - WIN) // 2 : (N_FFT + WIN) // 2] = np.hanning(WIN + 2)[1:-1]


def mfcc(x: np.ndarray) -> np.ndarray:
    """(N_MFCC, frames) MFCCs of a clip scaled to FEATURE_LEVEL_DB RMS (gain does not matter)."""
    x = x.astype(np.float32) * np.float32(10 ** ((FEATURE_LEVEL_DB - rms_db(x)) / 20.0))
    x = np.pad(x, N_FFT // 2)
    frames = np.lib.stride_tricks.sliding_window_view(x, N_FFT)[::HOP]
    power = np.abs(np.fft.rfft(frames * WINDOW, axis=1)) ** 2
    log_mel = 10.0 * np.log10(np.maximum(power @ MEL.T, 1e-10))
    log_mel = np.maximum(log_mel, log_mel.max() - 80.0)
    return dct(log_mel, type=2, norm="ortho", axis=1)[:, :N_MFCC].T


def features(x: np.ndarray) -> np.ndarray:
    """Fixed-length vector: MFCC and delta means over SEGMENTS equal parts, MFCC std."""
    from librosa.feature import delta

    c = mfcc(x)
    parts = np.array_split(np.arange(c.shape[1]), SEGMENTS)
    d = delta(c)
    means = [m[:, p].mean(axis=1) for m in (c, d) for p in parts]
    return np.concatenate([*means, c.std(axis=1)]).astype(np.float32)


def mix_test_noise(x: np.ndarray, noise: np.ndarray, snr_db: float, rng) -> np.ndarray:
    """Speech plus a random segment of the real recording, P.56 speech level vs noise RMS."""
    n = x.size
    reps = int(np.ceil(n / noise.size)) + 1
    long = np.tile(noise, reps) if reps > 1 else noise
    start = int(rng.integers(0, long.size - n + 1))
    segment = long[start : start + n].astype(np.float64)
    gain = 10 ** ((speech_level(x, RATE, "p56") - snr_db - rms_db(segment)) / 20.0)
    return (x.astype(np.float64) + gain * segment).astype(np.float32)


def _train_features(job: tuple[list | None, int, list[int], int, list[np.ndarray]]) -> np.ndarray:
    """(len(indices), copies, N_FEATURES): copies of the given clips augmented by one pipeline
    config (None: the clips as they are)."""
    config, seed, indices, copies, waves = job
    pipeline = None if config is None else build_pipeline(config)
    out = np.empty((len(indices), copies, N_FEATURES), np.float32)
    for row, (i, x) in enumerate(zip(indices, waves, strict=True)):
        for k in range(copies):
            y = (
                x
                if pipeline is None
                else pipeline(AudioSample(x, RATE), example_rng(seed, i, k)).waveform
            )
            out[row, k] = features(np.asarray(y))
    return out


def _test_features(job: tuple[list[int], list[np.ndarray], list[list[np.ndarray]]]) -> np.ndarray:
    """(len(indices), 1 + len(noise_sets) * len(TEST_SNRS_DB), N_FEATURES): clean, then each
    noise set at each SNR. Set 0 is cafe.wav, drawn as before real sources were added; clip i
    of set s > 0 at SNR j takes a random file of the set and offset from
    example_rng(TEST_SEED, i, j, s)."""
    indices, waves, noise_sets = job
    columns = 1 + len(noise_sets) * len(TEST_SNRS_DB)
    out = np.empty((len(indices), columns, N_FEATURES), np.float32)
    for row, (i, x) in enumerate(zip(indices, waves, strict=True)):
        out[row, 0] = features(x)
        for s, files in enumerate(noise_sets):
            for j, snr in enumerate(TEST_SNRS_DB):
                rng = example_rng(TEST_SEED, i, j) if s == 0 else example_rng(TEST_SEED, i, j, s)
                # a one-file set draws no file index, so cafe.wav's offsets stay as they were
                noise = files[int(rng.integers(len(files)))] if len(files) > 1 else files[0]
                column = 1 + s * len(TEST_SNRS_DB) + j
                out[row, column] = features(mix_test_noise(x, noise, snr, rng))
    return out


def _chunks(indices: list[int], parts: int) -> list[list[int]]:
    return [list(c) for c in np.array_split(np.array(indices, dtype=int), parts) if c.size]


def compute(pool, fn, jobs: list) -> np.ndarray:
    return np.concatenate(list(pool.map(fn, jobs)), axis=0)


def classifier():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    return make_pipeline(StandardScaler(), SVC(C=10.0))


def _gain_lines(label: str, gains: np.ndarray, held_out: list[str]) -> float:
    """Print accuracy gains (seeds, folds), e.g. bundled minus white noise, and return their
    standard error over folds (held-out speakers)."""
    folds = gains.shape[1]
    fold_gains = gains.mean(axis=0)  # (folds,), averaged over seeds
    seed_gains = gains.mean(axis=1)  # (seeds,), averaged over folds
    se = float(fold_gains.std(ddof=1) / np.sqrt(folds)) if folds > 1 else float("nan")
    print(f"{label}, per fold and seed:")
    for f, speaker in enumerate(held_out):
        values = ", ".join(f"{g:+.3f}" for g in gains[:, f])
        print(f"  fold {speaker:<8} {values}   (seed mean {fold_gains[f]:+.3f})")
    print(
        f"  mean {gains.mean():+.4f}, standard error over folds {se:.4f} "
        f"(mean/SE = {gains.mean() / se:+.1f}); per-seed means "
        f"{', '.join(f'{g:+.3f}' for g in seed_gains)}; "
        f"{int(np.sum(gains > 0))} of {gains.size} fold-and-seed values > 0"
    )
    return se


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two folds, K=2: about a minute")
    parser.add_argument("--seed", type=int, default=SEED, help="first seed of the training copies")
    parser.add_argument("--seeds", type=int, help="training seeds (default 3, --quick 1)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument(
        "--cafe-only", action="store_true", help="skip the real Debian recordings (real_noise.py)"
    )
    args = parser.parse_args()
    folds, copies = (2, 2) if args.quick else (4, 4)
    n_seeds = args.seeds or (1 if args.quick else 3)
    seeds = [args.seed + s for s in range(n_seeds)]
    start = time.perf_counter()

    waves, digits, speakers = load_speech()
    noise_sets = {"cafe": [load_test_noise()]}
    if not args.cafe_only:
        noise_sets |= load_real_noise()
    held_out = sorted(set(speakers))[:folds]
    test_idx = [i for i in range(len(waves)) if speakers[i] in held_out]
    train_idx = [i for i in range(len(waves)) if any(speakers[i] != s for s in held_out)]
    parts = 4 * args.workers
    print(
        f"{len(waves)} clips, speakers {', '.join(sorted(set(speakers)))}; held out in turn: "
        f"{', '.join(held_out)}; K={copies} copies per training clip; training seeds "
        f"{', '.join(map(str, seeds))}; test noise at "
        f"{', '.join(f'{s:g}' for s in TEST_SNRS_DB)} dB + clean: "
        + ", ".join(
            f"{name} ({len(files)} file(s), {sum(f.size for f in files) / RATE:.0f} s)"
            for name, files in noise_sets.items()
        )
    )

    n_snr = len(TEST_SNRS_DB)
    with ProcessPoolExecutor(args.workers) as pool:
        clean = compute(
            pool,
            _train_features,
            [
                (None, SEED, c, 1, [waves[i] for i in c])
                for c in _chunks(list(range(len(waves))), parts)
            ],
        )[:, 0]
        sets = list(noise_sets.values())
        test = np.zeros((len(waves), 1 + len(sets) * n_snr, N_FEATURES), np.float32)
        test[test_idx] = compute(
            pool,
            _test_features,
            [(c, [waves[i] for i in c], sets) for c in _chunks(test_idx, parts)],
        )
        augmented = {}  # (seed, name) -> (clips, copies, features)
        for seed in seeds:
            for name in ("white_noise", "bundled_noise"):
                feats = np.zeros((len(waves), copies, N_FEATURES), np.float32)
                feats[train_idx] = compute(
                    pool,
                    _train_features,
                    [
                        (PIPELINES[name], seed, c, copies, [waves[i] for i in c])
                        for c in _chunks(train_idx, parts)
                    ],
                )
                augmented[seed, name] = feats
    print(f"features in {time.perf_counter() - start:.0f} s")

    acc = {name: np.zeros((n_seeds, folds, test.shape[1])) for name in PIPELINES}
    for f, speaker in enumerate(held_out):
        train = np.flatnonzero(speakers != speaker)
        held = np.flatnonzero(speakers == speaker)
        for r, seed in enumerate(seeds):
            for name in PIPELINES:
                if name == "clean" and r > 0:  # no random copies: the same model for every seed
                    acc[name][r, f] = acc[name][0, f]
                    continue
                x = [clean[train]]
                if name != "clean":
                    x += [augmented[seed, name][train, k] for k in range(copies)]
                y = np.tile(digits[train], len(x))
                model = classifier().fit(np.concatenate(x), y)
                for j in range(test.shape[1]):
                    acc[name][r, f, j] = np.mean(model.predict(test[held, j]) == digits[held])
            row = "  ".join(f"{n}={acc[n][r, f, 1 : 1 + n_snr].mean():.3f}" for n in PIPELINES)
            print(f"fold {speaker:<8} seed {seed}  cafe noisy-test accuracy: {row}")

    # noisy[name]: (seeds, folds, noise sets), each the mean over that set's SNRs
    noisy = {
        name: a[:, :, 1:].reshape(n_seeds, folds, len(sets), n_snr).mean(axis=3)
        for name, a in acc.items()
    }
    print(
        f"\naccuracy, mean over {folds} fold(s) x {n_seeds} training seed(s) "
        "(test: held-out speaker + real noise; cafe by SNR, then each noise set's mean)"
    )
    columns = ["clean"] + [f"cafe {s:g} dB" for s in TEST_SNRS_DB] + list(noise_sets)[1:]
    print(f"{'training':<14}" + "".join(f"{c:>{max(len(c) + 1, 8)}}" for c in columns))
    for name in PIPELINES:
        values = [acc[name][:, :, 0].mean(), *acc[name][:, :, 1 : 1 + n_snr].mean(axis=(0, 1))]
        values += list(noisy[name][:, :, 1:].mean(axis=(0, 1)))
        print(
            f"{name:<14}"
            + "".join(f"{v:>{max(len(c) + 1, 8)}.3f}" for c, v in zip(columns, values, strict=True))
        )

    gains = noisy["bundled_noise"] - noisy["white_noise"]  # (seeds, folds, noise sets)
    se = _gain_lines("bundled - white, cafe.wav", gains[:, :, 0], held_out)
    real = len(sets) > 1
    if real:
        label = f"bundled - white, mean of the {len(sets) - 1} real Debian sources"
        real_se = _gain_lines(label, gains[:, :, 1:].mean(axis=2), held_out)
        source_gains = gains[:, :, 1:].mean(axis=(0, 1))
        per_source = ", ".join(
            f"{n} {g:+.3f}" for n, g in zip(list(noise_sets)[1:], source_gains, strict=True)
        )
        print(f"  per source (mean over folds and seeds): {per_source}")
    else:
        print("real Debian recordings not used (--cafe-only or not fetched)")
    print(f"total {time.perf_counter() - start:.0f} s")

    for name in PIPELINES:
        key = "clean_train" if name == "clean" else name
        print(f"utility_speech_acc_{key}={noisy[name][:, :, 0].mean():.4f}")
    clean_test = acc["bundled_noise"][:, :, 0].mean()
    print(f"utility_speech_acc_clean_test_bundled_noise={clean_test:.4f}")
    print(f"utility_speech_gain_vs_white_noise={gains[:, :, 0].mean():.4f}")
    print(f"utility_speech_gain_vs_white_noise_se={se:.4f}")
    if real:
        for name in PIPELINES:
            key = "clean_train" if name == "clean" else name
            print(f"utility_speech_real_noise_acc_{key}={noisy[name][:, :, 1:].mean():.4f}")
        print(f"utility_speech_real_noise_gain_vs_white_noise={gains[:, :, 1:].mean():.4f}")
        print(f"utility_speech_real_noise_gain_vs_white_noise_se={real_se:.4f}")


if __name__ == "__main__":
    main()
