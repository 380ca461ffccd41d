"""Does training on our synthetic crops help on real photos? A fixed classifier, three sources.

The same classifier (HOG-style unsigned gradient histograms + multinomial logistic
regression, scikit-learn) is trained on the same number of 32x32 crops per class from:
- ours:  `SynthCharDataset` (bundled fonts, photo preset);
- plain: the same fonts rendered plainly (black on white, centred, no augmentation);
- trdg:  trdg 1.8 single characters with skew, blur and distortion (its own fonts), run
         from the venv that benchmarks/synth.py creates;
and tested on real photo crops (Chars74K natural-image subset: labels.csv with
file_name,label, 62 classes) and on scikit-learn's bundled handwritten digits (digit
classes only: the 62-way classifier's best digit).

    python benchmarks/utility_ocr.py [--quick] [--real ../shared/data/chars74k-dev]

Ends with name=value lines: utility_ocr_acc_ours=..., utility_ocr_acc_plain=...,
utility_ocr_acc_trdg=..., utility_digits_acc_*, and the margins.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import string  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth import SynthCharDataset  # noqa: E402
from synth.fonts.files import load_font  # noqa: E402
from synth.fonts.fontset import FontSet  # noqa: E402
from synth.run.plan import balanced_tasks  # noqa: E402

CHARS = string.digits + string.ascii_uppercase + string.ascii_lowercase
SIZE = 32
DEFAULT_REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "chars74k-dev"


# --- features: the fixed part ------------------------------------------------------------


def to_gray(image: np.ndarray) -> np.ndarray:
    """Any crop -> float32 32x32 grey, stretched to the square like the real test crops."""
    if image.ndim == 3:
        image = cv2.cvtColor(np.ascontiguousarray(image[:, :, :3]), cv2.COLOR_RGB2GRAY)
    return cv2.resize(image, (SIZE, SIZE), interpolation=cv2.INTER_AREA).astype(np.float32)


def features(gray: np.ndarray) -> np.ndarray:
    """Unsigned-orientation gradient histograms on 4x4-pixel cells (polarity-invariant)."""
    g = (gray - gray.mean()) / (gray.std() + 1e-3)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = np.hypot(gx, gy)
    angle = np.mod(np.arctan2(gy, gx), np.pi)
    bins = np.minimum((angle / np.pi * 9).astype(int), 8)
    cells = np.zeros((8, 8, 9), np.float32)
    ys, xs = np.mgrid[0:SIZE, 0:SIZE]
    np.add.at(cells, (ys // 4, xs // 4, bins), magnitude)
    blocks = []
    for y in range(7):  # 2x2-cell blocks, L2-normalised
        for x in range(7):
            block = cells[y : y + 2, x : x + 2].ravel()
            blocks.append(block / (np.linalg.norm(block) + 1e-3))
    return np.sqrt(np.concatenate(blocks))


def featurise(images) -> np.ndarray:
    return np.stack([features(to_gray(im)) for im in images])


def train_and_score(train_x, train_y, tests: dict[str, tuple]) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(train_x)
    model = LogisticRegression(max_iter=400, C=0.05).fit(scaler.transform(train_x), train_y)
    scores = {}
    for name, (x, y, allowed) in tests.items():
        proba = model.predict_proba(scaler.transform(x))
        classes = list(model.classes_)
        if allowed is not None:  # restrict the decision to these classes
            keep = np.array([c in allowed for c in classes])
            proba = np.where(keep, proba, -1.0)
        predicted = np.array(classes)[proba.argmax(axis=1)]
        scores[name] = float((predicted == np.asarray(y)).mean())
    return scores


def real_reference(
    real_x: np.ndarray, real_y: list[str], synth_x: np.ndarray, synth_y: list[str], folds: int = 5
) -> dict[str, float]:
    """Cross-validated accuracy on the real crops of the same classifier trained on the other
    real folds, alone and with our synthetic crops added: the gap synthetic data should close,
    and whether it still helps when real data exists."""
    from sklearn.model_selection import KFold

    y = np.asarray(real_y)
    alone, added = [], []
    for train, test in KFold(folds, shuffle=True, random_state=0).split(real_x):
        held_out = {"fold": (real_x[test], y[test], None)}
        alone.append(train_and_score(real_x[train], y[train], held_out)["fold"])
        both_x = np.concatenate([real_x[train], synth_x])
        both_y = np.concatenate([y[train], np.asarray(synth_y)])
        added.append(train_and_score(both_x, both_y, held_out)["fold"])
    return {"real_cv": float(np.mean(alone)), "real_plus_ours_cv": float(np.mean(added))}


# --- training sources ----------------------------------------------------------------------


def ours(per_class: int) -> tuple[list[np.ndarray], list[str]]:
    data = SynthCharDataset(CHARS, per_class=per_class, seed=0)
    images, labels = [], []
    for first in range(0, len(data), 256):
        batch, targets = data.batch(range(first, min(len(data), first + 256)))
        images.extend(batch)
        labels.extend(data.classes[t] for t in targets)
    return images, labels


def plain(per_class: int) -> tuple[list[np.ndarray], list[str]]:
    """Each font's glyph, black on white, centred at a fixed size: the no-effort baseline."""
    fonts = FontSet.load(None, CHARS)
    images, labels = [], []
    for task in balanced_tasks(CHARS, fonts, per_class):
        font = load_font(fonts.path(task["font"]), 26)
        image = Image.new("L", (SIZE, SIZE), 255)
        ImageDraw.Draw(image).text(
            (SIZE / 2, SIZE / 2), task["char"], font=font, fill=0, anchor="mm"
        )
        images.append(np.asarray(image))
        labels.append(task["char"])
    return images, labels


