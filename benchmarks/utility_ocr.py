"""Does training on our synthetic crops help on real photos? Two fixed judges.

CNN judge (default): a small convolutional network (4 conv blocks, about 0.1 M weights,
torch on the CPU) trained the same way on every source, with the same train-time jitter
(small affine changes, random polarity), on 32x32 grey crops standardised per crop. On the
real crops (Chars74K natural images: labels.csv with file_name,label, 62 classes) split
into K folds, with several seeds (each seed: its own fold split and network init):
- synthetic:      trained only on `SynthCharDataset` crops (default settings: bundled or
                  --fonts fonts, photo preset), tested on each held-out fold;
- real:           trained only on the other real folds;
- synthetic_real: the synthetic network fine-tuned on the other real folds mixed with
                  synthetic crops (twice as many as real ones per epoch).
Accuracy case-sensitive (62 classes) and ignoring case (predicted and true label compared
in lower case). Reported as the mean over seeds x folds, and the seed spread: the standard
deviation over seeds of each seed's fold mean, and min..max of single runs.

    python benchmarks/utility_ocr.py [--quick] [--real DIR] [--fonts DIR] [--synthetic-only]
        [--per-class N] [--render JSON] [--backgrounds DIR|pack] [--seeds 0,1] [--threads N]

What the font pack and each of its style groups add: benchmarks/fonts_groups.py.

HOG judge (--judge hog): HOG-style unsigned gradient histograms + multinomial logistic
regression (scikit-learn), trained on the same number of crops per class from
- ours:  `SynthCharDataset` (bundled fonts, photo preset);
- plain: the same fonts rendered plainly (black on white, centred, no augmentation);
- trdg:  trdg 1.8 single characters with skew, blur and distortion (its own fonts), run
         from the venv that benchmarks/synth.py creates;
tested on the real crops and on scikit-learn's bundled handwritten digits (digit classes
only: the 62-way classifier's best digit).

Ends with name=value lines: utility_ocr_cnn_acc_<source>[_nocase][_sd|_min|_max]=... for
the CNN judge; utility_ocr_acc_ours=..., utility_ocr_acc_plain=..., utility_digits_acc_*
and the margins for the HOG judge.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
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
from synth.textures.pack import backgrounds_folder  # noqa: E402

CHARS = string.digits + string.ascii_uppercase + string.ascii_lowercase
SIZE = 32
_REPO = Path(__file__).resolve().parents[1]
# The shared data folder sits beside the repository (or beside the folder of worktrees).
DEFAULT_REAL = next(
    (
        base / "shared" / "data" / "chars74k-dev"
        for base in (_REPO.parent, _REPO.parent.parent)
        if (base / "shared" / "data" / "chars74k-dev").is_dir()
    ),
    _REPO.parent / "shared" / "data" / "chars74k-dev",
)


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


# --- CNN judge -----------------------------------------------------------------------------

CNN_BATCH = 128


def cnn_input(images) -> np.ndarray:
    """(n, 1, 32, 32) float32 grey crops, each standardised (a floor keeps flat crops flat)."""
    grey = np.stack([to_gray(im) for im in images])
    mean = grey.mean(axis=(1, 2), keepdims=True)
    std = np.maximum(grey.std(axis=(1, 2), keepdims=True), 8.0)
    return ((grey - mean) / std)[:, None].astype(np.float32)


def char_net(classes: int):
    """Four 3x3 conv blocks (16-32-64-128 channels) with batch norm, pooling to 4x4, global
    average, dropout, linear: small enough for CPU, deep enough to use shape over texture."""
    from torch import nn

    def block(cin: int, cout: int) -> list:
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]

    return nn.Sequential(
        *block(1, 16),
        nn.MaxPool2d(2),
        *block(16, 32),
        nn.MaxPool2d(2),
        *block(32, 64),
        nn.MaxPool2d(2),
        *block(64, 128),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(0.3),
        nn.Linear(128, classes),
    )


def jitter(x, gen):
    """The judge's train-time jitter: rotation +-8 degrees, scale 0.88..1.12 per axis,
    shift +-6% of the side, and a random polarity flip, drawn per crop from `gen`."""
    import torch
    import torch.nn.functional as F

    n = x.shape[0]

    def uniform(low: float, high: float, *shape: int):
        return low + (high - low) * torch.rand(n, *shape, generator=gen)

    angle = uniform(-0.14, 0.14)
    scale = uniform(0.88, 1.12, 2)
    shift = uniform(-0.12, 0.12, 2)
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack(
        [
            torch.stack([cos / scale[:, 0], -sin / scale[:, 0], shift[:, 0]], 1),
            torch.stack([sin / scale[:, 1], cos / scale[:, 1], shift[:, 1]], 1),
        ],
        1,
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    moved = F.grid_sample(x, grid, padding_mode="border", align_corners=False)
    sign = torch.where(torch.rand(n, 1, 1, 1, generator=gen) < 0.5, -1.0, 1.0)
    return moved * sign


def train_cnn(x: np.ndarray, y: np.ndarray, seed: int, plan: dict, init=None):
    """Train (or fine-tune `init`, a state dict) on x, y class indices with AdamW and a
    one-cycle schedule: plan["epochs"] epochs at peak rate plan["lr"] in batches of
    plan["batch"] (default CNN_BATCH). plan["extra"] = (x2, y2, n) adds n random rows of
    (x2, y2) to every epoch (mixing a second source in)."""
    import torch
    import torch.nn.functional as F

    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = char_net(len(CHARS))
    if init is not None:
        model.load_state_dict(init)
    extra_x, extra_y, extra_n = plan.get("extra", (None, None, 0))
    per_epoch = len(x) + extra_n
    batch = plan.get("batch", CNN_BATCH)
    steps = plan["epochs"] * -(-per_epoch // batch)
    opt = torch.optim.AdamW(model.parameters(), lr=plan["lr"], weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=plan["lr"], total_steps=steps)
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    model.train()
    for _ in range(plan["epochs"]):
        ex, ey = tx, ty
        if extra_n:
            pick = torch.randint(len(extra_x), (extra_n,), generator=gen)
            ex = torch.cat([tx, torch.from_numpy(extra_x)[pick]])
            ey = torch.cat([ty, torch.from_numpy(extra_y)[pick]])
        order = torch.randperm(len(ex), generator=gen)
        for first in range(0, len(ex), batch):
            rows = order[first : first + batch]
            loss = F.cross_entropy(model(jitter(ex[rows], gen)), ey[rows], label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    return model


def cnn_accuracy(model, x: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Case-sensitive and case-ignoring accuracy of `model` on x against label strings."""
    import torch

    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(torch.from_numpy(x[i : i + 512])) for i in range(0, len(x), 512)])
    predicted = np.array(list(CHARS))[logits.argmax(1).numpy()]
    exact = float((predicted == labels).mean())
    nocase = float((np.char.lower(predicted) == np.char.lower(labels)).mean())
    return exact, nocase


