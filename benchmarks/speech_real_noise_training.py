"""Could any noise augmentation beat white noise on the speech test? Train on real recordings.

A diagnostic beside utility_speech.py, with its data, folds, features, classifier and test
mixes. One more training condition per real Debian source (benchmarks/real_noise.py):
BackgroundNoise over the *other* five real sources at 0-20 dB (P.56), K copies per clip
exactly as for the bundled scenes, scored only on the source left out. Real recordings are
what the bundled scenes imitate at best, so if training on them does not beat white noise on
a real source it never heard, no better generator of such scenes would either, on this test.

Conditions, fixed before any result: white_noise and bundled_noise as in utility_speech.py;
real_others (leave one source out). Reports each source's accuracy (mean over the noisy test
SNRs and the held-out speakers) for the three, and real_others minus white noise and bundled
minus white noise, averaged over the sources, with a standard error over held-out speakers.

    python benchmarks/speech_real_noise_training.py [--quick] [--seed N] [--workers N]

--quick: two folds, K=2 (about two minutes); default: four folds, K=4 (about six).
Ends with name=value lines.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402

import numpy as np  # noqa: E402
import real_noise  # noqa: E402
from utility_speech import (  # noqa: E402
    N_FEATURES,
    PIPELINES,
    SEED,
    TEST_SNRS_DB,
    _chunks,
    _gain_lines,
    _test_features,
    _train_features,
    classifier,
    compute,
    load_real_noise,
    load_speech,
    load_test_noise,
)

CONDITIONS = ("white_noise", "bundled_noise", "real_others")


def real_others_config(left_out: str) -> list:
    """BackgroundNoise over every real source but `left_out`, as the bundled scenes are used."""
    root = real_noise.noise_root()
    others = [str(root / s.name) for s in real_noise.SOURCES if s.name != left_out]
    return [{"BackgroundNoise": {"noise": others, "snr_db": [0.0, 20.0]}}]


def source_accuracy(
    model, test: np.ndarray, truth: np.ndarray, source_indices: list[int], n_snr: int
) -> np.ndarray:
    """Accuracy on each given real source, averaged over its SNRs. Test columns: clean, then
    n_snr per noise set, set 0 being cafe.wav, so real source s is set s + 1."""
    return np.array(
        [
            np.mean(
                [
                    np.mean(model.predict(test[:, j]) == truth)
                    for j in range(1 + (s + 1) * n_snr, 1 + (s + 2) * n_snr)
                ]
            )
            for s in source_indices
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two folds, K=2")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the training copies")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    folds, copies = (2, 2) if args.quick else (4, 4)
    start = time.perf_counter()

    waves, digits, speakers = load_speech()
    real = load_real_noise()
    if not real:
        sys.exit("speech_real_noise_training: needs the real Debian recordings (real_noise.py)")
    sources = list(real)
    sets = [[load_test_noise()], *real.values()]  # set 0 is cafe.wav, as in utility_speech
    held_out = sorted(set(speakers))[:folds]
    everything = list(range(len(waves)))
    parts = 4 * args.workers
    n_snr = len(TEST_SNRS_DB)
    configs = {name: PIPELINES[name] for name in ("white_noise", "bundled_noise")}
    configs |= {f"real_others/{s}": real_others_config(s) for s in sources}

    def jobs(config, n_copies: int, seed: int) -> list:
        return [
            (config, seed, c, n_copies, [waves[i] for i in c]) for c in _chunks(everything, parts)
        ]

    with ProcessPoolExecutor(args.workers) as pool:
        clean = compute(pool, _train_features, jobs(None, 1, SEED))[:, 0]
        test_idx = [i for i in everything if speakers[i] in held_out]
        test = np.zeros((len(waves), 1 + len(sets) * n_snr, N_FEATURES), np.float32)
        test[test_idx] = compute(
            pool,
            _test_features,
            [(c, [waves[i] for i in c], sets) for c in _chunks(test_idx, parts)],
        )
        augmented = {
            name: compute(pool, _train_features, jobs(config, copies, args.seed))
            for name, config in configs.items()
        }
    print(f"features in {time.perf_counter() - start:.0f} s")

    # acc[condition]: (folds, sources), accuracy on each real source averaged over its SNRs
    acc = {name: np.zeros((folds, len(sources))) for name in CONDITIONS}
    for f, speaker in enumerate(held_out):
        train = np.flatnonzero(speakers != speaker)
        held = np.flatnonzero(speakers == speaker)
        models = {}
        for name in configs:
            x = [clean[train], *(augmented[name][train, k] for k in range(copies))]
            models[name] = classifier().fit(np.concatenate(x), np.tile(digits[train], len(x)))
        rows, truth = test[held], digits[held]
        everyone = list(range(len(sources)))
        for name in ("white_noise", "bundled_noise"):
            acc[name][f] = source_accuracy(models[name], rows, truth, everyone, n_snr)
        for s, source in enumerate(sources):
            model = models[f"real_others/{source}"]
            acc["real_others"][f, s] = source_accuracy(model, rows, truth, [s], n_snr)[0]
        print(f"fold {speaker:<8} " + "  ".join(f"{n}={acc[n][f].mean():.3f}" for n in CONDITIONS))

    print(
        f"\naccuracy on each real source (noisy test mean), {folds} held-out speakers, "
        f"K={copies}, seed {args.seed}"
    )
    print(f"{'source':<18}" + "".join(f"{n:>15}" for n in CONDITIONS))
    for s, source in enumerate(sources):
        print(f"{source:<18}" + "".join(f"{acc[n][:, s].mean():>15.3f}" for n in CONDITIONS))
    print(f"{'mean':<18}" + "".join(f"{acc[n].mean():>15.3f}" for n in CONDITIONS))
    results = {}
    for name in ("real_others", "bundled_noise"):
        gains = (acc[name] - acc["white_noise"]).mean(axis=1)[None, :]  # (1 seed, folds)
        se = _gain_lines(f"{name} - white_noise, mean of the sources", gains, held_out)
        results[name] = (gains.mean(), se)
    print(f"total {time.perf_counter() - start:.0f} s")
    for name in CONDITIONS:
        print(f"speech_real_sources_acc_{name}={acc[name].mean():.4f}")
    for name, (gain, se) in results.items():
        print(f"speech_real_sources_gain_{name}_vs_white_noise={gain:.4f}")
        print(f"speech_real_sources_gain_{name}_vs_white_noise_se={se:.4f}")


if __name__ == "__main__":
    main()
