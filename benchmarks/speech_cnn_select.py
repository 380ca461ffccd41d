"""Choose the speech judge's training budget and width on clean speech of training speakers only.

speech_cnn.py tests on a held-out speaker S, clean and in real noise. Its settings must not be
chosen on those tests, so here every choice is scored by nested leave-one-speaker-out on clean
clips: for an outer fold S, each other speaker V in turn validates a model trained (clean
clips, speech_cnn's warping, its budget rule) on the two speakers that are neither S nor V.
The model for the pair {A, B} serves the outer folds of both other speakers, so a variant
costs six models per seed and gives twelve (S, V) scores; S and the noisy columns are never
used. Reports, per variant, the mean clean validation accuracy, its mean per outer fold (so
a choice can be checked to hold within every fold) and per seed.

    python benchmarks/speech_cnn_select.py [--seed N] [--seeds N] [--workers N]
                                           [--variants 16x1,32x1,16x2]

A variant is passes x width (speech_cnn.py --epochs and --width).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import itertools  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import speech_cnn  # noqa: E402
from utility_speech import load_speech  # noqa: E402


def pair_job(job: tuple[tuple[str, str], int, int, int]) -> dict[str, float]:
    """Clean accuracy on each speaker outside `pair` of a model trained on the pair."""
    import torch

    torch.set_num_threads(1)
    pair, seed, epochs, width = job
    shared = speech_cnn._SHARED
    speakers, digits, clean = shared["speakers"], shared["digits"], shared["clean"]
    train_idx = np.flatnonzero(np.isin(speakers, pair))
    steps = epochs * int(np.ceil(len(train_idx) / speech_cnn.BATCH))
    model = speech_cnn.train(clean[train_idx], digits[train_idx], seed, steps, width)
    scores = {}
    for speaker in sorted(set(speakers) - set(pair)):
        held = np.flatnonzero(speakers == speaker)
        scores[speaker] = speech_cnn.accuracy(model, clean[held], digits[held])
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=speech_cnn.SEED, help="first seed")
    parser.add_argument("--seeds", type=int, default=1, help="training seeds")
    parser.add_argument("--workers", type=int, default=2, help="processes (one model each)")
    parser.add_argument("--variants", default="16x1,32x1,16x2", help="passes x width, ...")
    args = parser.parse_args()
    variants = [tuple(int(v) for v in name.split("x")) for name in args.variants.split(",")]
    seeds = [args.seed + s for s in range(args.seeds)]
    start = time.perf_counter()
    waves, digits, speakers = load_speech()
    speech_cnn._SHARED.update(waves=waves, digits=digits, speakers=speakers)
    everything = list(range(len(waves)))
    speech_cnn._SHARED["clean"] = speech_cnn.augmented_features(
        None, speech_cnn.SEED, everything, 1
    )[:, 0]
    names = sorted(set(speakers))
    pairs = list(itertools.combinations(names, 2))
    print(f"clean features in {time.perf_counter() - start:.0f} s", flush=True)
    for epochs, width in variants:
        jobs = [(pair, seed, epochs, width) for seed in seeds for pair in pairs]
        results = speech_cnn.in_workers(pair_job, jobs, args.workers)
        # score[seed][outer S] = scores of the (S, V) validations, V not S
        per_outer = {s: [] for s in names}
        per_seed = {seed: [] for seed in seeds}
        for (pair, seed, _, _), scores in zip(jobs, results, strict=True):
            for validation, acc in scores.items():
                outer = next(s for s in names if s not in (*pair, validation))
                per_outer[outer].append(acc)
                per_seed[seed].append(acc)
        mean = np.mean([a for accs in per_outer.values() for a in accs])
        outer_text = ", ".join(f"{s} {np.mean(a):.3f}" for s, a in per_outer.items())
        seed_text = ", ".join(f"{s} {np.mean(a):.3f}" for s, a in per_seed.items())
        print(f"{epochs} passes, width {width}: clean validation {mean:.3f} (outer folds: "
              f"{outer_text}; seeds: {seed_text}; {time.perf_counter() - start:.0f} s)",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
