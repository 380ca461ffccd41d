"""Combinators: exact probabilities (counted), recorded decisions, replay, fusion."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
import toys

from augment.core.combinators import Maybe, OneOf, Sequence, SomeOf
from augment.core.errors import ConfigError
from augment.core.sample import ImageSample
from augment.core.seeding import example_rng

DRAWS = 20_000


def test_maybe_probability_is_exact_within_one_percent(gray_sample: ImageSample) -> None:
    maybe = Maybe(toys.ToyShift(1.0), p=0.3)
    rng = np.random.default_rng(0)
    applied = sum(maybe.run(gray_sample, rng)[1]["applied"] for _ in range(DRAWS))
    assert abs(applied / DRAWS - 0.3) < 0.01


def test_maybe_zero_and_one_are_never_and_always(gray_sample: ImageSample) -> None:
    rng = np.random.default_rng(1)
    assert not any(
        Maybe(toys.ToyShift(), p=0.0).run(gray_sample, rng)[1]["applied"] for _ in range(500)
    )
    assert all(
        Maybe(toys.ToyShift(), p=1.0).run(gray_sample, rng)[1]["applied"] for _ in range(500)
    )


def test_one_of_follows_weights(gray_sample: ImageSample) -> None:
    one_of = OneOf([toys.ToyShift(), toys.ToyShift(2.0), toys.ToyShift(3.0)], weights=[1, 2, 7])
    rng = np.random.default_rng(2)
    counts = np.bincount(
        [one_of.run(gray_sample, rng)[1]["choice"] for _ in range(DRAWS)], minlength=3
    )
    np.testing.assert_allclose(counts / DRAWS, [0.1, 0.2, 0.7], atol=0.01)


def test_some_of_draws_n_distinct_in_range(gray_sample: ImageSample) -> None:
    some = SomeOf([toys.ToyShift(), toys.ToyShift(), toys.ToyShift(), toys.ToyShift()], n=[1, 3])
    rng = np.random.default_rng(3)
    sizes = []
    for _ in range(6000):
        chosen = some.run(gray_sample, rng)[1]["chosen"]
        assert len(set(chosen)) == len(chosen) and chosen == sorted(chosen)
        sizes.append(len(chosen))
    np.testing.assert_allclose(np.bincount(sizes, minlength=4)[1:] / 6000, [1 / 3] * 3, atol=0.02)


def test_combinators_draw_ahead_what_run_draws(gray_sample: ImageSample) -> None:
    """draw_params then apply is run, for every combinator (the batch path draws ahead)."""
    steps = [toys.ToyShift(), toys.ToyScale(), toys.ToyShift()]
    for pipeline in [
        SomeOf(steps, n=[0, 3]),
        OneOf([SomeOf(steps, n=2), Sequence(steps)]),
        Maybe(Sequence([toys.ToyShift(), SomeOf(steps, n=[1, 2])]), p=0.7),
    ]:
        for index in range(40):
            out, params = pipeline.run(gray_sample, example_rng(2, index))
            assert pipeline.draw_params(example_rng(2, index), gray_sample) == params
            assert pipeline.apply(gray_sample, params).image.tobytes() == out.image.tobytes()


def test_recorded_params_replay_exactly_and_are_json(gray_sample: ImageSample) -> None:
    pipeline = Sequence(
        [
            toys.ToyShift(5.0),
            Maybe(toys.ToyScale(), p=0.5),
            OneOf([toys.ToyShift(1.0), toys.ToyScale()]),
            SomeOf([toys.ToyShift(), toys.ToyScale(), toys.ToyShift()], n=2),
        ]
    )
    for index in range(50):
        out, params = pipeline.run(gray_sample, example_rng(7, index))
        params = json.loads(json.dumps(params))
        replayed = pipeline.apply(gray_sample, params)
        assert replayed.image.tobytes() == out.image.tobytes()


def test_consecutive_fusable_steps_are_applied_in_one_call(gray_sample: ImageSample) -> None:
    sample = gray_sample.replace(image=np.ones((4, 4), dtype=np.float32))
    pipeline = Sequence(
        [toys.ToyScale(), Maybe(toys.ToyScale(), p=1.0), toys.ToyScale(), toys.ToyShift()]
    )
    toys.FUSER_CALLS.clear()
    out, params = pipeline.run(sample, example_rng(0, 0))
    assert toys.FUSER_CALLS == [3]
    factors = [
        params["steps"][0]["ToyScale"]["factor"],
        params["steps"][1]["Maybe"]["params"]["factor"],
    ]
    factors.append(params["steps"][2]["ToyScale"]["factor"])
    offset = params["steps"][3]["ToyShift"]["offset"]
    np.testing.assert_allclose(out.image, np.prod(factors) + offset, rtol=1e-6)
    toys.FUSER_CALLS.clear()
    assert pipeline.apply(sample, params).image.tobytes() == out.image.tobytes()
    assert toys.FUSER_CALLS == [3]


def test_a_skipped_maybe_drops_out_of_the_fused_group(gray_sample: ImageSample) -> None:
    sample = gray_sample.replace(image=np.ones((2, 2), dtype=np.float32))
    pipeline = Sequence([toys.ToyScale(), Maybe(toys.ToyScale(), p=0.0), toys.ToyScale()])
    toys.FUSER_CALLS.clear()
    pipeline.run(sample, example_rng(0, 1))
    assert toys.FUSER_CALLS == [2]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Maybe(toys.ToyShift(), p=1.5), "p"),
        (lambda: OneOf([toys.ToyShift()], weights=[1, 2]), "weights"),
        (lambda: SomeOf([toys.ToyShift()], n=2), "n"),
        (lambda: Sequence([toys.ToyShift(), "Rotate"]), "transforms[1]"),
    ],
)
def test_bad_arguments_fail_at_construction_naming_the_field(build, field: str) -> None:
    with pytest.raises(ConfigError) as err:
        build()
    assert err.value.field == field


class ListBatch:
    """The least a batch needs (what a new medium would start from): samples in a list."""

    def __init__(self, items: list[ImageSample]) -> None:
        self.items = list(items)

    def __len__(self) -> int:
        return len(self.items)

    def samples(self) -> list[ImageSample]:
        return list(self.items)

    def with_samples(self, samples: list[ImageSample]) -> ListBatch:
        return ListBatch(samples)

    def probes(self) -> list[ImageSample]:
        return list(self.items)

    def take(self, rows: list[int]) -> ListBatch:
        return ListBatch([self.items[k] for k in rows])

    def merge(self, parts: list[tuple[list[int], ListBatch]]) -> ListBatch:
        items = list(self.items)
        for rows, part in parts:
            for k, item in zip(rows, part.items, strict=True):
                items[k] = item
        return ListBatch(items)


class AheadShift(toys.ToyShift):
    draws_ahead = True  # its draw reads nothing of the sample
    keeps_label = True


class AheadScale(toys.ToyScale):
    draws_ahead = True
    keeps_label = True


def test_combinators_batch_any_batch_through_the_contract(gray_sample: ImageSample) -> None:
    """Every combinator's run_batch/apply_batch on a plain list batch gives run's params and
    bytes example by example: grouping rows by choice, applied, depth and fused run (through
    the default batch fuser of a fuser registered without one) changes nothing."""
    steps = [AheadShift(), AheadScale(), AheadShift(2.0)]
    pipeline = Sequence(
        [
            AheadScale(),
            Maybe(AheadScale(), p=0.5),
            OneOf([AheadShift(), SomeOf(steps, n=[0, 3]), Sequence(steps)]),
            toys.ToyShift(),  # cannot draw ahead: runs example by example
            Maybe(Sequence([AheadScale(), AheadScale(), SomeOf(steps, n=2)]), p=0.6),
        ]
    )
    samples = [gray_sample.replace(image=gray_sample.image + k) for k in range(20)]
    toys.FUSER_CALLS.clear()
    batch, params = pipeline.run_batch(ListBatch(samples), [example_rng(4, k) for k in range(20)])
    assert toys.FUSER_CALLS  # fused runs went through the (default) batch fuser
    for k, sample in enumerate(samples):
        out, p = pipeline.run(sample, example_rng(4, k))
        assert p == params[k]
        assert out.image.tobytes() == batch.items[k].image.tobytes()


NEW_COMBINATOR = '''
from augment.core.registry import register
from augment.core.transform import Transform


@register
class EveryOtherForTest(Transform):
    """Applies its transforms at even positions only."""

    def __init__(self, transforms):
        self.transforms = transforms

    def draw_params(self, rng, sample):
        return {"params": [t.draw_params(rng, sample) for t in self.transforms[::2]]}

    def apply(self, sample, params):
        for t, p in zip(self.transforms[::2], params["params"]):
            sample = t.apply(sample, p)
        return sample
'''


def test_a_new_combinator_is_one_file_in_the_package(tmp_path, monkeypatch, gray_sample) -> None:
    """The package imports every module in it, so one file registers a combinator that
    configs can name (and the batch path runs through the contract's defaults)."""
    import augment.core.combinators as package
    from augment.core import registry

    (tmp_path / "every_other_for_test.py").write_text(NEW_COMBINATOR)
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    monkeypatch.delitem(sys.modules, f"{package.__name__}.every_other_for_test", raising=False)
    package._import_modules()
    pipeline = registry.build_pipeline(
        {"EveryOtherForTest": {"transforms": ["ToyShift", "ToyScale", "ToyShift"]}}
    )
    out, params = pipeline.run(gray_sample, example_rng(1, 0))
    assert len(params["params"]) == 2
    batch, drawn = pipeline.run_batch(ListBatch([gray_sample]), [example_rng(1, 0)])
    assert drawn == [params] and batch.items[0].image.tobytes() == out.image.tobytes()
    sys.modules.pop(f"{package.__name__}.every_other_for_test")
