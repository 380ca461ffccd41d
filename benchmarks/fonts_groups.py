"""What the font pack, and each of its style groups, adds to synthetic-only OCR accuracy.

The judge is utility_ocr.py's small CNN, trained only on `SynthCharDataset` crops (default
settings, photo preset) and tested on all the real crops (chars74k-dev). Font sets:

    bundled   the bundled fonts only (exactly `synth ocr`'s default)
    pack      the pack (`synth font-pack`; it holds the Debian packages of 24 of the 25
              bundled families), drawn as `synth ocr --fonts pack` draws it: style group,
              then family, then file (synth.run.plan)
    flat      the same files without their groups: family, then file
    -GROUP    the pack without GROUP (leave one group out), by group then family;
              -G1-G2 leaves out both

Each seed s renders its own crops (dataset seed s) and trains its own network (seed s).

    python benchmarks/fonts_groups.py [--pack DIR] [--sets bundled,pack,flat,-serif]
        [--seeds 0,1,2] [--per-class 300] [--epochs 3]

Ends with name=value lines: fonts_<set>_acc[_nocase] (mean over seeds), _sd (over seeds),
and a line per run on stderr.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from utility_ocr import (  # noqa: E402
    CHARS,
    DEFAULT_REAL,
    cnn_accuracy,
    cnn_input,
    real_crops,
    train_cnn,
)

from synth import SynthCharDataset  # noqa: E402
from synth.fonts.pack import MANIFEST, pack_records  # noqa: E402
from synth.fonts.source import default_pack_dir  # noqa: E402


def font_folder(name: str, pack: Path, dest: Path) -> Path | None:
    """The fonts of a set (see the module docstring): None for the bundled ones, the pack
    itself, or a folder of symlinks to some of its files (with their .chars allow-lists),
    with a fonts.json of their records unless the set is `flat`."""
    if name in ("bundled", "pack"):
        return None if name == "bundled" else pack
    records = pack_records(pack)
    left_out = set(name[1:].split("-"))
    kept = [r for r in records if name == "flat" or r["group"] not in left_out]
    if name != "flat" and (name[:1] != "-" or len(kept) == len(records)):
        sys.exit(f"error: font set {name!r}: use bundled, pack, flat or -GROUP of the pack")
    for record in kept:
        source, link = pack / record["file"], dest / record["file"]
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(source.resolve())
        if source.with_suffix(".chars").is_file():
            link.with_suffix(".chars").symlink_to(source.with_suffix(".chars").resolve())
    if name != "flat":
        (dest / MANIFEST).write_text(json.dumps({"fonts": kept}), encoding="utf-8")
    return dest


def crops(fonts: Path | None, per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray, str]:
    """CNN inputs and class indices of `per_class` default crops per class, and a note of
    the fonts they rotate over."""
    data = SynthCharDataset(CHARS, per_class=per_class, seed=seed, fonts=fonts)
    images, targets = [], []
    for first in range(0, len(data), 256):
        batch, labels = data.batch(range(first, min(len(data), first + 256)))
        images.extend(batch)
        targets.extend(CHARS.index(data.classes[t]) for t in labels)
    fonts_used = data.fonts
    families = len({face.family for face in fonts_used.faces.values()})
    groups = len(set(fonts_used.groups.values()))
    note = f"{len(fonts_used.faces)} files, {families} families, {groups} groups"
    return cnn_input(images), np.array(targets, np.int64), note


def run_set(name: str, real: tuple, args: argparse.Namespace) -> dict:
    """Accuracy per seed of one font set, printed as it goes."""
    scores = []
    for seed in args.seeds:
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            fonts = font_folder(name, args.pack, Path(tmp))
            x, y, note = crops(fonts, args.per_class, seed)
        model = train_cnn(x, y, seed, {"epochs": args.epochs, "lr": 3e-3})
        scores.append(cnn_accuracy(model, *real))
        seconds = time.perf_counter() - start
        print(
            f"{name} seed {seed}: {note}, "
            f"{scores[-1][0]:.3f} / {scores[-1][1]:.3f} ({seconds:.0f} s)",
            file=sys.stderr,
            flush=True,
        )
    exact, nocase = np.array(scores).T
    key = f"fonts_{name.replace('-', 'minus_')}"
    return {
        f"{key}_acc": exact.mean(),
        f"{key}_acc_sd": exact.std(ddof=1) if len(exact) > 1 else 0.0,
        f"{key}_acc_nocase": nocase.mean(),
        f"{key}_acc_nocase_sd": nocase.std(ddof=1) if len(nocase) > 1 else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", type=Path, default=default_pack_dir(), help="font pack")
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="labels.csv folder")
    parser.add_argument("--sets", default="bundled,pack", help="bundled, pack, +GROUP, -GROUP")
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds")
    parser.add_argument("--per-class", type=int, default=300, help="synthetic crops per class")
    parser.add_argument("--epochs", type=int, default=3, help="CNN epochs on the crops")
    args = parser.parse_args()
    args.seeds = [int(s) for s in args.seeds.split(",")]
    if not (args.real / "labels.csv").is_file():
        sys.exit(f"error: {args.real / 'labels.csv'}: not found (the judge needs real crops)")
    import torch

    torch.set_num_threads(1)
    images, labels = real_crops(args.real)
    real = (cnn_input(images), np.array(labels))
    for name in args.sets.split(","):
        for metric, value in run_set(name, real, args).items():
            print(f"{metric}={value:.3f}", flush=True)


if __name__ == "__main__":
    main()
