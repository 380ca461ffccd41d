"""A torchvision-v2-style dataset wrapper: `(image, label)` items augmented on access.

`AugmentedPairs(base, pipeline, seed=0)` wraps any dataset whose items are `(image,
label)` pairs (torchvision's ImageFolder, CIFAR10, a list of tuples) and yields
`(augmented, label)` with the image in the type that came in (PIL stays PIL), or passed
through `output` (e.g. [ToTensor(), Normalize(mean, std)]). It is AugmentedDataset over the
pairs seen as ImageSamples, so it shares its machinery: item i of epoch e drawn from (seed,
e, i) whatever the worker count, `set_epoch`, and the batch path for a DataLoader batch.

Text labels take part in label-aware steps (Mirror with a label_map relabels 'b' as 'd');
other labels (class indices) pass through untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from augment.calls.errors import CallError
from augment.calls.pixels import to_pixels
from augment.core.sample import ImageSample
from augment.core.transform import Transform
from augment.training import AugmentedDataset

PAIR_KEY = "pair"  # ImageSample.extra key holding (label as given, pixel layout)

Output = Callable[[Any], Any] | Sequence[Callable[[Any], Any]]


class AugmentedPairs(AugmentedDataset):
    """`base[i] = (image, label)` augmented by `pipeline`; `(augmented, label)` out."""

    def __init__(
        self,
        base: Sequence[Any],
        pipeline: Transform,
        seed: int | None = None,
        output: Output | None = None,
    ) -> None:
        steps = (
            () if output is None else tuple(output) if isinstance(output, Sequence) else (output,)
        )
        super().__init__(PairsAsSamples(base), pipeline, seed, to_output=BackToPair(steps))
        self.pairs = base
        self.output = output


@dataclass(frozen=True)
class PairsAsSamples:
    """A read-only view of `(image, label)` items as ImageSamples (converted on access)."""

    pairs: Sequence[Any]

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, index: int) -> ImageSample:
        item = self.pairs[index]
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise CallError(
                f"base[{index}]", f"expected an (image, label) pair, got {type(item).__name__}"
            )
        image, label = item
        pixels, layout = to_pixels(image, f"base[{index}] image")
        text = label if isinstance(label, str) else None
        return ImageSample(pixels, label=text, extra={PAIR_KEY: (label, layout)})


@dataclass(frozen=True)
class BackToPair:
    """An augmented ImageSample back to `(image, label)` in the types that came in."""

    steps: tuple[Callable[[Any], Any], ...] = ()

    def __call__(self, sample: ImageSample) -> tuple[Any, Any]:
        label, layout = sample.extra[PAIR_KEY]
        image = layout.restore(sample.image)
        for step in self.steps:
            image = step(image)
        return image, sample.label if isinstance(label, str) else label
