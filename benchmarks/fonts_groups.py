"""What the font pack, and each of its style groups, adds to synthetic-only OCR accuracy.

The judge is utility_ocr.py's small CNN, trained only on `SynthCharDataset` crops (default
settings, photo preset) and tested on all the real crops (chars74k-dev). Each font set is
the bundled fonts plus some of the pack (`synth font-pack`), drawn family by family as
`synth ocr` draws them (synth.run.plan), so a family in twenty weights counts once:

    bundled   the bundled fonts only (exactly `synth ocr`'s default)
    pack      bundled + every file of the pack
    -GROUP    bundled + the pack without GROUP (leave one group out)
    +GROUP    bundled + GROUP alone

Each seed s renders its own crops (dataset seed s) and trains its own network (seed s).

    python benchmarks/fonts_groups.py [--pack DIR] [--sets bundled,pack,-serif,+mono]
        [--seeds 0,1,2] [--per-class 300] [--epochs 3]

Ends with name=value lines: fonts_<set>_acc[_nocase] (mean over seeds), _sd (over seeds),
fonts_<set>_families and fonts_<set>_pack_files.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
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
from synth.fonts.files import default_fonts_dir, find_font_files  # noqa: E402
from synth.fonts.source import default_pack_dir, pack_records  # noqa: E402


def pack_files(pack: Path, name: str) -> list[Path]:
    """The pack's files a set adds to the bundled fonts (see the module docstring)."""
    if name == "bundled":
        return []
    records = pack_records(pack)
    if name == "pack":
        return [pack / r["file"] for r in records]
    group, keep = name[1:], name[0] == "+"
    files = [pack / r["file"] for r in records if (r["group"] == group) == keep]
    if name[0] not in "+-" or len(files) in (0, len(records)):
        sys.exit(f"error: font set {name!r}: use bundled, pack, +GROUP or -GROUP of the pack")
    return files


def font_folder(dest: Path, extra: list[Path]) -> Path:
    """A folder of symlinks: every bundled font plus `extra` (with their .chars lists)."""
    bundled = default_fonts_dir()
    links = [(f, dest / "bundled" / f.relative_to(bundled)) for f in find_font_files(bundled)]
    links += [(f, dest / "pack" / f.parent.name / f.name) for f in extra]
    for source, link in links:
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(source.resolve())
        if source.with_suffix(".chars").is_file():
            link.with_suffix(".chars").symlink_to(source.with_suffix(".chars").resolve())
    return dest


def crops(fonts: Path | None, per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """CNN inputs and class indices of `per_class` default crops per class, and the number
    of font families they rotate over."""
    data = SynthCharDataset(CHARS, per_class=per_class, seed=seed, fonts=fonts)
    images, targets = [], []
    for first in range(0, len(data), 256):
        batch, labels = data.batch(range(first, min(len(data), first + 256)))
        images.extend(batch)
        targets.extend(CHARS.index(data.classes[t]) for t in labels)
    families = len({face.family for face in data.fonts.faces.values()})
    return cnn_input(images), np.array(targets, np.int64), families


def run_set(name: str, extra: list[Path], real: tuple, args: argparse.Namespace) -> dict:
    """Accuracy per seed of one font set, printed as it goes."""
    scores = []
    for seed in args.seeds:
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            fonts = None if name == "bundled" else font_folder(Path(tmp), extra)
            x, y, families = crops(fonts, args.per_class, seed)
        model = train_cnn(x, y, seed, {"epochs": args.epochs, "lr": 3e-3})
        scores.append(cnn_accuracy(model, *real))
        seconds = time.perf_counter() - start
        print(
            f"{name} seed {seed}: {len(extra)} pack files, {families} families, "
            f"{scores[-1][0]:.3f} / {scores[-1][1]:.3f} ({seconds:.0f} s)",
            file=sys.stderr,
            flush=True,
        )
    exact, nocase = np.array(scores).T
    key = f"fonts_{name.replace('+', 'plus_').replace('-', 'minus_')}"
    return {
        f"{key}_acc": exact.mean(),
        f"{key}_acc_sd": exact.std(ddof=1) if len(exact) > 1 else 0.0,
        f"{key}_acc_nocase": nocase.mean(),
        f"{key}_acc_nocase_sd": nocase.std(ddof=1) if len(nocase) > 1 else 0.0,
        f"{key}_families": float(families),
        f"{key}_pack_files": float(len(extra)),
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
    plan = {name: pack_files(args.pack, name) for name in args.sets.split(",")}
    for name, extra in plan.items():
        for metric, value in run_set(name, extra, real, args).items():
            print(f"{metric}={value:.3f}", flush=True)


if __name__ == "__main__":
    main()
