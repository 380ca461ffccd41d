"""Does augmenting real crops help? Real crops alone against real + augmented copies.

On the real crops (chars74k-dev: 1,000 Chars74K natural-image crops, 62 classes) split
into K folds, each seed with its own split, copy draws and network initialisation, the CNN
judge of utility_ocr.py is trained on the other folds and tested on the held-out one:
- real:   the real training crops alone;
- preset: the same plus N `augment images --preset photo-chars` copies of each;
- flags:  the same plus N copies of `--warp --rotate 10 --scale 0.9:1.1 --contrast
          0.6:1.4` (issue 18's reference recipe).
Every arm takes the same number of optimiser steps (the real arm's epochs, divided by
1 + N for the larger sets), so a gain comes from the copies, not from longer training.
Copies are made at the crops' own size, as `augment images` makes them, then the judge
squares them to 32x32 like every crop.

--stats: how the copies' crop statistics (benchmarks/crop_statistics.py) compare with the
real crops' (two-sample KS per statistic, and the 10th-90th percentiles): a preset should
widen the real spread, not move the copies outside it.
--preset-file YAML: a candidate pipeline in place of the photo-chars preset (tuning).

    python benchmarks/augment_real_ocr.py [--quick] [--folds K] [--copies N] [--stats]
        [--preset-file YAML] [--arms real,preset,flags] [--seeds 0,1,2] [--real DIR]

Ends with name=value lines: augment_real_ocr_acc_<arm>[_nocase][_sd|_min|_max]=...
(mean over seeds x folds, sd over seeds of the fold means, range of single runs), or
augment_real_ocr_ks_<arm>_<statistic>=... with --stats.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crop_statistics import measure_all  # noqa: E402
from utility_ocr import (  # noqa: E402
    CHARS,
    DEFAULT_REAL,
    cnn_accuracy,
    cnn_input,
    cnn_summary,
    fold_splits,
    real_crops,
    train_cnn,
)

from augment.cli.images import build_image_pipeline  # noqa: E402
from augment.core.registry import load_pipeline  # noqa: E402
from augment.core.sample import ImageSample  # noqa: E402
from augment.core.seeding import example_rng  # noqa: E402
from augment.core.transform import Transform  # noqa: E402
from augment.images.presets import load_preset  # noqa: E402


def arms(preset_file: Path | None, chosen: list[str]) -> dict[str, Transform]:
    """The pipelines whose copies are added to the real crops, by arm name (of `chosen`)."""
    preset = load_pipeline(preset_file, kind="image") if preset_file else load_preset("photo-chars")
    pipelines = {
        "preset": preset,
        "flags": build_image_pipeline(True, 10.0, "0.9:1.1", "0.6:1.4", None),
    }
    return {arm: pipe for arm, pipe in pipelines.items() if arm in chosen}


def make_copies(pipeline: Transform, images: list, labels: list, copies: int, seed: int) -> list:
    """`copies` augmented copies of each image, copy k of image i from example (seed, i*N+k),
    in image order (the copies of image i are rows i*N .. i*N+N-1)."""
    out = []
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        for k in range(copies):
            rng = example_rng(seed, i * copies + k)
            made, _ = pipeline.run(ImageSample(image, label=label), rng)
            out.append(made.image)
    return out


def judge(real: tuple, copies: dict[str, np.ndarray], settings: dict, seed: int) -> dict:
    """Per arm, per fold of this seed: (case-sensitive, ignoring case) held-out accuracy."""
    real_x, labels = real
    index = {c: i for i, c in enumerate(CHARS)}
    real_y = np.array([index[c] for c in labels], np.int64)
    n = settings["copies"]
    runs: dict[str, list[tuple]] = {}
    for train, test in fold_splits(len(real_y), settings["folds"], seed):
        plan = {"epochs": settings["epochs"], "lr": 3e-3, "batch": 32}
        if "real" in settings["arms"]:
            model = train_cnn(real_x[train], real_y[train], seed, plan)
            runs.setdefault("real", []).append(cnn_accuracy(model, real_x[test], labels[test]))
        for arm, arm_x in copies.items():
            x = np.concatenate([real_x[train], arm_x[train].reshape(-1, 1, 32, 32)])
            y = np.concatenate([real_y[train], np.repeat(real_y[train], n)])
            steps_plan = dict(plan, epochs=max(1, round(settings["epochs"] / (1 + n))))
            model = train_cnn(x, y, seed, steps_plan)
            runs.setdefault(arm, []).append(cnn_accuracy(model, real_x[test], labels[test]))
    return runs


def accuracy_main(args: argparse.Namespace) -> dict[str, float]:
    import torch

    torch.set_num_threads(args.threads)
    images, labels = real_crops(args.real)
    real = (cnn_input(images), np.array(labels))
    settings = {"folds": args.folds, "copies": args.copies, "epochs": 60, "arms": args.arms}
    results: dict[str, list] = {}
    for seed in args.seeds or range(1 if args.quick else 3):
        copies = {
            arm: cnn_input(make_copies(pipe, images, labels, args.copies, seed)).reshape(
                len(images), args.copies, 1, 32, 32
            )
            for arm, pipe in arms(args.preset_file, args.arms).items()
        }
        runs = judge(real, copies, settings, seed)
        for arm, scores in runs.items():
            results.setdefault(arm, []).append(scores)
        summary = ", ".join(f"{k} {np.mean(v, 0)[0]:.3f}" for k, v in runs.items())
        print(f"seed {seed}: {summary}", file=sys.stderr)
    lines = cnn_summary(results)
    return {k.replace("utility_ocr_cnn_acc", "augment_real_ocr_acc"): v for k, v in lines.items()}


def spread(values: np.ndarray) -> str:
    low, high = np.percentile(values, [10, 90])
    return f"mean {values.mean():.3f} p10-p90 {low:.3f}-{high:.3f}"


def stats_main(args: argparse.Namespace) -> dict[str, float]:
    from scipy.stats import ks_2samp

    images, labels = real_crops(args.real)
    real = measure_all(images)
    lines = {}
    for arm, pipe in arms(args.preset_file, args.arms).items():
        made = measure_all(make_copies(pipe, images, labels, 1, 0))
        for name, values in real.items():
            ks = float(ks_2samp(values, made[name]).statistic)
            print(f"{arm:7s} {name:16s} ks={ks:.3f} {spread(made[name])}", file=sys.stderr)
            lines[f"augment_real_ocr_ks_{arm}_{name}"] = ks
    for name, values in real.items():
        print(f"real    {name:16s}          {spread(values)}", file=sys.stderr)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one seed instead of three")
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="labels.csv folder")
    parser.add_argument("--folds", type=int, default=2, help="K folds (train on K-1)")
    parser.add_argument("--copies", type=int, default=5, help="augmented copies per real crop")
    parser.add_argument("--preset-file", type=Path, default=None, help="candidate preset YAML")
    parser.add_argument(
        "--arms",
        type=lambda text: text.split(","),
        default=["real", "preset", "flags"],
        help="comma-separated arms to run (the others' numbers do not depend on them)",
    )
    parser.add_argument(
        "--seeds",
        type=lambda text: [int(seed) for seed in text.split(",")],
        default=None,
        help="comma-separated seeds instead of 0,1,2 (to run seeds side by side)",
    )
    parser.add_argument("--stats", action="store_true", help="crop statistics of the copies")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    args = parser.parse_args()
    if not (args.real / "labels.csv").is_file():
        sys.exit(f"error: {args.real / 'labels.csv'}: not found")
    lines = stats_main(args) if args.stats else accuracy_main(args)
    for name, value in lines.items():
        print(f"{name}={value:.4f}")


if __name__ == "__main__":
    main()