def trdg_executable() -> Path | None:
    """trdg from the venv benchmarks/synth.py keeps (created there on first use)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "synth_speed_benchmark", Path(__file__).with_name("synth.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.trdg_bin()


def trdg(per_class: int, work: Path) -> tuple[list[np.ndarray], list[str]] | None:
    exe = trdg_executable()
    if exe is None:
        return None
    (work / "chars.txt").write_text("\n".join(CHARS) + "\n")
    out = work / "trdg"
    subprocess.run(
        [
            str(exe),
            "-i",
            "chars.txt",
            "-f",
            "32",
            "-k",
            "10",
            "-rk",
            "-bl",
            "1",
            "-rbl",
            "-d",
            "3",
            "-c",
            str(per_class * len(CHARS)),
            "-t",
            str(os.cpu_count() or 1),
            "--output_dir",
            str(out),
        ],
        check=True,
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    images, labels = [], []
    for path in sorted(out.iterdir()):
        label = path.stem.rsplit("_", 1)[0]
        if label in CHARS:
            images.append(np.asarray(Image.open(path).convert("RGB")))
            labels.append(label)
    return images, labels


# --- test sets -----------------------------------------------------------------------------


def real_crops(folder: Path) -> tuple[list[np.ndarray], list[str]]:
    images, labels = [], []
    with open(folder / "labels.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            images.append(np.asarray(Image.open(folder / row["file_name"]).convert("RGB")))
            labels.append(row["label"])
    return images, labels


def sklearn_digits() -> tuple[list[np.ndarray], list[str]]:
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = [(255 - im * (255 / 16)).astype(np.float32) for im in digits.images]
    return images, [str(t) for t in digits.target]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about a minute")
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="labels.csv folder")
    args = parser.parse_args()
    per_class = 40 if args.quick else 200
    tests = {}
    if (args.real / "labels.csv").is_file():
        x, y = real_crops(args.real)
        tests["ocr"] = (featurise(x), y, None)
    else:
        print(f"note: {args.real} not found; real-crop accuracy skipped", file=sys.stderr)
    dx, dy = sklearn_digits()
    tests["digits"] = (featurise(dx), dy, set(string.digits))
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sources = {"ours": ours(per_class), "plain": plain(per_class)}
        made = trdg(per_class, Path(tmp))
        if made is not None:
            sources["trdg"] = made
        for name, (images, labels) in sources.items():
            train_x = featurise(images)
            scores = train_and_score(train_x, labels, tests)
            if name == "ours" and "ocr" in tests:
                real_x, real_y, _ = tests["ocr"]
                for key, value in real_reference(real_x, real_y, train_x, labels).items():
                    results[f"utility_ocr_acc_{key}"] = value
            for test, score in scores.items():
                results[f"utility_{test}_acc_{name}"] = score
            print(f"trained on {name}: {len(images)} crops", file=sys.stderr)
    for test in tests:
        for other in ("plain", "trdg"):
            key = f"utility_{test}_acc_{other}"
            if key in results:
                results[f"utility_{test}_margin_vs_{other}"] = (
                    results[f"utility_{test}_acc_ours"] - results[key]
                )
    for name, value in results.items():
        print(f"{name}={value:.3f}")


if __name__ == "__main__":
    main()
