"""The batch path draws the same params as the per-example path and matches its pixels."""

from __future__ import annotations

import numpy as np
import pytest
from image_helpers import letter_like

from augment import ImageSample, Sequence, SomeOf, build_pipeline, example_rng
from augment.images import Blur, Contrast, GridWarp, Mirror, Rotate
from augment.images.batch import run_batch

OCR = [
    {"Rotate": {"degrees": 10}},
    {"Scale": {"factor": [0.85, 1.15]}},
    {"GridWarp": {"magnitude": [0.0, 0.25]}},
    {"Contrast": {}},
]
STRONG_BLUR = {"Blur": {"size": [0.08, 0.1]}}


def _crops(n: int, size: int = 32, channels: int | None = None) -> np.ndarray:
    base = letter_like(size, np.uint8, channels)
    return np.stack([np.roll(base, i % 5, axis=1) for i in range(n)])


@pytest.mark.parametrize(
    "config",
    [
        OCR,
        [
            {"Maybe": {"transform": {"Rotate": {"border": "random"}}, "p": 0.5}},
            {"OneOf": {"transforms": ["GridWarp", "Elastic", "Perspective"]}},
            {"Maybe": {"transform": "Invert", "p": 0.5}},
            "Brightness",
        ],
        [{"Mirror": {"label_map": {"b": "d"}}}, {"Translate": {}}, "Blur"],
    ],
    ids=["ocr", "combinators", "mirror"],
)
def test_batch_matches_per_example_run(config) -> None:
    pipeline = build_pipeline(config)
    crops = _crops(24)
    labels = ["b", "A", "R"] * 8
    out, params, new_labels = run_batch(
        pipeline, crops, [example_rng(5, i) for i in range(24)], labels
    )
    for i in range(24):
        single, p = pipeline.run(ImageSample(crops[i], label=labels[i]), example_rng(5, i))
        assert p == params[i] and single.label == new_labels[i]
        diff = np.abs(single.image.astype(int) - out[i].astype(int))
        assert diff.max() <= 1, (i, diff.max())  # vectorised photometric steps may round apart


def test_batch_bytes_do_not_depend_on_batch_split() -> None:
    pipeline = build_pipeline(OCR)
    crops = _crops(40)
    rngs = [example_rng(1, i) for i in range(40)]
    whole = run_batch(pipeline, crops, rngs).images
    rngs = [example_rng(1, i) for i in range(40)]
    parts = [run_batch(pipeline, crops[a:b], rngs[a:b]).images for a, b in [(0, 7), (7, 40)]]
    assert np.concatenate(parts).tobytes() == whole.tobytes()


@pytest.mark.parametrize("border", ["constant", "reflect", "replicate"])
@pytest.mark.parametrize("interpolation", ["linear", "cubic", "nearest"])
@pytest.mark.parametrize("warp", [False, True])
def test_batch_geometry_is_identical_to_single(border: str, interpolation: str, warp: bool):
    steps = [Rotate(degrees=(35, 35), border=border, fill=0.5, interpolation=interpolation)]
    pipeline = Sequence([*steps, GridWarp()]) if warp else steps[0]
    crops = _crops(6, 20, 3)
    out = run_batch(pipeline, crops, [example_rng(0, i) for i in range(6)]).images
    for i in range(6):
        single = pipeline(ImageSample(crops[i]), example_rng(0, i)).image
        assert single.tobytes() == out[i].tobytes(), (border, interpolation)


def test_batch_falls_back_for_steps_it_cannot_vectorise() -> None:
    """A relabelling Mirror among SomeOf's choices: a later draw may see the new label."""
    pipeline = SomeOf([Contrast(), Mirror(label_map={"b": "d"}), Blur(), Rotate()], n=2)
    crops = _crops(8)
    labels = ["b", "d", "A", "R"] * 2
    out, params, new_labels = run_batch(
        pipeline, crops, [example_rng(3, i) for i in range(8)], labels
    )
    for i in range(8):
        single, p = pipeline.run(ImageSample(crops[i], label=labels[i]), example_rng(3, i))
        assert p == params[i] and single.label == new_labels[i]
        np.testing.assert_array_equal(single.image, out[i])


def test_batch_accepts_float_rgb_and_one_shared_generator() -> None:
    crops = _crops(8, 16, 3).astype(np.float32) / 255
    out, params, _ = run_batch(build_pipeline(OCR), crops, np.random.default_rng(0))
    assert out.shape == crops.shape and out.dtype == np.float32 and len(params) == 8
    assert out.min() >= 0.0 and out.max() <= 1.0


