"""Image augmentation throughput: augsynth vs albumentations 2.0.8, same run, one thread.

Per transform (augsynth's single-example call vs the closest albumentations transform
called directly), and for three pipelines: the OCR pipeline (rotate + scale + grid warp +
contrast) and TrivialAugment- and RandAugment-style picks (one, or two in order) of eight
geometric and colour transforms (augsynth single-example, augsynth batch path, a seeded
AugmentedDataset fetched in DataLoader-sized batches of 64, albumentations Compose), on
32x32 and 64x64 grey crops and 256x256 RGB images. Also compares sharpness (gradient
energy of the centre) after the same geometric pipeline: augsynth remaps once,
albumentations once per step.

    python benchmarks/images.py --quick     # about a minute
    python benchmarks/images.py             # longer measurements

Ends with name=value lines, e.g. ocr_pipeline_32px_speedup_vs_albumentations=14.2.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import albumentations as A  # noqa: E402
import cv2  # noqa: E402
import numpy as np  # noqa: E402

from augment import AugmentedDataset, ImageSample, Sequence, build_pipeline  # noqa: E402
from augment.images.batch import run_batch  # noqa: E402

cv2.setNumThreads(1)

SIZES = {"32px": (32, None), "64px": (64, None), "256rgb": (256, 3)}
BATCH = 512
LOADER_BATCH = 64  # what a DataLoader asks AugmentedDataset.__getitems__ for at a time

OURS = {
    "Rotate": {"Rotate": {"degrees": 15}},
    "Scale": {"Scale": {"factor": [0.8, 1.2]}},
    "Translate": {"Translate": {"x": 0.1, "y": 0.1}},
    "Shear": {"Shear": {"x": 10}},
    "Affine": {"Affine": {"degrees": 10, "scale": [0.9, 1.1], "translate": 0.05, "shear": 5}},
    "Perspective": {"Perspective": {"distortion": [0.05, 0.1]}},
    "GridWarp": {"GridWarp": {"cells": 5, "magnitude": [0.0, 0.3]}},
    "Elastic": {"Elastic": {}},
    "Mirror": {"Mirror": {}},
    "Contrast": {"Contrast": {"factor": [0.6, 1.4]}},
    "Brightness": {"Brightness": {"delta": 0.2}},
    "Gamma": {"Gamma": {"gamma": [0.8, 1.25]}},
    "Invert": {"Invert": {}},
    "Blur": {"Blur": {"kinds": ["gaussian"], "size": [0.01, 0.04]}},
    "LowResolution": {"LowResolution": {"scale": [0.25, 0.5], "upsampling": ["nearest"]}},
    "JpegCompression": {"JpegCompression": {"quality": [30, 90]}},
    "Lighting": {"Lighting": {"kinds": ["gradient"], "strength": [0.1, 0.3]}},
    "Noise": {"Noise": {"sigma": [0.01, 0.05]}},
}


def albumentations_equivalent(name: str, size: int) -> A.BasicTransform:
    """The albumentations transform users would pick instead (p=1), same magnitudes."""
    return {
        "Rotate": lambda: A.Rotate(limit=15, p=1),
        "Scale": lambda: A.Affine(scale=(0.8, 1.2), p=1),
        "Translate": lambda: A.Affine(translate_percent=(-0.1, 0.1), p=1),
        "Shear": lambda: A.Affine(shear=(-10, 10), p=1),
        "Affine": lambda: A.Affine(
            rotate=(-10, 10), scale=(0.9, 1.1), translate_percent=(-0.05, 0.05), shear=(-5, 5), p=1
        ),
        "Perspective": lambda: A.Perspective(scale=(0.05, 0.1), p=1),
        "GridWarp": lambda: A.GridDistortion(num_steps=5, distort_limit=0.3, p=1),
        "Elastic": lambda: A.ElasticTransform(p=1),
        "Mirror": lambda: A.HorizontalFlip(p=1),
        "Contrast": lambda: A.RandomBrightnessContrast(brightness_limit=0, contrast_limit=0.4, p=1),
        "Brightness": lambda: A.RandomBrightnessContrast(
            brightness_limit=0.2, contrast_limit=0, p=1
        ),
        "Gamma": lambda: A.RandomGamma(gamma_limit=(80, 125), p=1),
        "Invert": lambda: A.InvertImg(p=1),
        "Blur": lambda: A.GaussianBlur(blur_limit=0, sigma_limit=(0.01 * size, 0.04 * size), p=1),
        "LowResolution": lambda: A.Downscale(
            scale_range=(0.25, 0.5),
            interpolation_pair={"downscale": cv2.INTER_AREA, "upscale": cv2.INTER_NEAREST},
            p=1,
        ),
        "JpegCompression": lambda: A.ImageCompression(quality_range=(30, 90), p=1),
        "Lighting": lambda: A.Illumination(mode="linear", p=1),
        "Noise": lambda: A.GaussNoise(std_range=(0.01, 0.05), p=1),
    }[name]()


OCR_OURS = [
    {"Rotate": {"degrees": 10}},
    {"Scale": {"factor": [0.9, 1.1]}},
    {"GridWarp": {"cells": 4, "magnitude": [0.0, 0.25]}},
    {"Contrast": {"factor": [0.6, 1.4]}},
]


# TrivialAugment-style (one transform per image) and RandAugment-style (two, in list order),
# chosen among geometry and colour alike
MIXED_CHOICES = ["Rotate", "Shear", "Translate", "Scale", "Contrast", "Brightness", "Blur", "Gamma"]
ONE_OF_OURS = [{"OneOf": {"transforms": [OURS[name] for name in MIXED_CHOICES]}}]
TWO_OF_OURS = [{"SomeOf": {"n": 2, "transforms": [OURS[name] for name in MIXED_CHOICES]}}]


def one_of_albumentations(size: int, seed: int = 0) -> A.Compose:
    choices = [albumentations_equivalent(name, size) for name in MIXED_CHOICES]
    return A.Compose([A.OneOf(choices, p=1)], seed=seed)


def two_of_albumentations(size: int, seed: int = 0) -> A.Compose:
    choices = [albumentations_equivalent(name, size) for name in MIXED_CHOICES]
    return A.Compose([A.SomeOf(choices, n=2, replace=False, p=1)], seed=seed)


def ocr_albumentations(seed: int = 0) -> A.Compose:
    return A.Compose(
        [
            A.Rotate(limit=10, p=1),
            A.Affine(scale=(0.9, 1.1), p=1),
            A.GridDistortion(num_steps=4, distort_limit=0.25, p=1),
            A.RandomBrightnessContrast(brightness_limit=0, contrast_limit=0.4, p=1),
        ],
        seed=seed,
    )


def crops(size: int, channels: int | None, n: int = 16) -> list[np.ndarray]:
    """Letter-like crops: dark strokes on a light, slightly varying ground."""
    rng = np.random.default_rng(0)
    out = []
    for _ in range(n):
        img = np.full((size, size), 200 + rng.integers(0, 40), np.uint8)
        s = size / 32
        x = int((8 + rng.integers(0, 4)) * s)
        cv2.line(img, (x, int(6 * s)), (x, int(26 * s)), 30, max(1, int(3 * s)))
        cv2.line(img, (x, int(6 * s)), (int(22 * s), int(12 * s)), 30, max(1, int(3 * s)))
        cv2.circle(img, (int(18 * s), int(20 * s)), int(5 * s), 40, max(1, int(2 * s)))
        out.append(np.repeat(img[:, :, None], channels, axis=2) if channels else img)
    return out


def rate(fn: Callable[[int], int], budget: float) -> float:
    """Images per second of fn(i) (which returns how many images it made) over ~budget s."""
    done, calls, start = 0, 0, time.perf_counter()
    while True:
        done += fn(calls)
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= budget:
            return done / elapsed


def compare(fns: list[Callable[[int], int]], budget: float, rounds: int = 3) -> list[float]:
    """Best rate of each function over interleaved rounds, so drifts hit all alike."""
    for fn in fns:
        fn(0)  # warm up caches and lazy set-up
    best = [0.0] * len(fns)
    for _ in range(rounds):
        for k, fn in enumerate(fns):
            best[k] = max(best[k], rate(fn, budget / rounds))
    return best


def ours_single(config, images: list[np.ndarray]) -> Callable[[int], int]:
    pipeline = build_pipeline(config)
    rng = np.random.default_rng(0)
    samples = [ImageSample(im, label="A") for im in images]

    def step(i: int) -> int:
        pipeline.run(samples[i % len(samples)], rng)
        return 1

    return step


def ours_batch(config, images: list[np.ndarray]) -> Callable[[int], int]:
    pipeline = build_pipeline(config)
    stack = np.stack([images[i % len(images)] for i in range(BATCH)])
    rng = np.random.default_rng(0)

    def step(i: int) -> int:
        run_batch(pipeline, stack, rng)
        return BATCH

    return step


def ours_dataset(config, images: list[np.ndarray]) -> Callable[[int], int]:
    """A training loop's fetch: seeded AugmentedDataset, one __getitems__ call per batch
    (per-example generators included), as a DataLoader calls it."""
    base = [ImageSample(images[i % len(images)], label="A") for i in range(BATCH)]
    dataset = AugmentedDataset(base, build_pipeline(config), seed=0)
    starts = range(0, BATCH, LOADER_BATCH)

    def step(i: int) -> int:
        first = starts[i % len(starts)]
        return len(dataset.__getitems__(range(first, first + LOADER_BATCH)))

    return step


def theirs(transform, images: list[np.ndarray]) -> Callable[[int], int]:
    if not isinstance(transform, A.Compose):
        transform.set_random_seed(0)

    def step(i: int) -> int:
        transform(image=images[i % len(images)])
        return 1

    return step


def gradient_energy(image: np.ndarray) -> float:
    """Mean squared finite difference of the central half (borders excluded)."""
    q = image.shape[0] // 4
    f = image[q:-q, q:-q].astype(np.float64)
    return float((np.diff(f, axis=0) ** 2).mean() + (np.diff(f, axis=1) ** 2).mean())


def sharpness_ratios(size: int, n: int) -> tuple[float, float]:
    """Gradient energy after the OCR geometry, augsynth / albumentations (>1: sharper).

    Both replicate borders (albumentations' default black border would add fake edges).
    First the whole geometry (rotate + scale + grid warp; the warps' parameterisations
    differ, so this compares distributions); then rotate + scale with identical parameters.
    """
    replicate = cv2.BORDER_REPLICATE
    images = crops(size, None)
    ours = build_pipeline(OCR_OURS[:3])
    theirs_compose = A.Compose(
        [
            A.Rotate(limit=10, border_mode=replicate, p=1),
            A.Affine(scale=(0.9, 1.1), border_mode=replicate, p=1),
            A.GridDistortion(num_steps=4, distort_limit=0.25, border_mode=replicate, p=1),
        ],
        seed=1,
    )
    rng = np.random.default_rng(1)
    mine = [gradient_energy(ours(ImageSample(images[i % 16]), rng).image) for i in range(n)]
    other = [gradient_energy(theirs_compose(image=images[i % 16])["image"]) for i in range(n)]
    whole = float(np.mean(mine) / np.mean(other))
    mine, other = [], []
    for i in range(n // 2):
        angle, factor = rng.uniform(-10, 10), rng.uniform(0.9, 1.1)
        fixed = Sequence([build_pipeline({"Rotate": {"degrees": [angle, angle]}}),
                          build_pipeline({"Scale": {"factor": [factor, factor]}})])  # fmt: skip
        mine.append(gradient_energy(fixed(ImageSample(images[i % 16]), rng).image))
        same = A.Compose(
            [
                A.Rotate(limit=(angle, angle), border_mode=replicate, p=1),
                A.Affine(scale=(factor, factor), border_mode=replicate, p=1),
            ],
            seed=0,
        )
        other.append(gradient_energy(same(image=images[i % 16])["image"]))
    return whole, float(np.mean(mine) / np.mean(other))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short measurements (~1 minute)")
    args = parser.parse_args()
    budget = 0.2 if args.quick else 1.0
    results: dict[str, float] = {}

    print(f"{'transform':<16} {'size':<7} {'augsynth/s':>11} {'albument./s':>11} {'ratio':>6}")
    for name, config in OURS.items():
        for size_name, (size, channels) in SIZES.items():
            if args.quick and size_name == "64px":
                continue
            images = crops(size, channels)
            other_fn = theirs(albumentations_equivalent(name, size), images)
            mine, other = compare([ours_single(config, images), other_fn], budget)
            key = f"{name.lower()}_{size_name}"
            results[f"{key}_speedup_vs_albumentations"] = mine / other
            print(f"{name:<16} {size_name:<7} {mine:>11,.0f} {other:>11,.0f} {mine / other:>6.2f}")

    print()
    print(f"{'pipeline':<16} {'size':<7} {'single/s':>11} {'batch/s':>11} "
          f"{'dataset/s':>11} {'albument./s':>11} {'batch ratio':>11}")  # fmt: skip
    pipelines = [
        ("ocr_pipeline", "rot+scale+warp+c", OCR_OURS, lambda size: ocr_albumentations()),
        ("mixed_one_of_8", "one of 8 mixed", ONE_OF_OURS, one_of_albumentations),
        ("mixed_two_of_8", "two of 8 mixed", TWO_OF_OURS, two_of_albumentations),
    ]
    for key, title, config, albumentations_pipeline in pipelines:
        for size_name, (size, channels) in SIZES.items():
            images = crops(size, channels)
            single, batch, loader, other = compare(
                [
                    ours_single(config, images),
                    ours_batch(config, images),
                    ours_dataset(config, images),
                    theirs(albumentations_pipeline(size), images),
                ],
                budget * 4,
            )
            name = f"{key}_{size_name}"
            results[f"{name}_images_per_s"] = batch
            results[f"{name}_albumentations_images_per_s"] = other
            results[f"{name}_single_speedup_vs_albumentations"] = single / other
            results[f"{name}_speedup_vs_albumentations"] = batch / other
            results[f"{name}_dataset_speedup_vs_albumentations"] = loader / other
            print(f"{title:<16} {size_name:<7} {single:>11,.0f} {batch:>11,.0f} "
                  f"{loader:>11,.0f} {other:>11,.0f} {batch / other:>11.2f}")  # fmt: skip

    n = 200 if args.quick else 600
    for size in (32, 64):
        whole, same_params = sharpness_ratios(size, n)
        results[f"ocr_geometry_{size}px_sharpness_vs_albumentations"] = whole
        results[f"rotate_scale_{size}px_same_params_sharpness_vs_albumentations"] = same_params

    slow = [k for k, v in results.items() if k.endswith("256rgb_speedup_vs_albumentations")
            and not k.startswith(("ocr", "mixed")) and v < 1.0]  # fmt: skip
    results["transforms_256rgb_below_albumentations"] = len(slow)
    print()
    for key, value in results.items():
        print(f"{key}={value:.2f}")


if __name__ == "__main__":
    main()
