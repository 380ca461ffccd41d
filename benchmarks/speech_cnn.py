"""Which training noise makes a small speech CNN robust to real noise? A benchmark that can tell.

utility_speech.py's SVM scores 0.56 on clean speech of an unseen speaker, too low to
separate noise recipes. Here a small CNN (about 40k weights: four 3x3 conv blocks with batch
norm, then pooling over time) on log-mel envelopes (40 mels, 10 ms frames, silence trimmed,
smoothed across bands so pitch harmonics go, the utterance's level and spectral tilt removed,
one variance per utterance, centred in 0.8 s), trained on three FSDD speakers
(../shared/data/fsdd-dev) and tested on the held-out fourth: leave-one-speaker-out folds.
Every training batch is warped the same way in every condition (mel-axis stretch like a
vocal-tract-length change, tempo stretch and time shift, one SpecAugment frequency and time
mask), so that regularisation is common to all recipes and only the noise differs. Training
conditions, each the original clips plus K augmented copies (copy k of clip i uses
example_rng(seed, i, k)), with the same budget of steps whatever K:
- clean; white, pink, brown: ColoredNoise(exponent 0, 1, 2) at 0-20 dB SNR;
- scenes: BackgroundNoise over the bundled crowd, car, street, cafe at 0-20 dB;
- issue_cli: `augment audio --noise crowd,car --snr 0:20 --phone` (BackgroundNoise + BadPhone);
- preset: augment/audio/presets/robust-speech.yaml.
Test (never seen in training, never used to make the scenes): the held-out speaker clean;
mixed at 0, 5, 10 dB SNR (P.56) with the real recordings of benchmarks/real_noise.py (six
Debian sources, each weighing the same) and ../shared/data/noise-dev/cafe.wav; and the same
real-noise mixes at 10 dB through a phone channel made here, independent of BadPhone
(4th-order Chebyshev 300-3400 Hz band-pass, 8-bit mu-law).

    python benchmarks/speech_cnn.py [--quick] [--seed N] [--seeds N] [--epochs N] [--copies K]
                                    [--width W] [--test-draws D] [--workers N]
                                    [--conditions a,b,...] [--save FILE]
    python benchmarks/speech_cnn.py --report FILE [FILE ...]

--quick: two held-out speakers, one seed, 8 epochs; default: four folds, two seeds, 16
epochs (passes over the training speakers' clips); K=1 unless --copies; width 1 (about 40k
weights); one noise mix per test clip and noisy column unless --test-draws (more mixes
sample the recordings more widely; the first mix is the same whatever D). Models train in
--workers forked processes (default 2), one thread each; results are the same for the same
seeds, settings and --workers. Reports accuracy per condition (mean over folds and seeds,
and the spread over seeds), each held-out speaker's accuracy, and each condition's gain
over pink noise paired by seed and held-out speaker: its SE over seeds and over speakers,
the seeds it wins, per speaker and per test column. --save writes the raw accuracies after
each condition; --report merges such files (each seed once) and reports them together.
Ends with name=value lines. Settings were chosen by benchmarks/speech_cnn_select.py (clean
validation on training speakers only).

Last measured (seeds 2024 and 2025, four folds, 16 passes, load average 5-13, commands in
benchmarks/README.md): clean accuracy on an unseen speaker 0.812 with clean training (george
0.86, jackson 0.81, lucas 0.77, nicolas 0.81; 0.67 and george 0.36 before the envelope
front end); noisy tests clean 0.318, white 0.443, pink 0.423, brown 0.346, `--noise
crowd,car --snr 0:20 --phone` 0.547, robust-speech preset 0.600 (+0.178 over pink, SE 0.036).
White against pink over seeds 2024-2031 (--test-draws 2): +0.020, ahead in every seed (SE
0.0018 over seeds) but not for every held-out speaker (SE 0.016 over speakers) nor every
test noise (white ahead on four of the seven sources, pink on three).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from scipy.fft import dct, idct  # noqa: E402
from scipy.signal import cheby1, sosfilt  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from utility_speech import (  # noqa: E402
    HOP,
    MEL,
    N_FFT,
    N_MELS,
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
FRAMES = 80  # 0.8 s of 10 ms frames (97% of FSDD clips are shorter); cropped or padded
PHONE_SNR_DB = 10.0
LIFTER = 16  # cosine terms kept across the 40 mel bands: the envelope, not the harmonics
SCENES = ["crowd", "car", "street", "cafe"]
BATCH = 64
_SHARED: dict = {}  # clips and features, filled before the workers fork (they read it)


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
    """(N_MELS, FRAMES) log-mel envelope of a clip: trimmed to the frames within 35 dB of its
    loudest, smoothed across bands and without the utterance's level and tilt (see envelope),
    scaled to unit variance, centred and cropped or zero-padded to FRAMES."""
    x = x.astype(np.float32) * np.float32(10 ** ((-26.0 - rms_db(x)) / 20.0))
    x = np.pad(x, N_FFT // 2)
    frames = np.lib.stride_tricks.sliding_window_view(x, N_FFT)[::HOP]
    power = np.abs(np.fft.rfft(frames * WINDOW, axis=1)) ** 2
    mel = 10.0 * np.log10(np.maximum(power @ MEL.T, 1e-10)).T
    energy = 10.0 * np.log10(np.maximum(power.sum(axis=1), 1e-10))
    active = np.flatnonzero(energy > energy.max() - 35.0)
    mel = mel[:, active[0] : active[-1] + 1]
    mel = envelope(np.maximum(mel, mel.max() - 80.0))
    mel = mel / (mel.std() + 1e-6)
    if mel.shape[1] >= FRAMES:
        start = (mel.shape[1] - FRAMES) // 2
        return mel[:, start : start + FRAMES].astype(np.float32)
    left = (FRAMES - mel.shape[1]) // 2
    return np.pad(mel, ((0, 0), (left, FRAMES - mel.shape[1] - left))).astype(np.float32)


def envelope(mel: np.ndarray) -> np.ndarray:
    """Each frame's log-mel spectrum kept to its LIFTER lowest cosine terms across bands (the
    vocal-tract envelope without the pitch harmonics), minus the two lowest cosine terms of the
    utterance's mean spectrum (its level and spectral tilt: the channel).

    Why: FSDD's george speaks higher (median f0 159 Hz against 96-121 Hz for the others, by
    pYIN) through a brighter channel (his 3.2-4 kHz band 8-13 dB nearer the loudest band), so
    a model trained on the other three missed him: 0.36 clean with one mean and variance per
    utterance. Removing each band's mean (full cepstral mean normalisation) gets him to 0.85
    but costs the others 4-11 points (over a single word it removes the vowels too); level and
    tilt alone get him to 0.71 and the others -1 to +11 points; with the harmonics smoothed
    away too, 0.88 (benchmarks/README.md)."""
    cepstrum = dct(mel, axis=0, norm="ortho")
    cepstrum[LIFTER:] = 0.0
    cepstrum[:2] -= cepstrum[:2].mean(axis=1, keepdims=True)
    return idct(cepstrum, axis=0, norm="ortho")


def phone_channel(x: np.ndarray) -> np.ndarray:
    """A narrowband line made here (not BadPhone): 300-3400 Hz band-pass, 8-bit mu-law."""
    y = sosfilt(cheby1(4, 1.0, [300, 3400], "bandpass", fs=RATE, output="sos"), x)
    peak = np.max(np.abs(y)) + 1e-9
    y = y / peak
    mu = 255.0
    coded = np.sign(y) * np.log1p(mu * np.abs(y)) / np.log1p(mu)
    coded = np.round(coded * 127) / 127
    return (np.sign(coded) * np.expm1(np.abs(coded) * np.log1p(mu)) / mu * peak).astype(np.float32)


def augmented_features(config, seed: int, indices: list[int], copies: int) -> np.ndarray:
    """(len(indices), copies, N_MELS, FRAMES): copy k of clip i through the pipeline with
    example_rng(seed, i, k); the clips themselves when config is None."""
    waves = _SHARED["waves"]
    pipeline = pipeline_of(config)
    out = []
    for i in indices:
        row = []
        for k in range(copies):
            x = AudioSample(waves[i], RATE)
            y = x if pipeline is None else pipeline(x, example_rng(seed, i, k))
            row.append(log_mel(np.asarray(y.waveform)))
        out.append(row)
    return np.array(out, dtype=np.float16)  # half the memory; models see float32


def test_features(
    waves: list[np.ndarray], indices: list[int], noise_sets: list, draws: int
) -> np.ndarray:
    """(len(indices), 1 + columns x draws, N_MELS, FRAMES): clean; then each noise set at each
    SNR and at PHONE_SNR_DB through the phone channel, `draws` mixes each (a noise file and
    offset per draw, so the test samples the recordings more widely). Draw d of column (s, j)
    uses example_rng(TEST_SEED, i, s, j), and (TEST_SEED, i, s, j, d) for d > 0."""
    out = []
    for i in indices:
        x = waves[i]
        row = [log_mel(x)]
        for s, files in enumerate(noise_sets):
            for j, snr in enumerate((*TEST_SNRS_DB, PHONE_SNR_DB)):
                for d in range(draws):
                    rng = example_rng(TEST_SEED, i, s, j, *((d,) if d else ()))
                    noise = files[int(rng.integers(len(files)))]
                    mix = mix_test_noise(x, noise, snr, rng)
                    row.append(log_mel(phone_channel(mix) if j == len(TEST_SNRS_DB) else mix))
        out.append(row)
    return np.array(out, dtype=np.float16)


def make_model(width: int = 1):
    """About 40k weights at width 1 (channels 16, 32, 48, 48; width 2 doubles them, about
    150k); the strided first layer keeps it fast on a shared CPU."""
    import torch.nn as nn

    def block(c_in: int, c_out: int, stride: int = 1) -> list:
        conv = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1)
        return [conv, nn.BatchNorm2d(c_out), nn.ReLU()]

    c1, c2, c3 = 16 * width, 32 * width, 48 * width
    return nn.Sequential(
        *block(1, c1, stride=2),
        *block(c1, c2), nn.MaxPool2d(2),
        *block(c2, c3), nn.MaxPool2d(2),
        *block(c3, c3),
        nn.AdaptiveAvgPool2d((5, 1)), nn.Flatten(), nn.Dropout(0.3), nn.Linear(5 * c3, 10),
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


def train(x: np.ndarray, y: np.ndarray, seed: int, steps: int, width: int = 1):
    """A fitted CNN (eval mode): AdamW, one-cycle learning rate, `steps` batches of BATCH drawn
    from reshuffled passes over x, every batch warped (the same for every condition)."""
    import torch

    torch.manual_seed(seed)
    model = make_model(width)
    xt = torch.from_numpy(x[:, None].astype(np.float32))
    yt = torch.from_numpy(y.astype(np.int64))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    order = torch.empty(0, dtype=torch.int64)
    for _ in range(steps):
        if len(order) < BATCH:
            order = torch.randperm(len(x), generator=gen)
        batch, order = order[:BATCH], order[BATCH:]
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


def fold_job(job: tuple[str, int, str, int, int]) -> np.ndarray:
    """Accuracy on every test column of one model: condition `name`, training `seed`, trained
    on every speaker but `speaker` for epochs x (training clips / BATCH) steps, whatever the
    number of copies (every condition gets the same training budget)."""
    import torch

    torch.set_num_threads(1)  # faster than 2 on a shared machine
    name, seed, speaker, epochs, width = job
    digits, speakers = _SHARED["digits"], _SHARED["speakers"]
    train_idx = np.flatnonzero(speakers != speaker)
    x = [_SHARED["clean"][train_idx]]
    if name != "clean":
        x += list(_SHARED[f"aug/{name}/{seed}"][train_idx].swapaxes(0, 1))
    steps = epochs * int(np.ceil(len(train_idx) / BATCH))
    model = train(np.concatenate(x), np.tile(digits[train_idx], len(x)), seed, steps, width)
    held = np.flatnonzero(speakers == speaker)
    test = _SHARED["test"]
    acc = np.array([accuracy(model, test[held, j], digits[held]) for j in range(test.shape[1])])
    draws = _SHARED["draws"]
    return np.concatenate([acc[:1], acc[1:].reshape(-1, draws).mean(axis=1)])


def _features_job(job: tuple[object, int, list[int], int]) -> np.ndarray:
    return augmented_features(*job)


def _test_job(job: tuple[list[int], list, int]) -> np.ndarray:
    return test_features(_SHARED["waves"], *job)


def in_workers(func, jobs: list, workers: int) -> list:
    """func over jobs in forked workers that see _SHARED as it is now (copy on write)."""
    if workers <= 1:
        return [func(job) for job in jobs]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(func, jobs, chunksize=1)


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
    """The table (mean over folds and seeds; in brackets the std over seeds of the fold mean)
    and each held-out speaker's noisy and clean accuracy."""
    columns = list(next(iter(results.values())))
    print(f"\naccuracy: mean (std over seeds of the mean over folds {', '.join(held_out)})")
    print(f"{'training':<11}" + "".join(f"{c:>15}" for c in columns))
    for name, r in results.items():
        cells = [f"{r[c].mean():>8.3f} ({r[c].mean(axis=1).std():.3f})" for c in columns]
        print(f"{name:<11}" + "".join(cells))
    print("\nper held-out speaker, noisy / clean (mean over seeds):")
    print(f"{'training':<11}" + "".join(f"{s:>15}" for s in held_out))
    for name, r in results.items():
        noisy, clean = r["noisy"].mean(axis=0), r["clean"].mean(axis=0)
        print(
            f"{name:<11}"
            + "".join(f"{n:>8.3f} /{c:.3f}" for n, c in zip(noisy, clean, strict=True))
        )
    for name, r in results.items():
        for column in columns:
            print(f"speech_cnn_{name}_{column}={r[column].mean():.4f}")