def test_batch_photometric_steps_on_rgba_match_single_and_keep_alpha() -> None:
    """Per-image photometric steps and the vectorised Lighting work on RGBA stacks (the synth
    path carries the glyph mask as alpha): same pixels as one by one, alpha untouched."""
    pipeline = build_pipeline(
        [
            {"Lighting": {"strength": [0.2, 0.5]}},
            {"Blur": {"size": [0.02, 0.06]}},
            {"LowResolution": {"scale": [0.4, 0.8]}},
            {"JpegCompression": {"quality": [30, 60]}},
        ]
    )
    crops = _crops(16, channels=4)
    crops[..., 3] = np.arange(32, dtype=np.uint8)[None, :, None] * 8
    out, params, _ = run_batch(pipeline, crops, [example_rng(2, i) for i in range(16)])
    assert {p["steps"][0]["Lighting"]["kind"] for p in params} == {"gradient", "shadow"}
    np.testing.assert_array_equal(out[..., 3], crops[..., 3])
    for i in range(16):
        single, _ = pipeline.run(ImageSample(crops[i]), example_rng(2, i))
        diff = np.abs(single.image.astype(int) - out[i].astype(int))
        assert diff.max() <= 1, (i, diff.max())
        assert np.abs(out[i, ..., :3].astype(int) - crops[i, ..., :3]).mean() > 1


def _assert_batch_matches_single(config, tolerance: int, channels: int | None = None) -> None:
    """run_batch draws each example's params as pipeline.run does and gives its pixels."""
    pipeline = build_pipeline(config)
    crops = _crops(12, channels=channels)
    out, params, _ = run_batch(pipeline, crops, [example_rng(4, i) for i in range(12)])
    for i in range(12):
        single, p = pipeline.run(ImageSample(crops[i]), example_rng(4, i))
        assert p == params[i]
        diff = np.abs(single.image.astype(int) - out[i].astype(int))
        assert diff.max() <= tolerance, (i, diff.max())


@pytest.mark.parametrize(
    "config",
    [
        ["Elastic", "GridWarp"],
        ["GridWarp", "GridWarp", "Rotate"],
        ["Perspective", "Elastic", "Rotate", "GridWarp", "Perspective", "Elastic"],
        [
            {"Maybe": {"transform": "Elastic"}},
            {"OneOf": {"transforms": ["GridWarp", "Shear"]}},
            {"Maybe": {"transform": {"Sequence": {"transforms": ["Elastic", "Scale"]}}}},
        ],
    ],
    ids=["two-fields", "fields-then-affine", "fields-between-matrices", "combinators"],
)
def test_batch_chains_fields_after_fields(config) -> None:
    """A field after a field (no coarse shortcut) maps per pixel, alike in both paths."""
    _assert_batch_matches_single(config, tolerance=0, channels=3)


@pytest.mark.parametrize(
    "step",
    [
        {"Sequence": {"transforms": [STRONG_BLUR, "Noise"]}},
        {
            "OneOf": {
                "transforms": [
                    {"Sequence": {"transforms": [STRONG_BLUR, "Invert"]}},
                    {"Sequence": {"transforms": ["Invert", "Contrast", STRONG_BLUR]}},
                ]
            }
        },
    ],
    ids=["sequence", "oneof-of-sequences"],
)
def test_batch_applies_a_steps_leaves_in_order(step) -> None:
    """Each leaf of a Sequence inside one photometric step sees the previous leaf's output."""
    _assert_batch_matches_single([{"Maybe": {"p": 1.0, "transform": step}}], tolerance=1)


MIXED_STEPS = {
    "oneof": {"OneOf": {"transforms": ["Rotate", "Blur", "Contrast", "GridWarp", "Invert"]}},
    "maybe-sequence": {
        "Maybe": {"transform": {"Sequence": {"transforms": ["Invert", "GridWarp"]}}}
    },
    # Rotate and Scale fuse (one resample), as Sequence.apply fuses them
    "fused-run": {
        "OneOf": {
            "transforms": [
                {"Sequence": {"transforms": ["Rotate", "Scale", STRONG_BLUR, "Perspective"]}},
                "Noise",
            ]
        }
    },
    # RandAugment-like: each example applies its chosen steps in order, one resample each
    "someof": {
        "SomeOf": {
            "n": [0, 3],
            "transforms": [
                "Rotate",
                "Shear",
                STRONG_BLUR,
                "Contrast",
                {"Sequence": {"transforms": ["Scale", "Gamma"]}},
            ],
        }
    },
    # Maybe(Blur) between them splits the fusion even when it is not applied
    "split-run": {
        "Sequence": {
            "transforms": [
                {"Maybe": {"transform": "Rotate"}},
                {"Maybe": {"transform": "Blur"}},
                {"Maybe": {"transform": "Scale"}},
                {"Maybe": {"transform": {"Rotate": {"border": "random"}}}},
            ]
        }
    },
}


@pytest.mark.parametrize("step", MIXED_STEPS.values(), ids=MIXED_STEPS.keys())
@pytest.mark.parametrize("channels", [None, 4])
def test_batch_applies_steps_mixing_geometry_and_colour_branch_by_branch(step, channels) -> None:
    """A step choosing between geometry and colour (TrivialAugment-like OneOf) is drawn for
    all, then applied branch by branch: same params and pixels as pipeline.run."""
    _assert_batch_matches_single([step, "Contrast"], tolerance=1, channels=channels)


def test_a_mixed_step_that_can_relabel_runs_one_by_one() -> None:
    """A later draw could see a label a Mirror changed, so such a step is not drawn ahead."""
    step = {"OneOf": {"transforms": [{"Mirror": {"label_map": {"b": "d"}}}, "Blur"]}}
    _assert_batch_matches_single([step], tolerance=1)
