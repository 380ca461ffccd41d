"""The transform contract: a random draw separated from a pure application.

`draw_params(rng, sample)` returns plain JSON-able values and `apply(sample, params)` is a
pure function of them. That split gives replay, provenance in manifests, thread safety and
batching. Nothing is stored on `self` but the constructor arguments.

Batching is part of the contract: `run_batch(batch, rngs)` draws each example's params
with its own generator, as `run` would, and `apply_batch(batch, params)` applies them to
the whole batch. The defaults loop over `run` and `apply`, so any transform works in a
batch; transform families and combinators override them where a stack pays.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar, Protocol, TypeVar

import numpy as np

from augment.core.seeding import implicit_rng

S = TypeVar("S")
Params = dict[str, Any]
Fuser = Callable[[Any, list[tuple["Transform", Params]]], Any]


B = TypeVar("B", bound="Batch")


class Batch(Protocol):
    """Examples processed together (e.g. a stack of same-size images and their labels).

    What the contract's defaults and the combinators need of a batch; the media decide
    how examples are stored (an image batch keeps one array).
    """

    def __len__(self) -> int: ...

    def samples(self) -> list[Any]:
        """Each example as the sample `apply` and `run` take."""
        ...

    def with_samples(self: B, samples: list[Any]) -> B:
        """A batch of these samples (one per example, in order)."""
        ...

    def probes(self) -> list[Any]:
        """What `draw_params` sees of each example when drawing ahead of applying."""
        ...

    def take(self: B, rows: list[int]) -> B:
        """The examples at `rows`, as a batch of their own."""
        ...

    def merge(self: B, parts: list[tuple[list[int], B]]) -> B:
        """This batch with the examples at each part's rows replaced by that part's."""
        ...


# a fuser's batch form: the batch, the run's steps, each step's params for every example
BatchFuser = Callable[[Any, list["Transform"], list[list[Params]]], Any]

_FUSERS: dict[str, tuple[Fuser, BatchFuser]] = {}


def register_fuser(key: str, fuser: Fuser, batch_fuser: BatchFuser | None = None) -> None:
    """Declare how a run of consecutive transforms sharing `key` is applied in one pass, to
    one sample (`fuser`) and to a batch (`batch_fuser`: the same result for each example;
    by default `fuser` on each example in turn)."""
    _FUSERS[key] = (fuser, batch_fuser or _each_example(fuser))


def get_fuser(key: str) -> Fuser:
    return _FUSERS[key][0]


def get_batch_fuser(key: str) -> BatchFuser:
    return _FUSERS[key][1]


class Transform:
    """Base class of every transform and combinator.

    Subclasses implement `draw_params` and `apply`; combinators override `run`.
    Constructor arguments are stored on attributes of the same name (scikit-learn style),
    which is what `get_config` reads back for serialisation.
    """

    kind: ClassVar[str] = "any"
    fusion_key: ClassVar[str | None] = None
    # constructor arguments that hold nested steps in a config (built and dumped recursively)
    nested_arguments: ClassVar[tuple[str, ...]] = ("transform", "transforms")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "sample_params" in vars(cls):  # the 0.1 name: it would silently never be called
            raise TypeError(
                f"{cls.__name__}.sample_params: renamed draw_params in augsynth 0.2 "
                '("sample" now means only a data item); rename the method'
            )

    def draw_params(self, rng: np.random.Generator, sample: Any) -> Params:
        """Draw this call's parameters. The default draws nothing."""
        return {}

    def apply(self, sample: Any, params: Params) -> Any:
        """Apply with given parameters: pure, no randomness. Any sample type: each medium's
        transforms narrow it (an image transform takes and returns an ImageSample)."""
        raise NotImplementedError(f"{type(self).__name__}.apply")

    def run(self, sample: Any, rng: np.random.Generator) -> tuple[Any, Params]:
        """Draw and apply; returns the result and the parameters that reproduce it."""
        params = self.draw_params(rng, sample)
        return self.apply(sample, params), params

    @property
    def draws_ahead(self) -> bool:
        """Whether `draw_params` on a batch's probe (the example's shape, dtype and label,
        not its pixels) draws what `run` would, so a batch may be drawn for every example
        first and applied after. False by default: a draw might read the pixels."""
        return False

    @property
    def keeps_label(self) -> bool:
        """Whether `apply` never changes the label (a later step's draw may read it)."""
        return False

    def run_batch(self, batch: B, rngs: list[np.random.Generator]) -> tuple[B, list[Params]]:
        """`run` for every example of the batch, example i drawing from rngs[i]: the same
        params as `run`. By default the transform is one step (`run_step_batch`); a
        Sequence, the usual pipeline, goes step by step."""
        return run_step_batch(self, batch, rngs)

    def apply_batch(self, batch: Any, params: list[Params]) -> Any:
        """`apply` for every example with its params. Loops over `apply`; transforms that
        gain from working on the whole batch at once override it."""
        apply = self.apply
        return batch.with_samples(
            [apply(sample, p) for sample, p in zip(batch.samples(), params, strict=True)]
        )

    def fused_steps(self, params: Params) -> list[tuple[Transform, Params]]:
        """The leaf steps a fuser applies for these params (combinators flatten)."""
        return [(self, params)]

    def __call__(
        self, sample: Any = None, rng: np.random.Generator | None = None, **named: Any
    ) -> Any:
        """Augment one sample. Called with the keywords users bring from other tools
        (albumentations' `image=`, `bboxes=`, `keypoints=`...; audiomentations' `samples=`,
        `sample_rate=`), it returns what those tools return, through the same draws
        (`augment.calls`)."""
        if named:
            if sample is not None:
                raise TypeError("give a sample, or the keywords image=/samples=, not both")
            from augment.calls import call_audio, call_image

            call = call_audio if "samples" in named else call_image
            return call(self, rng=rng, **named)
        if sample is None:
            raise TypeError("nothing to augment: give a sample, image=... or samples=...")
        from augment.images.image_checks import check_sample_values

        check_sample_values(sample)
        return self.run(sample, rng if rng is not None else implicit_rng())[0]

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, read back from the attributes of the same name."""
        names = [
            name
            for name, p in inspect.signature(type(self).__init__).parameters.items()
            if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        return {name: _plain(getattr(self, name)) for name in names}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def run_step_batch(
    step: Transform, batch: B, rngs: list[np.random.Generator]
) -> tuple[B, list[Params]]:
    """One step for a batch: drawn for every example first and applied to the whole batch
    when the step draws ahead, else run example by example."""
    if not step.draws_ahead:
        return run_each(step, batch, rngs)
    draw = step.draw_params
    params = [draw(rng, probe) for rng, probe in zip(rngs, batch.probes(), strict=True)]
    return step.apply_batch(batch, params), params


def run_each(
    transform: Transform, batch: B, rngs: list[np.random.Generator]
) -> tuple[B, list[Params]]:
    """`transform.run` on each example of the batch in turn, with its generator."""
    results = [
        transform.run(sample, rng) for sample, rng in zip(batch.samples(), rngs, strict=True)
    ]
    return batch.with_samples([out for out, _ in results]), [p for _, p in results]


def _each_example(fuser: Fuser) -> BatchFuser:
    """A batch fuser that calls `fuser` on each example with its own leaf steps."""

    def fuse_each(batch: B, steps: list[Transform], params: list[list[Params]]) -> B:
        samples = batch.samples()
        for i, sample in enumerate(samples):
            leaves = [
                leaf for t, ps in zip(steps, params, strict=True) for leaf in t.fused_steps(ps[i])
            ]
            samples[i] = fuser(sample, leaves) if leaves else sample
        return batch.with_samples(samples)

    return fuse_each


def _plain(value: Any) -> Any:
    """Tuples become lists so configs compare equal after a YAML/JSON round trip."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value