def paired_gains(runs: dict[str, dict], base: str, sets: list[str]) -> None:
    """Each condition's accuracy minus `base`'s, paired by training seed and held-out speaker
    (seeds both ran): on all noisy tests with its SE over seeds (the speakers fixed) and over
    speakers (the seeds averaged), the seeds it wins, per speaker, per column group."""
    print(f"\ngain over {base}, paired by seed and held-out speaker:")
    for name, run in runs.items():
        common = [s for s in run["seeds"] if s in runs[base]["seeds"]]
        if name == base or len(common) < 2:
            continue
        pick = [run["seeds"].index(s) for s in common]
        base_pick = [runs[base]["seeds"].index(s) for s in common]
        diff = run["acc"][pick] - runs[base]["acc"][base_pick]  # (seeds, folds, columns)
        noisy = diff[..., 1:].mean(axis=2)
        by_seed, by_speaker = noisy.mean(axis=1), noisy.mean(axis=0)
        print(f"  {name}: noisy {noisy.mean():+.4f} (SE over {len(common)} seeds "
              f"{by_seed.std(ddof=1) / np.sqrt(by_seed.size):.4f}, over speakers "
              f"{by_speaker.std(ddof=1) / np.sqrt(by_speaker.size):.4f}); ahead in "
              f"{int((by_seed > 0).sum())} of {by_seed.size} seeds and "
              f"{int((noisy > 0).sum())} of {noisy.size} seed-speaker pairs")  # fmt: skip
        print("    per speaker: " + ", ".join(f"{g:+.3f}" for g in by_speaker))
        print("    per seed: " + ", ".join(f"{g:+.3f}" for g in by_seed))
        columns = diff[..., 1:].reshape(*diff.shape[:2], len(sets), -1).mean(axis=(0, 1))
        groups = {f"{n} (0-10 dB)": columns[k, :-1].mean() for k, n in enumerate(sets)}
        groups |= {f"real {snr:g} dB": columns[1:, j].mean() for j, snr in
                   enumerate(TEST_SNRS_DB)}  # fmt: skip
        groups |= {"real, phone": columns[1:, -1].mean(), "clean": diff[..., 0].mean()}
        print("    per column: " + ", ".join(f"{k} {g:+.3f}" for k, g in groups.items()))