def fold_splits(n: int, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    order = np.random.default_rng(seed).permutation(n)
    parts = np.array_split(order, folds)
    return [(np.concatenate(parts[:k] + parts[k + 1 :]), parts[k]) for k in range(folds)]


def cnn_judge(real: tuple, synthetic: tuple, settings: dict) -> dict[str, list[list[tuple]]]:
    """Per source, per seed, per fold: (case-sensitive, ignoring case) accuracy on the fold."""
    import torch

    torch.set_num_threads(settings["threads"])
    real_x, real_labels = real
    synth_x, synth_labels = synthetic
    index = {c: i for i, c in enumerate(CHARS)}
    real_y = np.array([index[c] for c in real_labels], np.int64)
    synth_y = np.array([index[c] for c in synth_labels], np.int64)
    results: dict[str, list[list[tuple]]] = {}
    for seed in settings["seeds"]:
        runs: dict[str, list[tuple]] = {}
        synth_model = train_cnn(synth_x, synth_y, seed, settings["synthetic"])
        for train, test in fold_splits(len(real_y), settings["folds"], seed):
            test_x, test_labels = real_x[test], real_labels[test]
            runs.setdefault("synthetic", []).append(cnn_accuracy(synth_model, test_x, test_labels))
            if settings["synthetic_only"]:
                continue
            model = train_cnn(real_x[train], real_y[train], seed, settings["real"])
            runs.setdefault("real", []).append(cnn_accuracy(model, test_x, test_labels))
            mix = dict(settings["fine_tune"], extra=(synth_x, synth_y, 2 * len(train)))
            model = train_cnn(real_x[train], real_y[train], seed, mix, synth_model.state_dict())
            runs.setdefault("synthetic_real", []).append(cnn_accuracy(model, test_x, test_labels))
        for source, scores in runs.items():
            results.setdefault(source, []).append(scores)
        print(
            f"seed {seed}: " + ", ".join(f"{k} {np.mean(v, 0)[0]:.3f}" for k, v in runs.items()),
            file=sys.stderr,
        )
    return results


def cnn_summary(results: dict[str, list[list[tuple]]]) -> dict[str, float]:
    """Mean over seeds x folds, the seed spread (sd of per-seed fold means), single-run range."""
    lines = {}
    for source, per_seed in results.items():
        runs = np.array(per_seed, dtype=float)  # (seeds, folds, 2)
        for k, suffix in enumerate(("", "_nocase")):
            name = f"utility_ocr_cnn_acc_{source}{suffix}"
            seed_means = runs[:, :, k].mean(axis=1)
            lines[name] = float(seed_means.mean())
            lines[f"{name}_sd"] = float(seed_means.std(ddof=1)) if len(seed_means) > 1 else 0.0
            lines[f"{name}_min"] = float(runs[:, :, k].min())
            lines[f"{name}_max"] = float(runs[:, :, k].max())
    return lines


def synthetic_crops(
    per_class: int, fonts: Path | None, render: dict | None = None, backgrounds: str | None = None
) -> tuple[list[np.ndarray], list[str]]:
    """`per_class` `synth ocr` crops per class (seed 0): default settings unless `fonts`,
    `render` (RenderOptions overrides) or `backgrounds` (a photo folder, or `pack`: the
    fetched texture pack) are given."""
    data = SynthCharDataset(
        CHARS,
        per_class=per_class,
        seed=0,
        fonts=fonts,
        render=render,
        backgrounds=backgrounds_folder(backgrounds),
    )
    images, labels = [], []
    for first in range(0, len(data), 256):
        batch, targets = data.batch(range(first, min(len(data), first + 256)))
        images.extend(batch)
        labels.extend(data.classes[t] for t in targets)
    return images, labels


def cnn_main(args: argparse.Namespace) -> dict[str, float]:
    quick = args.quick
    settings = {
        "threads": args.threads,
        "seeds": args.seeds or list(range(2 if quick else 3)),
        "folds": 2 if quick else 5,
        "synthetic_only": args.synthetic_only,
        "synthetic": {"epochs": 3 if quick else 8, "lr": 3e-3},
        "real": {"epochs": 60 if quick else 80, "lr": 3e-3, "batch": 32},
        "fine_tune": {"epochs": 8 if quick else 15, "lr": 1e-3, "batch": 64},
    }
    real_images, real_labels = real_crops(args.real)
    real = (cnn_input(real_images), np.array(real_labels))
    images, labels = synthetic_crops(args.per_class, args.fonts, args.render, args.backgrounds)
    print(f"rendered {len(images)} synthetic crops", file=sys.stderr)
    results = cnn_judge(real, (cnn_input(images), np.array(labels)), settings)
    lines = cnn_summary(results)
    lines["utility_ocr_cnn_synthetic_crops"] = float(len(images))
    return lines


def hog_main(args: argparse.Namespace) -> dict[str, float]:
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
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few minutes on one core")
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="labels.csv folder")
    parser.add_argument("--judge", choices=("cnn", "hog"), default="cnn")
    parser.add_argument("--fonts", type=Path, default=None, help="font folder for synthetic")
    parser.add_argument("--per-class", type=int, default=300, help="synthetic crops per class")
    parser.add_argument("--synthetic-only", action="store_true", help="CNN: skip real, mix")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (CNN)")
    parser.add_argument(
        "--render", type=json.loads, default=None, help="RenderOptions overrides (JSON), CNN"
    )
    parser.add_argument(
        "--backgrounds", default=None, help="photo folder, or `pack` (texture pack), CNN"
    )
    parser.add_argument(
        "--seeds",
        type=lambda text: [int(s) for s in text.split(",")],
        default=None,
        help="CNN seeds, e.g. 2,3 (default 0,1 with --quick, else 0,1,2)",
    )
    args = parser.parse_args()
    if args.judge == "hog":
        results = hog_main(args)
    elif importlib.util.find_spec("torch") is None:
        sys.exit("error: the CNN judge needs torch (make test installs it); try --judge hog")
    elif not (args.real / "labels.csv").is_file():
        sys.exit(f"error: {args.real / 'labels.csv'}: not found (the CNN judge needs real crops)")
    else:
        results = cnn_main(args)
    for name, value in results.items():
        print(f"{name}={value:.3f}")


if __name__ == "__main__":
    main()
