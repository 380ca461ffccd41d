"""The batch path draws the same params as the per-example path and matches its pixels,
for every combinator (nested too), for transforms and combinators written outside the
library without batch code, and for label-aware steps."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from image_helpers import letter_like

from augment import Maybe, OneOf, Sequence, SomeOf, Transform, build_pipeline, example_rng
from augment.core.sample import ImageSample
from augment.images import Blur, Contrast, GridWarp, Invert, Mirror, Rotate
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
    # Rotate and Scale fuse (one remap), as Sequence.apply fuses them
    "fused-run": {
        "OneOf": {
            "transforms": [
                {"Sequence": {"transforms": ["Rotate", "Scale", STRONG_BLUR, "Perspective"]}},
                "Noise",
            ]
        }
    },
    # RandAugment-like: each example applies its chosen steps in order, one remap each
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


def test_a_step_that_can_relabel_gives_the_labels_and_params_of_run() -> None:
    """A later draw could see a label a Mirror changed: the batch gives run's labels."""
    mirror = {"Mirror": {"label_map": {"b": "d", "d": "b"}}}
    for step in [
        {"OneOf": {"transforms": [mirror, "Blur"]}},
        {"SomeOf": {"n": [1, 3], "transforms": [mirror, "Contrast", mirror]}},
        {"Sequence": {"transforms": [mirror, "Invert", {"Maybe": {"transform": mirror}}]}},
    ]:
        _assert_batch_matches_single([step, mirror], tolerance=1)


LABELLED = ["b", "d", "A", None]
DRAW_AHEAD_CASES = {
    "oneof-geometry-colour": ({"OneOf": {"transforms": ["Rotate", "Blur"]}}, True),
    "someof-keeping-labels": ({"SomeOf": {"n": [0, 2], "transforms": ["Shear", "Gamma"]}}, True),
    # a fused run is drawn against its input by run too: a Mirror in it does not matter
    "fused-geometry-with-mirror": (
        {"Sequence": {"transforms": [{"Mirror": {"label_map": {"b": "d"}}}, "Mirror"]}},
        True,
    ),
    # run applies each chosen step before drawing the next: the second Mirror sees "d"
    "someof-of-mirrors": (
        {"SomeOf": {"n": 2, "transforms": [{"Mirror": {"label_map": {"b": "d"}}}, "Mirror"]}},
        False,
    ),
    "sequence-mirror-then-colour": (
        {"Sequence": {"transforms": [{"Mirror": {"label_map": {"b": "d"}}}, "Blur", "Mirror"]}},
        False,
    ),
}


@pytest.mark.parametrize(("step", "ahead"), DRAW_AHEAD_CASES.values(), ids=DRAW_AHEAD_CASES)
def test_draws_ahead_says_whether_draw_params_draws_what_run_draws(step, ahead: bool) -> None:
    """What the batch path relies on: a combinator that says it draws ahead draws, from a
    probe of the input, exactly the params run records; one that does not say so may not."""
    pipeline = build_pipeline(step)
    assert pipeline.draws_ahead is ahead
    image = letter_like(24)
    same = [
        pipeline.draw_params(example_rng(6, i), ImageSample(image, label=label))
        == pipeline.run(ImageSample(image, label=label), example_rng(6, i))[1]
        for i in range(40)
        for label in LABELLED
    ]
    assert all(same) if ahead else not all(same)


class Posterize(Transform):
    """A third-party leaf: no apply_batch, and a draw that reads the pixels (a threshold
    between the darkest and brightest value), so it must see each example's real image."""

    kind = "image"

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> dict:
        low, high = float(sample.image.min()), float(sample.image.max())
        return {"threshold": low + (high - low) * float(rng.random())}

    def apply(self, sample: ImageSample, params: dict) -> ImageSample:
        high = 255 if sample.image.dtype == np.uint8 else 1.0
        image = np.where(sample.image > params["threshold"], high, 0).astype(sample.image.dtype)
        return sample.replace(image=image)


class Twice(Transform):
    """A combinator the library does not have, written as a user would: draw_params and
    apply only. It says its draw can run ahead when its transform's can (and keeps the
    label, as the two draws see the same input), so the batch path draws it for all and
    applies it through the contract's default apply_batch, example by example."""

    def __init__(self, transform: Transform) -> None:
        self.transform = transform

    @property
    def fusion_key(self) -> str | None:  # type: ignore[override]
        return None

    @property
    def draws_ahead(self) -> bool:
        return self.transform.draws_ahead and self.transform.keeps_label

    @property
    def keeps_label(self) -> bool:
        return self.transform.keeps_label

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> dict:
        return {"draws": [self.transform.draw_params(rng, sample) for _ in range(2)]}

    def apply(self, sample: ImageSample, params: dict) -> ImageSample:
        for p in params["draws"]:
            sample = self.transform.apply(sample, p)
        return sample


def _batch_matches_run(pipeline: Transform, channels: int | None = None) -> None:
    crops = _crops(12, channels=channels)
    labels = ["b", "d", "A"] * 4
    out, params, new_labels = run_batch(
        pipeline, crops, [example_rng(8, i) for i in range(12)], labels
    )
    for i in range(12):
        single, p = pipeline.run(ImageSample(crops[i], label=labels[i]), example_rng(8, i))
        assert p == params[i] and single.label == new_labels[i]
        diff = np.abs(single.image.astype(int) - out[i].astype(int))
        assert diff.max() <= 1, (i, diff.max())  # vectorised colour steps may round apart


def test_a_third_party_leaf_without_apply_batch_runs_in_the_batch_path() -> None:
    pipeline = Sequence([Rotate(), Posterize(), Maybe(Posterize()), OneOf([Posterize(), Blur()])])
    assert not pipeline.transforms[1].draws_ahead
    _batch_matches_run(pipeline)


@pytest.mark.parametrize("channels", [None, 4])
def test_a_new_combinator_without_apply_batch_runs_in_the_batch_path(channels) -> None:
    twice_rotate, twice_colour = Twice(Rotate(degrees=20)), Twice(Maybe(Contrast()))
    pipeline = Sequence(
        [
            OneOf([twice_rotate, Blur(), twice_colour]),
            Twice(Mirror(label_map={"b": "d"})),  # relabels: runs example by example
            SomeOf([twice_colour, Invert(), Twice(Posterize())], n=[0, 3]),
        ]
    )
    assert twice_rotate.draws_ahead and not pipeline.transforms[1].draws_ahead
    with mock.patch.object(
        Twice, "apply_batch", autospec=True, side_effect=Transform.apply_batch
    ) as spy:
        _batch_matches_run(pipeline, channels)
    assert spy.call_count >= 2  # the default apply_batch, from OneOf's and SomeOf's groups


def test_the_input_stack_is_left_alone_and_the_output_is_new() -> None:
    crops = _crops(6, channels=4)
    before = crops.copy()
    pipeline = build_pipeline([{"Maybe": {"transform": "Blur", "p": 0.0}}, "Invert"])
    out = run_batch(pipeline, crops, [example_rng(0, i) for i in range(6)]).images
    np.testing.assert_array_equal(crops, before)
    assert not np.shares_memory(out, crops)
    nothing = run_batch(
        build_pipeline({"Maybe": {"transform": "Blur", "p": 0.0}}),
        crops,
        [example_rng(0, i) for i in range(6)],
    ).images
    assert nothing.tobytes() == crops.tobytes() and not np.shares_memory(nothing, crops)