def save_runs(path: Path, runs: dict[str, dict], meta: dict) -> None:
    """The raw accuracies (seeds, folds, columns) of every condition, for --report."""
    data = {n: {"seeds": r["seeds"], "acc": r["acc"].tolist()} for n, r in runs.items()}
    path.write_text(json.dumps({**meta, "runs": data}))


def load_runs(paths: list[Path]) -> tuple[dict[str, dict], dict]:
    """Runs of several --save files merged (the same speakers, test and training settings):
    a condition's seeds from every file, each seed once."""
    runs: dict[str, dict] = {}
    meta: dict = {}
    for path in paths:
        data = json.loads(path.read_text())
        this = {k: v for k, v in data.items() if k != "runs"}
        if meta and this != meta:
            sys.exit(f"{path}: other speakers, test or training settings than {paths[0]}")
        meta = this
        for name, run in data["runs"].items():
            old = runs.setdefault(name, {"seeds": [], "acc": []})
            for seed, acc in zip(run["seeds"], run["acc"], strict=True):
                if seed not in old["seeds"]:
                    old["seeds"].append(seed)
                    old["acc"].append(acc)
    return {n: {"seeds": r["seeds"], "acc": np.array(r["acc"])} for n, r in runs.items()}, meta


def prepare(folds: int, workers: int, draws: int) -> tuple[list[str], list[str]]:
    """Load the clips into _SHARED with their clean and test features; the held-out speakers
    and the names of the noise sets."""
    waves, digits, speakers = load_speech()
    real = load_real_noise()
    if not real:
        sys.exit("speech_cnn: needs the real Debian recordings (benchmarks/real_noise.py)")
    sets = [[load_test_noise()], *real.values()]
    held_out = sorted(set(speakers))[:folds]
    _SHARED.update(waves=waves, digits=digits, speakers=speakers, draws=draws)
    test_idx = [i for i in range(len(waves)) if speakers[i] in held_out]
    chunks = [list(c) for c in np.array_split(test_idx, 4 * workers)]
    columns = 1 + len(sets) * (len(TEST_SNRS_DB) + 1) * draws
    test = np.zeros((len(waves), columns, N_MELS, FRAMES), dtype=np.float16)
    jobs = [(c, sets, draws) for c in chunks]
    test[test_idx] = np.concatenate(in_workers(_test_job, jobs, workers))
    _SHARED["test"] = test
    _SHARED["clean"] = augmented_features(None, SEED, list(range(len(waves))), 1)[:, 0]
    return held_out, ["cafe.wav", *real]


