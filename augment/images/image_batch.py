"""ImageBatch: a stack of same-size images and their labels, what image `apply_batch` takes.

Colour-only steps (photometric) read and write `colour`, geometric ones `images`. An RGBA
stack's colour channels are split off when a colour step first asks for them and put back
with the alpha only when a step needs whole images again, so a run of colour steps splits
and merges the alpha once, not once per step.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from augment.core.sample import ImageSample
from augment.images.pixels import colour_of, with_alpha_of


class Probes(dict):
    """What draw_params sees, one per label: shape, dtype and label (pixels unread)."""

    def __init__(self, image: np.ndarray) -> None:
        super().__init__()
        self.image = image

    def __missing__(self, label: str | None) -> ImageSample:
        probe = self[label] = ImageSample(self.image, label=label)
        return probe


class _Alpha:
    """Where an RGBA batch's alpha is: rows of an RGBA stack (all rows when None).

    Batches taken from one another share the stack, so merging a part back can tell that
    its alpha is still ours (no geometric step moved it) and keep the colour split off.
    """

    __slots__ = ("rgba", "rows")

    def __init__(self, rgba: np.ndarray, rows: list[int] | None = None) -> None:
        self.rgba, self.rows = rgba, rows

    def stack(self) -> np.ndarray:
        return self.rgba if self.rows is None else self.rgba[self.rows]

    def take(self, rows: list[int]) -> _Alpha:
        return _Alpha(self.rgba, rows if self.rows is None else [self.rows[k] for k in rows])


class ImageBatch:
    """Images (n, H, W[, C]) and their n labels; a label-aware step (Mirror) changes labels.

    Immutable in use: steps return new batches and never write into a batch's arrays.
    """

    __slots__ = ("_alpha", "_colour", "_images", "_probes", "_source", "labels")

    def __init__(
        self, images: np.ndarray, labels: list[str | None], probes: Probes | None = None
    ) -> None:
        self._images: np.ndarray | None = images
        self._colour: np.ndarray | None = None
        self._alpha = _Alpha(images) if images.ndim == 4 and images.shape[3] == 4 else None
        self._source: tuple[ImageBatch, list[int]] | None = None  # see take
        self.labels = labels
        self._probes = Probes(images[0]) if probes is None else probes

    def _derived(
        self,
        images: np.ndarray | None,
        colour: np.ndarray | None,
        alpha: _Alpha | None,
        labels: list[str | None],
        source: tuple[ImageBatch, list[int]] | None = None,
    ) -> ImageBatch:
        """A batch of the same probes whose alpha is known (no new stack to look into)."""
        batch = ImageBatch.__new__(ImageBatch)
        batch._images, batch._colour, batch._alpha = images, colour, alpha
        batch.labels, batch._probes, batch._source = labels, self._probes, source
        return batch

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def images(self) -> np.ndarray:
        """The whole images (alpha put back if it was split off)."""
        if self._images is None:
            if self._source is not None:
                source, rows = self._source
                self._images = source.images[rows]
            else:  # neither images nor a source: colour and alpha are kept apart
                assert self._colour is not None and self._alpha is not None
                self._images = with_alpha_of(self._colour, self._alpha.stack())
        return self._images

    @property
    def colour(self) -> np.ndarray:
        """The colour channels: the images themselves unless RGBA (a new array for those)."""
        if self._colour is None:
            if self._source is not None and self._images is None:
                source, rows = self._source
                self._colour = source.colour[rows]
            else:
                self._colour = self.images if self._alpha is None else colour_of(self.images)
        return self._colour

    def with_images(self, images: np.ndarray, labels: list[str | None] | None = None) -> ImageBatch:
        """New images (alpha included): a geometric step's output."""
        return ImageBatch(images, self.labels if labels is None else labels, self._probes)

    def with_colour(self, colour: np.ndarray, labels: list[str | None] | None = None) -> ImageBatch:
        """New colour channels; an RGBA batch keeps its alpha apart until images are needed."""
        labels = self.labels if labels is None else labels
        if self._alpha is None:
            return self._derived(colour, colour, None, labels)
        return self._derived(None, colour, self._alpha, labels)

    def probes(self) -> list[ImageSample]:
        probes = self._probes
        return [probes[label] for label in self.labels]

    def samples(self) -> list[ImageSample]:
        return [
            ImageSample(image, label=label)
            for image, label in zip(self.images, self.labels, strict=True)
        ]

    def with_samples(self, samples: list[Any]) -> ImageBatch:
        images = np.empty_like(self.images)
        for i, sample in enumerate(samples):
            images[i] = sample.image
        return self.with_images(images, [sample.label for sample in samples])

    def take(self, rows: list[int]) -> ImageBatch:
        """The examples at `rows`, read from this batch's images or colour channels only
        when the part's step asks for them (a colour step on an RGBA part then splits the
        colour off this whole batch once, which merging the part back needs anyway)."""
        labels = [self.labels[k] for k in rows]
        alpha = None if self._alpha is None else self._alpha.take(rows)
        return self._derived(None, None, alpha, labels, (self, rows))

    def merge(self, parts: list[tuple[list[int], ImageBatch]]) -> ImageBatch:
        labels = list(self.labels)
        for rows, part in parts:
            for k, label in zip(rows, part.labels, strict=True):
                labels[k] = label
        alpha = self._alpha
        if alpha is not None and all(
            part._alpha is not None and part._alpha.rgba is alpha.rgba for _, part in parts
        ):
            colour = self.colour.copy()  # the parts changed colour only: alpha stays apart
            for rows, part in parts:
                colour[rows] = part.colour
            return self.with_colour(colour, labels)
        images = self.images.copy()
        for rows, part in parts:
            images[rows] = part.images
        return self.with_images(images, labels)