def run_condition(name: str, seeds: list[int], args, held_out: list[str]) -> np.ndarray:
    """(seeds, folds, columns) accuracies of one training condition."""
    everything = list(range(len(_SHARED["waves"])))
    for seed in seeds if name != "clean" else []:
        chunks = [list(c) for c in np.array_split(everything, 4 * args.workers)]
        jobs = [(CONDITIONS[name], seed, c, args.copies) for c in chunks]
        _SHARED[f"aug/{name}/{seed}"] = np.concatenate(
            in_workers(_features_job, jobs, args.workers)
        )
    jobs = [
        (name, seed, speaker, args.epochs, args.width) for seed in seeds for speaker in held_out
    ]
    acc = np.array(in_workers(fold_job, jobs, args.workers))
    return acc.reshape(len(seeds), len(held_out), -1)


def print_progress(
    name: str, seeds: list[int], acc: np.ndarray, held_out: list[str], elapsed: float
) -> None:
    """One line per seed as a condition finishes: noisy and clean accuracy, overall and per
    held-out speaker."""
    for r, seed in enumerate(seeds):
        noisy = acc[r, :, 1:].mean(axis=1)
        pairs = zip(held_out, noisy, acc[r, :, 0], strict=True)
        folds = ", ".join(f"{s} {n:.3f}/{c:.3f}" for s, n, c in pairs)
        print(f"{name} seed {seed}: noisy {noisy.mean():.3f} clean {acc[r, :, 0].mean():.3f} "
              f"(noisy/clean {folds}; {elapsed:.0f} s)", flush=True)  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 folds, 1 seed, 8 epochs")
    parser.add_argument("--seed", type=int, default=SEED, help="first training seed")
    parser.add_argument("--seeds", type=int, help="training seeds (default 2, --quick 1)")
    parser.add_argument("--epochs", type=int, help="training budget in passes over the "
                        "training speakers' clips (default 16, --quick 8)")  # fmt: skip
    parser.add_argument("--copies", type=int, default=1, help="augmented copies per clip (K)")
    parser.add_argument("--workers", type=int, default=2, help="processes (one model each)")
    parser.add_argument("--width", type=int, default=1, help="CNN channel multiplier")
    parser.add_argument("--test-draws", type=int, default=1, help="noise mixes per test clip "
                        "and noisy column (accuracy averaged over them)")  # fmt: skip
    parser.add_argument("--conditions", default=",".join(CONDITIONS), help="comma-separated")
    parser.add_argument("--save", type=Path, help="write the raw accuracies here (JSON)")
    parser.add_argument("--report", type=Path, nargs="+", help="only report these --save "
                        "files together (no training)")  # fmt: skip
    args = parser.parse_args()
    args.names = args.conditions.split(",")
    if any(n not in CONDITIONS for n in args.names):
        sys.exit(f"conditions: expected among {', '.join(CONDITIONS)}")
    args.epochs = args.epochs or (8 if args.quick else 16)
    return args


def show(runs: dict[str, dict], meta: dict) -> None:
    """The accuracy tables, then the paired gains over pink noise when it ran."""
    summaries = {n: summarise(r["acc"], len(meta["sets"])) for n, r in runs.items()}
    report(summaries, meta["held_out"])
    if "pink" in runs:
        paired_gains(runs, "pink", meta["sets"])


def main() -> None:
    args = parse_args()
    if args.report:
        show(*load_runs(args.report))
        return
    seeds = [args.seed + s for s in range(args.seeds or (1 if args.quick else 2))]
    start = time.perf_counter()
    held_out, sets = prepare(2 if args.quick else 4, args.workers, args.test_draws)
    print(f"test and clean features in {time.perf_counter() - start:.0f} s", flush=True)
    meta = {"held_out": held_out, "sets": sets, "epochs": args.epochs, "width": args.width,
            "copies": args.copies, "test_draws": args.test_draws}  # fmt: skip
    runs: dict[str, dict] = {}
    for name in args.names:
        acc = run_condition(name, seeds, args, held_out)
        runs[name] = {"seeds": seeds, "acc": acc}
        print_progress(name, seeds, acc, held_out, time.perf_counter() - start)
        if args.save:
            save_runs(args.save, runs, meta)
    show(runs, meta)
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
